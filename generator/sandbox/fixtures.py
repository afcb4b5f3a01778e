"""Fixtures: the bodies the sandbox answers instead of the examples, read once and bounded.

A fixture is plain data: YAML aliases are refused (nested ones expand exponentially, and the
answer is rendered on every call), and so are nesting and sizes no TOP answer has.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from ..fileio import read_input

MAX_BYTES = 16 * 1024 * 1024
MAX_DEPTH = 100


class FixtureError(ValueError):
    """A fixture the sandbox cannot answer with, and the line where it shows, if one."""

    def __init__(self, why: str, line: int | None = None) -> None:
        super().__init__(why)
        self.why, self.line = why, line

    def located(self, path: Path) -> str:
        """The message, naming the file and line."""
        return f"{path}:{self.line}: {self.why}" if self.line else f"{path}: {self.why}"


class _PlainLoader(yaml.SafeLoader):
    """YAML without aliases, nested at most MAX_DEPTH deep."""

    depth = 0

    def compose_node(self, parent: yaml.Node | None, index: int) -> yaml.Node | None:
        event = self.peek_event()  # type: ignore[no-untyped-call]
        if isinstance(event, yaml.AliasEvent):
            raise _at(event, f"an alias (*{event.anchor}): write the value out")
        if self.depth >= MAX_DEPTH:
            raise _at(event, f"nested deeper than {MAX_DEPTH} levels")
        self.depth += 1
        try:
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1


def _at(event: yaml.Event, why: str) -> FixtureError:
    mark = event.start_mark
    return FixtureError(why, mark.line + 1 if mark is not None else None)


def load_fixtures(folder: Path | None) -> dict[str, dict[str, Any]]:
    """Answers by method from `<method>.json`/`.yaml`/`.yml` files; ValueError for a bad one."""
    fixtures: dict[str, dict[str, Any]] = {}
    if folder is None:
        return fixtures
    for path in sorted(folder.iterdir()):
        if path.suffix in (".json", ".yaml", ".yml"):
            fixtures[path.stem] = load_fixture(path)
    return fixtures


def load_fixture(path: Path) -> dict[str, Any]:
    """One fixture's body; ValueError naming the file (and line) when it cannot be one."""
    try:
        data = yaml.load(read_input(path, MAX_BYTES), Loader=_PlainLoader)
    except FixtureError as exc:
        raise ValueError(exc.located(path)) from None
    except (OSError, ValueError, yaml.YAMLError) as exc:
        raise ValueError(f"{path}: cannot read the fixture: {exc}") from None
    if not isinstance(data, dict):
        raise ValueError(f"{path}: a fixture must be a JSON object (the body TOP answers)")
    return data
