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


def out_option(parser: argparse.ArgumentParser) -> None:
    """--out: the output folder of the generated package."""
    parser.add_argument(
        "--out", type=Path, default=Path("generated"), help="output folder (default: generated)"
    )


def force_option(parser: argparse.ArgumentParser) -> None:
    """--force: overwrite specs that already exist."""
    parser.add_argument("--force", action="store_true", help="overwrite specs that already exist")
