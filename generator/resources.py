"""Where topgen's own files are: templates, topapi's runtime source, the envelope, the catalogs.

An installed topgen carries them inside its package (`topgen/templates`, ...); a source checkout
keeps them at the root of the repository.
"""

from __future__ import annotations

import importlib.util
import sys
from functools import cache
from pathlib import Path
from types import ModuleType

PACKAGE_DIR = Path(__file__).resolve().parent


def _shipped(installed: str, checkout: str) -> Path:
    inside = PACKAGE_DIR / installed
    return inside if inside.exists() else PACKAGE_DIR.parent / checkout


TEMPLATES_DIR = _shipped("templates", "templates")
RUNTIME_DIR = _shipped("runtime", "runtime")
ENVELOPE_FILE = _shipped("envelope/top.yaml", "specs/top.yaml")
# Inside the package in a checkout too (generator/catalogs): scripts/pack_catalogs.py writes it.
CATALOGS_DIR = PACKAGE_DIR / "catalogs"


@cache
def runtime_module(name: str) -> ModuleType:
    """A stdlib-only module of topapi's runtime (`_limits`), loaded from its source file.

    So topgen (the sandbox) and topapi apply one source of a wire rule. Loaded by path: an
    editable install does not make `topgen.runtime` importable (runtime/ has no __init__.py,
    which would be copied into topapi).
    """
    qualified = f"topgen.runtime.{name}"
    spec = importlib.util.spec_from_file_location(qualified, RUNTIME_DIR / f"{name}.py")
    if spec is None or spec.loader is None:
        raise ImportError(f"topapi's runtime has no module {name}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[qualified] = module  # before it runs: its dataclasses look their module up
    spec.loader.exec_module(module)
    return module
