"""Stages 1–3 (load, validate, model) for each API spec on its own, remembered by content.

An API spec's diagnostics and model depend only on its text, the envelope's text and topgen
itself. Each file is read once a run; a run with a cache keeps, in one index file keyed by a
hash of those, each spec's diagnostics and heading (method, title): enough to name its module,
list it in the clients and find it in the module cache, so an unchanged spec's YAML is not
parsed again. Its model is rebuilt only if its module is needed.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..diagnostics import Diagnostic, Level, SpecError, errors
from ..fileio import write_atomically
from ..parallel import Progress, Silent, in_parallel
from .build import build_api, build_envelope, build_topic
from .load import (
    APIS_DIR,
    ENVELOPE_FILE,
    MISSING_SPECS,
    TOPICS_DIR,
    Document,
    parse_document,
    read_spec,
)
from .model import Api, ApiHeading, Envelope, Topic
from .names import is_method_name, module_name, topic_module
from .validate import check_api, check_envelope
from .validate_topic import check_topic

INDEX_FILE = "specs.json"


@dataclass(frozen=True)
class SpecSummary:
    """What the index keeps of a checked spec: its diagnostics and, if valid, its heading."""

    diagnostics: tuple[Diagnostic, ...]
    heading: ApiHeading | None

    @property
    def method(self) -> str | None:
        """The API's method, if the spec is valid."""
        return self.heading.method if self.heading else None


@dataclass(frozen=True)
class Spec:
    """One valid API spec of this run: where it is, its key, its heading, its model if built."""

    path: Path
    name: str
    key: str
    heading: ApiHeading
    api: Api | None

    @property
    def method(self) -> str:
        """The API's method."""
        return self.heading.method


@dataclass(frozen=True)
class TopicSpec:
    """One valid topic spec of this run: where it is, its key and its model."""

    path: Path
    key: str
    topic: Topic


@dataclass(frozen=True)
class CheckedSpecs:
    """The envelope, every diagnostic, the API specs sorted by method, the topics by name."""

    envelope_document: Document
    envelope: Envelope
    diagnostics: list[Diagnostic]
    specs: list[Spec]
    digest: str
    """The hash of the envelope and every API and topic spec: names and bytes."""
    topics: list[TopicSpec]


def spec_api(spec: Spec, envelope: Document) -> Api:
    """The model of `spec`, built again from its file when only its summary was kept."""
    if spec.api is not None:
        return spec.api
    diagnostics, api = _check_spec(spec.path, spec.name, read_spec(spec.path), envelope)
    if api is None:  # the file changed during the run
        raise SpecError(list(diagnostics))
    return api


def check_specs_in(
    specs_dir: Path,
    *,
    jobs: int = 1,
    cache_dir: Path | None = None,
    fingerprint: str = "",
    progress: Progress | None = None,
) -> CheckedSpecs:
    """Load, validate and model every spec; raise SpecError with every error found."""
    if not specs_dir.is_dir():
        raise SpecError([Diagnostic(Level.ERROR, str(specs_dir), None, "", MISSING_SPECS)])
    envelope_path = specs_dir / ENVELOPE_FILE
    envelope_text = read_spec(envelope_path)
    envelope = parse_document(envelope_text, str(envelope_path), ENVELOPE_FILE)
    found = check_envelope(envelope)
    paths = sorted((specs_dir / APIS_DIR).glob("*.yaml"))
    names = {path: _relative(path, specs_dir) for path in paths}
    texts, unreadable = _read_all(paths)
    keys = {path: spec_key(path, text, envelope_text, fingerprint) for path, text in texts.items()}
    index = SpecIndex(cache_dir)
    missing = {path: text for path, text in texts.items() if keys[path] not in index.entries}
    progress = progress or Silent()
    progress.start(len(missing), "checking specs")
    fresh = _checked(missing, names, envelope, jobs, progress.advance)
    summaries = {keys[p]: index.entries.get(keys[p]) or _summary(*fresh[p]) for p in texts}
    index.save(summaries)
    for path in paths:
        found.extend(summaries[keys[path]].diagnostics if path in keys else unreadable[path])
    methods = {path: summaries[keys[path]].method for path in keys}
    found += _module_clashes(methods, texts, ("apis", module_name), "x-top-method")
    topic_paths = sorted((specs_dir / TOPICS_DIR).glob("*.yaml"))
    topic_texts, topic_unreadable = _read_all(topic_paths)
    topic_found, topics = _check_topics(specs_dir, topic_texts, jobs)
    for path in topic_paths:
        found.extend(topic_unreadable.get(path, topic_found.get(path, ())))
    topic_names = {path: topic.topic for path, topic in topics.items()}
    found += _module_clashes(topic_names, topic_texts, ("topics", topic_module), "x-top-topic")
    if errors(found):
        raise SpecError(found)
    built = {path: api for path, (_, api) in fresh.items() if api is not None}
    specs = [
        Spec(path, names[path], keys[path], heading, built.get(path))
        for path in paths
        if (heading := summaries[keys[path]].heading) is not None
    ]
    specs.sort(key=lambda spec: spec.method)
    spec_texts = {names[path]: text for path, text in texts.items()}
    spec_texts |= {_relative(path, specs_dir): text for path, text in topic_texts.items()}
    digest = _digest(envelope_text, spec_texts)
    topic_specs = [
        TopicSpec(path, spec_key(path, topic_texts[path], envelope_text, fingerprint), topic)
        for path, topic in sorted(topics.items(), key=lambda item: item[1].topic)
    ]
    return CheckedSpecs(envelope, build_envelope(envelope), found, specs, digest, topic_specs)


