"""`topgen bundle`: one valid OpenAPI 3.1 document that other tools accept."""

from __future__ import annotations

import json
from pathlib import Path

import yaml
from datamodel_code_generator import InputFileType, PythonVersion
from datamodel_code_generator import generate as datamodel_generate
from openapi_spec_validator import validate

from .conftest import SPECS, run_topgen


def test_bundle_is_valid_and_keeps_every_api_apart(tmp_path: Path) -> None:
    """A path per method, per-API schema names, no reference left outside the document."""
    target = tmp_path / "bundle.yaml"
    result = run_topgen("bundle", "--out", target)
    assert result.returncode == 0, result.stderr
    document = yaml.safe_load(target.read_text(encoding="utf-8"))
    validate(document)
    methods = sorted(p.stem for p in (SPECS / "apis").glob("*.yaml"))
    assert sorted(document["paths"]) == [f"/router/rest/{m}" for m in methods]
    schemas = document["components"]["schemas"]
    assert "AlibabaIdleTenderPrePayActionCommonResult" in schemas
    assert "AlibabaIdleTenderBtobItemDeleteCommonResult" in schemas
    assert (
        schemas["AlibabaIdleTenderPrePayActionCommonResult"]
        != schemas["AlibabaIdleTenderBtobItemDeleteCommonResult"]
    )
    text = json.dumps(document)
    assert "../top.yaml" not in text
    refs = {part.split('"')[0] for part in text.split('"$ref": "')[1:]}
    assert all(
        ref.removeprefix("#/components/schemas/") in schemas for ref in refs if "schemas" in ref
    )


def test_datamodel_code_generator_accepts_the_bundle(tmp_path: Path) -> None:
    """The bundle feeds datamodel-code-generator as is, one class per schema."""
    target = tmp_path / "bundle.json"
    assert run_topgen("bundle", "--out", target).returncode == 0
    source = datamodel_generate(
        target.read_text(encoding="utf-8"),
        input_file_type=InputFileType.OpenAPI,
        target_python_version=PythonVersion.PY_311,
        disable_timestamp=True,
        formatters=[],
    )
    assert isinstance(source, str)
    assert "class AlibabaIdleTenderPrePayActionCommonResult(" in source
    compile(source, "bundle_models.py", "exec")
