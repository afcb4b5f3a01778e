"""`topgen tmc listen` and `topgen tmc publish`: the message service from a terminal.

`listen` holds a TMC connection (the local sandbox's by default) and prints each message on one
line, confirming it, like `stripe listen` for webhooks; `publish` sends one message. Both use
the generated topapi.tmc, imported only when run: topgen does not depend on its output.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import signal
import sys
from pathlib import Path
from types import ModuleType
from typing import Any
from urllib.parse import urlsplit

from ..sandbox.gateway import APP_SECRET_ENV, DEFAULT_APP_KEY, DEFAULT_APP_SECRET
from ..sandbox.topics import example_content, load_topic
from .demo import NO_TOPAPI

DEFAULT_GATEWAY = "http://127.0.0.1:8765/router/rest"  # topgen serve's defaults


def add_tmc_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """`topgen tmc listen|publish`, added to topgen's subcommands."""
    tmc = commands.add_parser(
        "tmc", help="listen to or publish on a message service (TMC)", description=__doc__
    )
    actions = tmc.add_subparsers(title="actions", required=True)
    listen = actions.add_parser(
        "listen", help="print each message on one line, confirming it", description=_listen.__doc__
    )
    listen.add_argument(
        "--topic",
        action="append",
        default=[],
        metavar="TOPIC",
        help="only this topic or topic prefix (repeatable; default: every topic)",
    )
    listen.add_argument("--json", action="store_true", help="one JSON object a line")
    listen.set_defaults(run=_listen)
    publish = actions.add_parser(
        "publish", help="publish one message and wait for TMC's ack", description=_publish.__doc__
    )
    publish.add_argument("topic", help="the message's topic")
    publish.add_argument(
        "content",
        nargs="?",
        help="the message's content (JSON text; default: the example of the topic's spec)",
    )
    publish.add_argument(
        "--specs",
        type=Path,
        default=Path("specs"),
        help="where the topic specs are, for the example (default: specs)",
    )
    publish.set_defaults(run=_publish)
    for action in (listen, publish):
        _connection_options(action)


def _connection_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--gateway",
        default=DEFAULT_GATEWAY,
        help=(
            "the sandbox gateway (its TMC is at the same host and port) or a ws:// TMC URL "
            f"(default: {DEFAULT_GATEWAY})"
        ),
    )
    parser.add_argument("--app-key", default=DEFAULT_APP_KEY, help="the app key")
    parser.add_argument(
        "--app-secret",
        default=os.environ.get(APP_SECRET_ENV, DEFAULT_APP_SECRET),
        help=f"the app's secret; better in ${APP_SECRET_ENV}, which ps does not show",
    )
    parser.add_argument("--group", default="default", help="the TMC group (default: default)")
    parser.set_defaults(verbose=False)


def tmc_url(gateway: str) -> str:
    """The TMC URL of a gateway: ws(s)://host:port/ for http(s)://host:port/...; a ws URL as is."""
    parts = urlsplit(gateway)
    if parts.scheme in ("ws", "wss"):
        return gateway
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError(f"--gateway {gateway!r} is not an http(s) or ws(s) URL")
    return f"{'wss' if parts.scheme == 'https' else 'ws'}://{parts.netloc}/"


def _topapi_tmc() -> ModuleType:
    try:
        import topapi.tmc  # noqa: PLC0415 - the generated output, only when asked

    except ImportError:
        raise ValueError(NO_TOPAPI) from None
    return topapi.tmc


def _client(args: argparse.Namespace, tmc: ModuleType) -> Any:
    return tmc.TmcClient(
        args.app_key,
        args.app_secret,
        group=args.group,
        url=tmc_url(args.gateway),
        reconnect=tmc.Reconnect(initial=0.5, maximum=5.0, attempts=10),
    )


def _listen(args: argparse.Namespace) -> int:
    """Connect to TMC and print each message on one line (--json: a JSON object), confirming
    it; Ctrl-C (or SIGTERM) stops, letting the message being printed finish."""
    return _run(_listening(args))


def _publish(args: argparse.Namespace) -> int:
    """Publish one message over the TMC connection and wait for TMC's acknowledgement;
    without a content, the example of the topic's spec (a real message where it has one)."""
    return _run(_publishing(args))


def _run(work: Any) -> int:
    try:
        asyncio.run(work)
    except (OSError, ValueError) as error:
        print(f"topgen: error: {error}", file=sys.stderr)
        return 1
    except Exception as error:  # topapi's TmcError and TopapiError: one line, no traceback
        print(f"topgen: error: {type(error).__name__}: {error}", file=sys.stderr)
        return 1
    return 0


async def _listening(args: argparse.Namespace) -> None:
    tmc = _topapi_tmc()
    client = _client(args, tmc)

    def show(message: Any) -> None:
        print(_line(message, args.json), flush=True)

    if args.topic:
        for topic in args.topic:
            client.on(topic)(show)
    else:
        client.on_any(show)
    loop = asyncio.get_running_loop()
    stopping: list[asyncio.Task[None]] = []
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(
            signum, lambda: stopping.append(loop.create_task(client.close(timeout=5)))
        )
    print(f"topgen: listening on {client.url} as group {args.group}", file=sys.stderr, flush=True)
    await client.run()
    for task in stopping:
        with contextlib.suppress(Exception):
            await task


async def _publishing(args: argparse.Namespace) -> None:
    tmc = _topapi_tmc()
    client = _client(args, tmc)
    content = args.content
    if content is None:
        content = example_content(load_topic(args.specs, args.topic))
    async with client:
        await client.publish(args.topic, content)
    print(f"topgen: published on {args.topic}")


def _line(message: Any, as_json: bool) -> str:
    when = message.published_at.isoformat() if message.published_at else None
    model = _model_name(message)
    error = str(message.error) if message.error is not None else None
    if as_json:
        fields = {
            "id": message.id,
            "topic": message.topic,
            "published_at": when,
            "user_id": message.user_id,
            "nick": message.nick,
            "publisher": message.publisher,
            "model": model,
            "content": message.data if message.error is None else message.text,
            "error": error,
        }
        return json.dumps(fields, ensure_ascii=False)
    text = message.text.replace("\n", " ")
    typed = f" model={model}" if model else ""
    problem = f" error={error!r}" if error else ""
    return f"{when} {message.topic} id={message.id} nick={message.nick}{typed} {text}{problem}"


def _model_name(message: Any) -> str | None:
    """The name of the payload model of topapi.topics the content was decoded with, if any."""
    if message.error is not None:
        return None
    content = message.content
    return type(content).__name__ if hasattr(type(content), "top_topic") else None
