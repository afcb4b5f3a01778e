"""Type names are scoped per API: two different CommonResult shapes work side by side."""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Any

import yaml

from .conftest import FIRST_SPEC, run_python, run_topgen

SECOND = "alibaba.idle.tender.btob.item.delete"


def second_api_spec() -> dict[str, Any]:
    """The first API's spec turned into another API whose CommonResult.data is a Boolean."""
    spec: dict[str, Any] = yaml.safe_load(FIRST_SPEC.read_text(encoding="utf-8"))
    op = spec["paths"]["/router/rest"]["post"]
    op["operationId"] = op["x-top-method"] = SECOND
    schemas = spec["components"]["schemas"]
    prefix = "AlibabaIdleTenderBtobItemDelete"
    schemas[f"{prefix}Request"] = schemas.pop("AlibabaIdleTenderPrePayActionRequest")
    schemas[f"{prefix}Response"] = schemas.pop("AlibabaIdleTenderPrePayActionResponse")
    del schemas["TenderPrepayTopResult"]
    schemas["CommonResult"]["properties"]["data"] = {
        "type": "boolean",
        "x-top-type": "Boolean",
        "description": "是否删除成功",
    }
    ref = {"$ref": f"#/components/schemas/{prefix}Request"}
    op["requestBody"]["content"]["application/x-www-form-urlencoded"]["schema"] = ref
    for entry in op["responses"]["200"]["content"].values():
        entry["schema"] = {"$ref": f"#/components/schemas/{prefix}Response"}
    return spec


def test_two_apis_with_different_common_results(specs_copy: Path, tmp_path: Path) -> None:
    """Each API module has its own CommonResult; each parses its own shape, refuses the other."""
    second = specs_copy / "apis" / f"{SECOND}.yaml"
    second.write_text(yaml.safe_dump(second_api_spec(), allow_unicode=True), encoding="utf-8")
    out = tmp_path / "out"
    result = run_topgen("generate", "--specs", specs_copy, "--out", out)
    assert result.returncode == 0, result.stderr
    script = textwrap.dedent(
        """
        from topapi.apis import alibaba_idle_tender_btob_item_delete as delete
        from topapi.apis import alibaba_idle_tender_pre_pay_action as prepay
        from topapi import TopClient

        assert delete.CommonResult is not prepay.CommonResult
        flag = delete.CommonResult.model_validate({"data": "true", "success": True})
        assert flag.data is True
        nested = prepay.CommonResult.model_validate({"data": {"order_id": "1"}})
        assert nested.data is not None and nested.data.order_id == "1"
        try:
            delete.CommonResult.model_validate({"data": {"order_id": "1"}})
        except ValueError:
            pass
        else:
            raise AssertionError("an object was accepted as a Boolean")
        client = TopClient("key", "secret")
        assert callable(client.alibaba_idle_tender_btob_item_delete)
        assert "alibaba_idle_tender_btob_item_delete" in dir(client)
        print("ok")
        """
    )
    run = run_python(script, out)
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == "ok"
