"""Black's shapes, written directly: a line that fits stays whole, a longer one is exploded.

Every shape here is one that black leaves as it is (a fixed point of black), so the API modules
need no black pass; `tests/test_layout.py` and `black --check` over the output prove it.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from black.strings import fix_multiline_docstring, normalize_string_quotes, str_width

LINE_LENGTH = 88
INDENT = "    "


@dataclass(frozen=True)
class Bracketed:
    """`head(item, ...)tail` (or with square brackets): exploded one item a line when too long.

    Exploded items end in a comma, which black keeps exploded ("magic trailing comma"); a
    class's bases are the exception, laid out as black does without one.
    """

    head: str
    items: tuple[Code, ...]
    tail: str = ""
    square: bool = False
    trailing_comma: bool = True


Code = str | Bracketed


def fits(line: str) -> bool:
    """Whether black keeps `line` (indentation included) whole; East Asian characters count two."""
    return str_width(line) <= LINE_LENGTH


def flat(code: Code) -> str:
    """The code on one line."""
    if isinstance(code, str):
        return code
    opening, closing = ("[", "]") if code.square else ("(", ")")
    return f"{code.head}{opening}{', '.join(flat(item) for item in code.items)}{closing}{code.tail}"


def lay_out(code: Code, depth: int) -> str:
    """The code at `depth` indentation levels as black shapes it, lines joined."""
    return "\n".join(_lines(code, INDENT * depth))


def _lines(code: Code, indent: str) -> list[str]:
    whole = indent + flat(code)
    if isinstance(code, str) or not code.items or fits(whole):
        return [whole]
    opening, closing = ("[", "]") if code.square else ("(", ")")
    lines = [f"{indent}{code.head}{opening}"]
    comma = "," if code.trailing_comma else ""
    for item in code.items:
        lines += _lines(_with_suffix(item, comma), indent + INDENT)
    lines.append(f"{indent}{closing}{code.tail}")
    return lines


def _with_suffix(code: Code, suffix: str) -> Code:
    if isinstance(code, str):
        return code + suffix
    return replace(code, tail=code.tail + suffix)


def assignment(target: str, value: str, depth: int) -> str:
    """`target = value`; a value too long for the line goes alone inside parentheses.

    Black does that unless the target is a plain name and the value a single token (a string,
    a name) too long even in parentheses: that line it leaves long. A bracketed target too long
    for `target = (` black splits itself; that line is left long here, for black (format.py).
    """
    indent = INDENT * depth
    whole = f"{indent}{target} = {value}"
    inner = f"{indent}{INDENT}{value}"
    single_token = value.isidentifier() or value[:1] in "\"'"
    if fits(whole):
        return whole
    if "[" in target and not fits(f"{indent}{target} = ("):
        return whole
    if "[" not in target and single_token and not fits(inner):
        return whole
    return f"{indent}{target} = (\n{inner}\n{indent})"


def import_from(module: str, names: list[str]) -> str:
    """`from module import a, b` on one line, or exploded in parentheses."""
    whole = f"from {module} import {', '.join(names)}"
    if fits(whole):
        return whole
    return lay_out(Bracketed(f"from {module} import ", tuple(names)), 0)


def string_literal(value: str) -> str:
    """The literal black writes for `value`: double quotes unless they need more escapes."""
    return normalize_string_quotes(repr(value))


def docstring(text: str, depth: int = 0) -> str:
    """A triple-quoted literal of `text`, as black shapes a docstring at `depth`."""
    indent = INDENT * depth
    body = _escaped(text.strip())
    if "\n" in body:
        body = fix_multiline_docstring(body, indent)
    if body.endswith('"'):
        body += " "
    last_line = body.splitlines()[-1] if body else ""
    if "\n" in body and len(last_line) + 3 > LINE_LENGTH:
        return f'"""{body}\n{indent}"""'
    return f'"""{body}"""'


def _escaped(text: str) -> str:
    """`text` with backslashes, quotes and control characters (but newlines) escaped."""
    escaped = []
    for char in text:
        if char in '\\"':
            escaped.append("\\" + char)
        elif char != "\n" and (ord(char) < 32 or ord(char) == 127 or 0xD800 <= ord(char) <= 0xDFFF):
            escaped.append(f"\\u{ord(char):04x}")
        else:
            escaped.append(char)
    return "".join(escaped)


def stub_def(name: str, parameters: tuple[Code, ...], returns: Bracketed, depth: int) -> str:
    """`def name(parameters) -> returns: ...` of a stub, as black shapes it at `depth`.

    Black splits a def at its parameters first: together on one line when they fit there (a
    lone one gains a trailing comma, which keeps it alone), else one a line; then a closing
    line still too long is split inside the return type's brackets.
    """
    indent = INDENT * depth
    whole = f"{indent}def {name}({', '.join(flat(p) for p in parameters)}) -> {flat(returns)}: ..."
    if fits(whole):
        return whole
    together = f"{indent}{INDENT}{', '.join(flat(p) for p in parameters)}"
    if len(parameters) > 1 and fits(together):
        body = [together]
    else:
        body = [line for p in parameters for line in _lines(_with_suffix(p, ","), indent + INDENT)]
    closing = replace(returns, head=f") -> {returns.head}", tail=f"{returns.tail}: ...")
    return "\n".join([f"{indent}def {name}(", *body, *_lines(closing, indent)])
