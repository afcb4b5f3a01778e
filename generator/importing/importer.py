"""Stage 0, import: TOP documentation (doc pages as text, catalog JSON) into spec files."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache, partial
from pathlib import Path
from typing import Any, Protocol

from ..diagnostics import Diagnostic, Level, SpecError, errors, quote
from ..fileio import read_input, write_atomically
from ..resources import ENVELOPE_FILE as SHIPPED_ENVELOPE
from ..spec.load import ENVELOPE_FILE, TOPICS_DIR, Document, load_document, parse_document
from ..spec.model import SessionUse
from ..spec.names import is_topic_name
from ..spec.validate import check_api
from .catalog import CatalogError, parse_catalog_entry
from .docmodel import DocApi
from .docpage import DocPageError, parse_doc_page
from .specwriter import build_spec, dump_spec
from .topics import is_topic_entry, write_topic_spec

EXAMPLES_DIR = "examples"  # beside the topic catalog's namespaces: real message contents


@dataclass(frozen=True)
class Imported:
    """One spec written by the importer."""

    method: str
    path: Path
    session_guessed: bool = False  # nothing said whether the API needs a session: optional


class Writer(Protocol):
    """Writes one spec into a folder (SpecError if it cannot): import_file of one file, say."""

    def __call__(self, out_dir: Path, *, force: bool) -> tuple[Imported, list[Diagnostic]]: ...


def read_doc(path: Path) -> DocApi:
    """The DocApi of a doc page (text); SpecError if it is none."""
    text = _read(path)
    try:
        return parse_doc_page(text, _source(path))
    except DocPageError as exc:
        raise _problem(path, exc.line, f"not a TOP documentation page: {exc.message}") from None


def read_entry(data: Any, source: str, origin: str) -> DocApi:
    """The DocApi of a catalog entry's JSON read from `origin`; SpecError if it is none."""
    try:
        return parse_catalog_entry(data, source)
    except CatalogError as exc:
        raise _problem(origin, None, f"not TOP doc metadata: {exc}") from None


class _LongNumberError(ValueError):
    """A JSON integer with more digits than Python converts."""

    def __init__(self, digits: str) -> None:
        super().__init__(digits)
        self.digits = digits


def _json(path: Path, text: str) -> Any:
    """The JSON value of a catalog file; SpecError at the line of what makes it unreadable."""
    try:
        return json.loads(text, parse_int=_json_int)
    except json.JSONDecodeError as exc:
        raise _problem(path, exc.lineno, f"not JSON: {exc.msg}") from None
    except RecursionError:
        raise _problem(path, None, "the JSON nests too deeply to be TOP doc metadata") from None
    except _LongNumberError as exc:
        line = text.count("\n", 0, text.find(exc.digits)) + 1
        message = f"a number of {len(exc.digits)} digits is not TOP doc metadata"
        raise _problem(path, line, message) from None


def _json_int(digits: str) -> int:
    try:
        return int(digits)
    except ValueError:
        raise _LongNumberError(digits) from None


def import_file(
    path: Path,
    out_dir: Path,
    *,
    force: bool = False,
    session: SessionUse | None = None,
    topics_dir: Path | None = None,
) -> tuple[Imported, list[Diagnostic]]:
    """Write the spec of one documentation file into `out_dir`; warnings come back as values.

    `session` sets the spec's x-top-session (the catalog never says whether one is needed).
    A topic catalog entry's spec goes into `topics_dir` (default: `topics` beside `out_dir`).
    """
    if not path.name.endswith(".json"):
        return write_doc(read_doc(path), str(path), out_dir, force=force, session=session)
    data = _json(path, _read(path))
    if is_topic_entry(data):
        return _import_topic(path, data, topics_dir or out_dir.parent / TOPICS_DIR, force)
    doc = read_entry(data, _source(path), str(path))
    return write_doc(doc, str(path), out_dir, force=force, session=session)


def write_doc(
    doc: DocApi,
    origin: str,
    out_dir: Path,
    *,
    force: bool = False,
    session: SessionUse | None = None,
) -> tuple[Imported, list[Diagnostic]]:
    """Write the spec of `doc` (read from `origin`, named in diagnostics) into `out_dir`."""
    target = out_dir / f"{doc.method}.yaml"
    try:
        if target.exists() and not force:
            raise _problem(origin, None, f"{target} exists; pass --force to overwrite it")
        spec, notes = build_spec(doc, session)
        text = dump_spec(spec)
        found = [Diagnostic(Level.WARNING, origin, None, doc.method, note) for note in notes]
        found += _check(text, target, out_dir)
        if errors(found):
            raise SpecError(found)
        write_atomically(target, text)
    except OSError as exc:
        message = f"cannot write {quote(str(target))}: {exc.strerror or exc}"
        raise _problem(origin, None, message) from None
    guessed = session is None and doc.session is None
    return Imported(doc.method, target, guessed), found