def _relative(path: Path, specs_dir: Path) -> str:
    return path.relative_to(specs_dir).as_posix()


def _check_topics(
    specs_dir: Path, texts: dict[Path, str], jobs: int
) -> tuple[dict[Path, tuple[Diagnostic, ...]], dict[Path, Topic]]:
    """Each topic spec's diagnostics, and the model of each valid one."""
    paths = list(texts)
    spec_names = [_relative(path, specs_dir) for path in paths]
    checked = in_parallel(check_topic_spec, paths, spec_names, list(texts.values()), jobs=jobs)
    found = {path: diagnostics for path, (diagnostics, _) in zip(paths, checked, strict=True)}
    topics = {path: topic for path, (_, topic) in zip(paths, checked, strict=True) if topic}
    return found, topics


def check_topic_spec(
    path: Path, name: str, text: str
) -> tuple[tuple[Diagnostic, ...], Topic | None]:
    """Parse, validate and model one topic spec's text; problems come back as values."""
    try:
        document = parse_document(text, str(path), name)
    except SpecError as exc:
        return tuple(exc.diagnostics), None
    found = check_topic(document)
    return tuple(found), None if errors(found) else build_topic(document)


def _digest(envelope: str, texts: dict[str, str]) -> str:
    digest = hashlib.sha256(envelope.encode())
    for name in sorted(texts):
        digest.update(f"\0{name}\0".encode() + hashlib.sha256(texts[name].encode()).digest())
    return digest.hexdigest()


def _read_all(paths: list[Path]) -> tuple[dict[Path, str], dict[Path, list[Diagnostic]]]:
    """The text of each spec file, and the problem of each that cannot be read."""
    texts, unreadable = {}, {}
    for path in paths:
        try:
            texts[path] = read_spec(path)
        except SpecError as exc:
            unreadable[path] = exc.diagnostics
    return texts, unreadable


def _module_clashes(
    names: Mapping[Path, str | None],
    texts: dict[Path, str],
    package: tuple[str, Callable[[str], str]],
    key: str,
) -> list[Diagnostic]:
    """An error on each spec whose method or topic (`names`, by spec file) becomes the same
    module of topapi's package (its name, and the module a name becomes) as another spec's."""
    package_name, to_module = package
    owners: dict[str, list[tuple[Path, str]]] = {}
    for path, name in names.items():
        if name is not None:
            owners.setdefault(to_module(name), []).append((path, name))
    found = []
    for module, specs in owners.items():
        for path, name in specs if len(specs) > 1 else ():
            others = ", ".join(repr(n) for _, n in specs if n != name)
            where = f"topapi.{package_name}.{module}"
            message = f"{name!r} and {others} would both be the module {where}"
            line = _key_line(texts[path], f"{key}:")
            found.append(Diagnostic(Level.ERROR, str(path), line, "", message))
    return found


def _key_line(text: str, key: str) -> int | None:
    lines = text.splitlines()
    return next((n for n, line in enumerate(lines, 1) if key in line), None)


