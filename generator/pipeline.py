"""The stages in order: load, validate, model, render, format; API modules in parallel, cached."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from fnmatch import fnmatchcase
from pathlib import Path
from typing import Protocol, TypeVar

from . import __version__
from .codegen.format import format_source
from .codegen.render import render_api, render_package, runtime_files
from .codegen.topics import render_topic, render_topics_index, topic_path
from .diagnostics import Diagnostic, Level, SpecError
from .output.cache import ModuleCache, fingerprint, source_key
from .parallel import Progress, Silent, default_jobs, in_parallel
from .spec.check import CheckedSpecs, Spec, TopicSpec, check_specs_in, spec_api
from .spec.load import Document
from .spec.model import Api, Package, Project, Topic
from .spec.names import module_name


class _Keyed(Protocol):
    """A spec with the cache key of its module."""

    @property
    def key(self) -> str: ...


_Item = TypeVar("_Item", bound=_Keyed)

__all__ = [
    "Generated",
    "Progress",
    "check_specs",
    "default_jobs",
    "generate",
    "make_module",
    "make_topic_module",
]


@dataclass(frozen=True)
class Generated:
    """The output of a run: every file by relative path, warnings, and where modules came from."""

    files: dict[str, str]
    warnings: list[Diagnostic]
    apis: int = 0
    """Every API of the specs: generated, from the cache or kept."""
    from_cache: int = 0
    kept: tuple[str, ...] = ()
    """The modules left as they are in the output (those --only does not match)."""
    topics: int = 0
    """Every topic of the specs."""

    @property
    def generated(self) -> int:
        """The API modules made afresh this run."""
        return self.apis - self.from_cache - len(self.kept)


def check_specs(specs_dir: Path, *, jobs: int = 1) -> tuple[Project, list[Diagnostic]]:
    """Load, validate and model the specs; raise SpecError with every error found."""
    checked = check_specs_in(specs_dir, jobs=jobs)
    apis = tuple(spec_api(spec, checked.envelope_document) for spec in checked.specs)
    topics = tuple(spec.topic for spec in checked.topics)
    return Project(checked.envelope, apis, topics), checked.diagnostics


def generate(
    specs_dir: Path,
    templates_dir: Path | None = None,
    *,
    jobs: int = 1,
    cache_dir: Path | None = None,
    only: list[str] | None = None,
    existing: frozenset[str] = frozenset(),
    progress: Progress | None = None,
) -> Generated:
    """Every generated file for the specs in `specs_dir`; nothing is written.

    With `only` (globs of methods), an API that matches none keeps its module if it is among
    `existing` (the output's files), so `files` holds only what is to be written; the package's
    index and client still list every API. A glob that matches no API is an error.
    """
    stamp = fingerprint(templates_dir) if cache_dir else ""
    progress = progress or Silent()
    checked = check_specs_in(
        specs_dir, jobs=jobs, cache_dir=cache_dir, fingerprint=stamp, progress=progress
    )
    kept = _kept(checked.specs, only, existing) if only else set()
    specs = [spec for spec in checked.specs if _module_path(spec) not in kept]
    headings = tuple(spec.heading for spec in checked.specs)
    topics = tuple(spec.topic.heading for spec in checked.topics)
    package = Package(checked.envelope, headings, package_version(checked.digest), topics)
    store = ModuleCache(cache_dir)
    shared = render_package(package, templates_dir) | render_topics_index(
        package.topics, templates_dir
    )
    files = _formatted(shared, store, stamp)
    files.update(runtime_files())
    work = _Work(checked, templates_dir, jobs, store, progress)
    api_modules, cached = _api_modules(specs, work)
    files.update(api_modules)
    topic_modules = _topic_modules(checked.topics, work)
    files.update(topic_modules)
    apis = len(checked.specs)
    kept_modules = tuple(sorted(kept))
    return Generated(
        files, checked.diagnostics, apis, cached, kept_modules, topics=len(checked.topics)
    )


def _kept(specs: list[Spec], only: list[str], existing: frozenset[str]) -> set[str]:
    """The modules to leave as they are: of the APIs no glob matches, those in the output."""
    unmatched = [p for p in only if not any(fnmatchcase(spec.method, p) for spec in specs)]
    if unmatched:
        raise SpecError([_no_match(pattern) for pattern in unmatched])
    matched = {spec.method for spec in specs if any(fnmatchcase(spec.method, p) for p in only)}
    return {
        _module_path(spec)
        for spec in specs
        if spec.method not in matched and _module_path(spec) in existing
    }


def _no_match(pattern: str) -> Diagnostic:
    return Diagnostic(Level.ERROR, "--only", None, "", f"{pattern!r} matches no API method")


def _module_path(spec: Spec) -> str:
    return f"topapi/apis/{module_name(spec.method)}.py"


def package_version(specs_digest: str) -> str:
    """topapi's version: topgen's, with the specs it was generated from as the local label."""
    return f"{__version__}+specs.{specs_digest[:12]}"


def _formatted(files: dict[str, str], store: ModuleCache, stamp: str) -> dict[str, str]:
    """The files through black, each looked up first by the hash of its unformatted text."""
    formatted = {}
    for path, text in sorted(files.items()):
        key = source_key(path, text, stamp)
        cached = store.get(key)
        if cached is None:
            cached = format_source(path, text)
            store.put(key, cached)
        formatted[path] = cached
    return formatted


@dataclass(frozen=True)
class _Work:
    """How API modules are made this run: the checked specs, templates, workers, cache."""

    checked: CheckedSpecs
    templates_dir: Path | None
    jobs: int
    store: ModuleCache
    progress: Progress


def _api_modules(specs: list[Spec], work: _Work) -> tuple[dict[str, str], int]:
    """Each API's module, from the cache when its spec key (which covers topgen too) is there."""

    def make(missing: list[Spec]) -> list[str]:
        envelopes = [work.checked.envelope_document] * len(missing)
        templates = [work.templates_dir] * len(missing)
        advance = work.progress.advance
        return in_parallel(
            _spec_module, missing, envelopes, templates, jobs=work.jobs, advance=advance
        )

    texts, cached = _cached_or_made(specs, work, "API modules", make)
    return {_module_path(s): text for s, text in zip(specs, texts, strict=True)}, cached


def _topic_modules(specs: list[TopicSpec], work: _Work) -> dict[str, str]:
    """Each topic's module, from the cache when its spec key is there."""

    def make(missing: list[TopicSpec]) -> list[str]:
        topics = [spec.topic for spec in missing]
        templates = [work.templates_dir] * len(missing)
        advance = work.progress.advance
        return in_parallel(make_topic_module, topics, templates, jobs=work.jobs, advance=advance)

    texts, _ = _cached_or_made(specs, work, "topic modules", make)
    return {topic_path(s.topic.module_name): text for s, text in zip(specs, texts, strict=True)}


def _cached_or_made(
    items: list[_Item],
    work: _Work,
    what: str,
    make: Callable[[list[_Item]], list[str]],
) -> tuple[list[str], int]:
    """Each item's text: from the cache under its key, else made (all missing in one call)
    and stored; and how many came from the cache."""
    store = work.store
    keys = [item.key for item in items]
    stored = {key: store.get(key) for key in keys} if store.folder else {}
    missing = [n for n, key in enumerate(keys) if stored.get(key) is None]
    work.progress.start(len(missing), f"generating {what}")
    made = dict(zip(missing, make([items[n] for n in missing]), strict=True))
    texts = []
    for n, key in enumerate(keys):
        text = stored.get(key)
        if text is None:
            text = made[n]
            store.put(key, text)
        texts.append(text)
    return texts, len(keys) - len(missing)


def make_topic_module(topic: Topic, templates_dir: Path | None = None) -> str:
    """One topic's module, rendered and formatted."""
    path, source = render_topic(topic, templates_dir)
    return format_source(path, source)


def _spec_module(spec: Spec, envelope: Document, templates_dir: Path | None) -> str:
    """The unit of work of a worker: one spec's module (its model rebuilt if need be)."""
    return make_module(spec_api(spec, envelope), templates_dir)


def make_module(api: Api, templates_dir: Path | None = None) -> str:
    """One API's module, rendered and formatted."""
    path, source = render_api(api, templates_dir)
    return format_source(path, source)
