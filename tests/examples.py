"""The documented examples of the first API, read from its spec through topgen's own model."""

from __future__ import annotations

from typing import Any

from topgen.spec.build import build_api
from topgen.spec.load import load_document
from topgen.spec.model import Api, Example

from .conftest import FIRST_SPEC

QUIRK_TEXT = "预付款执行动作"


def first_api() -> Api:
    """The model of the first API, built from its spec."""
    return build_api(load_document(FIRST_SPEC, FIRST_SPEC.name))


def example(examples: tuple[Example, ...], media_type: str) -> Any:
    """The value of the `documented` example of one media type."""
    (found,) = [e for e in examples if e.media_type == media_type and e.name == "documented"]
    return found.value
