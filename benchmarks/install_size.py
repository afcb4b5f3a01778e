"""What installing topapi brings into an application, next to the single distribution before it.

    python benchmarks/install_size.py [--baseline REV]

Each is installed (not editable) into a fresh virtual environment: `pip install ./generated`
(topapi alone) and `pip install .` of the checkout at REV (default 2ea21db, the last commit
where topgen and topapi were one distribution). Printed: the distributions each pulled in and
their size on disk, pip and setuptools left out.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tarfile
import tempfile
import venv
from importlib import metadata
from io import BytesIO
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
TOOLS = {"pip", "setuptools"}


def main() -> None:
    """Install both into fresh environments and print the comparison."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline", default="2ea21db", help="the single-distribution commit")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch)
        topapi = _copy_generated(root / "generated")
        single = _export(args.baseline, root / "single")
        rows = [
            ("topapi (pip install ./generated)", _install(root / "venv-topapi", topapi)),
            (f"single distribution at {args.baseline}", _install(root / "venv-single", single)),
        ]
    for label, dists in rows:
        total = sum(size for _, size in dists)
        print(f"{label}: {len(dists)} distributions, {total / 1e6:.1f} MB")
        print("   ", ", ".join(f"{name} {size / 1e6:.1f}" for name, size in dists))


def _copy_generated(target: Path) -> Path:
    shutil.copytree(REPO / "generated", target, ignore=shutil.ignore_patterns("*.egg-info"))
    return target


def _export(revision: str, target: Path) -> Path:
    """The checkout at `revision`, as files (git archive)."""
    archive = subprocess.run(
        ["git", "-C", str(REPO), "archive", "--format=tar", revision],
        check=True,
        capture_output=True,
    ).stdout
    with tarfile.open(fileobj=BytesIO(archive)) as tar:
        tar.extractall(target, filter="data")
    return target


def _install(env: Path, source: Path) -> list[tuple[str, int]]:
    """Install `source` into a new environment; each distribution in it with its bytes."""
    venv.create(env, with_pip=True)
    python = env / "bin" / "python"
    pip = [str(python), "-m", "pip", "-q", "--disable-pip-version-check", "install"]
    installed = subprocess.run([*pip, str(source)], capture_output=True, text=True, check=False)
    if installed.returncode:
        sys.exit(f"pip install {source} failed:\n{installed.stderr}")
    site = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    found = []
    for dist in metadata.distributions(path=[site]):
        name = dist.metadata["Name"]
        if name.lower() not in TOOLS:
            size = sum(_size(dist, file) for file in dist.files or [])
            found.append((name, size))
    return sorted(found, key=lambda row: (-row[1], row[0].lower()))


def _size(dist: metadata.Distribution, file: metadata.PackagePath) -> int:
    path = Path(str(dist.locate_file(file)))
    return path.stat().st_size if path.is_file() else 0


if __name__ == "__main__":
    sys.exit(main())
