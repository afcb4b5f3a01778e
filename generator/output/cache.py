"""A content-addressed store of generated API modules: an unchanged API is not generated twice.

The key of a module is its spec's key (speccheck.py): the hash of the spec's and the envelope's
bytes together with a fingerprint of everything else that shapes the output: the templates,
topgen's own code, and the versions of datamodel-code-generator and black. Any change to one
of them is a different key.
"""

from __future__ import annotations

import hashlib
import json
from importlib.metadata import version
from pathlib import Path

from ..fileio import write_atomically
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
    """Generated modules by key, as JSON files under a folder (or nothing, without a folder).

    The cache is data, never code: an entry is read as JSON and used only when it names the key
    it is looked up by and its text has the digest it records; anything else counts as missing.
    """

    def __init__(self, folder: Path | None) -> None:
        self.folder = folder

    def get(self, key: str) -> str | None:
        """The module stored under `key`, if there is a sound entry for it."""
        if self.folder is None:
            return None
        try:
            entry = json.loads(self._path(key).read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, ValueError):
            return None
        return _verified(entry, key)

    def put(self, key: str, text: str) -> None:
        """Store a module; written atomically, so a reader never sees half a file."""
        if self.folder is None:
            return
        entry = {"key": key, "sha256": _digest(text), "text": text}
        write_atomically(self._path(key), json.dumps(entry, ensure_ascii=False))

    def _path(self, key: str) -> Path:
        assert self.folder is not None
        return self.folder / key[:2] / f"{key}.json"


def _verified(entry: object, key: str) -> str | None:
    """The text of an entry that is for `key` and intact; None for anything else."""
    if not isinstance(entry, dict) or entry.get("key") != key:
        return None
    text = entry.get("text")
    if not isinstance(text, str) or entry.get("sha256") != _digest(text):
        return None
    return text


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()
