"""The topgen command: generate and validate."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from . import __version__
from .diagnostics import Diagnostic, SpecError
from .pipeline import check_specs, generate
from .render import TEMPLATES_DIR
from .write import compare_tree, write_tree


def main(argv: Sequence[str] | None = None) -> int:
    """Run topgen; returns the exit code (0 fine, 1 problems found, 2 bad usage)."""
    args = _parser().parse_args(argv)
    try:
        return int(args.run(args))
    except SpecError as exc:
        _report(exc.diagnostics)
        count = sum(1 for d in exc.diagnostics if d.level == "error")
        print(f"topgen: {count} error(s); nothing was written", file=sys.stderr)
        return 1


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="topgen",
        description="Typed Python bindings for TOP APIs, generated from OpenAPI specs.",
    )
    parser.add_argument("--version", action="version", version=f"topgen {__version__}")
    commands = parser.add_subparsers(title="commands", required=True)
    gen = commands.add_parser(
        "generate", help="generate the topapi package from the specs", description=_generate.__doc__
    )
    _specs_option(gen)
    gen.add_argument(
        "--out", type=Path, default=Path("generated"), help="output folder (default: generated)"
    )
    gen.add_argument(
        "--templates",
        type=Path,
        default=TEMPLATES_DIR,
        help="Jinja templates folder (default: the templates/ of this checkout)",
    )
    gen.add_argument(
        "--check",
        action="store_true",
        help="write nothing; exit 1 and name each file that would change",
    )
    gen.set_defaults(run=_generate)
    val = commands.add_parser(
        "validate", help="check the specs and report problems", description=_validate.__doc__
    )
    _specs_option(val)
    val.set_defaults(run=_validate)
    return parser


def _specs_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--specs", type=Path, default=Path("specs"), help="specs folder (default: specs)"
    )


def _generate(args: argparse.Namespace) -> int:
    """Generate the topapi package from the specs, or check that it is up to date."""
    result = generate(args.specs, args.templates)
    _report(result.warnings)
    if args.check:
        differences = compare_tree(args.out, result.files)
        for difference in differences:
            print(f"{args.out / difference.path}: {difference.problem}", file=sys.stderr)
        if differences:
            print(
                "topgen: the output is stale; run `topgen generate` to update it", file=sys.stderr
            )
            return 1
        print(f"topgen: {args.out} is up to date ({len(result.files)} files)")
        return 0
    write_tree(args.out, result.files)
    print(f"topgen: wrote {len(result.files)} files to {args.out}")
    return 0


def _validate(args: argparse.Namespace) -> int:
    """Check the specs and report every problem with its file and line."""
    project, warnings = check_specs(args.specs)
    _report(warnings)
    print(f"topgen: {len(project.apis)} API spec(s) valid, {len(warnings)} warning(s)")
    return 0


def _report(diagnostics: list[Diagnostic]) -> None:
    for diagnostic in diagnostics:
        print(diagnostic, file=sys.stderr)


if __name__ == "__main__":
    sys.exit(main())
