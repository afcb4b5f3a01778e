"""TMC topics as specs: topic specs are valid OpenAPI, imported from the topic catalog, generated
as typed payload models that take every real message, and listed by a lazy registry."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import textwrap
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml
from openapi_spec_validator import validate

from topgen.diagnostics import SpecError
from topgen.importing.topics import write_topic_spec
from topgen.pipeline import check_specs

from .conftest import (
    FIXTURE_GENERATED,
    FIXTURE_SPECS,
    GENERATED,
    REPO,
    SPECS,
    run_python,
    run_topgen,
)

GMT8 = timezone(timedelta(hours=8))
TOPIC_SPECS = sorted((SPECS / "topics").glob("*.yaml")) + sorted(
    (FIXTURE_SPECS / "topics").glob("*.yaml")
)
REAL_EXAMPLES = (
    "taobao_trade_TradeBuyerPay",
    "taobao_refund_RefundCreated",
    "taobao_item_ItemUpdate",
    "taobao_fenxiao_FxRefundSuccess",
)
FAMILIES = {
    "taobao_trade_": 34,
    "taobao_refund_": 15,
    "taobao_item_": 18,
    "idle": 41,
    "alibaba_idle_": 10,
}


def real_example(topic: str) -> str:
    """The real message content a shipped topic spec keeps, as the JSON text TMC delivers."""
    spec = yaml.safe_load((SPECS / "topics" / f"{topic}.yaml").read_text(encoding="utf-8"))
    body = spec["webhooks"][topic]["post"]["requestBody"]["content"]["application/json"]
    return json.dumps(body["examples"]["real"]["value"], ensure_ascii=False)


def decoded(topic: str, text: str) -> Any:
    """The content of a message of `topic` through topapi.topics; fails on a decoding error."""
    from topapi.topics import decode, payload_type  # noqa: PLC0415 - topgen's tests import topapi late

    model = payload_type(topic)
    assert model is not None, topic
    content, error = decode(model, text)
    assert error is None, error
    return content


# --- the specs ---------------------------------------------------------------------------------


@pytest.mark.parametrize("path", TOPIC_SPECS, ids=lambda p: f"{p.parent.parent.name}/{p.stem}")
def test_topic_spec_is_valid_openapi_3_1(path: Path) -> None:
    """openapi-spec-validator accepts each shipped and fixture topic spec."""
    validate(yaml.safe_load(path.read_text(encoding="utf-8")))


def test_the_families_users_need_are_shipped() -> None:
    """All trade, refund, item, idle and alibaba_idle topics, and the four with real examples."""
    topics = [path.stem for path in (SPECS / "topics").glob("*.yaml")]
    for prefix, count in FAMILIES.items():
        assert sum(topic.startswith(prefix) for topic in topics) == count, prefix
    assert set(REAL_EXAMPLES) <= set(topics)
    project, found = check_specs(SPECS)
    assert len(project.topics) == len(topics)
    assert not [d for d in found if Path(d.file).parent.name == "topics"], found


def test_bundle_holds_every_topic_as_a_webhook(tmp_path: Path) -> None:
    """`topgen bundle` writes each topic under webhooks, its payload schema named after it."""
    out = tmp_path / "bundle.json"
    result = run_topgen("bundle", "--specs", SPECS, "--out", out)
    assert result.returncode == 0, result.stderr
    document = json.loads(out.read_text(encoding="utf-8"))
    topics = sorted(path.stem for path in (SPECS / "topics").glob("*.yaml"))
    assert sorted(document["webhooks"]) == topics
    body = document["webhooks"]["taobao_trade_TradeBuyerPay"]["post"]["requestBody"]
    ref = body["content"]["application/json"]["schema"]["$ref"]
    assert ref == "#/components/schemas/TaobaoTradeTradeBuyerPay"
    assert document["components"]["schemas"]["TaobaoTradeTradeBuyerPay"]["properties"]["tid"]
    assert f"{len(topics)} topics" in result.stdout
    validate(document)


# --- decoding real messages ----------------------------------------------------------------------


def test_the_real_examples_decode_to_their_python_types() -> None:
    """The four real message contents: ints for ids, Decimal for money, aware GMT+8 datetimes."""
    paid = decoded("taobao_trade_TradeBuyerPay", real_example("taobao_trade_TradeBuyerPay"))
    assert type(paid).__name__ == "TradeBuyerPay"
    assert paid.tid == 586070597376760 and type(paid.tid) is int
    assert paid.payment == Decimal("30.36") and type(paid.payment) is Decimal
    assert paid.fenxiao_id is None  # listed by the catalog as required, absent in the real message
    refund = decoded("taobao_refund_RefundCreated", real_example("taobao_refund_RefundCreated"))
    assert refund.refund_id == 3290848379609938 and type(refund.refund_id) is int
    assert refund.refund_fee == Decimal("59.78")
    assert refund.modified == datetime(2017, 9, 13, 16, 0, 7, tzinfo=GMT8)
    assert refund.modified.utcoffset() == timedelta(hours=8)
    item = decoded("taobao_item_ItemUpdate", real_example("taobao_item_ItemUpdate"))
    assert (item.num_iid, item.num, item.changed_fields) == (36552905512, 138, "desc,num")
    fenxiao = real_example("taobao_fenxiao_FxRefundSuccess")
    refunded = decoded("taobao_fenxiao_FxRefundSuccess", fenxiao)
    assert refunded.tc_order_id == 12345678 and type(refunded.tc_order_id) is int  # sent quoted
    assert refunded.refund_fee == Decimal("100.00")


def test_a_message_is_never_refused_for_its_shape() -> None:
    """Missing fields are None, unlisted ones kept, quoted ids ints, epoch milliseconds dates."""
    text = json.dumps(
        {"tid": "586070597376760", "iid": 5, "modified": 1505289607000, "refund_fee": 12}
    )
    refund = decoded("taobao_refund_RefundCreated", text)
    assert refund.tid == 586070597376760 and refund.oid is None
    assert refund.model_extra == {"iid": 5}
    assert refund.modified == datetime(2017, 9, 13, 16, 0, 7, tzinfo=GMT8)
    assert refund.modified.tzinfo is not None and refund.modified.utcoffset() == timedelta(hours=8)
    assert refund.refund_fee == Decimal(12)
    quoted_ms = decoded("taobao_refund_RefundCreated", '{"modified": "1505289607000"}')
    assert quoted_ms.modified == refund.modified


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ('{"tid": "not-a-number", "payment": "30.36"}', "does not fit TradeBuyerPay: tid"),
        ('{"payment": "thirty"}', "does not fit TradeBuyerPay: payment"),
        ("not json", "is not JSON"),
        ("[1, 2]", "is not a JSON object"),
        ("[" * 100_000 + "]" * 100_000, "nests too deeply"),
    ],
    ids=["id-not-a-number", "money-not-a-decimal", "not-json", "not-an-object", "deep"],
)
def test_a_content_that_does_not_fit_gives_its_raw_text_and_error(text: str, why: str) -> None:
    """decode never raises for a content: it returns None and the error, the raw text on it."""
    from topapi.topics import ContentError, decode, payload_type  # noqa: PLC0415

    model = payload_type("taobao_trade_TradeBuyerPay")
    assert model is not None
    content, error = decode(model, text)
    assert content is None
    assert isinstance(error, ContentError)
    assert error.raw == text and error.topic == "taobao_trade_TradeBuyerPay"
    assert str(error).startswith("taobao_trade_TradeBuyerPay: the content ")
    assert why in str(error), str(error)
    assert len(str(error)) < 1000


def test_payload_classes_carry_their_topic_title_and_direction() -> None:
    """The topic, its title and its direction are class data, not fields."""
    from topapi.topics import Direction, payload_type  # noqa: PLC0415

    model = payload_type("taobao_trade_TradeBuyerPay")
    assert model is not None
    assert model.top_topic == "taobao_trade_TradeBuyerPay"
    assert model.top_title == "买家付完款，或万人团买家付完尾款"
    assert model.top_direction is Direction.IN
    assert "top_topic" not in model.model_fields
    assert payload_type("taobao_trade_NoSuchTopic") is None


def test_the_registry_imports_a_topic_module_only_when_asked() -> None:
    """Importing topapi.topics loads no topic module; payload_type loads exactly the one asked."""
    script = textwrap.dedent(
        """
        import sys
        import topapi.topics
        loaded = lambda: sorted(m for m in sys.modules if m.startswith("topapi.topics."))
        print(len(topapi.topics.REGISTRY), loaded())
        topapi.topics.payload_type("taobao_item_ItemUpdate")
        print(loaded())
        """
    )
    run = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=False
    )
    assert run.returncode == 0, run.stderr
    count = len(list((SPECS / "topics").glob("*.yaml")))
    assert run.stdout.splitlines() == [
        f"{count} []",
        "['topapi.topics.taobao_item_item_update']",
    ]


def readme_payload_block() -> str:
    """The Python block of the README's section on typed message payloads."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Typed message payloads", 1)[1].split("\n## ", 1)[0]
    return section.split("```python\n", 1)[1].split("```", 1)[0]


