"""parse_doc_page reads real TOP documentation pages into the facts their expected files give.

The pages are not in the repository: conftest's `docs` fixture reads them from $TOPGEN_DOCS,
or from ``shared/top-docs`` next to the repository's folder; tests that need them skip when that
folder is missing, and fail on CI. Each ``expected/<method>.json`` holds the facts a parse must
yield; the first page has no expected file, its facts are written out in `test_first_page_facts`.
"""

from __future__ import annotations

import json
import pickle
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest

from topgen.importing.docmodel import MAX_DEPTH, DocApi, DocField
from topgen.importing.docpage import DocPageError, parse_doc_page
from topgen.spec.model import SessionUse

FIRST_PAGE = "alibaba.idle.tender.pre.pay.action"
EXPECTED_PAGES = (
    "alibaba.idle.isv.user.info",
    "alibaba.idle.rent.item.query",
    "alibaba.idle.tender.btob.item.query",
    "alibaba.xianyu.tender.order.perform",
    "aliexpress.logistics.abnormalorder.query",
    "taobao.item.sku.price.update",
    "taobao.tmc.user.topics.get",
    "tmall.servicecenter.picture.upload",
)
PAGES = (FIRST_PAGE, *EXPECTED_PAGES)
# Pages whose 更多限制 cell shifts the indentation of everything after it.
SHIFTED_PAGES = (
    "alibaba.idle.rent.item.query",
    "taobao.item.sku.price.update",
    "tmall.servicecenter.picture.upload",
)


# --- helpers -------------------------------------------------------------------------------


def page_text(docs: Path, method: str) -> str:
    """The saved text of one page."""
    return (docs / f"{method}.txt").read_text(encoding="utf-8")


def parse_page(docs: Path, method: str) -> DocApi:
    """One page, parsed, with its path as the source."""
    path = docs / f"{method}.txt"
    return parse_doc_page(path.read_text(encoding="utf-8"), str(path))


def expected(docs: Path, method: str) -> dict[str, Any]:
    """The expected facts of one page."""
    data: dict[str, Any] = json.loads(
        (docs / "expected" / f"{method}.json").read_text(encoding="utf-8")
    )
    return data


def shape(fields: Sequence[DocField]) -> list[dict[str, Any]]:
    """Names, types, required flags and nesting of parsed fields."""
    return [
        {"name": f.name, "type": f.type, "required": f.required, "children": shape(f.children)}
        for f in fields
    ]


