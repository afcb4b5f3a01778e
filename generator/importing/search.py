"""`topgen search`: the packed catalog's entries that mention a text, most relevant first.

The score is where the text is found, case-insensitively, best first: the name itself, inside
the name, in the title (Chinese), in the description (a topic's category). Ties go by name.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum

from .packed import Pack, PackedEntry


class Match(IntEnum):
    """Where the text was found; a lower value ranks first."""

    NAME = 0
    IN_NAME = 1
    IN_TITLE = 2
    IN_DESCRIPTION = 3


@dataclass(frozen=True)
class Found:
    """One entry that mentions the text, and where."""

    entry: PackedEntry
    match: Match


def search(pack: Pack, text: str) -> list[Found]:
    """Every entry of `pack` mentioning `text`, most relevant first."""
    needle = text.strip().casefold()
    if not needle:
        return []
    found = [
        Found(entry, match)
        for entry in pack.entries.values()
        if (match := _match(entry, needle)) is not None
    ]
    return sorted(found, key=lambda item: (item.match, item.entry.name))


def _match(entry: PackedEntry, needle: str) -> Match | None:
    name = entry.name.casefold()
    if name == needle:
        return Match.NAME
    if needle in name:
        return Match.IN_NAME
    if needle in entry.title.casefold():
        return Match.IN_TITLE
    if needle in entry.description.casefold():
        return Match.IN_DESCRIPTION
    return None
