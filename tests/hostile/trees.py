"""Two small output trees, old and new, that every entry of differs between."""

from __future__ import annotations

from pathlib import Path

OLD = {
    "topapi/__init__.py": "# old package\n",
    "topapi/apis/a.py": "A = 'old'\n",
    "topapi/apis/b.py": "B = 'old'\n",
    "pyproject.toml": "[project]\nname = 'old'\n",
}
NEW = {
    "topapi/__init__.py": "# old package\n",
    "topapi/apis/a.py": "A = 'new'\n",
    "topapi/apis/c.py": "C = 'new'\n",
    "pyproject.toml": "[project]\nname = 'new'\n",
}
ENTRIES = ("topapi", "pyproject.toml")


def entry(files: dict[str, str], name: str) -> dict[str, str]:
    """The files of one entry of the output."""
    return {p: t for p, t in files.items() if p.split("/", 1)[0] == name}


def leftovers(out: Path) -> list[str]:
    """What is in the output folder besides its entries and its lock file."""
    return sorted(p.name for p in out.iterdir() if p.name not in {*ENTRIES, ".topgen.lock"})
