"""The catalogs that travel with topgen: TOP's API catalog and its TMC topic catalog, packed.

A pack (scripts/pack_catalogs.py builds it) is one file of two gzip members, so `zcat` shows
it whole while a reader decompresses only what it needs:
1. the index, UTF-8 lines: a header (a JSON object), then one line per entry, sorted by name,
   `name TAB source TAB title TAB description` (title and description as JSON strings, so
   neither holds a tab or a newline);
2. the bodies: line i is the JSON (on one line) of the entry on index line i + 1.
Listing, finding and searching read the index (a tenth of the pack); an entry's JSON is
decompressed the first time one is asked for.
"""

from __future__ import annotations

import gzip
import json
import zlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache, cached_property
from pathlib import Path
from typing import Any

from ..resources import CATALOGS_DIR

FORMAT = "topgen-pack/1"
API_PACK = CATALOGS_DIR / "top-catalog.tsv.gz"
TOPIC_PACK = CATALOGS_DIR / "top-topics.tsv.gz"
TOPIC_EXAMPLES = CATALOGS_DIR / "top-topic-examples.json"
_COLUMNS = 4


class PackError(ValueError):
    """A pack file that is not what scripts/pack_catalogs.py writes."""


@dataclass(frozen=True)
class PackRow:
    """One entry to pack: its name, the file it came from, its title, description and JSON."""

    name: str
    source: str
    title: str
    description: str
    text: str


class _Bodies:
    """The second member of a pack: every entry's JSON, decompressed when first asked for."""

    def __init__(self, path: Path, compressed: bytes, count: int) -> None:
        self.path, self.compressed, self.count = path, compressed, count

    @cached_property
    def lines(self) -> list[str]:
        try:
            lines = gzip.decompress(self.compressed).decode("utf-8").splitlines()
        except (EOFError, zlib.error, gzip.BadGzipFile, UnicodeDecodeError) as exc:
            raise PackError(f"{self.path}: the entries are damaged: {exc}") from None
        if len(lines) != self.count:
            message = f"{self.path}: {self.count} entries in the index, {len(lines)} after it"
            raise PackError(message)
        return lines


@dataclass(frozen=True)
class PackedEntry:
    """One API or topic of a pack: its name, where it came from, its title and description."""

    name: str
    source: str
    title: str
    description: str
    position: int = field(repr=False)
    bodies: _Bodies = field(repr=False, compare=False)

    def data(self) -> Any:
        """The entry's JSON value, as the catalog file holds it."""
        text = self.bodies.lines[self.position]
        try:
            return json.loads(text)
        except json.JSONDecodeError as exc:
            raise PackError(f"{self.bodies.path}: the entry of {self.name}: {exc}") from None


@dataclass(frozen=True)
class Pack:
    """The entries of one pack file, by name (in name order)."""

    path: Path
    entries: Mapping[str, PackedEntry]


def encode_pack(catalog: str, rows: Iterable[PackRow]) -> bytes:
    """The bytes of a pack: the same rows give the same bytes (gzip mtime 0, no file name)."""
    ordered = sorted(rows, key=lambda row: row.name)
    header = json.dumps({"format": FORMAT, "catalog": catalog, "entries": len(ordered)})
    index = [header, *map(_index_line, ordered)]
    return _gzip(index) + _gzip([row.text for row in ordered])


def _index_line(row: PackRow) -> str:
    for column in (row.name, row.source, row.text):
        if "\t" in column or "\n" in column:
            raise PackError(f"{row.name!r}: a name, source or entry holds a tab or a newline")
    strings = [json.dumps(text, ensure_ascii=False) for text in (row.title, row.description)]
    return "\t".join((row.name, row.source, *strings))


def _gzip(lines: list[str]) -> bytes:
    text = "".join(f"{line}\n" for line in lines)
    return gzip.compress(text.encode("utf-8"), compresslevel=9, mtime=0)


def read_pack(path: Path) -> Pack:
    """The index of the pack file `path`; PackError naming the file and line otherwise."""
    reader = zlib.decompressobj(wbits=31)
    try:
        index = reader.decompress(path.read_bytes())
        lines = index.decode("utf-8").splitlines()
    except (OSError, zlib.error, UnicodeDecodeError) as exc:
        raise PackError(f"{path}: not a topgen catalog pack: {exc}") from None
    if not reader.eof:
        raise PackError(f"{path}: not a topgen catalog pack: it ends inside its index")
    count = _header(path, lines[0] if lines else "")
    rows = [_columns(path, number, line) for number, line in enumerate(lines[1:], 2)]
    if len(rows) != count:
        raise PackError(f"{path}: the header says {count} entries, the index holds {len(rows)}")
    bodies = _Bodies(path, reader.unused_data, count)
    texts = _strings(path, rows)
    entries = {
        row[0]: PackedEntry(
            row[0], row[1], texts[2 * position], texts[2 * position + 1], position, bodies
        )
        for position, row in enumerate(rows)
    }
    if len(entries) != count:
        raise PackError(f"{path}: a name is in the index more than once")
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
    columns = line.split("\t")
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


def encode_examples(examples: Mapping[str, Any]) -> bytes:
    """The bytes of the examples file: one topic a line, in name order, as TOP sent the content."""
    lines = [
        f"  {json.dumps(topic)}: {json.dumps(examples[topic], ensure_ascii=False)}"
        for topic in sorted(examples)
    ]
    return ("{\n" + ",\n".join(lines) + "\n}\n").encode("utf-8")


def read_examples(path: Path) -> Mapping[str, Any]:
    """The message contents by topic of the examples file `path`; PackError naming it."""
    try:
        examples = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise PackError(f"{path}: not the packed topic examples: {exc}") from None
    if not isinstance(examples, dict) or not all(isinstance(v, dict) for v in examples.values()):
        raise PackError(f"{path}: not an object of message contents by topic")
    return examples


@cache
def topic_examples() -> Mapping[str, Any]:
    """The real message contents packed with topgen (the topic catalog's examples), by topic."""
    return read_examples(TOPIC_EXAMPLES)
