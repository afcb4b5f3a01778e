"""Problems found in specs, kept as values and printed once."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

_QUOTE_MAX = 60


class Level(StrEnum):
    """How bad a problem is: errors stop generation, warnings do not, notes are shown on demand.

    A note is a problem the spec already acknowledges (its `x-top-quirk` records it).
    """

    ERROR = "error"
    WARNING = "warning"
    NOTE = "note"


@dataclass(frozen=True)
class Diagnostic:
    """One problem, located by file, line and the path of the field it concerns."""

    level: Level
    file: str
    line: int | None
    where: str
    message: str

    def __str__(self) -> str:
        place = f"{self.file}:{self.line}" if self.line else self.file
        subject = f" {self.where}:" if self.where else ""
        return f"{place}: {self.level}:{subject} {self.message}"


def quote(value: Any) -> str:
    """A value as a message quotes it: a scalar as written (cut short), a container by its kind."""
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    text = (
        "null" if value is None else str(value).lower() if isinstance(value, bool) else repr(value)
    )
    return text if len(text) <= _QUOTE_MAX else text[: _QUOTE_MAX - 3] + "..."


def errors(diagnostics: list[Diagnostic]) -> list[Diagnostic]:
    """The diagnostics that stop generation."""
    return [d for d in diagnostics if d.level is Level.ERROR]


class SpecError(Exception):
    """Raised by a stage that cannot go on; carries every diagnostic found so far."""

    def __init__(self, diagnostics: list[Diagnostic]) -> None:
        super().__init__("\n".join(str(d) for d in diagnostics))
        self.diagnostics = diagnostics

    def __reduce__(self) -> tuple[type[SpecError], tuple[list[Diagnostic]]]:
        return SpecError, (self.diagnostics,)
