"""Options that several topgen commands share, spelled once."""

from __future__ import annotations

import argparse
from pathlib import Path


def specs_option(parser: argparse.ArgumentParser) -> None:
    """--specs: the specs folder."""
    parser.add_argument(
        "--specs", type=Path, default=Path("specs"), help="specs folder (default: specs)"
    )


def verbose_option(parser: argparse.ArgumentParser) -> None:
    """-v/--verbose: notes on recorded quirks too."""
    parser.add_argument(
        "-v", "--verbose", action="store_true", help="also show notes on recorded quirks"
    )
