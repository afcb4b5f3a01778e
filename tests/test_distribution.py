"""topapi is a distribution of its own: installed from generated/ it brings pydantic, httpx and
websockets (for topapi.tmc) only, works without topgen, and is seen by mypy from anywhere;
topgen's wheel does not carry it."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import venv
import zipfile
from collections.abc import Iterator
from importlib import metadata
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from topgen.sandbox.serve import build_sandbox, start_in_thread

from .conftest import GENERATED, REPO, SPECS, succeeds, topgen_wheel

RUNTIME_DEPENDENCIES = {"pydantic", "httpx", "websockets"}
TOOLS = {"pip", "setuptools"}
CALL = """
from topapi import TopClient
from topapi.apis.alibaba_idle_tender_pre_pay_action import (
    AlibabaIdleTenderPrePayActionResponse,
    TenderPrePayCmd,
)


def pre_pay(gateway: str) -> AlibabaIdleTenderPrePayActionResponse:
    with TopClient("sandbox-app-key", "sandbox-app-secret", gateway=gateway) as client:
        return client.alibaba_idle_tender_pre_pay_action(
            param0=TenderPrePayCmd(order_id="1", pre_pay_no="x", pre_pay_action={action}),
            session="any",
        )


if __name__ == "__main__":
    import sys

    result = pre_pay(sys.argv[1]).result
    print(type(result).__name__, result.success if result else None)
"""


@pytest.fixture(scope="module")
def topapi_venv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh virtual environment with `pip install ./generated` (a copy) and nothing else."""
    root = tmp_path_factory.mktemp("topapi-venv")
    source = root / "generated"
    shutil.copytree(GENERATED, source, ignore=shutil.ignore_patterns("*.egg-info", "build"))
    venv.create(root / "venv", with_pip=True)
    python = root / "venv" / "bin" / "python"
    pip = [str(python), "-m", "pip", "-q", "--disable-pip-version-check", "install"]
    succeeds([*pip, str(source)], cwd=root)
    return python


