"""Read a TOP documentation page, saved as text, into a `DocApi`.

Layout. Optional preamble lines (breadcrumbs, notices), a title line ``<method> (<title>)``,
the description, then the sections 公共参数, 请求参数, 响应参数, 请求示例, 响应示例, 异常示例
and trailing ones (错误码解释, API工具, FAQ) that are not read. Indentation means nothing on
these pages (a 更多限制 cell even shifts the rest of the page), so lines are read stripped;
only the code blocks keep theirs, dedented.

Parameter tables. A top-level parameter is one line ``name Type [必须|可选] rest`` where
``rest`` holds the example and the description. They are split with the page's own examples
(the Java setter argument, the XML element text), else a leading date-time or JSON value is
the example, else the first word is, and a single word is the description. A 更多限制 value
breaks the row: the line keeps name, type, required flag and example, the limits and the
description follow as bullets. Nested fields are bullet groups: name, type, [必须|可选], then
the example and the description, either of which may be missing; a single cell is the
description unless the examples show it is the example, and two cells are swapped only when
the examples show the second one is the example. Limit cells (默认值:..., 最大长度:...)
are the field's limits, not cells.

Nesting is not printed. A name marked ``└`` is a leaf; a bare name is an object (or a list
of objects) and the field after it is its first field, unless the examples place that field
elsewhere; any other field may belong to any open ancestor. The examples settle it: the
XML response example for response fields, the Java request example (``obj1.setXxx(...)``,
``obj1.setAttr(obj2)``, ``list.add(obj)``) for request fields, each example element being
matched once, in page order. Where they do not settle it, ONE rule applies, the closing
rule: the field stays in the object of the field before it, unless the examples show that
object complete (every one of its example elements already matched); then the field closes
that object and joins the object's parent. Each field placed by the closing rule gets a
warning in `DocApi.warnings` naming it.
"""

from __future__ import annotations

import re
import textwrap
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import Any

from ..spec.model import SessionUse
from .docmodel import MAX_DEPTH, DocApi, DocField

_COMMON, _REQUEST, _RESPONSE = "公共参数", "请求参数", "响应参数"
_JAVA_SECTION, _XML_SECTION, _ERROR_SECTION = "请求示例", "响应示例", "异常示例"
_SECTIONS = frozenset(
    {_COMMON, _REQUEST, _RESPONSE, _JAVA_SECTION, _XML_SECTION, _ERROR_SECTION}
    | {"错误码解释", "API工具", "FAQ"}
)
_COLUMNS = "名称 类型"
_REQUIRED_COLUMN = "是否必须"
_REQUIRED = {"必须": True, "可选": False}
_BULLET = "•"
_LEAF = "└"
_JAVA_CLIENT = "DefaultTaobaoClient("

