"""Model classes, from their Python syntax tree, written in black's shape."""

from __future__ import annotations

import ast
from dataclasses import replace

from .layout import INDENT, Bracketed, Code, docstring, flat, lay_out, string_literal


class LayoutError(Exception):
    """Something in datamodel-code-generator's output outside the shapes topgen lays out."""


def class_code(node: ast.ClassDef) -> str:
    """A model class as black shapes it, from datamodel-code-generator's definition."""
    bases = tuple(ast.unparse(base) for base in node.bases)
    lines = [lay_out(Bracketed(f"class {node.name}", bases, ":", trailing_comma=False), 0)]
    body = list(node.body)
    doc = ast.get_docstring(node, clean=False)
    if doc is not None:
        lines.append(INDENT + docstring(doc, 1))
        body = body[1:]
        if body:
            lines.append("")
    lines += [statement_code(statement) for statement in body]
    return "\n".join(lines)


def statement_code(node: ast.stmt) -> str:
    """A statement of a class body (a field, or `pass`), laid out in the class."""
    if isinstance(node, ast.Pass):
        return INDENT + "pass"
    if not (isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name)):
        raise LayoutError(f"the statement `{ast.unparse(node)}`")
    default = "" if node.value is None else f" = {_whole(node.value)}"
    annotation = _expression(node.annotation)
    if isinstance(annotation, str):
        return lay_out(f"{node.target.id}: {annotation}{default}", 1)
    head = f"{node.target.id}: {annotation.head}"
    return lay_out(replace(annotation, head=head, tail=annotation.tail + default), 1)


def _whole(node: ast.expr) -> str:
    return flat(_expression(node))


def _expression(node: ast.expr) -> Code:
    """`Annotated[...]` and calls as brackets black may explode; anything else whole."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return string_literal(node.value)
    if isinstance(node, ast.Subscript) and ast.unparse(node.value) == "Annotated":
        elements = node.slice.elts if isinstance(node.slice, ast.Tuple) else [node.slice]
        return Bracketed("Annotated", tuple(_expression(e) for e in elements), square=True)
    if isinstance(node, ast.Call):
        if any(keyword.arg is None for keyword in node.keywords):
            raise LayoutError(f"the call `{ast.unparse(node)}`")
        arguments = [_whole(argument) for argument in node.args]
        arguments += [f"{k.arg}={_whole(k.value)}" for k in node.keywords]
        return Bracketed(ast.unparse(node.func), tuple(arguments))
    if isinstance(node, ast.Dict) and None not in node.keys:
        pairs = zip(node.keys, node.values, strict=True)
        return "{" + ", ".join(f"{_whole(k)}: {_whole(v)}" for k, v in pairs if k) + "}"
    text = ast.unparse(node)
    if "'" in text or '"' in text:
        raise LayoutError(f"the expression `{text}`")
    return text
