"""Stage 1, load: read the YAML specs, keeping the line of every key."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from ..diagnostics import Diagnostic, Level, SpecError, quote
from ..fileio import read_input

ENVELOPE_FILE = "top.yaml"
APIS_DIR = "apis"
TOPICS_DIR = "topics"
MISSING_SPECS = "the specs folder does not exist"


class Mapping(dict[str, Any]):
    """A YAML mapping that remembers its own line and the line of each key."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.line = 0
        self.key_lines: dict[str, int] = {}

    def line_of(self, key: str) -> int:
        """The line of `key`, or of the mapping itself when the key is absent."""
        return self.key_lines.get(key, self.line)


class Sequence(list[Any]):
    """A YAML sequence that remembers its own line and the line of each item."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.line = 0
        self.item_lines: list[int] = []


@dataclass(frozen=True)
class Document:
    """One spec file: its name relative to the specs folder, its path as given, its content."""

    name: str
    path: str
    root: Mapping


@dataclass(frozen=True)
class Specs:
    """Everything in a specs folder: the TOP envelope, one document per API and per topic."""

    envelope: Document
    apis: tuple[Document, ...]
    topics: tuple[Document, ...] = ()


# Far deeper than a spec goes: an example value is some 12 levels in, then as deep as its fields.
MAX_NESTING = 100
_MERGE_TAG = "tag:yaml.org,2002:merge"
_MERGE_REFUSED = "specs do not use YAML merge keys (<<); write the keys out"


class _ValueProblem(yaml.MarkedYAMLError):
    """Well-formed YAML holding a value Python cannot hold."""


class _AliasProblem(yaml.YAMLError):
    """A node met a second time, through an alias."""

    def __init__(self, anchored: int) -> None:
        super().__init__(f"an alias of the value on line {anchored}")
        self.anchored = anchored


# libyaml's parser when PyYAML was built with it (it is ten times faster); same nodes and marks.
_SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _LineLoader(_SafeLoader):  # type: ignore[misc, valid-type]
    """A safe loader building `Mapping` and `Sequence`, refusing duplicate keys."""

    depth = 0  # of the node being built: bounded, so that neither we nor validate recurse far

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        """The value of `node`; a scalar Python cannot hold (2024-13-45) is a located error."""
        # A node met twice is an alias's target: refused, since expanding nested aliases grows
        # exponentially (a 1.5 KB document can stand for gigabytes) and specs never need them.
        if node in self.constructed_objects or node in self.recursive_objects:
            raise _AliasProblem(node.start_mark.line + 1)
        if self.depth >= MAX_NESTING:
            problem = f"the document nests deeper than {MAX_NESTING} levels"
            raise _ValueProblem(problem=problem, problem_mark=node.start_mark)
        self.depth += 1
        try:
            return super().construct_object(node, deep=deep)
        except (ValueError, OverflowError) as exc:
            value = quote(node.value) if isinstance(node, yaml.ScalarNode) else node.tag
            problem = f"cannot read the value {value}: {str(exc).partition(';')[0]}"
            raise _ValueProblem(problem=problem, problem_mark=node.start_mark) from None
        finally:
            self.depth -= 1

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> Mapping:
        for key_node, _ in node.value:
            if key_node.tag == _MERGE_TAG:  # refused before merging, which copies every key
                raise _ValueProblem(problem=_MERGE_REFUSED, problem_mark=key_node.start_mark)
        self.flatten_mapping(node)
        result = Mapping()
        result.line = node.start_mark.line + 1
        for key_node, value_node in node.value:
            key = self.construct_object(key_node, deep=True)
            line = key_node.start_mark.line + 1
            if not isinstance(key, str):
                key = str(key)
            if key in result:
                first = result.key_lines[key]
                raise yaml.MarkedYAMLError(
                    problem=f"duplicate key {key!r} (first defined on line {first})",
                    problem_mark=key_node.start_mark,
                )
            result[key] = self.construct_object(value_node, deep=True)
            result.key_lines[key] = line
        return result

    def construct_sequence(self, node: yaml.SequenceNode, deep: bool = False) -> Sequence:
        result = Sequence(self.construct_object(item, deep=True) for item in node.value)
        result.line = node.start_mark.line + 1
        result.item_lines = [item.start_mark.line + 1 for item in node.value]
        return result


_LineLoader.add_constructor("tag:yaml.org,2002:map", _LineLoader.construct_mapping)
_LineLoader.add_constructor("tag:yaml.org,2002:seq", _LineLoader.construct_sequence)


def load_document(path: Path, name: str) -> Document:
    """Parse one YAML file; raise SpecError naming the file and line on any problem."""
    return parse_document(read_spec(path), str(path), name)


def read_spec(path: Path) -> str:
    """The text of a spec file; SpecError naming it if it is no regular, bounded UTF-8 file."""
    try:
        return read_input(path)
    except (OSError, ValueError) as exc:
        raise SpecError([_error(str(path), None, f"cannot read the file: {exc}")]) from None


def parse_document(text: str, shown: str, name: str) -> Document:
    """Parse YAML text known as `shown`; raise SpecError naming it and the line on any problem."""
    try:
        root = yaml.load(text, Loader=_LineLoader)
    except _AliasProblem as exc:
        raise SpecError([_alias_error(text, shown, exc.anchored)]) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        line = mark.line + 1 if mark is not None else None
        problem = " ".join(p for p in (exc.context, exc.problem) if p)
        start = exc.context_mark
        if start is not None and start.line + 1 != line:
            problem += f" (the construct began on line {start.line + 1})"
        kind = "" if isinstance(exc, _ValueProblem) else "YAML syntax error: "
        raise SpecError([_error(shown, line, kind + problem)]) from None
    except yaml.YAMLError as exc:
        raise SpecError([_error(shown, None, f"YAML error: {exc}")]) from None
    if not isinstance(root, Mapping):
        raise SpecError([_error(shown, 1, "the document must be a mapping (an OpenAPI object)")])
    return Document(name=name, path=shown, root=root)


def _alias_error(text: str, shown: str, anchored: int) -> Diagnostic:
    """The error at the first alias of `text` (found again from its events, which never expand)."""
    alias = next(e for e in yaml.parse(text, Loader=_SafeLoader) if isinstance(e, yaml.AliasEvent))
    message = (
        f"the YAML alias *{alias.anchor} repeats the value anchored on line {anchored}; specs do "
        "not use anchors and aliases, write the value out where it is needed"
    )
    mark = alias.start_mark
    return _error(shown, mark.line + 1 if mark is not None else anchored, message)


def load_specs(specs_dir: Path) -> Specs:
    """Load the envelope and every API and topic spec under `specs_dir`, in a stable order."""
    if not specs_dir.is_dir():
        raise SpecError([_error(str(specs_dir), None, MISSING_SPECS)])
    found: list[Document] = []
    problems: list[Diagnostic] = []
    envelope_path = specs_dir / ENVELOPE_FILE
    api_paths = sorted((specs_dir / APIS_DIR).glob("*.yaml"))
    topic_paths = sorted((specs_dir / TOPICS_DIR).glob("*.yaml"))
    for path in [envelope_path, *api_paths, *topic_paths]:
        try:
            found.append(load_document(path, path.relative_to(specs_dir).as_posix()))
        except SpecError as exc:
            problems.extend(exc.diagnostics)
    if problems:
        raise SpecError(problems)
    apis = len(api_paths) + 1
    return Specs(envelope=found[0], apis=tuple(found[1:apis]), topics=tuple(found[apis:]))


def _error(file: str, line: int | None, message: str) -> Diagnostic:
    return Diagnostic(Level.ERROR, file, line, "", message)