# taobao.item.get (获取商品): the method, then the title in ASCII or full-width parentheses.
_TITLE = re.compile(r"(?P<method>[a-z][a-z0-9]*(?:\.[a-z0-9_]+)+)\s*[((](?P<title>.+)[))]")
# A TOP type as spelled on the page: CamelCase with a lowercase letter (String, Number,
# HashMap, TenderPrePayCmd), or byte[]; a list is "X[]" or "X []".
_TYPE = re.compile(r"byte ?\[\]|(?=[A-Za-z0-9_]*[a-z])[A-Z][A-Za-z0-9_]*(?: ?\[\])?")
_FIELD_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
# The bare name of an object in a bullet group: lowercase first, unlike the type after it.
_OBJECT_NAME = re.compile(r"[a-z][A-Za-z0-9_]*")
# A one-line table row: name, type (possibly "X []"), then the rest of the columns.
_ROW = re.compile(
    r"(?P<name>[A-Za-z_][A-Za-z0-9_]*) (?P<type>[A-Za-z0-9_]+(?: ?\[\])?)(?: (?P<rest>.*))?"
)
# A 更多限制 cell: 默认值:0, 最大长度:32, ...
_LIMIT = re.compile(
    r"(?P<word>默认值|最大长度|最小长度|最大值|最小值|最大列表长度|最小列表长度)\s*[::]"
)
# The OpenAPI keyword of each documented limit; the lower bounds of lengths have none in topgen.
_LIMIT_KEYWORDS = {
    "默认值": "default",
    "最大长度": "maxLength",
    "最大列表长度": "maxItems",
    "最小值": "minimum",
    "最大值": "maximum",
}
_LIMIT_NUMBER = re.compile(r"-?\d{1,19}(?P<fraction>\.\d+)?")
_DATE_TIME = re.compile(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(?= |$)")

# client.execute(req) or client.execute(req, sessionKey): a second argument is the session.
_EXECUTE = re.compile(r"\.execute\(\s*(?P<request>\w+)\s*(?:,\s*(?P<session>\w+)\s*)?\)")
_JAVA_SETTER = re.compile(r"(?P<target>\w+)\.set(?P<field>\w+)\((?P<argument>.*)\);")
_JAVA_LIST_ADD = re.compile(r"(?P<target>\w+)\.add\((?P<item>\w+)\);")
_JAVA_STRING = re.compile(r'"(?P<body>(?:[^"\\]|\\.)*)"')
_JAVA_DATE = re.compile(r'StringUtils\.parseDateTime\("(?P<body>(?:[^"\\]|\\.)*)"\)')
_JAVA_NUMBER = re.compile(r"(?P<digits>-?\d+(?:\.\d+)?)[LlFfDd]?")
_JAVA_ESCAPE = re.compile(r"\\(?:u(?P<code>[0-9a-fA-F]{4})|(?P<char>.))")
_JAVA_ESCAPED_CHARS = {"n": "\n", "t": "\t", "r": "\r", "b": "\b", "f": "\f"}


class DocPageError(ValueError):
    """The text is not a TOP documentation page, or not one laid out as this parser expects."""

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message if line is None else f"line {line}: {message}")
        self.message = message
        self.line = line

    def __reduce__(self) -> tuple[type[DocPageError], tuple[str, int | None]]:
        return DocPageError, (self.message, self.line)


@dataclass(frozen=True)
class _Line:
    number: int
    raw: str
    text: str


@dataclass(frozen=True)
class _Code:
    """A code block and the page line of its first line."""

    text: str
    line: int


@dataclass(frozen=True)
class _Section:
    name: str
    line: int
    body: tuple[_Line, ...]


@dataclass(frozen=True)
class _Item:
    """One bullet, or the text of a line that wrapped onto the next."""

    text: str
    line: int


@dataclass(frozen=True)
class _Row:
    """A top-level table row with the bullets that follow it."""

    name: str
    type: str
    required: bool
    rest: str
    line: int
    items: tuple[_Item, ...] = ()


@dataclass(frozen=True)
class _RawField:
    """A field as read from the table, before nesting; `cells` hold example and description."""

    name: str
    type: str
    required: bool
    line: int
    top: bool
    leaf: bool
    cells: tuple[str, ...]
    joined: bool = False  # cells is one row remainder, example and description not yet split
    limits: tuple[tuple[str, Any], ...] = ()


@dataclass(frozen=True, eq=False)
class _Sample:
    """A field as an example shows it: a value, or an object of further fields."""

    key: str
    value: str | None
    children: tuple[_Sample, ...] = ()


@dataclass(frozen=True)
class _Placed:
    """A field with its parent (an index into the placed fields) and its example element."""

    raw: _RawField
    parent: int | None
    scope: _Sample | None


def parse_doc_page(text: str, source: str) -> DocApi:
    """Read one TOP documentation page saved as text; DocPageError if it is not one."""
    lines = [_Line(n, raw, raw.strip()) for n, raw in enumerate(text.splitlines(), start=1)]
    title_at, title = _find_title(lines)
    sections = _split_sections(lines, title_at + 1)
    request, response = _parameter_sections(sections, lines)
    first_section = min(section.line for section in sections.values()) - 1
    description = "\n".join(line.text for line in lines[title_at + 1 : first_section] if line.text)
    java_code = _code_block(sections.get(_JAVA_SECTION))
    java = java_code.text if java_code is not None and _JAVA_CLIENT in java_code.text else None
    xml = _xml_block(sections.get(_XML_SECTION))
    error = _xml_block(sections.get(_ERROR_SECTION))
    xml_root = _element_sample(_xml_element(xml)) if xml is not None else None
    if error is not None:
        _xml_element(error)
    warnings: list[str] = []
    java_root = _java_samples(java) if java is not None else None
    return DocApi(
        method=title["method"],
        title=title["title"],
        description=description,
        session=_session(java),
        request=_parse_table(request, java_root, warnings),
        response=_parse_table(response, xml_root, warnings),
        java_example=java,
        xml_example=xml.text if xml is not None else None,
        error_example=error.text if error is not None else None,
        source=source,
        warnings=tuple(warnings),
    )


