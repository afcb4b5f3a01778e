"""Where topgen's own files are: templates, topapi's runtime source, the envelope, the catalogs.

An installed topgen carries them inside its package (`topgen/templates`, ...); a source checkout
keeps them at the root of the repository.
"""

from __future__ import annotations

from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent


def _shipped(installed: str, checkout: str) -> Path:
    inside = PACKAGE_DIR / installed
    return inside if inside.exists() else PACKAGE_DIR.parent / checkout


TEMPLATES_DIR = _shipped("templates", "templates")
RUNTIME_DIR = _shipped("runtime", "runtime")
ENVELOPE_FILE = _shipped("envelope/top.yaml", "specs/top.yaml")
# Inside the package in a checkout too (generator/catalogs): scripts/pack_catalogs.py writes it.
CATALOGS_DIR = PACKAGE_DIR / "catalogs"
