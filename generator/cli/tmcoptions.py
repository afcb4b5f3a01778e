"""`topgen serve`'s options for the sandbox's message service (TMC)."""

from __future__ import annotations

import argparse
from pathlib import Path

from ..sandbox.tmc.hub import DEFAULT_REDELIVER_AFTER

MAX_REDELIVER_AFTER = 86_400.0  # TOP keeps a message 24 hours


def tmc_options(parser: argparse.ArgumentParser) -> None:
    """`topgen serve`'s message service (TMC) options."""
    parser.add_argument(
        "--state",
        type=Path,
        help="keep the TMC queues in this SQLite file, across restarts (default: in memory)",
    )
    parser.add_argument(
        "--redeliver-after",
        type=_seconds,
        default=DEFAULT_REDELIVER_AFTER,
        metavar="SECONDS",
        help="redeliver a failed TMC message after this long, as TOP does (default: %(default)g)",
    )


def _seconds(text: str) -> float:
    try:
        seconds = float(text)
    except ValueError:
        seconds = -1.0
    if not 0 < seconds < MAX_REDELIVER_AFTER:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of seconds (0 to 86400)")
    return seconds
