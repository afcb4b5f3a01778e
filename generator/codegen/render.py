"""Stage 4, render: the model, through datamodel-code-generator and Jinja, into Python sources."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import jinja2

from ..diagnostics import Diagnostic, Level, SpecError
from ..resources import RUNTIME_DIR, TEMPLATES_DIR
from ..spec.model import Api, ApiHeading, Package, SessionUse, TopType
from ..spec.toptypes import TOP_TYPES
from .datamodels import generate_models
from .layout import Bracketed, Code, assignment, docstring, import_from, lay_out, string_literal
from .limits import default_source

PACKAGE = "topapi"
DISTRIBUTION_FILE = "pyproject.toml"  # beside the package: what makes the output installable
OUTPUT_ENTRIES = frozenset({PACKAGE, DISTRIBUTION_FILE})
PACKAGE_TEMPLATES = {
    "__init__.py": "package_init.py.jinja",
    "_envelope.py": "envelope.py.jinja",
    "apis/__init__.py": "apis_init.py.jinja",
}


@dataclass(frozen=True)
class ApiView:
    """What the API module template prints: every line decided here, in Python."""

    api: Api
    imports: str
    models: str
    request_fields: tuple[str, ...]
    response_fields: tuple[str, ...]
    exports: tuple[str, ...]
    method: ClientMethodView
    response_header: str
    request_header: str
    response_key_line: str
    top_method_line: str


@dataclass(frozen=True)
class ClientMethodView:
    """An API's `call`/`acall`: keyword parameters, docstrings and the request it builds."""

    api: Api
    params: tuple[str, ...]
    session_param: str | None
    hide_session: str
    build_request: str
    execute: str
    execute_async: str
    doc: str
    doc_async: str


HIDE_SESSION = "    session_key = as_secret(session)\n    del session"


RUNTIME_PACKAGE_FILE = "__init__.py"


def runtime_files() -> dict[str, str]:
    """topapi's shared runtime, copied byte for byte from its source (`runtime/`)."""
    return {
        f"{PACKAGE}/{path.name}": path.read_text(encoding="utf-8")
        for path in sorted(RUNTIME_DIR.glob("*.py"))
        if path.name != RUNTIME_PACKAGE_FILE  # topgen's, not topapi's: topapi has a template
    }


def render_package(package: Package, templates_dir: Path | None = None) -> dict[str, str]:
    """The files every API shares, rendered: envelope, client stub, headings, package indexes."""
    with _template_errors(templates_dir):
        env = _environment(templates_dir)
        files = {f"{PACKAGE}/py.typed": ""}
        context = {"package": package, "envelope": package.envelope}
        for name, template in PACKAGE_TEMPLATES.items():
            files[f"{PACKAGE}/{name}"] = env.get_template(template).render(context)
        files[DISTRIBUTION_FILE] = env.get_template(f"{DISTRIBUTION_FILE}.jinja").render(context)
        files[f"{PACKAGE}/_headings.py"] = env.get_template("headings.py.jinja").render(
            headings=[_heading_line(api) for api in package.apis]
        )
        files[f"{PACKAGE}/_client.pyi"] = env.get_template("client.pyi.jinja").render(
            imports=_client_imports(package.module_names),
            sync_methods=_bindings(package.module_names, "call"),
            async_methods=_bindings(package.module_names, "acall"),
        )
    return files


def render_api(api: Api, templates_dir: Path | None = None) -> tuple[str, str]:
    """The path and (unformatted) source of one API's module."""
    with _template_errors(templates_dir):
        template = _environment(templates_dir).get_template("api_module.py.jinja")
        return f"{PACKAGE}/apis/{api.module_name}.py", template.render(view=api_view(api))


@contextmanager
def _template_errors(templates_dir: Path | None) -> Iterator[None]:
    """Template problems as located diagnostics instead of tracebacks."""
    if templates_dir is not None and not templates_dir.is_dir():
        raise SpecError([Diagnostic(Level.ERROR, str(templates_dir), None, "", "no such folder")])
    try:
        yield
    except jinja2.TemplateSyntaxError as exc:
        where = exc.filename or str(templates_dir or TEMPLATES_DIR)
        message = exc.message or ""
        raise SpecError([Diagnostic(Level.ERROR, where, exc.lineno, "", message)]) from None
    except jinja2.TemplateError as exc:
        message = f"template error: {exc.message or exc}"
        where = str(templates_dir or TEMPLATES_DIR)
        raise SpecError([Diagnostic(Level.ERROR, where, None, "", message)]) from None


