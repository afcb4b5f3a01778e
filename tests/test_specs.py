"""The specs are valid OpenAPI 3.1 and hold what the first API's documentation page says."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from openapi_spec_validator import validate

from .conftest import FIRST_SPEC, SPECS

ALL_SPECS = sorted(
    [SPECS / "top.yaml", *(SPECS / "apis").glob("*.yaml"), *(SPECS / "topics").glob("*.yaml")]
)


def _load(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    return data


@pytest.mark.parametrize("path", ALL_SPECS, ids=lambda p: p.name)
def test_spec_is_valid_openapi_3_1(path: Path) -> None:
    """openapi-spec-validator accepts every spec, resolving the envelope $refs."""
    spec = _load(path)
    assert spec["openapi"].startswith("3.1.")
    validate(spec, base_uri=path.resolve().as_uri())


def test_every_x_top_extension_is_documented() -> None:
    """specs/README.md explains each x-top-* key the specs use."""
    readme = (SPECS / "README.md").read_text(encoding="utf-8")
    used: set[str] = set()

    def collect(node: Any) -> None:
        if isinstance(node, dict):
            used.update(key for key in node if key.startswith("x-top-"))
            for value in node.values():
                collect(value)
        elif isinstance(node, list):
            for value in node:
                collect(value)

    for path in ALL_SPECS:
        collect(_load(path))
    assert used
    assert sorted(key for key in used if f"`{key}`" not in readme) == []


def test_envelope_declares_gateways_system_params_and_sign_methods() -> None:
    """The envelope holds the four gateways, the eleven system parameters and three methods."""
    envelope = _load(SPECS / "top.yaml")
    urls = {server["url"] for server in envelope["servers"]}
    assert {
        "https://eco.taobao.com/router/rest",
        "http://gw.api.taobao.com/router/rest",
        "https://api.taobao.com/router/rest",
        "https://gw.api.tbsandbox.com/router/rest",
    } <= urls
    params = envelope["components"]["parameters"]
    assert set(params) == {
        "method",
        "app_key",
        "session",
        "timestamp",
        "v",
        "sign_method",
        "sign",
        "format",
        "simplify",
        "partner_id",
        "target_app_key",
    }
    assert [m["name"] for m in envelope["x-top-sign-methods"]] == ["md5", "hmac", "hmac-sha256"]
    error = envelope["components"]["schemas"]["ErrorResponse"]["properties"]
    assert set(error) == {"code", "msg", "sub_code", "sub_msg", "request_id"}


def test_first_api_spec_holds_the_page() -> None:
    """Method, title, session, every field with its TOP type and the examples of the page."""
    spec = _load(FIRST_SPEC)
    op = spec["paths"]["/router/rest"]["post"]
    assert op["x-top-method"] == "alibaba.idle.tender.pre.pay.action"
    assert spec["info"]["title"] == "服务商预付款完成接口"
    assert op["x-top-session"] == "required"
    assert "client.execute(req, sessionKey)" in op["x-top-request-examples"]["java"]
    schemas = spec["components"]["schemas"]
    cmd = schemas["TenderPrePayCmd"]
    assert cmd["required"] == ["order_id", "pre_pay_no", "pre_pay_action"]
    types = {name: prop["x-top-type"] for name, prop in cmd["properties"].items()}
    assert types == {"order_id": "String", "pre_pay_no": "String", "pre_pay_action": "Number"}
    result = schemas["TenderPrepayTopResult"]["properties"]
    assert list(result) == [
        "order_id",
        "pre_pay_amount",
        "pre_pay_no",
        "pre_pay_status",
        "pre_pay_action",
        "app_key",
        "request_id",
    ]
    assert result["pre_pay_action"]["examples"] == ["预付款执行动作"]
    assert "x-top-quirk" in result["pre_pay_action"]
    assert list(schemas["CommonResult"]["properties"]) == [
        "data",
        "success",
        "error_code",
        "error_msg",
    ]
    responses = op["responses"]
    json_example = responses["200"]["content"]["application/json"]["examples"]["documented"]
    assert json_example["x-top-derived-from"] == "application/xml/documented"
    assert (
        "<sub_msg>非法参数</sub_msg>"
        in (responses["default"]["content"]["application/xml"]["examples"]["documented"]["value"])
    )
