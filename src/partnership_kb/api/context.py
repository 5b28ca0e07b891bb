"""What every GraphQL resolver can reach: the query runner of this request."""

from __future__ import annotations

from dataclasses import dataclass

from starlette.requests import Request

from ..queries import QueryRunner


@dataclass
class Context:
    request: Request
    runner: QueryRunner
