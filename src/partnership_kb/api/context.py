"""What every resolver can reach: this request's query runner and its details loader."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from strawberry.dataloader import DataLoader

from ..queries import QueryRunner


@dataclass
class Context:
    request: Request | None
    runner: QueryRunner
    details: DataLoader[str, dict[str, Any] | None] = field(init=False)

    def __post_init__(self) -> None:
        self.details = DataLoader(load_fn=self._load_details)

    async def run(self, name: str, /, **params: Any) -> list[dict[str, Any]]:
        """Run a named query off the event loop (the driver is synchronous)."""
        return await run_in_threadpool(self.runner.run, name, **params)

    async def _load_details(self, ids: list[str]) -> list[dict[str, Any] | None]:
        """One `node_details` round trip for every node a resolver level asked about."""
        rows = await self.run("node_details", ids=list(ids))
        found = {row["node"]["id"]: row["node"] for row in rows}
        return [found.get(id_) for id_ in ids]
