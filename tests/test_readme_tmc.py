"""The README's TMC example runs as written, against the sandbox, and prints the message."""

from __future__ import annotations

import re
import subprocess
import sys

from .conftest import REPO

BLOCK = re.compile(r"```python\n(.*?)```", re.DOTALL)


def test_the_readme_tmc_example_runs() -> None:
    """The block that uses topapi.tmc handles its published message, typed, and exits 0."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    (block,) = [block for block in BLOCK.findall(readme) if "topapi.tmc" in block]
    run = subprocess.run(
        [sys.executable, "-c", block],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    words = run.stdout.split()
    assert words[0] == "taobao_trade_TradeBuyerPay"
    assert "{'tid': 1, 'payment': '30.36'}" in run.stdout
    assert run.stdout.splitlines()[0].endswith("+08:00")
    assert run.stdout.splitlines()[1] == "1 30.36"  # the typed handler's model