@pytest.mark.parametrize(("field", "errors"), [("tid", 0), ("tiid", 1)])
def test_readme_payload_example_runs_and_mypy_checks_it(
    tmp_path: Path, field: str, errors: int
) -> None:
    """The README's handler runs on a real message, passes mypy --strict; a misspelt field fails."""
    block = readme_payload_block().replace("content.tid,", f"content.{field},")
    script = tmp_path / "handler.py"
    script.write_text(block, encoding="utf-8")
    mypy = [sys.executable, "-m", "mypy", "--strict", "--no-incremental", str(script)]
    checked = subprocess.run(
        mypy, cwd=REPO, capture_output=True, text=True, timeout=300, check=False
    )
    found = re.findall(r"error: (.*)", checked.stdout)
    assert len(found) == errors, checked.stdout + checked.stderr
    if errors:
        assert '"TradeBuyerPay" has no attribute "tiid"' in found[0]
        return
    call = f"on_paid({real_example('taobao_trade_TradeBuyerPay')!r})"
    run = run_python(block + "\n" + call + "\n", GENERATED)
    assert run.returncode == 0, run.stderr
    assert run.stdout.split() == ["586070597376760", "30.36"]


# --- the fixture's topics: every field type, an out-topic, one without fields ----------------


FIXTURE_SCRIPT = """
import json
from datetime import datetime, timezone
from decimal import Decimal
from topapi.topics import decode, payload_type
from topapi.topics.topgen_fixture_trade_trace import TradeTrace

every = payload_type("topgen_fixture_EveryType")
numbers, error = decode(every, json.dumps({numbers}))
assert error is None, error
quoted, error = decode(every, json.dumps({quoted}))
assert error is None, error
print(repr(numbers.tid), repr(numbers.payment), numbers.modified.isoformat(), numbers.paid)
print(numbers.tags, numbers.oids, numbers.model_extra)
print(repr(quoted.tid), quoted.modified.isoformat(), repr(quoted.ratio), end=" ")
print(quoted.from_, quoted.pre_pay_no)
renamed, _ = decode(every, '{{"top_topic": "a field", "moments": ["2024-01-01 00:00:00"]}}')
print(renamed.top_topic_, every.top_topic, renamed.moments[0].isoformat())
heartbeat, error = decode(payload_type("topgen_fixture_Heartbeat"), '{{"anything": 1}}')
print(type(heartbeat).__name__, heartbeat.model_extra, error)
trace = TradeTrace(
    tid=2**60,
    action="发货",
    time=datetime(2024, 1, 1, 4, 0, tzinfo=timezone.utc),
    fee=Decimal("12.50"),
    carrier="SF",
)
print(TradeTrace.top_direction.value, trace.to_content())
"""


