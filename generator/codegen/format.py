"""Stage 5, format: every generated Python source in black's shape, the pinned black's.

API modules and the package indexes are rendered already in black's shape (see layout.py),
which is what keeps a whole-catalog run fast: they go through black only when a line is too
long in a way the layout does not handle. Everything else goes through black.
"""

from __future__ import annotations

import ast
import re

import black
from black.mode import Mode, TargetVersion
from black.parsing import InvalidInput

from ..diagnostics import Diagnostic, Level, SpecError
from .layout import LINE_LENGTH, fits

MODE = Mode(target_versions={TargetVersion.PY311}, line_length=LINE_LENGTH)
STUB_MODE = Mode(target_versions={TargetVersion.PY311}, line_length=LINE_LENGTH, is_pyi=True)

_SHAPED = re.compile(
    r"topapi/(apis/\w+\.py|topics/\w+\.pyi?|_client\.pyi|_tmc_on\.pyi|_headings\.py)"
)
# A line black cannot shorten: one string literal (maybe a keyword argument), one dotted name
# (maybe imported `as` another), maybe an item of a list.
_UNSPLITTABLE = re.compile(r"""\s*((\w+=)?("([^"\\]|\\.)*"|'([^'\\]|\\.)*')|[\w.]+( as \w+)?),?""")


def format_source(path: str, text: str) -> str:
    """One file in black's shape when it is Python; SpecError if it is not valid Python."""
    if not path.endswith((".py", ".pyi")):
        return text
    try:
        compile(text, path, "exec")  # black accepts some invalid code, duplicate arguments say
        if _SHAPED.fullmatch(path) and _in_shape(text):
            return text
        return black.format_str(text, mode=STUB_MODE if path.endswith(".pyi") else MODE)
    except (InvalidInput, SyntaxError) as exc:
        message = f"topgen rendered invalid Python (a bug in topgen or a template): {exc}"
        raise SpecError([Diagnostic(Level.ERROR, path, None, "", message)]) from None


def _in_shape(text: str) -> bool:
    """Whether every line fits, or is one black leaves long (`_UNSPLITTABLE`, docstrings)."""
    long_lines = [
        number
        for number, line in enumerate(text.splitlines(), start=1)
        if not fits(line) and not _UNSPLITTABLE.fullmatch(line)
    ]
    if not long_lines:
        return True
    in_docstrings = _docstring_lines(ast.parse(text))
    return all(number in in_docstrings for number in long_lines)


def _docstring_lines(tree: ast.Module) -> set[int]:
    """The lines of the docstrings of the module and of the classes and functions in it.

    Only statement bodies are visited (generated modules define nothing inside expressions or
    blocks); a docstring missed here only sends its module through black.
    """
    lines: set[int] = set()
    todo: list[ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef] = [tree]
    while todo:
        body = todo.pop().body
        first = body[0] if body else None
        # A docstring is a string: a stub's `...` body is not one.
        if (
            isinstance(first, ast.Expr)
            and isinstance(first.value, ast.Constant)
            and isinstance(first.value.value, str)
        ):
            lines.update(range(first.lineno, (first.end_lineno or first.lineno) + 1))
        todo += [
            n for n in body if isinstance(n, ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
        ]
    return lines