# --- page structure ---------------------------------------------------------------------------


def _find_title(lines: Sequence[_Line]) -> tuple[int, re.Match[str]]:
    for at, line in enumerate(lines):
        if title := _TITLE.fullmatch(line.text):
            return at, title
        if line.text in _SECTIONS:
            raise DocPageError(
                "expected a title line '<method> (<title>)' before this section header",
                line.number,
            )
    raise DocPageError(
        "expected a title line '<method> (<title>)', such as 'taobao.item.get (获取商品)'; "
        "the text ends without one",
        _last_line(lines),
    )


def _split_sections(lines: Sequence[_Line], start: int) -> dict[str, _Section]:
    """The sections after the title, by header; a header counts the first time it is seen."""
    headers: list[int] = []
    seen: set[str] = set()
    for at in range(start, len(lines)):
        if lines[at].text in _SECTIONS and lines[at].text not in seen:
            seen.add(lines[at].text)
            headers.append(at)
    return {
        lines[at].text: _Section(lines[at].text, lines[at].number, tuple(lines[at + 1 : end]))
        for at, end in pairwise([*headers, len(lines)])
    }


def _parameter_sections(
    sections: dict[str, _Section], lines: Sequence[_Line]
) -> tuple[_Section, _Section]:
    for name in (_REQUEST, _RESPONSE):
        if name not in sections:
            last = _last_line(lines)
            raise DocPageError(
                f"expected the section header '{name}'; the text ends at line {last} without it",
                last,
            )
    request, response = sections[_REQUEST], sections[_RESPONSE]
    if response.line < request.line:
        raise DocPageError(f"expected '{_REQUEST}' before '{_RESPONSE}'", response.line)
    return request, response


def _last_line(lines: Sequence[_Line]) -> int:
    return lines[-1].number if lines else 1


def _code_block(section: _Section | None) -> _Code | None:
    """The code under a section's language tabs, dedented; None when there is none."""
    if section is None:
        return None
    body = section.body
    start = 0
    while start < len(body) and (not body[start].text or body[start].text.startswith(_BULLET)):
        start += 1
    code = textwrap.dedent("\n".join(line.raw for line in body[start:])).strip()
    return _Code(code, body[start].number) if code else None


def _xml_block(section: _Section | None) -> _Code | None:
    """The section's block when it is XML; a page saved on its JSON tab has none."""
    block = _code_block(section)
    return block if block is not None and block.text.startswith("<") else None


def _session(java: str | None) -> SessionUse | None:
    call = _EXECUTE.search(java) if java is not None else None
    if call is None:
        return None
    return SessionUse.REQUIRED if call["session"] else SessionUse.NONE


# --- parameter tables ---------------------------------------------------------------------------


def _parse_table(
    section: _Section, root: _Sample | None, warnings: list[str]
) -> tuple[DocField, ...]:
    """The fields of a 请求参数 or 响应参数 section, nested with the help of `root`."""
    filled = [at for at, line in enumerate(section.body) if line.text]
    if not filled or not section.body[filled[0]].text.startswith(_COLUMNS):
        line = section.body[filled[0]].number if filled else section.line
        raise DocPageError(f"expected the column header '{_COLUMNS} ...' of '{section.name}'", line)
    header = section.body[filled[0]]
    has_required = _REQUIRED_COLUMN in header.text
    rows = _read_rows(section.body[filled[0] + 1 :], has_required)
    raws = [field for row in rows for field in _row_fields(row, has_required)]
    return _build(_place(raws, root, warnings))


def _read_rows(lines: Sequence[_Line], has_required: bool) -> list[_Row]:
    rows: list[tuple[_Row, list[_Item]]] = []
    for line in lines:
        if not line.text:
            continue
        if line.text.startswith(_BULLET):
            if not rows:
                raise DocPageError("expected a parameter row before the first bullet", line.number)
            rows[-1][1].append(_Item(line.text.removeprefix(_BULLET).strip(), line.number))
        elif (row := _parse_row(line, has_required)) is not None:
            rows.append((row, []))
        elif rows:
            rows[-1] = _wrap(*rows[-1], line.text)
        else:
            required = "必须|可选 " if has_required else ""
            raise DocPageError(
                f"expected a parameter row 'name Type {required}example description'", line.number
            )
    return [_Row(r.name, r.type, r.required, r.rest, r.line, tuple(items)) for r, items in rows]