@cache
def _environment(templates_dir: Path | None) -> jinja2.Environment:
    """Templates from `templates_dir` first; what it does not have, from the built-in ones."""
    folders = [TEMPLATES_DIR] if templates_dir is None else [templates_dir, TEMPLATES_DIR]
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(folders),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        autoescape=False,
    )
    env.filters["docstring"] = docstring
    env.filters["pystr"] = literal
    env.filters["constant"] = lambda name: name.upper().replace("-", "_")
    return env


def python_type(top_type: TopType) -> str:
    """The annotation of a TOP type in a generated module."""
    if top_type.scalar is not None:
        base = TOP_TYPES[top_type.scalar].annotation
    else:
        base = str(top_type.class_name)
    return f"list[{base}]" if top_type.is_list else base


def api_view(api: Api) -> ApiView:
    """The view of one API module."""
    models = generate_models(api)
    own = ["from __future__ import annotations", "from typing import ClassVar"]
    own.append("from topapi._model import SessionUse, TopRequest, TopResponse")
    own.append("from topapi._core import AsyncClientBase, SyncClientBase")
    if api.business_result is not None:
        own.append("from topapi._model import BusinessResult")
    if api.session is not SessionUse.NONE:
        own.append("from topapi._core import as_secret")
    exports = sorted([t.class_name for t in api.types] + [api.request_class, api.response_class])
    return ApiView(
        api=api,
        imports=merge_imports([*own, *models.imports]),
        models=models.body,
        request_fields=models.request_fields,
        response_fields=models.response_fields,
        exports=tuple(exports),
        method=client_method_view(api),
        response_header=class_header(api.response_class, "TopResponse"),
        request_header=class_header(api.request_class, f"TopRequest[{api.response_class}]"),
        response_key_line=assignment(
            "response_key: ClassVar[str]", string_literal(api.response_key), 1
        ),
        top_method_line=assignment("top_method: ClassVar[str]", string_literal(api.method), 1),
    )


def class_header(name: str, base: str) -> str:
    """`class Name(Base):`, laid out."""
    return lay_out(Bracketed(f"class {name}", (base,), tail=":", trailing_comma=False), 0)


def literal(value: str | tuple[str, ...] | None) -> str:
    """The Python literal of a string, a tuple of strings or None, as black writes it."""
    if value is None:
        return "None"
    if isinstance(value, str):
        return string_literal(value)
    items = ", ".join(string_literal(item) for item in value)
    return f"({items},)" if len(value) == 1 else f"({items})"


def client_method_view(api: Api) -> ClientMethodView:
    """The keyword parameters of an API's `call` and `acall`, which the clients bind."""
    params = []
    for field in api.params:
        annotation = python_type(field.top_type)
        default = "None" if field.default is None else default_source(field)
        if field.required and field.default is None:
            params.append(f"{field.python_name}: {annotation}")
        elif field.required:
            params.append(f"{field.python_name}: {annotation} = {default}")
        else:
            params.append(f"{field.python_name}: {annotation} | None = {default}")
    session = {"required": "session: str", "optional": "session: str | None = None"}.get(
        api.session.value
    )
    arguments = tuple(f"{f.python_name}={f.python_name}" for f in api.params)
    execute_args: tuple[Code, ...] = (
        "request",
        *(("session=session_key",) if session else ()),
        "timeout=timeout",
        "max_retries=max_retries",
        "check=check",
    )
    return ClientMethodView(
        api=api,
        params=tuple(params),
        session_param=session,
        # A frame that shows its locals (Sentry, rich, pytest -l) then holds the wrapped key only.
        hide_session=HIDE_SESSION if session else "",
        build_request=lay_out(Bracketed(f"request = {api.request_class}", arguments), 1),
        execute=lay_out(Bracketed("return top_client.execute", execute_args), 1),
        execute_async=lay_out(Bracketed("return await top_client.execute", execute_args), 1),
        doc=docstring(call_doc(api, "TopClient"), 1),
        doc_async=docstring(call_doc(api, "AsyncTopClient"), 1),
    )


