"""The names a generated field must not take, read from what they would collide with.

A field of a model shadows an attribute of its base classes (topapi's TopRequest, TopResponse,
RequestModel, ResponseModel, and pydantic's BaseModel), and a field named like a type hides
that type from the annotations after it in its class.
"""

from __future__ import annotations

import ast
import re
from functools import cache

from pydantic import BaseModel

from ..resources import RUNTIME_DIR
from .toptypes import TOP_TYPES

RUNTIME_MODELS = ("TopRequest", "TopResponse", "RequestModel", "ResponseModel", "TopicPayload")
RUNTIME_MODEL_FILES = ("_model.py", "_topic.py")
# The generated client functions' own parameters and locals (templates/api_module.py.jinja),
# and the names every generated class uses besides the TOP types' own.
CLIENT_NAMES = (
    "top_client",
    "session",
    "session_key",
    "timeout",
    "max_retries",
    "request",
    "self",
    "cls",
)
ANNOTATION_NAMES = ("list", "Annotated", "ClassVar", "Field")
# What every API module binds or reads at module level besides its API's classes and the TOP
# types' names (templates/api_module.py.jinja, render's and datamodel-code-generator's imports);
# tests/test_names.py holds this to a module that uses every feature.
MODULE_NAMES = (
    *ANNOTATION_NAMES,
    "annotations",
    "AsyncClientBase",
    "SyncClientBase",
    "as_secret",
    "BusinessResult",
    "RequestModel",
    "ResponseModel",
    "SessionUse",
    "TopRequest",
    "TopResponse",
    "call",
    "acall",
    "float",
    "__all__",
)
# What every topic module binds besides its payload class (templates/topic_module.py.jinja).
TOPIC_MODULE_NAMES = (*ANNOTATION_NAMES, "annotations", "Direction", "TopicPayload", "__all__")
_IDENTIFIER = re.compile(r"[A-Za-z_]\w*")


@cache
def field_names() -> frozenset[str]:
    """Every name a field is renamed away from (with a trailing `_`)."""
    return frozenset(
        {
            *base_attributes(),
            *(name for name in dir(BaseModel) if not name.startswith("_")),
            *type_names(),
            *ANNOTATION_NAMES,
            *CLIENT_NAMES,
        }
    )


@cache
def module_names() -> frozenset[str]:
    """Every name a schema (a class) must not take: it would replace a name the module uses."""
    return frozenset({*MODULE_NAMES, *type_names()})


@cache
def topic_module_names() -> frozenset[str]:
    """Every name a topic's payload class must not take in its module."""
    return frozenset({*TOPIC_MODULE_NAMES, *type_names()})


def type_names() -> set[str]:
    """The names in the TOP types' annotations: str, datetime, TopFile, Any, ..."""
    return {name for t in TOP_TYPES.values() for name in _IDENTIFIER.findall(t.annotation)}


@cache
def base_attributes() -> frozenset[str]:
    """The public methods, properties and class variables of topapi's model base classes."""
    found: set[str] = set()
    for file in RUNTIME_MODEL_FILES:
        tree = ast.parse((RUNTIME_DIR / file).read_text(encoding="utf-8"))
        for node in tree.body:
            if isinstance(node, ast.ClassDef) and node.name in RUNTIME_MODELS:
                found.update(_attributes(node))
    return frozenset(name for name in found if not name.startswith("_"))


def _attributes(node: ast.ClassDef) -> set[str]:
    """What a class body defines, except pydantic fields (which a subclass may redeclare)."""
    names: set[str] = set()
    for statement in node.body:
        if isinstance(statement, ast.FunctionDef | ast.AsyncFunctionDef):
            names.add(statement.name)
        elif isinstance(statement, ast.Assign):
            names.update(t.id for t in statement.targets if isinstance(t, ast.Name))
        elif (
            isinstance(statement, ast.AnnAssign)
            and isinstance(statement.target, ast.Name)
            and ast.unparse(statement.annotation).startswith("ClassVar")
        ):
            names.add(statement.target.id)
    return names