def _parse_row(line: _Line, has_required: bool) -> _Row | None:
    match = _ROW.fullmatch(line.text)
    if match is None or not _TYPE.fullmatch(match["type"]):
        return None
    rest = match["rest"] or ""
    required = False
    if has_required:
        flag, _, rest = rest.partition(" ")
        if flag not in _REQUIRED:
            return None
        required = _REQUIRED[flag]
    return _Row(match["name"], match["type"], required, rest, line.number)


def _wrap(row: _Row, items: list[_Item], text: str) -> tuple[_Row, list[_Item]]:
    """A line that continues the previous cell, as the page wrapped it."""
    if not items:
        return _Row(row.name, row.type, row.required, f"{row.rest} {text}", row.line), items
    items[-1] = _Item(f"{items[-1].text} {text}", items[-1].line)
    return row, items


def _row_fields(row: _Row, has_required: bool) -> list[_RawField]:
    """The row's own field, then one per bullet group after it, in page order."""
    items = row.items
    starts = [at for at in range(len(items)) if _starts_field(items, at, has_required)]
    overflow = items[: starts[0] if starts else len(items)]
    cells: tuple[str, ...]
    if overflow:  # a 更多限制 value broke the row: its limits and description follow
        described = " ".join(item.text for item in overflow if not _LIMIT.match(item.text))
        cells, joined = (row.rest, described), False
    else:
        cells, joined = (row.rest,), True
    limits = _limits(overflow)
    top = _RawField(
        row.name, row.type, row.required, row.line, True, not starts, cells, joined, limits
    )
    groups = (_group(items[a:b], has_required) for a, b in pairwise([*starts, len(items)]))
    return [top, *groups]


def _starts_field(items: Sequence[_Item], at: int, has_required: bool) -> bool:
    text = items[at].text
    if text.startswith(_LEAF):
        return True
    after = [item.text for item in items[at + 1 : at + 3]]
    if not _OBJECT_NAME.fullmatch(text) or not after or not _TYPE.fullmatch(after[0]):
        return False
    return not has_required or (len(after) == 2 and after[1] in _REQUIRED)


def _group(items: Sequence[_Item], has_required: bool) -> _RawField:
    head = items[0]
    name = head.text.removeprefix(_LEAF).strip()
    if not _FIELD_NAME.fullmatch(name):
        raise DocPageError(f"expected a field name after '{_LEAF}', found {name!r}", head.line)
    if len(items) < 2 or not _TYPE.fullmatch(items[1].text):
        line = items[1].line if len(items) > 1 else head.line
        raise DocPageError(f"expected the type of field '{name}'", line)
    rest = items[2:]
    required = False
    if has_required:
        if not rest or rest[0].text not in _REQUIRED:
            line = rest[0].line if rest else items[1].line
            raise DocPageError(f"expected 必须 or 可选 for field '{name}'", line)
        required, rest = _REQUIRED[rest[0].text], rest[1:]
    cells = tuple(item.text for item in rest if not _LIMIT.match(item.text))
    leaf = head.text.startswith(_LEAF)
    limits = _limits(rest)
    return _RawField(name, items[1].text, required, head.line, False, leaf, cells, limits=limits)


def _limits(items: Sequence[_Item]) -> tuple[tuple[str, Any], ...]:
    """The limit cells among a field's cells, as (keyword, value): a number when it is one."""
    found: list[tuple[str, Any]] = []
    for item in items:
        if (limit := _LIMIT.match(item.text)) is None:
            continue
        text = item.text[limit.end() :].strip()
        keyword = _LIMIT_KEYWORDS.get(limit["word"], limit["word"])
        found.append((keyword, text if keyword == "default" else _limit_value(text)))
    return tuple(found)


def _limit_value(text: str) -> Any:
    """A documented limit as a number; text that is not one stays text (and is reported)."""
    number = _LIMIT_NUMBER.fullmatch(text)
    if number is None:
        return text
    return float(text) if number["fraction"] else int(text)


# --- nesting --------------------------------------------------------------------------------


