"""A call TOP would refuse: the error_response the sandbox answers."""

from __future__ import annotations

from typing import Any


class CallError(Exception):
    """A call TOP would refuse, with the error_response it answers."""

    def __init__(self, code: int, msg: str, sub_code: str = "", sub_msg: str = "") -> None:
        super().__init__(f"{code} {msg}")
        self.code, self.msg, self.sub_code, self.sub_msg = code, msg, sub_code, sub_msg

    def body(self, request_id: str) -> dict[str, Any]:
        """The error_response body."""
        error: dict[str, Any] = {"code": self.code, "msg": self.msg}
        if self.sub_code:
            error["sub_code"] = self.sub_code
            error["sub_msg"] = self.sub_msg
        error["request_id"] = request_id
        return {"error_response": error}
