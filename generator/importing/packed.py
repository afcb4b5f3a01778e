"""The catalogs that travel with topgen: TOP's API catalog and its TMC topic catalog, packed.

A pack is one gzip file (scripts/pack_catalogs.py builds it) of UTF-8 text lines: a header (a
JSON object), then one line per entry, sorted by name:
`name TAB source TAB title TAB description TAB entry`, where title and description are JSON
strings (so neither holds a tab or a newline) and entry is the entry's own JSON on one line.
Listing, finding and searching read the first four columns; only the entries asked for are
parsed as JSON.
"""

from __future__ import annotations

import gzip
import json
import zlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from ..resources import CATALOGS_DIR

FORMAT = "topgen-pack/1"
API_PACK = CATALOGS_DIR / "top-catalog.tsv.gz"
TOPIC_PACK = CATALOGS_DIR / "top-topics.tsv.gz"
_COLUMNS = 5


class PackError(ValueError):
    """A pack file that is not what scripts/pack_catalogs.py writes."""


@dataclass(frozen=True)
class PackedEntry:
    """One API or topic of a pack: its name, where it came from, its title and description."""

    name: str
    source: str
    title: str
    description: str
    text: str

    def data(self) -> Any:
        """The entry's JSON value, as the catalog file holds it."""
        return json.loads(self.text)


@dataclass(frozen=True)
class Pack:
    """The entries of one pack file, by name (in name order)."""

    path: Path
    entries: Mapping[str, PackedEntry]


def encode_pack(catalog: str, entries: Iterable[PackedEntry]) -> bytes:
    """The bytes of a pack: the same entries give the same bytes (gzip mtime 0, no file name)."""
    rows = sorted(entries, key=lambda entry: entry.name)
    header = json.dumps({"format": FORMAT, "catalog": catalog, "entries": len(rows)})
    lines = [header, *map(_line, rows)]
    return gzip.compress(("\n".join(lines) + "\n").encode("utf-8"), compresslevel=9, mtime=0)


def _line(entry: PackedEntry) -> str:
    strings = (
        json.dumps(entry.title, ensure_ascii=False),
        json.dumps(entry.description, ensure_ascii=False),
    )
    for column in (entry.name, entry.source, entry.text):
        if "\t" in column or "\n" in column:
            raise PackError(f"{entry.name!r}: a name, source or entry holds a tab or a newline")
    return "\t".join((entry.name, entry.source, *strings, entry.text))


def read_pack(path: Path) -> Pack:
    """The entries of the pack file `path`; PackError naming the file and line otherwise."""
    try:
        lines = gzip.decompress(path.read_bytes()).decode("utf-8").splitlines()
    except (OSError, EOFError, zlib.error, gzip.BadGzipFile, UnicodeDecodeError) as exc:
        raise PackError(f"{path}: not a topgen catalog pack: {exc}") from None
    count = _header(path, lines[0] if lines else "")
    rows = [_columns(path, number, line) for number, line in enumerate(lines[1:], 2)]
    texts = _strings(path, rows)
    entries = {
        row[0]: PackedEntry(row[0], row[1], title, description, row[4])
        for row, title, description in zip(rows, texts[0::2], texts[1::2], strict=True)
    }
    if len(entries) != count or len(rows) != count:
        raise PackError(f"{path}: the header says {count} entries, the pack holds {len(entries)}")
    return Pack(path, entries)


def _header(path: Path, line: str) -> int:
    try:
        header = json.loads(line)
    except json.JSONDecodeError:
        header = None
    if not isinstance(header, dict) or header.get("format") != FORMAT:
        raise PackError(f"{path}:1: not a {FORMAT} header")
    count = header.get("entries")
    if not isinstance(count, int):
        raise PackError(f"{path}:1: the header has no entry count")
    return count


def _columns(path: Path, number: int, line: str) -> list[str]:
    columns = line.split("\t", _COLUMNS - 1)
    if len(columns) != _COLUMNS:
        raise PackError(f"{path}:{number}: {len(columns)} columns, not {_COLUMNS}")
    return columns


def _strings(path: Path, rows: list[list[str]]) -> list[str]:
    """Every title and description, decoded in one JSON parse (one per row is 10x slower)."""
    joined = ",".join(column for row in rows for column in row[2:4])
    try:
        texts: Any = json.loads(f"[{joined}]")
    except json.JSONDecodeError:
        texts = None
    whole = isinstance(texts, list) and len(texts) == 2 * len(rows)
    if whole and all(isinstance(text, str) for text in texts):
        return [str(text) for text in texts]
    for number, row in enumerate(rows, 2):
        for column in row[2:4]:
            if not _is_string(column):
                raise PackError(f"{path}:{number}: a title or description that is no JSON string")
    raise PackError(f"{path}: titles and descriptions that are no JSON strings")


def _is_string(column: str) -> bool:
    try:
        return isinstance(json.loads(column), str)
    except json.JSONDecodeError:
        return False


@cache
def api_catalog() -> Pack:
    """The API catalog packed with topgen (doc metadata of every TOP API, by method)."""
    return read_pack(API_PACK)


@cache
def topic_catalog() -> Pack:
    """The topic catalog packed with topgen (every TMC message topic, by topic name)."""
    return read_pack(TOPIC_PACK)
