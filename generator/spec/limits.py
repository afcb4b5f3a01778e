"""A property's documented limits and default: which keywords, on which types, with which values.

validate reports what `problems` finds, build reads `limits_of` and `DEFAULT`, and the
importer drops (with a warning) what a spec could not hold, by the same rules.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from . import toptypes
from .model import Limits, Scalar

MAX_LENGTH, MAX_ITEMS, MINIMUM, MAXIMUM, DEFAULT = (
    "maxLength",
    "maxItems",
    "minimum",
    "maximum",
    "default",
)
LIMIT_KEYS = (MAX_LENGTH, MAX_ITEMS, MINIMUM, MAXIMUM)
KEYS = (*LIMIT_KEYS, DEFAULT)
# What each limit bounds: the length of text and files, the size of lists, numbers.
LENGTHY = frozenset({Scalar.STRING, Scalar.JSON, Scalar.BYTES})
NUMERIC = frozenset({Scalar.NUMBER, Scalar.PRICE, Scalar.BIG_DECIMAL})
# The types whose default a generated field can hold as a plain literal.
DEFAULTABLE = frozenset({Scalar.STRING, Scalar.JSON, Scalar.NUMBER, Scalar.BOOLEAN}) | NUMERIC


def problems(
    prop: Mapping[str, Any], scalar: Scalar | None, is_list: bool
) -> list[tuple[str, str]]:
    """(keyword, why) for each limit or default of a property that topgen cannot take."""
    found = [(key, why) for key in KEYS if key in prop and (why := _misfit(key, prop[key]))]
    seen = {key for key, _ in found}
    found += [(key, why) for key, why in _misplaced(prop, scalar, is_list) if key not in seen]
    if found:
        return found
    low, high = prop.get(MINIMUM), prop.get(MAXIMUM)
    if low is not None and high is not None and low > high:
        found.append((MINIMUM, f"minimum {low} is more than maximum {high}"))
    if DEFAULT in prop and scalar is not None and not is_list:
        why = _default_misfit(prop[DEFAULT], scalar, prop)
        if why:
            found.append((DEFAULT, why))
    return found


def _misfit(key: str, value: Any) -> str | None:
    """Why a limit's value is not one (a default is checked against its type later)."""
    if key == DEFAULT:
        return None
    if key in (MINIMUM, MAXIMUM):
        if isinstance(value, int | float) and not isinstance(value, bool):
            return None
        return f"{key} must be a number, not {value!r}"
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return None
    return f"{key} must be a whole number of 0 or more, not {value!r}"


def _misplaced(
    prop: Mapping[str, Any], scalar: Scalar | None, is_list: bool
) -> list[tuple[str, str]]:
    """Limits on types they do not bound."""
    type_name = _type_name(scalar, is_list)
    found = []
    if MAX_ITEMS in prop and not is_list:
        found.append((MAX_ITEMS, f"maxItems bounds a list, not a {type_name}"))
    if MAX_LENGTH in prop and (is_list or scalar not in LENGTHY):
        found.append((MAX_LENGTH, f"maxLength bounds text and files, not a {type_name}"))
    for key in (MINIMUM, MAXIMUM):
        if key in prop and (is_list or scalar not in NUMERIC):
            found.append((key, f"{key} bounds a number, not a {type_name}"))
    if DEFAULT in prop and (is_list or scalar not in DEFAULTABLE):
        kinds = ", ".join(sorted(s.value for s in DEFAULTABLE))
        found.append((DEFAULT, f"topgen takes a default of {kinds}, not of a {type_name}"))
    items = prop.get("items")
    if is_list and isinstance(items, Mapping):
        found += [
            (key, f"items.{key}: topgen bounds a list by maxItems, not its items")
            for key in KEYS
            if key in items
        ]
    return found


def _type_name(scalar: Scalar | None, is_list: bool) -> str:
    base = scalar.value if scalar is not None else "object"
    return f"{base}[]" if is_list else base


def _default_misfit(value: Any, scalar: Scalar, prop: Mapping[str, Any]) -> str | None:
    if not default_fits(value, scalar):
        return f"default {value!r} does not fit its TOP type {scalar.value}"
    if scalar in LENGTHY and MAX_LENGTH in prop and len(value) > prop[MAX_LENGTH]:
        return f"default {value!r} is longer than maxLength {prop[MAX_LENGTH]}"
    if scalar in NUMERIC:
        number, low, high = Decimal(str(value)), prop.get(MINIMUM), prop.get(MAXIMUM)
        if low is not None and number < Decimal(str(low)):
            return f"default {value!r} is less than minimum {low}"
        if high is not None and number > Decimal(str(high)):
            return f"default {value!r} is more than maximum {high}"
    return None


def default_fits(value: Any, scalar: Scalar) -> bool:
    """Whether a default is a JSON value of its type: 0 for a Number, "0.00" for a Price."""
    if scalar is Scalar.BOOLEAN:
        return isinstance(value, bool)
    if scalar is Scalar.NUMBER:
        return isinstance(value, int) and not isinstance(value, bool) and -(2**63) <= value < 2**63
    if scalar in NUMERIC:
        return isinstance(value, str) and toptypes.TOP_TYPES[scalar].fits(value)
    return isinstance(value, str) and scalar in DEFAULTABLE


def limits_of(prop: Mapping[str, Any]) -> Limits:
    """The limits of a validated property."""
    return Limits(
        max_length=prop.get(MAX_LENGTH),
        max_items=prop.get(MAX_ITEMS),
        minimum=prop.get(MINIMUM),
        maximum=prop.get(MAXIMUM),
    )
