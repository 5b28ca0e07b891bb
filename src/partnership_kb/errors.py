"""User-facing errors: each says what went wrong and, separately, what to do about it.

The CLI prints them in one place (``cli.report``); the API masks everything that is not one.
"""

from __future__ import annotations

from dataclasses import dataclass, field


class PkbError(Exception):
    """An error a user can act on: a one-line ``message`` and an optional ``hint``."""

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return f"{self.message}\n\n{self.hint}" if self.hint else self.message


class ConfigError(PkbError):
    """A settings file (model.yaml, a district mapping) or environment variable is wrong."""


class MappingError(ConfigError):
    """A district's mapping (loaders/<district>.yaml) is wrong: input to a load, so the load
    is refused as bad input (exit 2), naming the file and key."""


class ConnectionProblem(PkbError):
    """Neo4j cannot be reached or refuses our credentials."""


class ServerStartError(PkbError):
    """The local Neo4j server could not be provisioned or started."""


class BadRequest(PkbError):
    """A GraphQL request the caller can fix: shown as it is, never masked as internal.
    GraphQL errors have one message, so what to do follows what went wrong in it."""

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(f"{message} {hint}".strip())


@dataclass(frozen=True)
class Problem:
    """One problem found in an input file, located down to the cell."""

    file: str
    sheet: str
    row: int | None
    column: str | None
    message: str
    hint: str = ""

    def location(self) -> str:
        parts = [self.file, self.sheet]
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.column:
            parts.append(f"column {self.column}")
        return " › ".join(p for p in parts if p)

    def __str__(self) -> str:
        text = f"{self.location()}: {self.message}"
        return f"{text} ({self.hint})" if self.hint else text

    def as_dict(self) -> dict[str, object]:
        return {
            "file": self.file,
            "sheet": self.sheet,
            "row": self.row,
            "column": self.column,
            "message": self.message,
            "hint": self.hint,
        }


@dataclass
class InvalidInput(PkbError):
    """An input file has problems; nothing was written. Carries every problem found."""

    problems: list[Problem] = field(default_factory=list)

    def __post_init__(self) -> None:
        count = len(self.problems)
        noun = "problem" if count == 1 else "problems"
        super().__init__(
            f"{count} {noun} found; nothing was written.",
            "Fix the cells named above and load again.",
        )

    def __str__(self) -> str:
        return "\n".join([*(str(p) for p in self.problems), self.message])