def fixture_examples(topic: str) -> dict[str, Any]:
    """The examples of a fixture topic spec, by name."""
    path = FIXTURE_SPECS / "topics" / f"{topic}.yaml"
    spec = yaml.safe_load(path.read_text(encoding="utf-8"))
    body = spec["webhooks"][topic]["post"]["requestBody"]["content"]["application/json"]
    return {name: example["value"] for name, example in body["examples"].items()}


def test_fixture_topics_decode_and_publish_as_top_expects() -> None:
    """Every field type decodes; an out-topic's content is TOP's JSON: GMT+8 text, decimal text."""
    examples = fixture_examples("topgen_fixture_EveryType")
    script = FIXTURE_SCRIPT.format(
        numbers=repr(examples["numbers"]), quoted=repr(examples["quoted"])
    )
    probe = run_python(script, FIXTURE_GENERATED)
    assert probe.returncode == 0, probe.stderr
    assert probe.stdout.splitlines() == [
        "586070597376760 Decimal('30.36') 2017-09-13T16:00:07+08:00 True",
        "['a', 'b'] [1, 2] {'iid': 5}",
        "586070597376760 2017-09-13T16:00:07+08:00 Decimal('0.5') here P1",
        "a field topgen_fixture_EveryType 2024-01-01T00:00:00+08:00",
        "Heartbeat {'anything': 1} None",
        'out {"tid":1152921504606846976,"action":"发货","time":"2024-01-01 12:00:00",'
        '"fee":"12.50","carrier":"SF"}',
    ]


