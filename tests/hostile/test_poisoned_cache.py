"""A cache folder is untrusted data: it never runs code, a tampered entry is not used, and
`--check` proves the output from the specs whatever the cache holds."""

from __future__ import annotations

import hashlib
import json
import pickle
from pathlib import Path

from topgen.pipeline import generate
from topgen.spec.check import INDEX_FILE

from ..conftest import SPECS, run_topgen

POISON = "raise SystemExit('poisoned')\n"


class _Payload:
    """Unpickling this runs a command that leaves a marker file."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[object, tuple[str]]:
        return (exec, (f"open({str(self.marker)!r}, 'w').close()",))


def test_a_pickle_in_the_cache_is_never_loaded(tmp_path: Path) -> None:
    """An index file (old or new name) holding a pickle that runs code is read as bad data."""
    cache, marker = tmp_path / "cache", tmp_path / "ran"
    clean = generate(SPECS).files
    cache.mkdir()
    for name in (INDEX_FILE, "specs.pickle"):
        (cache / name).write_bytes(pickle.dumps(_Payload(marker)))
    assert generate(SPECS, cache_dir=cache).files == clean
    assert not marker.exists()


def test_a_tampered_module_entry_is_not_used(tmp_path: Path) -> None:
    """An entry whose text no longer has its recorded digest is generated afresh."""
    cache = tmp_path / "cache"
    clean = generate(SPECS, cache_dir=cache).files
    entries = sorted(cache.glob("*/*.json"))
    assert entries
    for path in entries:
        entry = json.loads(path.read_text(encoding="utf-8"))
        entry["text"] = POISON
        path.write_text(json.dumps(entry), encoding="utf-8")
    again = generate(SPECS, cache_dir=cache)
    assert again.files == clean
    assert again.from_cache == 0


def test_an_entry_under_another_key_is_not_used(tmp_path: Path) -> None:
    """An intact entry copied over another key's file is not that key's module."""
    cache = tmp_path / "cache"
    clean = generate(SPECS, cache_dir=cache).files
    first, *others = sorted(cache.glob("*/*.json"))
    for path in others:
        path.write_bytes(first.read_bytes())
    assert generate(SPECS, cache_dir=cache).files == clean


def test_check_does_not_trust_even_a_well_forged_cache(tmp_path: Path) -> None:
    """Entries forged with the right key and digest fool `generate`, never `--check`."""
    cache, out = tmp_path / "cache", tmp_path / "out"
    args = ("--specs", SPECS, "--out", out, "--cache", cache)
    assert run_topgen("generate", *args).returncode == 0
    for path in cache.glob("*/*.json"):
        entry = json.loads(path.read_text(encoding="utf-8"))
        entry["text"], entry["sha256"] = POISON, hashlib.sha256(POISON.encode()).hexdigest()
        path.write_text(json.dumps(entry), encoding="utf-8")
    (out / "topapi" / "py.typed").write_text("# stale\n", encoding="utf-8")
    assert run_topgen("generate", *args).returncode == 0
    module = out / "topapi" / "apis" / "alibaba_idle_tender_pre_pay_action.py"
    assert module.read_text(encoding="utf-8") == POISON
    result = run_topgen("generate", "--check", *args)
    assert result.returncode == 1
    assert f"{module}: stale" in result.stderr
