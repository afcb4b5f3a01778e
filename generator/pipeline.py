"""The stages in order: load, validate, model, render, format; API modules in parallel, cached."""

from __future__ import annotations

import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, replace
from fnmatch import fnmatchcase
from pathlib import Path
from typing import Protocol

from .build import build_project
from .cache import ModuleCache, api_key, fingerprint, source_key
from .diagnostics import Diagnostic, SpecError, errors
from .format import format_source
from .load import load_specs
from .model import Api, Project
from .render import TEMPLATES_DIR, render_api, render_package
from .validate import validate_specs

# Below this many modules to make, starting worker processes costs more than it saves.
PARALLEL_THRESHOLD = 8


class Progress(Protocol):
    """Told how many modules there are to make, then of each one made."""

    def start(self, total: int) -> None: ...

    def advance(self) -> None: ...


class _Silent:
    def start(self, total: int) -> None:
        pass

    def advance(self) -> None:
        pass


@dataclass(frozen=True)
class Generated:
    """The output of a run: every file by relative path, warnings, and where modules came from."""

    files: dict[str, str]
    warnings: list[Diagnostic]
    apis: int = 0
    from_cache: int = 0


def check_specs(specs_dir: Path) -> tuple[Project, list[Diagnostic]]:
    """Load, validate and model the specs; raise SpecError with every error found."""
    specs = load_specs(specs_dir)
    diagnostics = validate_specs(specs)
    if errors(diagnostics):
        raise SpecError(diagnostics)
    return build_project(specs), diagnostics


def select(project: Project, patterns: list[str] | None) -> Project:
    """The project restricted to the APIs whose method matches one of the glob patterns."""
    if not patterns:
        return project
    apis = tuple(a for a in project.apis if any(fnmatchcase(a.method, p) for p in patterns))
    return replace(project, apis=apis)


def generate(
    specs_dir: Path,
    templates_dir: Path = TEMPLATES_DIR,
    *,
    jobs: int = 1,
    cache_dir: Path | None = None,
    only: list[str] | None = None,
    progress: Progress | None = None,
) -> Generated:
    """Every generated file for the specs in `specs_dir`; nothing is written."""
    project, warnings = check_specs(specs_dir)
    project = select(project, only)
    store = ModuleCache(cache_dir)
    stamp = fingerprint(templates_dir) if cache_dir else ""
    files = _formatted(render_package(project, templates_dir), store, stamp)
    work = _Work(templates_dir, stamp, jobs, store, progress or _Silent())
    modules, cached = _api_modules(project.apis, work)
    files.update(modules)
    return Generated(files, warnings, apis=len(project.apis), from_cache=cached)


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
    """How API modules are made this run: templates, cache and its fingerprint, workers."""

    templates_dir: Path
    stamp: str
    jobs: int
    store: ModuleCache
    progress: Progress


def _api_modules(apis: tuple[Api, ...], work: _Work) -> tuple[dict[str, str], int]:
    store = work.store
    keys = {api.method: api_key(api, work.stamp) for api in apis} if store.folder else {}
    stored = {method: store.get(key) for method, key in keys.items()}
    missing = [api for api in apis if stored.get(api.method) is None]
    work.progress.start(len(missing))
    made = _make_all(missing, work.templates_dir, work.jobs, work.progress)
    modules: dict[str, str] = {}
    for api in apis:
        text = stored.get(api.method)
        if text is None:
            text = made[api.method]
            if api.method in keys:
                store.put(keys[api.method], text)
        modules[f"topapi/apis/{api.module_name}.py"] = text
    return modules, len(apis) - len(missing)


def _make_all(
    apis: list[Api], templates_dir: Path, jobs: int, progress: Progress
) -> dict[str, str]:
    """The formatted module of each API, over `jobs` worker processes when it pays."""
    made: dict[str, str] = {}
    if jobs <= 1 or len(apis) < PARALLEL_THRESHOLD:
        for api in apis:
            made[api.method] = make_module(api, templates_dir)
            progress.advance()
        return made
    chunk = max(1, min(16, len(apis) // (jobs * 8)))
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(max_workers=jobs, mp_context=context) as pool:
        texts = pool.map(make_module, apis, [templates_dir] * len(apis), chunksize=chunk)
        for api, text in zip(apis, texts, strict=True):
            made[api.method] = text
            progress.advance()
    return made


def make_module(api: Api, templates_dir: Path) -> str:
    """One API's module, rendered and formatted: the unit of work of a worker."""
    path, source = render_api(api, templates_dir)
    return format_source(path, source)


def default_jobs() -> int:
    """One worker per core."""
    return os.cpu_count() or 1
