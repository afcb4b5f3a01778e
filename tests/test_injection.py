"""Text from specs cannot inject code into the generated modules, whatever it holds."""

from __future__ import annotations

import ast
import copy
import shutil
import tempfile
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from topgen.pipeline import check_specs, generate

from .conftest import FIRST_SPEC, SPECS

METHOD = "alibaba.idle.tender.pre.pay.action"
MODULE = "topapi/apis/alibaba_idle_tender_pre_pay_action.py"
CLIENT = "topapi/_client.pyi"
HEADINGS = "topapi/_headings.py"
REQUEST = "AlibabaIdleTenderPrePayActionRequest"
CLASSES = {
    REQUEST,
    "AlibabaIdleTenderPrePayActionResponse",
    "CommonResult",
    "TenderPrePayCmd",
    "TenderPrepayTopResult",
}
BASE_SPEC: dict[str, Any] = yaml.safe_load(FIRST_SPEC.read_text(encoding="utf-8"))


class QuotingDumper(yaml.SafeDumper):
    """safe_dump, but every string double-quoted: the plain and single-quoted styles of
    PyYAML's emitter lose some texts (a lone NEL, U+0085, comes back as a space)."""


QuotingDumper.add_representer(
    str, lambda dumper, text: dumper.represent_scalar("tag:yaml.org,2002:str", text, style='"')
)

# Fragments that mean something to Python, Jinja or black, mixed into arbitrary text.
NASTY = [
    '"""',
    "'''",
    '"',
    "'",
    "\\",
    "\\n",
    "\\u12",
    "\\N{",
    "\n",
    "\r",
    "\r\n",
    "\t",
    "\x00",
    "\x0c",
    "\x1b",
    "\x7f",
    "\x85",
    "\u2028",
    "\ufeff",
    "{{ ",
    " }}",
    "{% ",
    " %}",
    "{#",
    "#}",
    "#",
    ")]",
    "\nimport os\n",
    '"""\nimport os\nos.system("x")\n"""',
    "')\nx = 1\n#",
    "    ",
]
# Surrogates are left out: YAML (UTF-8) cannot hold them.
spec_text = st.lists(
    st.one_of(st.text(st.characters(exclude_categories=("Cs",))), st.sampled_from(NASTY)),
    max_size=8,
).map("".join)


def spec_with(request_field: str, nested_field: str, summary: str, description: str) -> str:
    """The first API's spec as YAML, with the four texts put in place."""
    spec = copy.deepcopy(BASE_SPEC)
    operation = spec["paths"]["/router/rest"]["post"]
    operation["summary"] = summary
    operation["description"] = description
    schemas = spec["components"]["schemas"]
    schemas[REQUEST]["properties"]["param0"]["description"] = request_field
    schemas["TenderPrePayCmd"]["properties"]["order_id"]["description"] = nested_field
    return yaml.dump(spec, Dumper=QuotingDumper, allow_unicode=True, sort_keys=False)


def texts_of(spec: dict[str, Any]) -> tuple[str, str, str, str]:
    """The four texts of `spec_with`, read back from a loaded spec."""
    operation = spec["paths"]["/router/rest"]["post"]
    schemas = spec["components"]["schemas"]
    return (
        schemas[REQUEST]["properties"]["param0"]["description"],
        schemas["TenderPrePayCmd"]["properties"]["order_id"]["description"],
        operation["summary"],
        operation["description"],
    )


def field_keywords(tree: ast.Module, class_name: str, field: str) -> dict[str, Any]:
    """The literal keywords of `Field(...)` in the annotation of `class_name.field`."""
    (cls,) = (n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == class_name)
    (statement,) = (
        n
        for n in cls.body
        if isinstance(n, ast.AnnAssign) and isinstance(n.target, ast.Name) and n.target.id == field
    )
    calls = [
        n
        for n in ast.walk(statement.annotation)
        if isinstance(n, ast.Call) and isinstance(n.func, ast.Name) and n.func.id == "Field"
    ]
    assert len(calls) <= 1, ast.unparse(statement)
    return {k.arg: ast.literal_eval(k.value) for call in calls for k in call.keywords if k.arg}


