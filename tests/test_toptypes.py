"""The one table of TOP types is consistent with itself and with what reads it."""

from __future__ import annotations

from typing import Any

import pytest

from topgen.importing.specwriter import typed_scalar
from topgen.sandbox.gateway import fits
from topgen.spec.model import Scalar
from topgen.spec.toptypes import SPELLINGS, TOP_TYPES, example_fits


@pytest.mark.parametrize("scalar", list(Scalar))
def test_each_type_means_one_thing_everywhere(scalar: Scalar) -> None:
    """Its annotation evaluates with its imports; its examples fit it; its name is a spelling."""
    top_type = TOP_TYPES[scalar]
    namespace: dict[str, Any] = {}
    for statement in top_type.imports:
        exec(statement, namespace)
    eval(top_type.annotation, namespace)
    for value in (top_type.example, top_type.stand_in):
        if value is not None:
            assert top_type.fits(value) and fits(scalar, value) and example_fits(scalar, value)
    assert SPELLINGS[scalar.value] is scalar


@pytest.mark.parametrize(
    ("scalar", "fitting", "not_fitting"),
    [
        (Scalar.NUMBER, [1, "-12"], [True, 1.5, "1.0", "12\n", None]),
        (Scalar.BOOLEAN, [True, "false"], [1, "True", "yes"]),
        (Scalar.PRICE, [1, 1.5, "-0.25"], [True, "1e3", "1."]),
        (Scalar.DATE, ["2024-01-02", "2024-01-02 03:04:05"], [0, "2024/01/02", "2024-01-02T03:04"]),
    ],
)
def test_what_fits_is_decided_once(
    scalar: Scalar, fitting: list[Any], not_fitting: list[Any]
) -> None:
    """Validate, the sandbox and the importer agree on which values are of a type."""
    for value in fitting:
        assert example_fits(scalar, value) and fits(scalar, value), value
    for value in not_fitting:
        assert not example_fits(scalar, value) and not fits(scalar, value), value
    assert typed_scalar(scalar, "12\n") == "12\n"  # text that does not fit stays text
