"""The topgen command: generate and validate."""

from __future__ import annotations

import argparse
import contextlib
import logging
import os
import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from rich.console import Console
from rich.progress import Progress, TaskID

from .. import __version__
from ..codegen.render import OUTPUT_ENTRIES
from ..diagnostics import Diagnostic, Level, SpecError, errors
from ..importing.importer import import_files
from ..output.bundle import bundle, write_bundle
from ..output.write import Written, compare_tree, existing_paths, write_tree
from ..pipeline import Generated, check_specs, default_jobs, generate
from ..sandbox.gateway import APP_SECRET_ENV, DEFAULT_APP_KEY, DEFAULT_APP_SECRET, Sandbox
from ..sandbox.tmc.hub import TmcSettings
from ..sandbox.tmc.service import Tmc
from ..spec.load import load_specs
from ..spec.model import SessionUse
from .catalog import register as register_catalog_commands
from .options import force_option, out_option, specs_option, verbose_option
from .tmc import add_tmc_commands
from .tmcoptions import tmc_options

DEMO_METHOD = "alibaba.idle.tender.pre.pay.action"


def main(argv: Sequence[str] | None = None) -> int:
    """Run topgen; returns the exit code (0 fine, 1 problems found, 2 bad usage)."""
    args = _parser().parse_args(argv)
    try:
        return int(args.run(args))
    except SpecError as exc:
        _report(exc.diagnostics, args.verbose)
        count = len(errors(exc.diagnostics))
        written = "; nothing was written" if args.run in (_generate, _bundle) else ""
        print(f"topgen: {count} error(s){written}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        # The output is whole as it was or as new (write_tree holds Ctrl-C during its swaps).
        print("topgen: interrupted", file=sys.stderr)
        return 130


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
    specs_option(gen)
    out_option(gen)
    gen.add_argument(
        "--templates",
        type=Path,
        default=None,
        help="a folder of Jinja templates that replace their namesakes among topgen's own",
    )
    gen.add_argument(
        "--check",
        action="store_true",
        help="write nothing; exit 1 and name each file that would change",
    )
    gen.add_argument(
        "--only",
        action="append",
        metavar="PATTERN",
        help="regenerate only the APIs whose method matches this glob (repeatable); the other "
        "APIs' modules in the output are kept as they are (made only where missing)",
    )
    gen.add_argument(
        "--jobs", type=int, default=default_jobs(), help="worker processes (default: one per core)"
    )
    gen.add_argument(
        "--cache",
        type=Path,
        default=Path(".topgen-cache"),
        help="folder of the module cache (default: .topgen-cache)",
    )
    gen.add_argument("--no-cache", action="store_true", help="neither read nor fill the cache")
    gen.set_defaults(run=_generate)
    val = commands.add_parser(
        "validate", help="check the specs and report problems", description=_validate.__doc__
    )
    specs_option(val)
    val.set_defaults(run=_validate)
    imp = commands.add_parser(
        "import",
        help="write specs from TOP documentation (doc pages as text, catalog JSON)",
        description=_import.__doc__,
    )
    imp.add_argument(
        "files",
        nargs="+",
        type=Path,
        help="doc pages (.txt), API catalog entries or topic catalog entries (.json)",
    )
    imp.add_argument(
        "--out",
        type=Path,
        default=Path("specs/apis"),
        help="folder of the specs (default: specs/apis)",
    )
    imp.add_argument(
        "--topics-out",
        type=Path,
        help="folder of the topic specs (default: topics beside --out, specs/topics)",
    )
    force_option(imp)
    imp.add_argument(
        "--session",
        choices=[use.value for use in SessionUse],
        help="the x-top-session of every spec written (the catalog never says; default:"
        " the doc page's Java example, else optional)",
    )
    imp.set_defaults(run=_import)
    srv = commands.add_parser(
        "serve",
        help="run a local TOP gateway (sandbox) for the APIs in the specs",
        description=_serve.__doc__,
    )
    specs_option(srv)
    srv.add_argument(
        "--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)"
    )
    srv.add_argument("--port", type=int, default=8765, help="port to listen on (default: 8765)")
    srv.add_argument(
        "--app-key",
        default=DEFAULT_APP_KEY,
        help=f"the app key it accepts (default: {DEFAULT_APP_KEY})",
    )
    srv.add_argument(
        "--app-secret",
        default=os.environ.get(APP_SECRET_ENV, DEFAULT_APP_SECRET),
        help=(
            f"the app's secret; better in ${APP_SECRET_ENV}, which ps does not show "
            f"(default: {DEFAULT_APP_SECRET})"
        ),
    )
    srv.add_argument(
        "--fixtures", type=Path, help="folder of <method>.json|yaml answers overriding the examples"
    )
    srv.add_argument(
        "--reload",
        action="store_true",
        help="watch the specs (and fixtures) and serve them anew when a file changes",
    )
    tmc_options(srv)
    srv.set_defaults(run=_serve)
    demo = commands.add_parser(
        "demo",
        help="call one API through the sandbox and print the typed result",
        description=_demo.__doc__,
    )
    specs_option(demo)
    demo.add_argument(
        "method", nargs="?", default=DEMO_METHOD, help=f"the API to call (default: {DEMO_METHOD})"
    )
    demo.add_argument(
        "--fixtures", type=Path, help="folder of <method>.json|yaml answers overriding the examples"
    )
    demo.set_defaults(run=_demo)
    bun = commands.add_parser(
        "bundle", help="merge every spec into one OpenAPI 3.1 document", description=_bundle.__doc__
    )
    specs_option(bun)
    bun.add_argument("--out", type=Path, required=True, help="the file to write (.json or .yaml)")
    bun.set_defaults(run=_bundle)
    register_catalog_commands(commands, main, _report)
    add_tmc_commands(commands)
    for command in (gen, val, imp, srv, demo, bun):
        verbose_option(command)
    return parser


def _generate(args: argparse.Namespace) -> int:
    """Generate the topapi package from the specs, or check that it is up to date."""
    started = time.perf_counter()
    # --check proves the output from the specs alone: a cache could be what went wrong.
    cache = None if args.no_cache or args.check else args.cache
    if args.out.exists() and not args.out.is_dir():
        print(f"topgen: error: --out {args.out} is a file, not a folder", file=sys.stderr)
        return 1
    # --only keeps the modules the output has: generate must know which are there.
    present = existing_paths(args.out, OUTPUT_ENTRIES) if args.only else []
    with _progress_bar() as bar:
        result = generate(
            args.specs,
            args.templates,
            jobs=args.jobs,
            cache_dir=cache,
            only=args.only,
            existing=frozenset(_relative(args.out, present)),
            progress=bar,
        )
    _report(result.warnings, args.verbose)
    summary = _api_summary(result)
    prune = not args.only
    if args.check:
        try:
            differences = compare_tree(args.out, result.files, prune=prune)
        except OSError as exc:
            print(f"topgen: error: cannot read {args.out}: {exc}", file=sys.stderr)
            return 1
        for difference in differences:
            print(f"{args.out / difference.path}: {difference.problem}", file=sys.stderr)
        if differences:
            print(
                f"topgen: {summary}; {len(differences)} file(s) of {args.out} would change; "
                "run `topgen generate` to update them",
                file=sys.stderr,
            )
            return 1
        print(f"topgen: {summary}; {args.out} is up to date ({len(result.files)} files)")
        return 0
    try:
        written = write_tree(args.out, result.files, prune=prune)
    except OSError as exc:
        print(f"topgen: error: cannot write {args.out}: {exc}", file=sys.stderr)
        return 1
    seconds = time.perf_counter() - started
    print(f"topgen: {summary}; {args.out}: {_files_summary(written)} in {seconds:.1f} s")
    return 0


def _relative(folder: Path, paths: list[Path]) -> list[str]:
    return [path.relative_to(folder).as_posix() for path in paths]


def _api_summary(result: Generated) -> str:
    """What became of each API: generated, from the cache, or kept as it is (--only)."""
    summary = f"{result.apis} APIs, {result.generated} generated and {result.from_cache} from cache"
    summary += f", {len(result.kept)} kept as they are" if result.kept else ""
    return f"{summary}; {result.topics} topics" if result.topics else summary


def _files_summary(written: Written) -> str:
    """What write_tree did, every count shown, so that "nothing changed" is as plain as a change."""
    summary = f"{len(written.written)} file(s) written, {len(written.unchanged)} unchanged"
    return f"{summary}, {len(written.removed)} removed" if written.removed else summary


class _Bar:
    """A rich progress bar per stage on a terminal, for stages of many items; nothing elsewhere."""

    # About a second of work: a stage with fewer items than this shows no bar.
    MIN_ITEMS = 50

    def __init__(self) -> None:
        self.progress: Progress | None = None
        self.task: TaskID | None = None
        # Asked once: while a bar is shown, rich puts a proxy that is no terminal in sys.stderr.
        self.on_terminal = sys.stderr.isatty()

    def start(self, total: int, stage: str) -> None:
        self.task = None
        if total < self.MIN_ITEMS or not self.on_terminal:
            return
        if self.progress is None:
            self.progress = Progress(console=Console(stderr=True), transient=True)
            self.progress.start()
        self.task = self.progress.add_task(stage, total=total)

    def advance(self) -> None:
        if self.progress is not None and self.task is not None:
            self.progress.advance(self.task)


@contextmanager
def _progress_bar() -> Iterator[_Bar]:
    bar = _Bar()
    try:
        yield bar
    finally:
        if bar.progress is not None:
            bar.progress.stop()


def _validate(args: argparse.Namespace) -> int:
    """Check the specs and report every problem with its file and line."""
    project, found = check_specs(args.specs)
    _report(found, args.verbose)
    warnings = sum(1 for d in found if d.level is Level.WARNING)
    specs = f"{len(project.apis)} API spec(s)"
    if project.topics:
        specs += f" and {len(project.topics)} topic spec(s)"
    summary = f"topgen: {specs} valid, {warnings} warning(s)"
    notes = sum(1 for d in found if d.level is Level.NOTE)
    if notes and not args.verbose:
        summary += f", {notes} note(s) on recorded quirks (--verbose shows them)"
    print(summary)
    return 0


def _import(args: argparse.Namespace) -> int:
    """Write one spec per documentation file; a file that is not TOP documentation writes none."""
    session = SessionUse(args.session) if args.session else None
    imported, found = import_files(
        args.files, args.out, force=args.force, session=session, topics_dir=args.topics_out
    )
    _report(found, args.verbose)
    for item in imported:
        print(f"topgen: wrote {item.path} ({item.method})")
    failed = len(args.files) - len(imported)
    if failed:
        print(f"topgen: {failed} of {len(args.files)} file(s) not imported", file=sys.stderr)
        return 1
    return 0


def _serve(args: argparse.Namespace) -> int:
    """Answer /router/rest like TOP: check each call, answer the spec's example or a fixture."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    if args.verbose:
        logging.getLogger("topgen").setLevel(logging.DEBUG)
    try:
        from ..sandbox import serve  # noqa: PLC0415 (aiohttp: serve only)

        tmc = Tmc.open(args.state, TmcSettings(redeliver_after=args.redeliver_after))

        def build() -> Sandbox:
            return serve.build_sandbox(
                args.specs, args.app_key, args.app_secret, args.fixtures, tmc
            )

        with contextlib.closing(tmc):
            sandbox = build()
            reload = serve.Reload(build, args.specs, args.fixtures) if args.reload else None
            later = (
                f"watching {args.specs} for changes"
                if reload
                else "restart it to serve changed specs (or use --reload)"
            )

            def listening(url: str) -> None:
                apis = f"{len(sandbox.apis)} APIs, app key {args.app_key}"
                print(f"topgen: sandbox gateway on {url}: {apis}; {later}", flush=True)

            serve.serve_forever(sandbox, args.host, args.port, listening, reload)
    except (OSError, ValueError) as exc:
        print(f"topgen: error: {exc}", file=sys.stderr)
        return 1
    return 0


def _demo(args: argparse.Namespace) -> int:
    """Start the sandbox, call an API with its documented request example, print what came back."""
    from .demo import run_demo  # noqa: PLC0415 - needs the generated topapi, which may not exist yet

    try:
        lines = run_demo(args.specs, args.method, args.fixtures)
    except (OSError, ValueError) as exc:
        print(f"topgen: error: {exc}", file=sys.stderr)
        return 1
    print("\n".join(lines))
    return 0


def _bundle(args: argparse.Namespace) -> int:
    """Merge the valid specs into one OpenAPI 3.1 document with a path per method."""
    check_specs(args.specs)
    document = bundle(load_specs(args.specs))
    write_bundle(document, args.out)
    topics = f", {len(document['webhooks'])} topics" if document.get("webhooks") else ""
    print(f"topgen: wrote {args.out} ({len(document['paths'])} APIs{topics})")
    return 0


def _report(diagnostics: list[Diagnostic], verbose: bool) -> None:
    """Print the diagnostics on stderr; notes only when asked for."""
    for diagnostic in diagnostics:
        if verbose or diagnostic.level is not Level.NOTE:
            print(diagnostic, file=sys.stderr)
