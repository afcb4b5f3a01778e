"""A small, safe reader of TOP's XML answers: no DTDs, no entities, elements to dicts."""

from __future__ import annotations

from typing import Any
from xml.parsers import expat

# TOP's answers nest a few levels; the cap keeps every walk of the tree far from the recursion
# limit, and stops reading a hostile body at the first element too deep.
MAX_DEPTH = 256


class XmlRefusedError(ValueError):
    """The XML declares a DTD or an entity, or nests deeper than MAX_DEPTH: topapi refuses it."""


class _TreeBuilder:
    def __init__(self) -> None:
        self.stack: list[tuple[str, dict[str, Any], list[str]]] = [("", {}, [])]

    def start(self, tag: str, _attributes: dict[str, str]) -> None:
        if len(self.stack) > MAX_DEPTH:
            raise XmlRefusedError(f"elements nested deeper than {MAX_DEPTH} levels")
        self.stack.append((tag, {}, []))

    def end(self, _tag: str) -> None:
        tag, children, text = self.stack.pop()
        value: Any = children if children else "".join(text)
        siblings = self.stack[-1][1]
        if tag not in siblings:
            siblings[tag] = value
        elif isinstance(siblings[tag], _Repeated):
            siblings[tag].append(value)
        else:
            siblings[tag] = _Repeated([siblings[tag], value])

    def text(self, data: str) -> None:
        self.stack[-1][2].append(data)


class _Repeated(list[Any]):
    """Values of an element that occurs more than once under one parent."""


def _refuse(*_args: Any) -> None:
    raise XmlRefusedError("DTDs and entity declarations are not accepted")


def parse_xml(body: bytes) -> dict[str, Any]:
    """The document as nested dicts: leaf elements become text, repeated elements lists."""
    builder = _TreeBuilder()
    parser = expat.ParserCreate()
    parser.buffer_text = True
    parser.StartElementHandler = builder.start
    parser.EndElementHandler = builder.end
    parser.CharacterDataHandler = builder.text
    parser.StartDoctypeDeclHandler = _refuse
    parser.EntityDeclHandler = _refuse
    parser.Parse(body, True)
    document: dict[str, Any] = _plain(builder.stack[0][1])
    return document


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    return value