_SESSION_DOC = {
    "required": "the user's session key, which this API requires",
    "optional": "the user's session key, if the call is made for a user",
}
_CALL_OPTION_DOCS = (
    "timeout (float | None): seconds to wait for the gateway; None: the client's",
    "max_retries (int | None): retries of a throttled or failed call; None: the client's",
    "check (bool | None): refuse a call breaking a documented limit; None: the client's",
)


def call_doc(api: Api, client_class: str) -> str:
    """The text of `call`'s (or `acall`'s) docstring, which help() shows of the client method."""
    lines = [f"{api.title} ({api.method})." if api.title else f"{api.method}.", ""]
    if api.description.strip():
        lines += [api.description.strip(), ""]
    lines.append("Args:")
    for field in api.params:
        annotation = python_type(field.top_type)
        kind = annotation if field.required else f"{annotation}, optional"
        lines.append(_arg_doc(field.python_name, kind, field.description))
    if api.session.value in _SESSION_DOC:
        kind = "str" if api.session.value == "required" else "str, optional"
        lines.append(_arg_doc("session", kind, _SESSION_DOC[api.session.value]))
    lines += [f"    {option}" for option in _CALL_OPTION_DOCS]
    lines += ["", "Returns:", f"    {api.response_class}: the typed response.", ""]
    lines.append(f"`{client_class}.{api.module_name}` binds this.")
    return "\n".join(lines)


def _arg_doc(name: str, kind: str, description: str) -> str:
    """`    name (type): description`, its further lines indented under it."""
    text = description.strip().replace("\n", "\n        ")
    return f"    {name} ({kind}): {text}" if text else f"    {name} ({kind})"


def _heading_line(api: ApiHeading) -> str:
    """An entry `"name": (title, summary),` of the headings that help() of the clients shows."""
    pair = (string_literal(api.title), string_literal(api.summary))
    return lay_out(Bracketed(f"{string_literal(api.module_name)}: ", pair, tail=","), 1)


def _bindings(module_names: tuple[str, ...], function: str) -> list[str]:
    """The client stub's `name = _module.call` lines, laid out."""
    return [assignment(name, f"_{name}.{function}", 1) for name in module_names]


def _client_imports(module_names: tuple[str, ...]) -> str:
    """The client stub's imports: the client bases and every API module."""
    statements = ["from topapi._batch import AsyncBatching, SyncBatching"]
    statements += [f"from topapi.apis import {name} as _{name}" for name in module_names]
    return merge_imports(statements)


def merge_imports(statements: list[str]) -> str:
    """The import block of a module: one line per module, grouped and ordered as isort does."""
    by_module: dict[str, set[str]] = {}
    renamed: dict[str, set[str]] = {}
    for statement in statements:
        for node in ast.parse(statement).body:
            if isinstance(node, ast.ImportFrom):
                module = "." * node.level + (node.module or "")
                for alias in node.names:
                    if alias.asname:
                        renamed.setdefault(module, set()).add(f"{alias.name} as {alias.asname}")
                    else:
                        by_module.setdefault(module, set()).add(alias.name)
    groups: dict[int, list[str]] = {}
    for module in sorted(by_module.keys() | renamed.keys()):
        lines = groups.setdefault(_section(module), [])
        if module in by_module:
            lines.append(import_from(module, sorted(by_module[module], key=_name_order)))
        lines += [import_from(module, [name]) for name in sorted(renamed.get(module, ()))]
    return "\n\n".join("\n".join(groups[section]) for section in sorted(groups))


def _section(module: str) -> int:
    top = module.split(".", maxsplit=1)[0]
    if top == "__future__":
        return 0
    if top in ("datetime", "decimal", "enum", "typing"):
        return 1
    return 3 if top == PACKAGE else 2


def _name_order(name: str) -> tuple[int, str]:
    """isort's order_by_type: CONSTANTS, then Classes, then the rest."""
    if name.isupper() and len(name) > 1:
        return (0, name)
    return (1, name) if name[:1].isupper() else (2, name)
