"""Every datetime topapi returns is aware, in GMT+8, whatever form the wire held it in."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from typing import ClassVar

import pytest

from topapi import TopClient, TopRequest, TopResponse
from topapi._model import ResponseModel, SessionUse

from .topserver import APP_KEY, APP_SECRET, Action, scripted_gateway

GMT8 = timezone(timedelta(hours=8))
NOON_GMT8 = datetime(2024, 1, 1, 12, 0, 0, tzinfo=GMT8)
NOON_MS = 1704081600000  # 2024-01-01 04:00:00 UTC


class Slot(ResponseModel):
    start: datetime | None = None


class When(TopResponse):
    response_key: ClassVar[str] = "test_when_response"
    top_method: ClassVar[str] = "test.when"

    created: datetime | None = None
    modified: datetime | None = None
    history: list[datetime] | None = None
    slot: Slot | None = None


class WhenRequest(TopRequest[When]):
    top_method: ClassVar[str] = "test.when"
    session_use: ClassVar[SessionUse] = SessionUse.NONE


FIELDS = {
    "created": "2024-01-01 12:00:00",
    "modified": NOON_MS,
    "history": ["2024-01-01 12:00:00", NOON_MS],
    "slot": {"start": "2024-01-01T04:00:00Z"},
    "request_id": "r",
}
JSON_BODY = json.dumps({"test_when_response": FIELDS}).encode()
XML_BODY = (
    '<?xml version="1.0" encoding="utf-8" ?><test_when_response>'
    "<created>2024-01-01 12:00:00</created>"
    f"<modified>{NOON_MS}</modified>"
    f"<history><date>2024-01-01 12:00:00</date><date>{NOON_MS}</date></history>"
    "<slot><start>2024-01-01T04:00:00Z</start></slot>"
    "<request_id>r</request_id></test_when_response>"
).encode()


@pytest.mark.parametrize(("fmt", "body"), [("json", JSON_BODY), ("xml", XML_BODY)])
def test_every_returned_datetime_is_gmt8(fmt: str, body: bytes) -> None:
    """Text, epoch milliseconds and ISO UTC all come back as the same aware GMT+8 moment."""
    with scripted_gateway() as gateway:
        gateway.script.append(Action(body=body))
        with TopClient(APP_KEY, APP_SECRET, gateway=gateway.url, format=fmt) as top:
            response = top.execute(WhenRequest())
    assert response.slot is not None and response.history is not None
    moments = [response.created, response.modified, *response.history, response.slot.start]
    assert moments == [NOON_GMT8] * 5
    for moment in moments:
        assert moment is not None
        assert moment.utcoffset() == timedelta(hours=8)
        assert (moment.hour, moment.minute) == (12, 0)