def _site_packages(python: Path) -> Path:
    probe = [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"]
    return Path(succeeds(probe).stdout.strip())


def _installed(python: Path) -> dict[str, metadata.Distribution]:
    """The distributions of that environment, by canonical name."""
    found = metadata.distributions(path=[str(_site_packages(python))])
    return {canonicalize_name(dist.metadata["Name"]): dist for dist in found}


def _closure(names: set[str], installed: dict[str, metadata.Distribution]) -> set[str]:
    """`names` and everything they require (markers evaluated, no extras)."""
    seen: set[str] = set()
    todo = [canonicalize_name(name) for name in names]
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        for line in installed[name].requires or []:
            requirement = Requirement(line)
            if requirement.marker is None or requirement.marker.evaluate({"extra": ""}):
                todo.append(canonicalize_name(requirement.name))
    return seen


def test_topapi_installs_with_pydantic_httpx_and_websockets_only(topapi_venv: Path) -> None:
    """What `pip install ./generated` brings is topapi, pydantic, httpx, websockets and what they
    need."""
    installed = _installed(topapi_venv)
    topapi = installed["topapi"]
    assert {Requirement(r).name for r in topapi.requires or []} == RUNTIME_DEPENDENCIES
    expected = {"topapi"} | _closure(RUNTIME_DEPENDENCIES, installed)
    assert set(installed) - TOOLS == expected
    assert not {"topgen", "black", "jinja2", "aiohttp", "rich", "pyyaml"} & set(installed)


@pytest.fixture(scope="module")
def gateway() -> Iterator[str]:
    """topgen's sandbox on 127.0.0.1, served from this (the test's) environment."""
    running = start_in_thread(build_sandbox(SPECS))
    try:
        yield running.url
    finally:
        running.stop()


def test_installed_topapi_calls_the_sandbox_without_topgen(
    topapi_venv: Path, gateway: str, tmp_path: Path
) -> None:
    """A script outside the checkout, run by that environment, gets a typed answer."""
    script = tmp_path / "call.py"
    script.write_text(CALL.format(action=2), encoding="utf-8")
    run = succeeds([str(topapi_venv), str(script), gateway], cwd=tmp_path, env=_clean_env())
    assert run.stdout.split() == ["CommonResult", "True"]


def test_installed_topapi_testing_says_what_to_install(topapi_venv: Path, tmp_path: Path) -> None:
    """topapi.testing imports topgen only when a sandbox is asked for, and names what is missing."""
    script = "from topapi.testing import sandbox\nwith sandbox('specs'):\n    pass\n"
    command = [str(topapi_venv), "-c", script]
    run = subprocess.run(
        command, cwd=tmp_path, env=_clean_env(), capture_output=True, text=True, check=False
    )
    assert run.returncode == 1
    assert "topgen is not installed" in run.stderr


@pytest.mark.parametrize(("action", "errors"), [("2", 0), ('"two"', 1)])
def test_mypy_strict_sees_installed_topapi_from_anywhere(
    topapi_venv: Path, tmp_path: Path, action: str, errors: int
) -> None:
    """mypy --strict of a user's script, no MYPYPATH: a right call passes, a wrong one is caught."""
    script = tmp_path / "call.py"
    script.write_text(CALL.format(action=action), encoding="utf-8")
    mypy = [sys.executable, "-m", "mypy", "--strict", "--no-incremental"]
    command = [*mypy, "--python-executable", str(topapi_venv), str(script)]
    run = subprocess.run(
        command, cwd=tmp_path, env=_clean_env(), capture_output=True, text=True, check=False
    )
    found = re.findall(r"error: (.*)", run.stdout)
    assert len(found) == errors, run.stdout + run.stderr
    assert all('"pre_pay_action"' in error for error in found)


HANDLER = """
from decimal import Decimal

from topapi.topics import decode, payload_type
from topapi.topics.taobao_trade_trade_buyer_pay import TradeBuyerPay


def paid(text: str) -> tuple[int | None, Decimal | None]:
    content, error = decode(payload_type("taobao_trade_TradeBuyerPay"), text)
    if content is None:
        raise ValueError(str(error))
    return content.{field}, content.payment


direct: TradeBuyerPay | None = decode(TradeBuyerPay, "{{}}")[0]
"""


@pytest.mark.parametrize(("field", "errors"), [("tid", 0), ("tiid", 1)])
def test_mypy_strict_types_an_installed_topic_payload(
    topapi_venv: Path, tmp_path: Path, field: str, errors: int
) -> None:
    """The registry's stub types a topic's payload: a handler passes, a misspelt field is caught."""
    script = tmp_path / "handler.py"
    script.write_text(HANDLER.format(field=field), encoding="utf-8")
    mypy = [sys.executable, "-m", "mypy", "--strict", "--no-incremental"]
    command = [*mypy, "--python-executable", str(topapi_venv), str(script)]
    run = subprocess.run(
        command, cwd=tmp_path, env=_clean_env(), capture_output=True, text=True, check=False
    )
    found = re.findall(r"error: (.*)", run.stdout)
    assert len(found) == errors, run.stdout + run.stderr
    assert all('"TradeBuyerPay" has no attribute "tiid"' in error for error in found), found


def test_installed_topapi_decodes_a_topic_payload(topapi_venv: Path, tmp_path: Path) -> None:
    """The installed topapi carries topapi.topics: a real message decodes to typed values."""
    script = "\n".join(
        [
            "from topapi.topics import decode, payload_type",
            "model = payload_type('taobao_trade_TradeBuyerPay')",
            'content, _ = decode(model, \'{"tid": 586070597376760, "payment": "30.36"}\')',
            "print(type(content).__name__, repr(content.tid), repr(content.payment))",
        ]
    )
    run = succeeds([str(topapi_venv), "-c", script], cwd=tmp_path, env=_clean_env())
    assert run.stdout.split() == ["TradeBuyerPay", "586070597376760", "Decimal('30.36')"]


def test_topgen_wheel_carries_no_topapi(tmp_path: Path) -> None:
    """topgen's own distribution holds the generator and its data files, not the runtime."""
    with zipfile.ZipFile(topgen_wheel(tmp_path)) as archive:
        names = archive.namelist()
        (info,) = {name.split("/", 1)[0] for name in names if ".dist-info/" in name}
        requires = metadata.PathDistribution(zipfile.Path(archive, info + "/")).requires  # type: ignore[arg-type]
    assert {name.split("/", 1)[0] for name in names} == {"topgen", info}
    assert not RUNTIME_DEPENDENCIES & {Requirement(line).name for line in requires or []}


def test_importing_topgen_imports_no_topapi() -> None:
    """Every topgen module imports without topapi: the generator does not depend on its output."""
    modules = sorted(
        "topgen."
        + path.relative_to(REPO / "generator").with_suffix("").as_posix().replace("/", ".")
        for path in (REPO / "generator").rglob("*.py")
        if path.name not in ("__init__.py", "__main__.py")
    )
    script = f"import importlib, sys\nfor m in {modules!r}: importlib.import_module(m)\n"
    script += "print(sorted(m for m in sys.modules if m.split('.')[0] == 'topapi'))"
    run = succeeds([sys.executable, "-c", script], cwd=REPO)
    assert run.stdout.strip() == "[]"


def _clean_env() -> dict[str, str]:
    """The environment without what would let a child find this checkout's packages."""
    return {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "MYPYPATH")}