def _place(raws: Sequence[_RawField], root: _Sample | None, warnings: list[str]) -> list[_Placed]:
    """Give every field its parent, matching example elements on the way."""
    placed: list[_Placed] = []
    stack: list[int] = []  # the open objects, innermost last
    used: set[_Sample] = set()
    for raw in raws:
        parent: int | None = None
        if raw.top:
            stack = []
        else:
            parent = _choose_parent(raw, stack, placed, used, warnings)
            del stack[stack.index(parent) + 1 :]
        home = root if parent is None else placed[parent].scope
        sample = _take(home, _key(raw.name), used)
        placed.append(_Placed(raw, parent, _scope(sample, raw.type)))
        if raw.top or not raw.leaf:
            stack.append(len(placed) - 1)
        if len(stack) > MAX_DEPTH:
            raise DocPageError(f"the fields nest deeper than {MAX_DEPTH} levels", raw.line)
    return placed


def _choose_parent(
    raw: _RawField,
    stack: Sequence[int],
    placed: Sequence[_Placed],
    used: set[_Sample],
    warnings: list[str],
) -> int:
    key = _key(raw.name)
    shown = [at for at in stack if _unused_child(placed[at].scope, key, used) is not None]
    if len(shown) == 1:
        return shown[0]
    just_opened = stack[-1] == len(placed) - 1
    if just_opened or len(stack) == 1:
        return stack[-1]
    candidates = shown or list(stack)
    chosen = _closing_rule(stack, placed, used)
    if chosen not in candidates:
        chosen = candidates[-1]
    reason = "the examples allow several parents" if shown else "no example settles its parent"
    warnings.append(
        f"line {raw.line}: field '{raw.name}' may belong to any open object and {reason}; "
        f"placed as '{_path(placed, chosen)}.{raw.name}' by the closing rule"
    )
    return chosen


def _closing_rule(stack: Sequence[int], placed: Sequence[_Placed], used: set[_Sample]) -> int:
    """Stay in the innermost object unless its example elements are all matched already."""
    inner = placed[stack[-1]].scope
    if inner is not None and inner.children and all(child in used for child in inner.children):
        return stack[-2]
    return stack[-1]


def _unused_child(scope: _Sample | None, key: str, used: set[_Sample]) -> _Sample | None:
    if scope is None:
        return None
    return next((c for c in scope.children if c.key == key and c not in used), None)


def _take(scope: _Sample | None, key: str, used: set[_Sample]) -> _Sample | None:
    child = _unused_child(scope, key, used)
    if child is not None:
        used.add(child)
    return child


def _scope(sample: _Sample | None, type_: str) -> _Sample | None:
    """Where a field's own fields are: inside the first item when the example wraps a list."""
    if sample is None or not type_.endswith("[]"):
        return sample
    item_key = _key(type_.removesuffix("[]"))
    items = sample.children
    if items and all(item.key == item_key for item in items):
        return items[0]
    return sample


def _path(placed: Sequence[_Placed], at: int | None) -> str:
    names: list[str] = []
    while at is not None:
        names.append(placed[at].raw.name)
        at = placed[at].parent
    return ".".join(reversed(names))


def _key(name: str) -> str:
    """A name as XML tags, Java setters and the table all spell it: pre_pay_no, PrePayNo."""
    return "".join(name.split()).replace("_", "").lower()


# --- fields ---------------------------------------------------------------------------------


def _build(placed: Sequence[_Placed]) -> tuple[DocField, ...]:
    children: dict[int | None, list[int]] = {}
    for at, field in enumerate(placed):
        children.setdefault(field.parent, []).append(at)
    return tuple(_doc_field(placed, children, at) for at in children.get(None, []))


def _doc_field(
    placed: Sequence[_Placed], children: dict[int | None, list[int]], at: int
) -> DocField:
    raw, scope = placed[at].raw, placed[at].scope
    known = scope.value if scope is not None else None
    split = _split_row_text if raw.joined else _split_cells
    example, description = split(raw.cells, known)
    return DocField(
        name=raw.name,
        type=raw.type,
        required=raw.required,
        example=example,
        description=description,
        children=tuple(_doc_field(placed, children, k) for k in children.get(at, [])),
        limits=raw.limits,
    )


def _split_row_text(cells: Sequence[str], known: str | None) -> tuple[str, str]:
    """Example and description from the remainder of a one-line row."""
    text = cells[0]
    if not text:
        return "", ""
    if known == "":
        return "", text
    if known and (text == known or text.startswith(f"{known} ")):
        return known, text[len(known) :].lstrip(" ")
    lead = _leading_example(text)
    if lead is not None:
        return lead, text[len(lead) :].lstrip(" ")
    example, _, description = text.partition(" ")
    return (example, description) if description else ("", example)


