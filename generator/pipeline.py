"""The stages in order: load, validate, model, render, format."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .build import build_project
from .diagnostics import Diagnostic, SpecError, errors
from .format import format_sources
from .load import load_specs
from .model import Project
from .render import TEMPLATES_DIR, render_project
from .validate import validate_specs


@dataclass(frozen=True)
class Generated:
    """The output of a run: every file by relative path, and the warnings met on the way."""

    files: dict[str, str]
    warnings: list[Diagnostic]


def check_specs(specs_dir: Path) -> tuple[Project, list[Diagnostic]]:
    """Load, validate and model the specs; raise SpecError with every error found."""
    specs = load_specs(specs_dir)
    diagnostics = validate_specs(specs)
    if errors(diagnostics):
        raise SpecError(diagnostics)
    return build_project(specs), diagnostics


def generate(specs_dir: Path, templates_dir: Path = TEMPLATES_DIR) -> Generated:
    """Every generated file for the specs in `specs_dir`; nothing is written."""
    project, warnings = check_specs(specs_dir)
    files = format_sources(render_project(project, templates_dir))
    return Generated(files=files, warnings=warnings)