# --- import ------------------------------------------------------------------------------------


ENTRY = {
    "topic": "topgen_test_OrderPaid",
    "title": "订单已付款",
    "category": "测试 > 订单已付款",
    "group": "测试",
    "direction": "in",
    "doc_url": "https://open.taobao.com/tmc.htm?docId=1&docType=9",
    "fields": [
        {"name": "tid", "type": "Number", "required": True, "description": "交易ID"},
        {"name": "payment", "type": "String", "required": False, "description": "实付金额"},
        {"name": "refund_fee", "type": "Number", "required": False, "description": "退款金额"},
        {"name": "gmt_payment", "type": "Date", "required": False, "description": "付款时间"},
        {"name": "price_type", "type": "String", "required": False, "description": "价格类型"},
        {"name": "oids", "type": "Number []", "required": False, "description": "子订单"},
        {"name": "paid", "type": "Boolean", "required": False, "description": "已付"},
    ],
}


def write_entry(folder: Path, name: str, entry: Any) -> Path:
    """A topic catalog entry as a file `folder/name`."""
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    text = entry if isinstance(entry, str) else json.dumps(entry, ensure_ascii=False, indent=1)
    path.write_text(text, encoding="utf-8")
    return path


def test_import_writes_a_valid_topic_spec_typing_money_as_decimal(tmp_path: Path) -> None:
    """A catalog entry becomes specs/topics/<topic>.yaml: valid, money Price, no required list."""
    specs = tmp_path / "specs"
    specs.mkdir()
    shutil.copyfile(SPECS / "top.yaml", specs / "top.yaml")
    entry = write_entry(tmp_path / "catalog" / "topgen", "topgen_test_OrderPaid.json", ENTRY)

    result = run_topgen("import", entry, "--out", specs / "apis")

    assert result.returncode == 0, result.stderr
    written = specs / "topics" / "topgen_test_OrderPaid.yaml"
    assert f"wrote {written} (topgen_test_OrderPaid)" in result.stdout
    spec = yaml.safe_load(written.read_text(encoding="utf-8"))
    validate(spec)
    schema = spec["components"]["schemas"]["OrderPaid"]
    types = {name: prop["x-top-type"] for name, prop in schema["properties"].items()}
    assert types == {
        "tid": "Number",
        "payment": "Price",
        "refund_fee": "Price",
        "gmt_payment": "Date",
        "price_type": "String",
        "oids": "Number[]",
        "paid": "Boolean",
    }
    assert "required" not in schema
    operation = spec["webhooks"]["topgen_test_OrderPaid"]["post"]
    assert operation["x-top-direction"] == "in" and operation["summary"] == "订单已付款"
    body = operation["requestBody"]["content"]["application/json"]
    assert body["examples"]["generated"]["value"]["payment"] == "1.00"
    assert run_topgen("validate", "--specs", specs).returncode == 0


def test_import_keeps_a_real_example_from_the_catalog_examples_folder(tmp_path: Path) -> None:
    """examples/<topic>.json beside the catalog's namespaces becomes the spec's real example."""
    catalog = tmp_path / "catalog"
    entry = write_entry(catalog / "topgen", "topgen_test_OrderPaid.json", ENTRY)
    content = {"tid": 1, "payment": "2.50", "iid": 7}
    example = {"topic": "topgen_test_OrderPaid", "content": content}
    write_entry(catalog / "examples", "topgen_test_OrderPaid.json", example)

    result = run_topgen("import", entry, "--topics-out", tmp_path / "topics")

    assert result.returncode == 0, result.stderr
    spec = yaml.safe_load((tmp_path / "topics" / "topgen_test_OrderPaid.yaml").read_text("utf-8"))
    body = spec["webhooks"]["topgen_test_OrderPaid"]["post"]["requestBody"]
    assert body["content"]["application/json"]["examples"]["real"]["value"] == content