def _split_cells(cells: Sequence[str], known: str | None) -> tuple[str, str]:
    """Example and description from the cells of a bullet group (or of a broken row)."""
    if known and known in cells:
        at = cells.index(known)
        return known, " ".join(cell for k, cell in enumerate(cells) if k != at)
    if len(cells) == 1:
        return "", cells[0]
    return (cells[0], " ".join(cells[1:])) if cells else ("", "")


def _leading_example(text: str) -> str | None:
    """An example with spaces inside that is recognisable on its own: a date-time, JSON."""
    date_time = _DATE_TIME.match(text)
    if date_time is not None:
        return date_time.group()
    if text.startswith(("{", "[")):
        return _json_prefix(text)
    return None


def _json_prefix(text: str) -> str | None:
    """The balanced JSON object or array `text` starts with, if a space or the end follows."""
    depth, in_string, escaped = 0, False, False
    for at, char in enumerate(text):
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "{[":
            depth += 1
        elif char in "}]":
            depth -= 1
            if depth == 0:
                end = at + 1
                return text[:end] if text[end : end + 1] in ("", " ") else None
    return None


# --- examples -------------------------------------------------------------------------------


def _xml_element(code: _Code) -> ET.Element:
    """The root element of an XML example; DocPageError at its page line if it is malformed."""
    try:
        root = ET.fromstring(code.text)
    except ET.ParseError as error:
        reason = str(error).partition(":")[0]
        raise DocPageError(
            f"the XML example is not well-formed: {reason}", code.line + error.position[0] - 1
        ) from None
    if _depth(root) > MAX_DEPTH:
        raise DocPageError(f"the XML example nests deeper than {MAX_DEPTH} levels", code.line)
    return root


def _depth(root: ET.Element) -> int:
    """How many levels of elements `root` holds, itself included (without recursion)."""
    deepest, level = 0, [root]
    while level and deepest <= MAX_DEPTH:
        deepest += 1
        level = [child for element in level for child in element]
    return deepest


def _element_sample(element: ET.Element) -> _Sample:
    children = tuple(_element_sample(child) for child in element)
    value = None if children else (element.text or "").strip()
    return _Sample(_key(element.tag), value, children)


def _java_samples(java: str) -> _Sample:
    """The request as the Java example builds it, from its setter calls."""
    setters: dict[str, list[tuple[str, str]]] = {}
    first_items: dict[str, str] = {}  # a list variable -> the first object added to it
    for line in java.splitlines():
        if setter := _JAVA_SETTER.fullmatch(line.strip()):
            calls = setters.setdefault(setter["target"], [])
            calls.append((setter["field"], setter["argument"].strip()))
        elif added := _JAVA_LIST_ADD.fullmatch(line.strip()):
            first_items.setdefault(added["target"], added["item"])
    call = _EXECUTE.search(java)
    request = call["request"] if call else "req"
    return _java_object(request, "", setters, first_items, frozenset())


def _java_object(
    variable: str,
    key: str,
    setters: dict[str, list[tuple[str, str]]],
    first_items: dict[str, str],
    seen: frozenset[str],
) -> _Sample:
    target = first_items.get(variable, variable)
    if target in seen:
        return _Sample(key, None)
    inside = seen | {target}
    children = tuple(
        _java_object(argument, _key(field), setters, first_items, inside)
        if argument in setters or argument in first_items
        else _Sample(_key(field), _java_literal(argument))
        for field, argument in setters.get(target, [])
    )
    return _Sample(key, None, children)


def _java_literal(argument: str) -> str | None:
    """The example value a Java argument spells, or None when it is not a plain literal."""
    for pattern in (_JAVA_STRING, _JAVA_DATE):
        if match := pattern.fullmatch(argument):
            return _JAVA_ESCAPE.sub(_unescape, match["body"])
    if number := _JAVA_NUMBER.fullmatch(argument):
        return number["digits"]
    return argument if argument in ("true", "false") else None


def _unescape(escape: re.Match[str]) -> str:
    if escape["code"] is not None:
        return chr(int(escape["code"], 16))
    return _JAVA_ESCAPED_CHARS.get(escape["char"], escape["char"])