def _checked(
    texts: dict[Path, str],
    names: dict[Path, str],
    envelope: Document,
    jobs: int,
    advance: Callable[[], None],
) -> dict[Path, tuple[tuple[Diagnostic, ...], Api | None]]:
    """Each spec checked afresh from its text, over `jobs` worker processes when it pays."""
    paths = list(texts)
    spec_names = [names[path] for path in paths]
    envelopes = [envelope] * len(paths)
    checked = in_parallel(
        _check_spec, paths, spec_names, list(texts.values()), envelopes, jobs=jobs, advance=advance
    )
    return dict(zip(paths, checked, strict=True))


def _check_spec(
    path: Path, name: str, text: str, envelope: Document
) -> tuple[tuple[Diagnostic, ...], Api | None]:
    """Parse, validate and model one API spec's text; problems come back as values, not raised."""
    try:
        document = parse_document(text, str(path), name)
    except SpecError as exc:
        return tuple(exc.diagnostics), None
    found = check_api(document, envelope)
    return tuple(found), None if errors(found) else build_api(document)


def _summary(diagnostics: tuple[Diagnostic, ...], api: Api | None) -> SpecSummary:
    return SpecSummary(diagnostics, api.heading if api else None)


def spec_key(path: Path, text: str, envelope: str, fingerprint: str) -> str:
    """The key of a spec: where it is (diagnostics name it), its text, and everything else."""
    digest = hashlib.sha256(f"{fingerprint}\0{path}\0".encode())
    digest.update(hashlib.sha256(envelope.encode()).digest())
    digest.update(text.encode())
    return digest.hexdigest()


class SpecIndex:
    """Spec summaries by key, read from and saved to one JSON file (or nowhere, without a folder).

    The index is data, never code: an entry that does not have exactly the shape `save` writes
    (its own key, a method name, diagnostics of known levels) is left out, and its spec checked
    again.
    """

    def __init__(self, folder: Path | None) -> None:
        self.folder = folder
        self.entries: dict[str, SpecSummary] = self._read()

    def _read(self) -> dict[str, SpecSummary]:
        if self.folder is None:
            return {}
        try:
            stored = json.loads((self.folder / INDEX_FILE).read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, ValueError):
            return {}
        if not isinstance(stored, dict):
            return {}
        entries = {key: _summary_from(key, entry) for key, entry in stored.items()}
        return {key: summary for key, summary in entries.items() if summary is not None}

    def save(self, entries: dict[str, SpecSummary]) -> None:
        """Keep exactly `entries` (this run's specs), written atomically."""
        if self.folder is None or entries == self.entries:
            return
        stored = {key: _summary_data(key, summary) for key, summary in sorted(entries.items())}
        write_atomically(self.folder / INDEX_FILE, json.dumps(stored, ensure_ascii=False))


def _summary_data(key: str, summary: SpecSummary) -> dict[str, Any]:
    diagnostics = [[d.level.value, d.file, d.line, d.where, d.message] for d in summary.diagnostics]
    heading = summary.heading
    stored = [heading.method, heading.title, heading.summary] if heading else None
    return {"key": key, "heading": stored, "diagnostics": diagnostics}


def _summary_from(key: str, entry: Any) -> SpecSummary | None:
    """The summary an index entry holds, or None when it is not one `save` could have written."""
    if not isinstance(entry, dict) or entry.get("key") != key:
        return None
    stored = entry.get("diagnostics")
    if not isinstance(stored, list):
        return None
    diagnostics = [_diagnostic_from(item) for item in stored]
    heading = entry.get("heading")
    if any(d is None for d in diagnostics) or not (heading is None or _is_heading(heading)):
        return None
    found = tuple(d for d in diagnostics if d is not None)
    return SpecSummary(found, ApiHeading(*heading) if heading else None)


def _is_heading(stored: Any) -> bool:
    """Whether an entry's heading is what `save` writes: a method name, a title, a summary."""
    if not isinstance(stored, list) or len(stored) != 3:
        return False
    return all(isinstance(v, str) for v in stored) and is_method_name(stored[0])


def _diagnostic_from(item: Any) -> Diagnostic | None:
    if not isinstance(item, list) or len(item) != 5:
        return None
    level, file, line, where, message = item
    if level not in set(Level) or not all(isinstance(v, str) for v in (file, where, message)):
        return None
    if not (line is None or (isinstance(line, int) and not isinstance(line, bool))):
        return None
    return Diagnostic(Level(level), file, line, where, message)
