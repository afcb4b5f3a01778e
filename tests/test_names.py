"""Field names that would shadow an attribute of the models' base classes are renamed."""

from __future__ import annotations

from pydantic import BaseModel

from topapi._model import RequestModel, ResponseModel, TopRequest, TopResponse
from topgen.spec import names
from topgen.spec.reserved import base_attributes

BASES = (TopRequest, TopResponse, RequestModel, ResponseModel, BaseModel)


def public_attributes(cls: type[BaseModel]) -> set[str]:
    """What a field of a subclass of `cls` would shadow: public names that are no field."""
    return {n for n in dir(cls) if not n.startswith("_") and n not in cls.model_fields}


def test_every_attribute_of_the_base_classes_is_reserved() -> None:
    """status_code, raw_body, to_params, json, ...: each becomes `name_`, and no other."""
    attributes = set().union(*(public_attributes(cls) for cls in BASES))
    assert {"status_code", "raw_body", "to_params", "json", "model_dump"} <= attributes
    assert {name for name in attributes if names.field_name(name) == name} == set()
    assert attributes - public_attributes(BaseModel) <= base_attributes()
    assert names.field_name("request_id") == "request_id"  # a field of TopResponse, redeclared
