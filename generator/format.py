"""Stage 5, format: every generated Python source through black, the pinned version."""

from __future__ import annotations

import black
from black.mode import Mode, TargetVersion
from black.parsing import InvalidInput

from .diagnostics import Diagnostic, Level, SpecError

MODE = Mode(target_versions={TargetVersion.PY311}, line_length=88)
STUB_MODE = Mode(target_versions={TargetVersion.PY311}, line_length=88, is_pyi=True)


def format_sources(files: dict[str, str]) -> dict[str, str]:
    """The same files with every `.py` formatted by black; other files untouched."""
    return {path: format_source(path, text) for path, text in sorted(files.items())}


def format_source(path: str, text: str) -> str:
    """One file formatted by black when it is Python; SpecError if it is not valid Python."""
    if not path.endswith((".py", ".pyi")):
        return text
    try:
        compile(text, path, "exec")  # black accepts some invalid code, duplicate arguments say
        return black.format_str(text, mode=STUB_MODE if path.endswith(".pyi") else MODE)
    except (InvalidInput, SyntaxError) as exc:
        message = f"topgen rendered invalid Python (a bug in topgen or a template): {exc}"
        raise SpecError([Diagnostic(Level.ERROR, path, None, "", message)]) from None
