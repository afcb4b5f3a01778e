"""A content-addressed store of generated API modules: an unchanged API is not generated twice.

The key of a module is its spec's key (speccheck.py): the hash of the spec's and the envelope's
bytes together with a fingerprint of everything else that shapes the output: the templates,
topgen's own code, and the versions of datamodel-code-generator and black. Any change to one
of them is a different key.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from importlib.metadata import version
from pathlib import Path

from ..resources import PACKAGE_DIR, RUNTIME_DIR, TEMPLATES_DIR


def fingerprint(templates_dir: Path | None = None) -> str:
    """The hash of the templates, the runtime, topgen's sources and the formatter versions."""
    digest = hashlib.sha256()
    for tool in ("datamodel-code-generator", "black"):
        digest.update(f"{tool}=={version(tool)}\n".encode())
    sources = [(TEMPLATES_DIR, "**/*.jinja"), (RUNTIME_DIR, "*.py"), (PACKAGE_DIR, "**/*.py")]
    if templates_dir is not None:
        sources.insert(0, (templates_dir, "**/*.jinja"))
    for folder, pattern in sources:
        for path in sorted(folder.glob(pattern)):
            digest.update(path.relative_to(folder).as_posix().encode() + b"\0")
            digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()


def source_key(path: str, text: str, fingerprint: str) -> str:
    """The cache key of a file's formatted text: its path and unformatted text, and the rest."""
    return hashlib.sha256(f"{fingerprint}\0{path}\0{text}".encode()).hexdigest()


class ModuleCache:
    """Generated modules by key, as files under a folder (or nothing, without a folder)."""

    def __init__(self, folder: Path | None) -> None:
        self.folder = folder

    def get(self, key: str) -> str | None:
        """The module stored under `key`, if any."""
        if self.folder is None:
            return None
        try:
            return self._path(key).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            return None

    def put(self, key: str, text: str) -> None:
        """Store a module; written atomically, so a reader never sees half a file."""
        if self.folder is None:
            return
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as stream:
            stream.write(text)
        os.replace(temporary, path)

    def _path(self, key: str) -> Path:
        assert self.folder is not None
        return self.folder / key[:2] / f"{key}.py"
