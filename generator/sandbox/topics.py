"""Realistic contents of TMC topics, for the sandbox to publish when none is given.

A topic spec's example (a real message first), or else one made from its field types.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ..diagnostics import SpecError
from ..spec.check import check_topic_spec
from ..spec.load import TOPICS_DIR, read_spec
from ..spec.model import Topic
from ..spec.toptypes import example_value

REAL_EXAMPLE = "real"


def example_content(topic: Topic) -> str:
    """The topic's example content as TMC delivers it: JSON text."""
    examples = sorted(topic.examples, key=lambda example: example.name != REAL_EXAMPLE)
    value: Any = examples[0].value if examples else None
    if not isinstance(value, dict):
        value = {
            f.wire_name: example_value(f.top_type.scalar, f.top_type.is_list) for f in topic.fields
        }
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def example_for(topics: Mapping[str, Topic], topic: str) -> str:
    """The example content of one of `topics`; ValueError naming it when it has no spec."""
    known = topics.get(topic)
    if known is None:
        raise ValueError(f"no topic spec for {topic}: give the message's content")
    return example_content(known)


def load_topic(specs: Path, topic: str) -> Topic:
    """The topic of `specs/topics/<topic>.yaml`; ValueError naming it when missing or invalid."""
    path = specs / TOPICS_DIR / f"{topic}.yaml"
    if "/" in topic or not path.is_file():
        raise ValueError(f"no topic spec {path}: give the message's content")
    found, built = check_topic_spec(path, f"{TOPICS_DIR}/{path.name}", read_spec(path))
    if built is None:
        raise SpecError(list(found))
    return built