def expected_shape(items: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """The same for expected fields; response fields have no required flag, meaning False."""
    return [
        {
            "name": item["name"],
            "type": item["type"],
            "required": item.get("required", False),
            "children": expected_shape(item["children"]),
        }
        for item in items
    ]


def texts(fields: Sequence[DocField], parent: str = "") -> list[tuple[str, str, str]]:
    """(path, example, description) of every parsed field, in page order."""
    rows: list[tuple[str, str, str]] = []
    for f in fields:
        path = f"{parent}{f.name}"
        rows.append((path, f.example, f.description))
        rows.extend(texts(f.children, f"{path}."))
    return rows


def expected_texts(items: Sequence[dict[str, Any]], parent: str = "") -> list[tuple[str, str, str]]:
    """The same for expected fields."""
    rows: list[tuple[str, str, str]] = []
    for item in items:
        path = f"{parent}{item['name']}"
        rows.append((path, item["example"], item["description"]))
        rows.extend(expected_texts(item["children"], f"{path}."))
    return rows


def find(fields: Sequence[DocField], path: str) -> DocField:
    """The field at a dotted path."""
    head, _, rest = path.partition(".")
    field = next(f for f in fields if f.name == head)
    return find(field.children, rest) if rest else field


def without_section(text: str, header: str, next_header: str) -> str:
    """`text` without the section starting at `header`, up to `next_header`."""
    lines = text.splitlines()
    start = [line.strip() for line in lines].index(header)
    end = [line.strip() for line in lines].index(next_header)
    return "\n".join(lines[:start] + lines[end:])


def leaf(name: str, type_: str, example: str, description: str, required: bool = False) -> DocField:
    """A field without children."""
    return DocField(name, type_, required, example, description)


# --- the pages and their expected facts ------------------------------------------------------


@pytest.mark.parametrize("method", EXPECTED_PAGES)
def test_page_matches_expected(docs: Path, method: str) -> None:
    """Method, title, description and both trees: names, types, required flags, nesting."""
    api = parse_page(docs, method)
    facts = expected(docs, method)
    assert (api.method, api.title, api.description) == (
        facts["method"],
        facts["title"],
        facts["description"],
    )
    assert shape(api.request) == expected_shape(facts["request"])
    assert shape(api.response) == expected_shape(facts["response"])


@pytest.mark.parametrize("method", EXPECTED_PAGES)
def test_examples_and_descriptions_match_expected(docs: Path, method: str) -> None:
    """Every example and description as the expected file gives it.

    No field is excepted. The cells the page leaves ambiguous are settled by the page's own
    examples, and the expected values agree: a single cell is the example when the XML shows
    that value (rent.item.query address.area/city/prov), else the description
    (isv.user.info data.options); two cells stay in page order unless the examples show the
    second is the example (none of these pages swaps them). The 更多限制 cells, kept by the
    expected files under "more", are limits, not cells (tests/test_limits_import.py).
    """
    api = parse_page(docs, method)
    facts = expected(docs, method)
    assert texts(api.request) == expected_texts(facts["request"])
    assert texts(api.response) == expected_texts(facts["response"])


def test_first_page_facts(docs: Path) -> None:
    """The first page, which has no expected file: its facts written out in full."""
    api = parse_page(docs, FIRST_PAGE)
    assert (api.method, api.title, api.description) == (
        FIRST_PAGE,
        "服务商预付款完成接口",
        "服务商预付款完成接口",
    )
    assert api.request == (
        DocField(
            "param0",
            "TenderPrePayCmd",
            True,
            "",
            "请求参数",
            (
                leaf("order_id", "String", "1234", "订单id", required=True),
                leaf("pre_pay_no", "String", "xxx", "预付款流水号", required=True),
                leaf("pre_pay_action", "Number", "2", "预付款执行动作", required=True),
            ),
        ),
    )
    data = DocField(
        "data",
        "TenderPrepayTopResult",
        False,
        "",
        "返回结果对象",
        (
            leaf("order_id", "String", "1234", "订单id"),
            leaf("pre_pay_amount", "Number", "1234", "预付款"),
            leaf("pre_pay_no", "String", "1234", "支付宝流水号"),
            leaf("pre_pay_status", "String", "2", "1-未支付,2-已支付"),
            # The page's cells read as an example and a description in that order, and the
            # XML example shows <pre_pay_action>预付款执行动作</pre_pay_action>: kept so.
            leaf("pre_pay_action", "Number", "预付款执行动作", "2-支付预付款"),
            leaf("app_key", "String", "123", "服务商appkey"),
            leaf("request_id", "String", "xxx", "请求id"),
        ),
    )
    assert api.response == (
        DocField(
            "result",
            "CommonResult",
            False,
            "",
            "结果",
            (
                data,
                # Printed like data's leaves; children of result, not of data (XML example).
                leaf("success", "Boolean", "true", "请求结果"),
                leaf("error_code", "String", "S_E_ERROR", "异常编码"),
                leaf("error_msg", "String", "系统异常", "异常描述"),
            ),
        ),
    )
    assert api.session is SessionUse.REQUIRED
    assert api.warnings == ()


@pytest.mark.parametrize("method", PAGES)
def test_code_blocks_verbatim(docs: Path, method: str) -> None:
    """Java, XML and error examples are the page's blocks, dedented and stripped, no more."""
    api = parse_page(docs, method)
    text = page_text(docs, method)
    assert api.source == str(docs / f"{method}.txt")
    java, xml, error = api.java_example, api.xml_example, api.error_example
    assert java is not None and xml is not None and error is not None
    shift = "    " if method in SHIFTED_PAGES else ""
    for block in (java, xml, error):
        assert "\n".join(f"{shift}{line}" for line in block.splitlines()) in text
    assert java.startswith("TaobaoClient client = new DefaultTaobaoClient(")
    assert java.endswith("System.out.println(rsp.getBody());")
    assert xml.startswith("<") and xml.endswith("_response>")
    assert error.startswith("<error_response>") and error.endswith("</error_response>")


# --- sessions ----------------------------------------------------------------------------------


def test_session_required_with_session_key(docs: Path) -> None:
    """client.execute(req, sessionKey) means the API needs the user's session."""
    assert parse_page(docs, FIRST_PAGE).session is SessionUse.REQUIRED


def test_session_none_without_session_key(docs: Path) -> None:
    """client.execute(req) means the API needs no session."""
    api = parse_page(docs, "taobao.tmc.user.topics.get")
    assert api.session is SessionUse.NONE


def test_session_unknown_without_java_example(docs: Path) -> None:
    """Without a Java example nothing says whether a session is needed."""
    text = without_section(page_text(docs, FIRST_PAGE), "请求示例", "响应示例")
    api = parse_doc_page(text, "cut")
    assert api.session is None
    assert api.java_example is None


# --- ambiguous parents ---------------------------------------------------------------------------


def test_rule_applied_to_row_no_example_places(docs: Path) -> None:
    """data.options is in no XML element: the closing rule places it, with a warning.

    balance_enough was the last element of service_deposit in the XML example, so options
    closes service_deposit and joins data, as the expected file has it.
    """
    api = parse_page(docs, "alibaba.idle.isv.user.info")
    assert find(api.response, "result.data.options").type == "String []"
    assert [f.name for f in find(api.response, "result.data.service_deposit").children] == [
        "balance_enough"
    ]
    assert len(api.warnings) == 1
    assert "'result.data.options'" in api.warnings[0]
    assert api.warnings[0].startswith("line 29:")


@pytest.mark.parametrize("method", [m for m in PAGES if m != "alibaba.idle.isv.user.info"])
def test_examples_settle_every_other_parent(docs: Path, method: str) -> None:
    """On the other pages the XML and Java examples place every field: no warning."""
    assert parse_page(docs, method).warnings == ()


def test_btob_rows_after_order_info_are_warned_without_xml(docs: Path) -> None:
    """btob.item.query prints data.out_id and result.success... like order_info's leaves.

    The XML example settles them; without it their parent is not recoverable from the text,
    so the closing rule places them (in order_info: nothing shows it complete) and each one
    is named in a warning.
    """
    text = page_text(docs, "alibaba.idle.tender.btob.item.query")
    api = parse_doc_page(without_section(text, "响应示例", "异常示例"), "no xml")
    order_info = "result.data.order_info"
    for name in ("out_id", "success", "error_code", "error_msg", "total"):
        assert any(f"'{order_info}.{name}'" in w for w in api.warnings), name
    assert find(api.response, f"{order_info}.out_id").type == "String"
    # The Java example still places the request fields: no warning names param0.
    assert not any("'param0." in w for w in api.warnings)


def test_java_example_places_fields_after_nested_object(docs: Path) -> None:
    """xianyu: source follows attribute's leaves; obj1.setSource puts it in param0."""
    api = parse_page(docs, "alibaba.xianyu.tender.order.perform")
    assert [f.name for f in api.request[0].children][-2:] == ["attribute", "source"]


# --- layout quirks -------------------------------------------------------------------------------


def test_preamble_lines_are_dropped(docs: Path) -> None:
    """Breadcrumbs and notices before the title change nothing."""
    text = page_text(docs, FIRST_PAGE)
    preamble = "文档中心 > API类目 > 闲鱼已验货\n\n注意:以下文档只适用于TOP接口,请谨慎使用!\n\n"
    with_preamble = parse_doc_page(preamble + text, "p")
    plain = parse_doc_page(text, "p")
    assert with_preamble.warnings == plain.warnings == ()
    assert with_preamble == plain


SYNTHETIC_PAGE = """\
foo.item.add (添加商品)

添加一个商品

公共参数

请求参数

名称 类型 是否必须 示例值 更多限制 描述
extra Json 可选 {"a": 1, "b": [2, 3]} 附加信息
items ItemDto [] 必须 商品列表
  • └ title
  • String
  • 必须
  • 标题,最多
三十个字
  • 苹果
  • sku
  • SkuDto
  • 可选
  • 规格
  • └ sku_id
  • Number
  • 可选
  • 7
  • 规格id
  • └ price
  • Price
  • 可选
  • 9.90
  • 价格

响应参数

名称 类型 示例值 描述
ok Boolean true 是否成功

请求示例

  • JAVA
  • PHP
TaobaoClient client = new DefaultTaobaoClient(url, appkey, secret);
FooItemAddRequest req = new FooItemAddRequest();
List<FooItemAddRequest.ItemDto> list2 = new ArrayList<FooItemAddRequest.ItemDto>();
FooItemAddRequest.ItemDto obj3 = new FooItemAddRequest.ItemDto();
list2.add(obj3);
obj3.setTitle("苹果");
FooItemAddRequest.SkuDto obj4 = new FooItemAddRequest.SkuDto();
obj4.setSkuId(7L);
obj3.setSku(obj4);
obj3.setPrice("9.90");
req.setItems(list2);
FooItemAddResponse rsp = client.execute(req);
"""


def test_synthetic_quirks() -> None:
    """JSON example with spaces, a wrapped description, swapped cells, a Java list of objects."""
    api = parse_doc_page(SYNTHETIC_PAGE, "synthetic")
    assert api.request == (
        leaf("extra", "Json", '{"a": 1, "b": [2, 3]}', "附加信息"),
        DocField(
            "items",
            "ItemDto []",
            True,
            "",
            "商品列表",
            (
                # The Java example shows 苹果 is the example: the cells were swapped.
                leaf("title", "String", "苹果", "标题,最多 三十个字", required=True),
                DocField(
                    "sku", "SkuDto", False, "", "规格", (leaf("sku_id", "Number", "7", "规格id"),)
                ),
                # After sku's leaf, obj3.setPrice (obj3 = the list's item) places price in items.
                leaf("price", "Price", "9.90", "价格"),
            ),
        ),
    )
    assert api.response == (leaf("ok", "Boolean", "true", "是否成功"),)
    assert api.session is SessionUse.NONE
    assert api.warnings == ()
    assert api.xml_example is None and api.error_example is None


def test_empty_request_section(docs: Path) -> None:
    """isv.user.info has no request parameters: the header is followed by 响应参数."""
    assert parse_page(docs, "alibaba.idle.isv.user.info").request == ()


# --- not a doc page ------------------------------------------------------------------------------

README = """\
# topgen

Typed Python bindings for the Taobao Open Platform (TOP).

Install and run the tests:

    pip install -e ".[dev]" && pytest
"""


def cut_before(text: str, header: str) -> str:
    """`text` up to, not including, the line `header`."""
    lines = text.splitlines()
    return "\n".join(lines[: [line.strip() for line in lines].index(header)])


@pytest.mark.parametrize(
    ("text", "line", "expected_words"),
    [
        pytest.param(README, 7, "title line '<method> (<title>)'", id="readme"),
        pytest.param("", 1, "title line", id="empty"),
        pytest.param("公共参数\n\n请求参数\n", 1, "title line", id="sections-without-title"),
        pytest.param("foo.bar.get (x)\n\n说明\n", 3, "'请求参数'", id="title-only"),
        pytest.param(
            "foo.bar.get (x)\n\n请求参数\n\nname String 必须 a b\n\n响应参数\n",
            5,
            "column header '名称 类型 ...' of '请求参数'",
            id="no-column-header",
        ),
        pytest.param(
            "foo.bar.get (x)\n\n请求参数\n\n名称 类型 是否必须 示例值 更多限制 描述\n"
            "不是一行参数\n\n响应参数\n\n名称 类型 示例值 描述\n",
            6,
            "parameter row",
            id="not-a-row",
        ),
        pytest.param(
            "foo.bar.get (x)\n\n请求参数\n\n名称 类型 是否必须 示例值 更多限制 描述\n"
            "p Obj 必须 参数\n  • └ a\n  • 字符串\n\n响应参数\n\n名称 类型 示例值 描述\n",
            8,
            "type of field 'a'",
            id="bad-nested-type",
        ),
    ],
)
def test_not_a_doc_page(text: str, line: int, expected_words: str) -> None:
    """Text that is not a TOP doc page: DocPageError saying what was expected, and where."""
    with pytest.raises(DocPageError) as raised:
        parse_doc_page(text, "not a page")
    assert raised.value.line == line
    assert expected_words in raised.value.message
    assert str(raised.value).startswith(f"line {line}: ")


def test_doc_page_error_survives_pickling() -> None:
    """The error crosses process boundaries with its line and message intact."""
    error = pickle.loads(pickle.dumps(DocPageError("expected X", 7)))
    assert (error.line, error.message, str(error)) == (7, "expected X", "line 7: expected X")


def test_page_cut_before_response_section(docs: Path) -> None:
    """A page that ends before 响应参数 fails at its last line, naming the missing header."""
    text = cut_before(page_text(docs, FIRST_PAGE), "响应参数")
    with pytest.raises(DocPageError) as raised:
        parse_doc_page(text, "cut")
    assert raised.value.line == len(text.splitlines())
    assert "'响应参数'" in raised.value.message


@pytest.mark.parametrize("method", PAGES)
def test_every_truncation_parses_or_raises_doc_page_error(docs: Path, method: str) -> None:
    """A page cut at any line yields a DocApi or a DocPageError, never another exception."""
    lines = page_text(docs, method).splitlines()
    for end in range(len(lines) + 1):
        try:
            parse_doc_page("\n".join(lines[:end]), "cut")
        except DocPageError as error:
            assert error.line is not None and 1 <= error.line <= max(end, 1)


def test_malformed_xml_example_is_an_error_at_its_line(docs: Path) -> None:
    """An XML example with a closing tag missing: DocPageError at the page line expat stops on."""
    text = page_text(docs, FIRST_PAGE).replace("        </data>\n", "", 1)
    with pytest.raises(DocPageError) as raised:
        parse_doc_page(text, "broken xml")
    # </data> closed <data> before </result>, so the mismatch is seen on </result>'s line.
    assert raised.value.line == text.splitlines().index("    </result>") + 1
    assert "the XML example is not well-formed: mismatched tag" in raised.value.message


DEEP = 40  # beyond MAX_DEPTH, far below the recursion limit


def test_xml_example_nested_too_deeply_is_refused_at_its_first_line() -> None:
    """An XML example nested beyond MAX_DEPTH is a DocPageError, not a RecursionError."""
    xml = "<a>" * 100_000 + "</a>" * 100_000
    text = (
        "foo.bar.get (x)\n\n请求参数\n\n名称 类型 是否必须 示例值 更多限制 描述\n\n"
        f"响应参数\n\n名称 类型 示例值 描述\n\n响应示例\n\n{xml}\n"
    )
    with pytest.raises(DocPageError) as raised:
        parse_doc_page(text, "deep")
    assert raised.value.line == 13
    assert f"nests deeper than {MAX_DEPTH} levels" in raised.value.message


def test_fields_nested_too_deeply_are_refused_at_the_first_too_deep() -> None:
    """Bullet groups each opening an object inside the last: refused past MAX_DEPTH levels."""
    groups = "".join(f"  • o{n}\n  • Obj\n  • 对象\n" for n in range(DEEP))
    text = (
        "foo.bar.get (x)\n\n请求参数\n\n名称 类型 是否必须 示例值 更多限制 描述\n\n"
        f"响应参数\n\n名称 类型 示例值 描述\nroot Obj 根\n{groups}"
    )
    with pytest.raises(DocPageError) as raised:
        parse_doc_page(text, "deep")
    first_too_deep = 11 + 3 * (MAX_DEPTH - 1)  # root is level 1, o{n} (on 11 + 3n) n + 2
    assert raised.value.line == first_too_deep
    assert f"nest deeper than {MAX_DEPTH} levels" in raised.value.message
