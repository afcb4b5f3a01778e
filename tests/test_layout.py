"""The shapes topgen writes without black are black's fixed points, whatever the lengths."""

from __future__ import annotations

import ast
from dataclasses import replace

import black
from hypothesis import given, settings
from hypothesis import strategies as st

from topgen.codegen.datamodels import field_code
from topgen.codegen.format import MODE, STUB_MODE, format_source
from topgen.codegen.layout import (
    Bracketed,
    assignment,
    docstring,
    import_from,
    lay_out,
    string_literal,
    stub_def,
)
from topgen.codegen.render import class_header
from topgen.spec.model import Field, Scalar, TopType

NAMES = st.from_regex(r"[a-z][a-z0-9_]{0,40}", fullmatch=True).filter(
    lambda name: not __import__("keyword").iskeyword(name)
)
CLASS_NAMES = st.from_regex(r"[A-Z][A-Za-z0-9]{0,70}", fullmatch=True)
# Descriptions as TOP writes them: Chinese, ASCII, quotes, backslashes, spaces, newlines.
TEXTS = st.text(
    alphabet=st.sampled_from([*"ab Z09,.:;'\"\\\n\t中文说明，（）", "\u3000", "é"]),
    max_size=160,
)


def black_stable(code: str) -> bool:
    """Whether black leaves `code` exactly as it is."""
    return black.format_str(code, mode=MODE) == code


@settings(max_examples=150, deadline=None)
@given(
    name=NAMES,
    top_type=st.builds(TopType, st.sampled_from(list(Scalar)), st.none(), st.booleans())
    | st.builds(TopType, st.none(), CLASS_NAMES, st.booleans()),
    flags=st.tuples(st.booleans(), st.booleans(), st.booleans()),
    description=TEXTS,
)
def test_field_lines(
    name: str, top_type: TopType, flags: tuple[bool, bool, bool], description: str
) -> None:
    """Request and response fields of any length: one line, or exploded as black keeps them."""
    required, optional, aliased = flags
    wire_name = f"{name}-x" if aliased else name
    line = field_code(Field(wire_name, top_type, required and not optional, description))
    assert black_stable(f"class Model(Base):\n{line}\n")


@settings(max_examples=150, deadline=None)
@given(text=TEXTS.filter(str.strip), depth=st.integers(0, 1), last=st.integers(0, 100))
def test_docstrings(text: str, depth: int, last: int) -> None:
    """Module and class docstrings, long last lines included, keep their text."""
    literal = docstring(f"{text}\n{'y' * last}", depth)
    code = f"{literal}\n" if depth == 0 else f"class Model:\n    {literal}\n"
    assert black_stable(code)
    tree = ast.parse(code)
    node = tree if depth == 0 else tree.body[0]
    assert isinstance(node, ast.Module | ast.ClassDef)
    assert ast.get_docstring(node, clean=False) is not None


@settings(max_examples=150, deadline=None)
@given(value=TEXTS)
def test_string_literals(value: str) -> None:
    """A literal means its value and is written with black's choice of quotes."""
    literal = string_literal(value)
    assert ast.literal_eval(literal) == value
    assert black_stable(f"x = {literal}\n")


@settings(max_examples=100, deadline=None)
@given(NAMES, CLASS_NAMES, st.lists(NAMES, max_size=12), st.integers(1, 2))
def test_calls(target: str, callee: str, arguments: list[str], depth: int) -> None:
    """`request = X(a=a, ...)` and `return f(...)` at any length and depth."""
    items = tuple(f"{argument}={argument}" for argument in arguments)
    statement = lay_out(Bracketed(f"{target} = {callee}", items), depth)
    returned = lay_out(Bracketed("return top_client.execute", ("request", *items)), depth)
    functions = "".join(f"{'    ' * level}def f{level}():\n" for level in range(depth))
    for code in (statement, returned):
        assert black_stable(f"{functions}{code}\n")


@settings(max_examples=100, deadline=None)
@given(name=CLASS_NAMES, base=CLASS_NAMES, value=TEXTS, target=NAMES)
def test_class_headers_and_assignments(name: str, base: str, value: str, target: str) -> None:
    """`class X(Base[Y]):` and `name: ClassVar[str] = "..."`, short or long."""
    header = class_header(name, f"TopRequest[{base}]")
    line = assignment(f"{target}: ClassVar[str]", string_literal(value), 1)
    assert black_stable(f"{header}\n{line}\n")


@settings(max_examples=100, deadline=None)
@given(name=NAMES, length=st.integers(0, 120))
def test_plain_assignments(name: str, length: int) -> None:
    """`name = _module.call` as in the client stub, and `name = "..."`, at any length."""
    module = (name * 8)[: max(1, length)]
    assert black_stable(f"class Client:\n{assignment(module, f'_{module}.call', 1)}\n")
    assert black_stable(f"{assignment(module, string_literal(module * 2), 0)}\n")


@settings(max_examples=100, deadline=None)
@given(module=NAMES, names=st.lists(NAMES, min_size=1, max_size=8, unique=True))
def test_imports(module: str, names: list[str]) -> None:
    """`from m import a, b`: one line, or one name a line in parentheses."""
    assert black_stable(import_from(f"topapi.{module}", sorted(names)) + "\n")


@settings(max_examples=150, deadline=None)
@given(topic=st.text(alphabet="aZ_09", min_size=1, max_size=110), module=NAMES, model=CLASS_NAMES)
def test_stub_overloads(topic: str, module: str, model: str) -> None:
    """The overloads of the topic stubs, a method and a function, whatever their names' lengths."""
    literal = (string_literal(topic),)
    parameter = Bracketed("topic: Literal", literal, square=True, trailing_comma=False)
    returns = Bracketed("_Decorator", (f"_{module}.{model}",), square=True, trailing_comma=False)
    method = stub_def("__call__", ("self", parameter), returns, 1)
    stub = f"class On(Protocol):\n    @overload\n{method}\n"
    assert black.format_str(stub, mode=STUB_MODE) == stub
    function = stub_def("payload_type", (parameter,), replace(returns, head="type"), 0)
    assert black.format_str(f"{function}\n", mode=STUB_MODE) == f"{function}\n"


def test_a_line_the_layout_cannot_shorten_goes_through_black() -> None:
    """An over-long expression outside the known shapes is left to black, not written long."""
    long_type = "list[" + "A" * 90 + "]"
    text = f'"""Doc."""\n\n\nclass Model(Base):\n    x: {long_type} | None = None\n'
    formatted = format_source("topapi/apis/some_api.py", text)
    assert formatted != text
    assert black_stable(formatted)
