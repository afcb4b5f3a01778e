"""The topgen commands on its packed catalogs: init, add, search."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable
from typing import Any

from rich.console import Console
from rich.table import Table

from ..diagnostics import Diagnostic
from ..importing.adding import UnknownNameError, add, choose, init
from ..importing.packed import PackError, api_catalog, topic_catalog
from ..importing.search import Found, Match, search
from ..spec.load import ENVELOPE_FILE
from .options import force_option, out_option, specs_option, verbose_option

Run = Callable[[list[str]], int]
Report = Callable[[list[Diagnostic], bool], None]
DEFAULT_LIMIT = 20
_WHERE = {
    Match.NAME: "name",
    Match.IN_NAME: "name",
    Match.IN_TITLE: "title",
    Match.IN_DESCRIPTION: "description",
}


def register(commands: Any, run: Run, report: Report) -> None:
    """Add init, add and search to topgen's commands; `run` runs another topgen command."""
    ini = commands.add_parser(
        "init",
        help="start a project: write the TOP envelope specs/top.yaml",
        description=_init.__doc__,
    )
    specs_option(ini)
    ini.set_defaults(run=_init)
    add_ = commands.add_parser(
        "add",
        help="write specs for TOP APIs (or topics) by name from topgen's catalog, then generate",
        description=_add.__doc__,
    )
    add_.add_argument(
        "names",
        nargs="+",
        metavar="METHOD_OR_TOPIC",
        help="a method (taobao.tmc.user.get), a topic (taobao_trade_TradeBuyerPay) or a glob "
        "of either ('taobao.tmc.*')",
    )
    specs_option(add_)
    force_option(add_)
    out_option(add_)
    add_.add_argument(
        "--no-generate", action="store_true", help="write the specs only; generate later"
    )
    verbose_option(add_)
    add_.set_defaults(run=_add, topgen=run, report=report)
    found = commands.add_parser(
        "search",
        help="list the TOP APIs (or topics) whose name, title or description holds a text",
        description=_search.__doc__,
    )
    found.add_argument("text", help="a word or part of a name: 退款, refund, taobao.trade")
    found.add_argument("--topics", action="store_true", help="search the TMC topics instead")
    found.add_argument(
        "--limit",
        type=_count,
        default=DEFAULT_LIMIT,
        help=f"show at most this many (default: {DEFAULT_LIMIT}; 0: all)",
    )
    found.set_defaults(run=_search)


def _count(text: str) -> int:
    """A whole number of at least 0, for --limit; argparse says what is wrong otherwise."""
    if not text.isdigit():
        raise argparse.ArgumentTypeError(f"not a whole number of at least 0: {text!r}")
    return int(text)


def _init(args: argparse.Namespace) -> int:
    """Write topgen's TOP envelope as specs/top.yaml (kept as it is when it is there already)."""
    written = init(args.specs)
    if written is None:
        print(f"topgen: {args.specs / ENVELOPE_FILE} is there already; kept as it is")
    else:
        print(f"topgen: wrote {written} (the TOP envelope); next: topgen add METHOD")
    return 0


def _add(args: argparse.Namespace) -> int:
    """Write the specs of the APIs or topics named, from topgen's catalog, then generate.

    A fresh folder gets the TOP envelope (specs/top.yaml) too. An existing spec is kept unless
    --force is given; an unknown name writes nothing and suggests the closest names.
    """
    try:
        chosen = choose(args.names)
        written, found = add(chosen, args.specs, force=args.force)
    except (UnknownNameError, PackError) as exc:
        print(f"topgen: error: {exc}", file=sys.stderr)
        return 1
    args.report(found, args.verbose)
    envelope = init(args.specs) if written else None
    if envelope is not None:
        print(f"topgen: wrote {envelope} (the TOP envelope)")
    for item in written:
        print(f"topgen: wrote {item.path} ({item.method})")
    wanted = len(chosen.apis) + len(chosen.topics)
    if len(written) < wanted:
        print(f"topgen: {wanted - len(written)} of {wanted} spec(s) not written", file=sys.stderr)
        return 1
    if args.no_generate:
        print(f"topgen: run `topgen generate --specs {args.specs}` to update {args.out}")
        return 0
    generate = ["generate", "--specs", str(args.specs), "--out", str(args.out)]
    return int(args.topgen([*generate, *(["--verbose"] if args.verbose else [])]))


def _search(args: argparse.Namespace) -> int:
    """List the APIs (or topics) mentioning TEXT: the name itself, then name, title, description."""
    kind = "topic" if args.topics else "API"
    try:
        results = search(topic_catalog() if args.topics else api_catalog(), args.text)
    except PackError as exc:
        print(f"topgen: error: {exc}", file=sys.stderr)
        return 1
    if not results:
        print(f"topgen: no {kind} of topgen's catalog mentions {args.text!r}", file=sys.stderr)
        return 1
    shown = results[: args.limit] if args.limit > 0 else results
    if sys.stdout.isatty():
        _table(shown, kind)
    elif not _lines(shown):
        return 0
    if len(shown) < len(results):
        more = len(results) - len(shown)
        print(f"topgen: {more} more of {len(results)}; --limit 0 shows all", file=sys.stderr)
    return 0


def _lines(shown: list[Found]) -> bool:
    """Print `name TAB title` lines; False when the reader went away (`| head`), which is fine."""
    try:
        for item in shown:
            print(f"{item.entry.name}\t{_one_line(item.entry.title)}")
        sys.stdout.flush()
    except BrokenPipeError:
        # Python would report the pipe again when it flushes stdout at exit.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return False
    return True


def _table(shown: list[Found], kind: str) -> None:
    table = Table(kind, "title", "found in")
    for item in shown:
        table.add_row(item.entry.name, _one_line(item.entry.title), _WHERE[item.match])
    Console().print(table)


def _one_line(text: str) -> str:
    return " ".join(text.split())
