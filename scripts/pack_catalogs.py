"""Pack TOP's API catalog and topic catalog into topgen's package data (generator/catalogs/).

    python scripts/pack_catalogs.py [--catalog DIR] [--topics DIR] [--out DIR]

The API catalog is ../shared/top-catalog (or $TOPGEN_CATALOG): one `<group>/<file>.json` per
API (`catelog.json` files are group indexes, not APIs). The topic catalog is
../shared/top-topics (or $TOPGEN_TOPICS): the topics that `topics.json` lists, and beside them
the real message contents of its examples/ folder, by topic. The packs are byte-identical on
every run from the same folders; an entry the importer would refuse is left out and named.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from topgen.diagnostics import SpecError
from topgen.importing.catalog import CatalogError, parse_catalog_entry
from topgen.importing.importer import catalog_example
from topgen.importing.packed import (
    API_PACK,
    TOPIC_EXAMPLES,
    TOPIC_PACK,
    PackRow,
    encode_examples,
    encode_pack,
)

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
GROUP_INDEX = "catelog.json"
TOPIC_INDEX = "topics.json"


class PackingError(Exception):
    """A file of a catalog that cannot be packed."""


def api_entries(catalog: Path, skipped: list[str]) -> Iterator[PackRow]:
    """Each API of the catalog folder; the files the importer refuses go to `skipped`."""
    for path in sorted(catalog.glob("*/*.json")):
        if path.name == GROUP_INDEX:
            continue
        source = f"top-catalog/{path.relative_to(catalog).as_posix()}"
        data = _json(path)
        try:
            doc = parse_catalog_entry(data, source)
        except CatalogError as exc:
            skipped.append(f"{source}: {exc}")
            continue
        yield PackRow(doc.method, source, doc.title, doc.description, _one_line(data))


def topic_entries(topics: Path, examples: dict[str, Any]) -> Iterator[PackRow]:
    """Each topic that the topic catalog's index lists, with the index's title and category;
    the real contents that `topgen import` of its file would take go into `examples`."""
    index = _json(topics / TOPIC_INDEX)
    if not isinstance(index, list):
        raise PackingError(f"{topics / TOPIC_INDEX}: not a list of topics")
    for row in index:
        if not isinstance(row, dict) or not all(
            isinstance(row.get(key), str) for key in ("topic", "path", "title", "category")
        ):
            raise PackingError(
                f"{topics / TOPIC_INDEX}: a row without topic, path, title, category"
            )
        path = topics / row["path"]
        data = _json(path)
        if not isinstance(data, dict) or data.get("topic") != row["topic"]:
            raise PackingError(f"{path}: not the topic {row['topic']} that {TOPIC_INDEX} names")
        try:
            example = catalog_example(path, row["topic"])
        except SpecError as exc:
            raise PackingError(str(exc)) from None
        if example is not None:
            examples[row["topic"]] = example
        source = f"top-topics/{row['path']}"
        yield PackRow(row["topic"], source, row["title"], row["category"], _one_line(data))


def _json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise PackingError(f"{path}: {exc}") from None


def _one_line(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def pack(catalog: Path, topics: Path, out: Path) -> list[str]:
    """Write both packs into `out`; what was left out of them comes back, one line each."""
    skipped: list[str] = []
    apis = list(api_entries(catalog, skipped))
    names = [entry.name for entry in apis]
    if len(set(names)) != len(names):
        twice = sorted({name for name in names if names.count(name) > 1})
        raise PackingError(f"{catalog}: methods in more than one file: {', '.join(twice)}")
    out.mkdir(parents=True, exist_ok=True)
    _write(out / API_PACK.name, encode_pack("top-catalog", apis))
    examples: dict[str, Any] = {}
    _write(out / TOPIC_PACK.name, encode_pack("top-topics", topic_entries(topics, examples)))
    _write(out / TOPIC_EXAMPLES.name, encode_examples(examples))
    return skipped


def _write(path: Path, data: bytes) -> None:
    temporary = path.with_name(f".tmp-{path.name}")
    temporary.write_bytes(data)
    os.replace(temporary, path)


def main() -> int:
    """Pack the catalogs; exit 1 with one line when a folder cannot be packed."""
    parser = argparse.ArgumentParser(description=__doc__.partition("\n")[0])
    parser.add_argument("--catalog", type=Path, default=_folder("TOPGEN_CATALOG", "top-catalog"))
    parser.add_argument("--topics", type=Path, default=_folder("TOPGEN_TOPICS", "top-topics"))
    parser.add_argument("--out", type=Path, default=API_PACK.parent)
    args = parser.parse_args()
    for folder in (args.catalog, args.topics):
        if not folder.is_dir():
            print(f"pack_catalogs: error: {folder} is not a folder", file=sys.stderr)
            return 1
    try:
        skipped = pack(args.catalog, args.topics, args.out)
    except PackingError as exc:
        print(f"pack_catalogs: error: {exc}", file=sys.stderr)
        return 1
    for line in skipped:
        print(f"pack_catalogs: left out {line}")
    for path in (
        args.out / API_PACK.name,
        args.out / TOPIC_PACK.name,
        args.out / TOPIC_EXAMPLES.name,
    ):
        print(f"pack_catalogs: wrote {path} ({path.stat().st_size:,} bytes)")
    return 0


def _folder(variable: str, name: str) -> Path:
    return Path(os.environ.get(variable) or SHARED / name)


if __name__ == "__main__":
    sys.exit(main())