def _import_topic(
    path: Path, entry: Any, folder: Path, force: bool
) -> tuple[Imported, list[Diagnostic]]:
    """Write the topic spec of a topic catalog entry read from `path` into `folder`."""
    example = catalog_example(path, entry["topic"])
    source = _source(path)
    target, found = write_topic_spec(
        entry, folder, source=source, example=example, force=force, shown=str(path)
    )
    return Imported(str(entry["topic"]), target), found


def catalog_example(path: Path, topic: Any) -> Any:
    """The real content of a topic's message in the examples folder of the catalog holding the
    entry `path`, if it has one; SpecError naming the example's file if it is no content."""
    example = path.parent.parent / EXAMPLES_DIR / f"{topic}.json"
    if not isinstance(topic, str) or not is_topic_name(topic) or not example.is_file():
        return None
    data = _json(example, _read(example))
    if not isinstance(data, dict) or not isinstance(data.get("content"), dict):
        raise _problem(example, None, "an example must be an object with a 'content' object")
    return data["content"]


def _read(path: Path) -> str:
    try:
        return read_input(path)
    except (OSError, ValueError) as exc:
        raise _problem(path, None, f"cannot read the file: {exc}") from None


def import_files(
    paths: list[Path],
    out_dir: Path,
    *,
    force: bool = False,
    session: SessionUse | None = None,
    topics_dir: Path | None = None,
) -> tuple[list[Imported], list[Diagnostic]]:
    """Import each file on its own: a bad one writes nothing and the others still go through."""
    writers: list[Writer] = [
        partial(import_file, path, session=session, topics_dir=topics_dir) for path in paths
    ]
    return write_each(writers, out_dir, force=force)


def write_each(
    writers: list[Writer], out_dir: Path, *, force: bool = False
) -> tuple[list[Imported], list[Diagnostic]]:
    """Run each spec writer on its own: a bad one writes nothing and the others still go through.

    The specs whose documentation does not say whether a session is needed are counted in one
    warning at the end, not one each.
    """
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        message = f"cannot create the folder of the specs: {exc.strerror or exc}"
        raise SpecError([Diagnostic(Level.ERROR, str(out_dir), None, "", message)]) from None
    imported: list[Imported] = []
    found: list[Diagnostic] = []
    for write in writers:
        try:
            done, notes = write(out_dir, force=force)
        except SpecError as exc:
            found.extend(exc.diagnostics)
            continue
        imported.append(done)
        found.extend(notes)
    return imported, found + _session_summary(imported, out_dir)


def _session_summary(imported: list[Imported], out_dir: Path) -> list[Diagnostic]:
    """One warning for every spec whose x-top-session is a guess."""
    guessed = sum(1 for item in imported if item.session_guessed)
    if not guessed:
        return []
    message = (
        f"x-top-session is optional in {guessed} of {len(imported)} spec(s) written: their"
        " documentation does not say whether a session is needed (set it with"
        " --session required|optional|none)"
    )
    return [Diagnostic(Level.WARNING, str(out_dir), None, "", message)]


def _check(text: str, target: Path, out_dir: Path) -> list[Diagnostic]:
    """Validate the spec text as `topgen validate` would, against the envelope beside it."""
    envelope_path = out_dir.parent / ENVELOPE_FILE
    if not envelope_path.exists():
        envelope_path = SHIPPED_ENVELOPE
    document = parse_document(text, str(target), f"apis/{target.name}")
    return check_api(document, _envelope(envelope_path, envelope_path.stat().st_mtime_ns))


@cache
def _envelope(path: Path, modified: int) -> Document:
    """The envelope, parsed once per version of the file (`modified` is in the cache key)."""
    return load_document(path, ENVELOPE_FILE)


def _source(path: Path) -> str:
    """Where a spec came from, without the machine's absolute path."""
    parts = path.resolve().parts
    for anchor in ("top-docs", "top-catalog", "top-topics"):
        if anchor in parts:
            return "/".join(parts[parts.index(anchor) :])
    return path.name


def _problem(path: Path | str, line: int | None, message: str) -> SpecError:
    return SpecError([Diagnostic(Level.ERROR, str(path), line, "", message)])