def assert_only_expected_definitions(tree: ast.Module) -> None:
    """Docstring, imports, the five classes, __all__, call/acall; classes hold only fields."""
    body = list(tree.body)
    assert ast.get_docstring(tree, clean=False) is not None
    body = body[1:]
    imports = [n for n in body if isinstance(n, ast.Import | ast.ImportFrom)]
    classes = [n for n in body if isinstance(n, ast.ClassDef)]
    exports = [
        n
        for n in body
        if isinstance(n, ast.Assign)
        and [t.id for t in n.targets if isinstance(t, ast.Name)] == ["__all__"]
    ]
    functions = [n for n in body if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)]
    assert [f.name for f in functions] == ["call", "acall"]
    for function in functions:
        doc = (ast.get_docstring(function, clean=False) or "").rstrip()
        assert doc.endswith("binds this."), doc
        # The session key wrapped and its plain text unbound (where the API takes one), the
        # request built, the call returned: nothing else.
        statements = function.body[1:]
        hidden = [ast.unparse(s) for s in statements[:-2]]
        assert hidden in ([], ["session_key = as_secret(session)", "del session"])
        assert [type(s) for s in statements[-2:]] == [ast.Assign, ast.Return]
    counted = len(imports) + len(classes) + len(exports) + len(functions)
    assert counted == len(body), ast.dump(tree)[:2000]
    assert {c.name for c in classes} == CLASSES
    assert len(classes) == len(CLASSES)
    assert len(exports) == 1
    assert ast.literal_eval(exports[0].value) == sorted(CLASSES)
    for cls in classes:
        statements = cls.body[1:] if ast.get_docstring(cls, clean=False) else cls.body
        assert all(isinstance(s, ast.AnnAssign) for s in statements), ast.unparse(cls)


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@example(
    request_field='"""\nimport os\nos.system("x")\n"""',
    nested_field="')\nx = 1\n#\\",
    summary='"""\\',
    description="{{ 7 * 7 }}{% raw %}\x00\r\n",
)
@example(request_field="", nested_field="\x85", summary="\x85\u2028\n x", description=" ")
@given(
    request_field=spec_text,
    nested_field=spec_text,
    summary=spec_text,
    description=spec_text,
)
def test_spec_text_cannot_inject_code(
    request_field: str, nested_field: str, summary: str, description: str
) -> None:
    """Arbitrary descriptions and titles stay inside string literals, and survive exactly."""
    with tempfile.TemporaryDirectory() as folder:
        specs = Path(folder)
        (specs / "apis").mkdir()
        shutil.copy(SPECS / "top.yaml", specs / "top.yaml")
        text = spec_with(request_field, nested_field, summary, description)
        (specs / "apis" / FIRST_SPEC.name).write_text(text, encoding="utf-8")
        # The harness itself: YAML must hand topgen the very texts we chose.
        assert texts_of(yaml.safe_load(text)) == (request_field, nested_field, summary, description)

        files = generate(specs).files
        (api,) = check_specs(specs)[0].apis

    source = files[MODULE]
    compile(source, MODULE, "exec")
    tree = ast.parse(source)
    assert_only_expected_definitions(tree)

    # Field descriptions are repr()'d literals: black and pydantic keep the value as is.
    param0 = field_keywords(tree, REQUEST, "param0")
    assert param0.get("description") == (request_field or None)
    order_id = field_keywords(tree, "TenderPrePayCmd", "order_id")
    assert order_id.get("description") == (nested_field or None)

    # black may re-indent docstrings and move their closing quotes: only check that the fixed
    # text around the spec's text is still inside the same literal.
    module_doc = (ast.get_docstring(tree, clean=False) or "").rstrip()
    assert module_doc.startswith(f"{METHOD}:"), module_doc
    assert module_doc.endswith("; do not edit."), module_doc

    client_source = files[CLIENT]
    compile(client_source, CLIENT, "exec")
    client = ast.parse(client_source)
    client_classes = [n for n in client.body if isinstance(n, ast.ClassDef)]
    assert {c.name for c in client_classes} == {"TopClient", "AsyncTopClient"}
    module = METHOD.replace(".", "_")
    for cls, function in zip(client_classes, ("call", "acall"), strict=True):
        (binding,) = cls.body[1:]  # after the docstring: one method, bound from its module
        assert isinstance(binding, ast.Assign), ast.unparse(binding)
        assert ast.unparse(binding) == f"{module} = _{module}.{function}", cls.name

    (headings,) = (n for n in ast.parse(files[HEADINGS]).body if isinstance(n, ast.AnnAssign))
    assert isinstance(headings.value, ast.Dict), ast.unparse(headings)
    assert ast.literal_eval(headings.value) == {module: (api.title, api.heading.summary)}
    assert api.heading.summary in api.description and "\n" not in api.heading.summary
