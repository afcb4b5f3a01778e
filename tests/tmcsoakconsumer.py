"""A TMC consumer process for the soak test: handles every message, failing 10% at random.

Run as `python tests/tmcsoakconsumer.py WS_URL HANDLED_FILE`: each message it handled is one
line (its id) appended to HANDLED_FILE before the handler returns (and the client confirms).
"""

from __future__ import annotations

import asyncio
import os
import random
import sys

from topapi.tmc import Message, Reconnect, TmcClient

FAIL_RATE = 0.1
SEED = 13  # the same failures, draw by draw, in every run and every restarted consumer


async def consume(url: str, handled_fd: int) -> None:
    """Consume until killed, reconnecting quickly after a dropped connection."""
    client = TmcClient(
        "sandbox-app-key",
        "sandbox-app-secret",
        url=url,
        max_in_flight=64,
        pull_interval=0.5,
        reconnect=Reconnect(initial=0.05, maximum=0.3),
    )
    draws = random.Random(SEED)

    @client.on_any
    async def handle(message: Message[object]) -> None:
        if draws.random() < FAIL_RATE:
            raise RuntimeError("a random failure: TMC redelivers it")
        os.write(handled_fd, f"{message.id}\n".encode())  # one write: whole lines only

    await client.run()


if __name__ == "__main__":
    fd = os.open(sys.argv[2], os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    asyncio.run(consume(sys.argv[1], fd))