BAD_ENTRIES = [
    ({**ENTRY, "topic": "not a topic"}, "topic", "'not a topic' is not a TMC topic name"),
    ({k: v for k, v in ENTRY.items() if k != "topic"}, "", "expected an object"),
    ({**ENTRY, "direction": "both"}, "direction", "must be 'in' or 'out', not 'both'"),
    ({**ENTRY, "fields": {"tid": 1}}, "fields", "must be a list"),
    (
        {**ENTRY, "fields": [{"name": "tid", "type": "Numbr"}]},
        "fields[0].type",
        "'Numbr' is not a topic field type",
    ),
    (
        {**ENTRY, "fields": [{"name": "f", "type": "byte[]"}]},
        "fields[0].type",
        "'byte[]' is not a topic field type",
    ),
    (
        {**ENTRY, "fields": [ENTRY["fields"][0], ENTRY["fields"][0]]},
        "fields[1].name",
        "'tid' is listed twice",
    ),
    ({**ENTRY, "fields": [{"type": "String"}]}, "fields[0].name", "missing"),
    ({**ENTRY, "title": 3}, "title", "must be text, not 3"),
]


@pytest.mark.parametrize(("entry", "where", "message"), BAD_ENTRIES, ids=lambda v: str(v)[:30])
def test_a_bad_catalog_entry_is_a_located_error_and_the_others_are_imported(
    tmp_path: Path, entry: Any, where: str, message: str
) -> None:
    """The bad file is named with its field; nothing is written for it; the good one is written."""
    catalog = tmp_path / "catalog" / "topgen"
    good = write_entry(catalog, "topgen_test_OrderPaid.json", ENTRY)
    bad = write_entry(catalog, "bad.json", entry)
    topics = tmp_path / "topics"

    result = run_topgen("import", bad, good, "--topics-out", topics)

    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    (error,) = [line for line in result.stderr.splitlines() if ": error: " in line]
    assert error.startswith(f"{bad}: error: {where + ': ' if where else ''}"), error
    assert message in error, error
    assert sorted(p.name for p in topics.iterdir()) == ["topgen_test_OrderPaid.yaml"]
    assert "1 of 2 file(s) not imported" in result.stderr


def test_import_overwrites_a_topic_spec_only_with_force(tmp_path: Path) -> None:
    """A second import refuses to overwrite, naming the spec; --force overwrites it."""
    entry = write_entry(tmp_path / "catalog" / "topgen", "topgen_test_OrderPaid.json", ENTRY)
    topics = tmp_path / "topics"
    assert run_topgen("import", entry, "--topics-out", topics).returncode == 0
    target = topics / "topgen_test_OrderPaid.yaml"
    target.write_text("edited", encoding="utf-8")

    again = run_topgen("import", entry, "--topics-out", topics)
    assert again.returncode == 1
    assert f"{target} exists; pass --force to overwrite it" in again.stderr
    assert target.read_text(encoding="utf-8") == "edited"

    forced = run_topgen("import", entry, "--topics-out", topics, "--force")
    assert forced.returncode == 0, forced.stderr
    assert target.read_text(encoding="utf-8").startswith("openapi: 3.1.0")


def test_write_topic_spec_is_the_entry_point_for_other_importers(tmp_path: Path) -> None:
    """write_topic_spec writes one entry's spec and returns its path; bad input raises SpecError."""
    path, found = write_topic_spec(ENTRY, tmp_path, source="catalog/topgen_test_OrderPaid.json")
    assert path == tmp_path / "topgen_test_OrderPaid.yaml" and found == []
    assert "x-top-source: catalog/topgen_test_OrderPaid.json" in path.read_text(encoding="utf-8")
    with pytest.raises(SpecError) as refused:
        write_topic_spec({**ENTRY, "direction": "up"}, tmp_path / "other", source="entry.json")
    (diagnostic,) = refused.value.diagnostics
    assert (diagnostic.file, diagnostic.where) == ("entry.json", "direction")
    assert not (tmp_path / "other").exists()


# --- the whole topic catalog, sampled ----------------------------------------------------------

SAMPLE_SCRIPT = """
import importlib, json, sys
import topapi.topics as topics
examples = json.loads(sys.stdin.read())
for topic, example in sorted(examples.items()):
    model = topics.payload_type(topic)
    content, error = topics.decode(model, json.dumps(example))
    assert error is None, (topic, error)
    assert type(content).top_topic == topic
print(len(examples))
"""


