"""Client overhead per call, no network: build + sign + encode + decode a typical response.

Compared, in the same run, with a minimal hand-written path: a dict of params, hmac-sha256,
urlencode, json.loads. Usage: python benchmarks/client_overhead.py [CALLS]
"""

from __future__ import annotations

import hashlib
import hmac
import json
import statistics
import sys
import time
from collections.abc import Callable
from datetime import datetime
from urllib.parse import urlencode

from topapi import TopClient
from topapi.apis.alibaba_idle_tender_pre_pay_action import (
    AlibabaIdleTenderPrePayActionRequest,
    TenderPrePayCmd,
)

SECRET = "app-secret"
BODY = json.dumps(
    {
        "alibaba_idle_tender_pre_pay_action_response": {
            "result": {
                "data": {
                    "order_id": "1234",
                    "pre_pay_amount": 1234,
                    "pre_pay_no": "1234",
                    "pre_pay_status": "2",
                    "pre_pay_action": 2,
                    "app_key": "123",
                    "request_id": "xxx",
                },
                "success": True,
                "error_code": "S_E_ERROR",
                "error_msg": "系统异常",
            },
            "request_id": "r1",
        }
    },
    ensure_ascii=False,
).encode()


def topapi_call(client: TopClient) -> object:
    """The generated bindings' path."""
    request = AlibabaIdleTenderPrePayActionRequest(
        param0=TenderPrePayCmd(order_id="1234", pre_pay_no="xxx", pre_pay_action=2)
    )
    body = urlencode(client.signed_params(request, session="session")).encode()
    assert body
    return client.read_response(request, BODY, 200)


def hand_written_call() -> object:
    """A minimal hand-written path: dict params, hmac-sha256, urlencode, json.loads."""
    params = {
        "method": "alibaba.idle.tender.pre.pay.action",
        "app_key": "app-key",
        "timestamp": datetime.now().strftime("%Y-%m-%d %H:%M:%S"),
        "v": "2.0",
        "sign_method": "hmac-sha256",
        "format": "json",
        "session": "session",
        "param0": json.dumps(
            {"order_id": "1234", "pre_pay_no": "xxx", "pre_pay_action": 2}, separators=(",", ":")
        ),
    }
    text = "".join(k + v for k, v in sorted(params.items()))
    params["sign"] = hmac.new(SECRET.encode(), text.encode(), hashlib.sha256).hexdigest().upper()
    assert urlencode(params)
    return json.loads(BODY)["alibaba_idle_tender_pre_pay_action_response"]


def per_call(function: Callable[[], object], calls: int) -> float:
    """Microseconds per call over one round of `calls` calls."""
    start = time.perf_counter()
    for _ in range(calls):
        function()
    return (time.perf_counter() - start) / calls * 1e6


def main() -> None:
    """Print both figures and their ratio: rounds alternate, so both paths see the same load."""
    calls = int(sys.argv[1]) if len(sys.argv) > 1 else 5000
    rounds = 11
    client = TopClient("app-key", SECRET)
    per_call(lambda: topapi_call(client), calls // 10)  # warm-up: pydantic builds its validators
    ours, baseline = [], []
    for _ in range(rounds):
        ours.append(per_call(lambda: topapi_call(client), calls))
        baseline.append(per_call(hand_written_call, calls))
    ratios = sorted(a / b for a, b in zip(ours, baseline, strict=True))
    ours_us, baseline_us, ratio = (statistics.median(v) for v in (ours, baseline, ratios))
    print(f"calls per round: {calls}, {rounds} alternating rounds, medians")
    print(f"topapi (typed request, sign, encode, typed response): {ours_us:8.1f} µs/call")
    print(f"hand-written (dict, hmac-sha256, urlencode, json.loads): {baseline_us:8.1f} µs/call")
    spread = f"{ratios[0]:.2f}-{ratios[-1]:.2f}"
    print(f"ratio: {ratio:.2f}x (median of the rounds' ratios, which range {spread})")


if __name__ == "__main__":
    main()
