"""Import stage, from the packed catalogs: `topgen add` by method, topic name or glob, and init.

A name with a dot is a method (`taobao.tmc.user.get`); one with an underscore and no dot is a
TMC topic (`taobao_trade_TradeBuyerPay`). A glob (`taobao.tmc.*`) names every entry of that
kind it matches. A name that is in neither catalog fails with the closest names.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from fnmatch import fnmatchcase
from pathlib import Path

from ..diagnostics import Diagnostic, Level, SpecError
from ..fileio import write_atomically
from ..resources import ENVELOPE_FILE as SHIPPED_ENVELOPE
from ..spec.load import APIS_DIR, ENVELOPE_FILE, TOPICS_DIR
from .importer import Imported, Writer, read_entry, write_doc, write_each
from .packed import Pack, PackedEntry, api_catalog, topic_catalog, topic_examples
from .topics import write_topic_spec

_GLOB = frozenset("*?[")
_SUGGESTIONS = 3


class UnknownNameError(ValueError):
    """A name or glob that names nothing in topgen's catalogs; the message suggests names."""


@dataclass(frozen=True)
class Chosen:
    """The catalog entries a list of names and globs stands for, each once, in the given order."""

    apis: tuple[PackedEntry, ...]
    topics: tuple[PackedEntry, ...]


def _names_a_topic(name: str) -> bool:
    """Whether a name or glob is a TMC topic's rather than an API method's (globs included)."""
    return "_" in name and "." not in name


def choose(names: list[str]) -> Chosen:
    """The entries named; UnknownNameError listing every name that matches nothing."""
    apis: dict[str, PackedEntry] = {}
    topics: dict[str, PackedEntry] = {}
    unknown: list[str] = []
    for name in names:
        topic = _names_a_topic(name)
        pack = topic_catalog() if topic else api_catalog()
        found = _matches(pack, name)
        if not found:
            unknown.append(_unknown(pack, name, "topic" if topic else "API"))
        (topics if topic else apis).update((entry.name, entry) for entry in found)
    if unknown:
        raise UnknownNameError("; ".join(unknown))
    return Chosen(tuple(apis.values()), tuple(topics.values()))


def _matches(pack: Pack, name: str) -> list[PackedEntry]:
    if _GLOB.isdisjoint(name):
        entry = pack.entries.get(name)
        return [entry] if entry else []
    return [entry for key, entry in pack.entries.items() if fnmatchcase(key, name)]


def _unknown(pack: Pack, name: str, kind: str) -> str:
    """One line: the name is unknown, and the closest names of the catalog, if any are close."""
    if not _GLOB.isdisjoint(name):
        return f"no {kind} of topgen's catalog matches {name!r}"
    close = difflib.get_close_matches(name, list(pack.entries), n=_SUGGESTIONS, cutoff=0.6)
    hint = f"; did you mean {', '.join(close)}?" if close else ""
    return f"no {kind} named {name!r} in topgen's catalog{hint}"


def add(
    chosen: Chosen, specs: Path, *, force: bool = False
) -> tuple[list[Imported], list[Diagnostic]]:
    """Write the chosen entries' specs into specs/apis and specs/topics, each on its own."""
    writers: list[Writer] = [_api_writer(entry) for entry in chosen.apis]
    written, found = write_each(writers, specs / APIS_DIR, force=force) if writers else ([], [])
    if chosen.topics:
        topic_writers = [_topic_writer(entry) for entry in chosen.topics]
        topics, notes = write_each(topic_writers, specs / TOPICS_DIR, force=force)
        written, found = written + topics, found + notes
    return written, found


def _api_writer(entry: PackedEntry) -> Writer:
    def write(out_dir: Path, *, force: bool) -> tuple[Imported, list[Diagnostic]]:
        doc = read_entry(entry.data(), entry.source, _origin(entry))
        return write_doc(doc, _origin(entry), out_dir, force=force)

    return write


def _topic_writer(entry: PackedEntry) -> Writer:
    def write(out_dir: Path, *, force: bool) -> tuple[Imported, list[Diagnostic]]:
        example = topic_examples().get(entry.name)
        path, found = write_topic_spec(
            entry.data(),
            out_dir,
            source=entry.source,
            example=example,
            force=force,
            shown=_origin(entry),
        )
        return Imported(entry.name, path), found

    return write


def _origin(entry: PackedEntry) -> str:
    """How diagnostics name a packed entry: the catalog file it was packed from."""
    return f"topgen's catalog, {entry.source}"


def init(specs: Path) -> Path | None:
    """Write topgen's TOP envelope as specs/top.yaml; None when the file is already there."""
    target = specs / ENVELOPE_FILE
    if target.exists():
        return None
    try:
        (specs / APIS_DIR).mkdir(parents=True, exist_ok=True)
        write_atomically(target, SHIPPED_ENVELOPE.read_text(encoding="utf-8"))
    except OSError as exc:
        message = f"cannot write the envelope: {exc.strerror or exc}"
        raise SpecError([Diagnostic(Level.ERROR, str(target), None, "", message)]) from None
    return target