def test_a_sample_of_the_topic_catalog_imports_generates_and_decodes(
    topic_catalog: Path, tmp_path: Path
) -> None:
    """Every 20th catalog topic: imported, generated in black's shape, imported in Python, its
    example decoded."""
    entries = sorted(
        path
        for path in topic_catalog.glob("*/*.json")
        if path.parent.name != "examples" and path.name != "topics.json"
    )
    sample = entries[::20]
    specs = tmp_path / "specs"
    specs.mkdir()
    shutil.copyfile(SPECS / "top.yaml", specs / "top.yaml")
    imported = run_topgen("import", *sample, "--out", specs / "apis")
    assert imported.returncode == 0, imported.stderr[-3000:]
    out = tmp_path / "out"
    generated = run_topgen("generate", "--specs", specs, "--out", out, "--no-cache")
    assert generated.returncode == 0, generated.stderr[-3000:]
    assert f"{len(sample)} topics" in generated.stdout
    project, _ = check_specs(specs)
    examples = {topic.topic: topic.examples[0].value for topic in project.topics}
    assert len(examples) == len(sample)
    probe = subprocess.run(
        [sys.executable, "-c", SAMPLE_SCRIPT],
        input=json.dumps(examples),
        cwd=out,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env={"PYTHONPATH": str(out), "PATH": "/usr/bin:/bin"},
    )
    assert probe.returncode == 0, probe.stderr[-3000:]
    assert probe.stdout.split() == [str(len(sample))]
    black = Path(sys.executable).with_name("black")
    checked = subprocess.run([black, "--check", out], capture_output=True, text=True, check=False)
    assert checked.returncode == 0, checked.stderr[-3000:]


def test_generated_topics_are_the_committed_ones() -> None:
    """generated/ holds a module per shipped topic spec, and nothing else under topapi/topics."""
    modules = {p.name for p in (GENERATED / "topapi" / "topics").glob("*.py")}
    assert len(modules) == len(list((SPECS / "topics").glob("*.yaml"))) + 1  # with __init__.py


def test_an_example_value_that_does_not_fit_is_a_located_warning(tmp_path: Path) -> None:
    """A topic example with text for an id warns at its line; a date in epoch ms does not."""
    specs = tmp_path / "specs"
    (specs / "topics").mkdir(parents=True)
    shutil.copyfile(SPECS / "top.yaml", specs / "top.yaml")
    good = (REPO / "tests" / "broken" / "good-topic.yaml").read_text(encoding="utf-8")
    text = good.replace("tid: 1\n", "tid: one\n").replace(
        'modified: "2024-01-01 12:00:00"', "modified: 1505289607000"
    )
    spec = specs / "topics" / "broken_case_Event.yaml"
    spec.write_text(text, encoding="utf-8")

    result = run_topgen("validate", "--specs", specs)

    assert result.returncode == 0, result.stderr
    line = text.splitlines().index("                  tid: one") + 1
    assert result.stderr.splitlines() == [
        f"{spec}:{line}: warning: webhooks.broken_case_Event.post.requestBody.content."
        "application/json.examples.real.value: tid: 'one' does not fit its TOP type Number"
    ]


def test_a_content_error_survives_pickling_with_its_raw_text() -> None:
    """A ContentError handed to another process (a queue, a worker) keeps its topic and text."""
    import pickle  # noqa: PLC0415

    from topapi.topics import decode, payload_type  # noqa: PLC0415

    model = payload_type("taobao_item_ItemUpdate")
    assert model is not None
    _, error = decode(model, '{"num_iid": "x"}')
    copy = pickle.loads(pickle.dumps(error))
    assert (str(copy), copy.topic, copy.raw) == (str(error), error.topic, error.raw)


@pytest.mark.parametrize(
    ("topic", "module", "class_name"),
    [
        ("taobao_trade_TradeBuyerPay", "taobao_trade_trade_buyer_pay", "TradeBuyerPay"),
        ("taobao_item_ItemSKUUpdate", "taobao_item_item_sku_update", "ItemSKUUpdate"),
        ("idle_x_Field", "idle_x_field", "IdleXField"),  # Field is a name the module binds
        ("idle_x_TopicPayload", "idle_x_topic_payload", "IdleXTopicPayload"),
    ],
)
def test_topic_names_become_a_snake_case_module_and_a_free_class_name(
    topic: str, module: str, class_name: str
) -> None:
    """A topic's module is its snake case; its class its event, unless the module uses that name."""
    from topgen.spec import names  # noqa: PLC0415

    assert names.is_topic_name(topic)
    assert (names.topic_module(topic), names.topic_class(topic)) == (module, class_name)
    assert not names.is_topic_name("taobao.trade.TradeBuyerPay")
    assert not names.is_topic_name("taobao_trade_TradeBuyerPay\n")
