"""Every TMC topic of the topic catalog through topgen: import, generate, import in Python; counts.

Usage: python benchmarks/topics_all.py [TOPICS_DIR] [--jobs N] [--keep DIR] [--rounds N]
                                      [--instructions] [--mypy]
(TOPICS_DIR defaults to $TOPGEN_TOPICS or ../shared/top-topics.) Cold: no cache anywhere. Then
every topic module is imported and its spec's example decoded in one fresh interpreter, and
`import topapi` plus one topic module (and a decode) is timed in fresh interpreters, beside
the same model written by hand in pydantic; `--instructions` also counts both in instructions
under valgrind's callgrind, which the VM's changing speed does not move. `--mypy` times a cold
`mypy --strict` of two user scripts against the whole output, installed (as `pip install`
leaves it) and through MYPYPATH (which makes mypy check topapi like the user's own code).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from catalog_all import black_check
from catalog_specs import import_entries

from topgen.diagnostics import Level
from topgen.output.write import write_tree
from topgen.pipeline import check_specs, generate

REPO = Path(__file__).resolve().parent.parent
DECODE_ALL = """
import json, sys, time
start = time.perf_counter()
import topapi.topics as topics
examples = json.loads(sys.stdin.read())
failed = []
for topic, example in sorted(examples.items()):
    try:
        model = topics.payload_type(topic)
        content, error = topics.decode(model, json.dumps(example))
        if error is not None:
            failed.append(f"{topic}: {error}")
    except Exception as exc:
        failed.append(f"{topic}: {type(exc).__name__}: {exc}".splitlines()[0])
print(len(examples) - len(failed), time.perf_counter() - start)
print("\\n".join(failed))
"""
ONE_TOPIC = """
import time
start, cpu = time.perf_counter(), time.process_time()
import topapi
from topapi.topics import decode
from topapi.topics.taobao_trade_trade_buyer_pay import TradeBuyerPay
imported, imported_cpu = time.perf_counter(), time.process_time()
content, error = decode(TradeBuyerPay, '{"tid": 586070597376760, "payment": "30.36"}')
print(imported - start, time.perf_counter() - start, imported_cpu - cpu)
"""
# The baseline: the same model written by hand in pydantic, which builds it at once (topapi defers).
BY_HAND = """
import time
start, cpu = time.perf_counter(), time.process_time()
from decimal import Decimal
from pydantic import BaseModel
class TradeBuyerPay(BaseModel):
    tid: int | None = None
    payment: Decimal | None = None
imported, imported_cpu = time.perf_counter(), time.process_time()
TradeBuyerPay.model_validate_json('{"tid": 586070597376760, "payment": "30.36"}')
print(imported - start, time.perf_counter() - start, imported_cpu - cpu)
"""

# Counted in instructions: the imports alone, against the least any pydantic model costs.
IMPORTS_ONLY = """
import topapi
from topapi.topics import decode
from topapi.topics.taobao_trade_trade_buyer_pay import TradeBuyerPay
"""
PYDANTIC_FLOOR = """
from pydantic import BaseModel, ConfigDict
class TradeBuyerPay(BaseModel):
    model_config = ConfigDict(defer_build=True)
    tid: int | None = None
"""

# What mypy is timed on: a function of one topic's payload, and a typed handler.
USER_SCRIPTS = {
    "a payload": """
from topapi.topics.taobao_trade_trade_buyer_pay import TradeBuyerPay

def paid(content: TradeBuyerPay) -> int | None:
    return content.tid
""",
    "a typed handler": """
from topapi.tmc import Message, TmcClient
from topapi.topics.taobao_trade_trade_buyer_pay import TradeBuyerPay

client = TmcClient("key", "secret")

@client.on("taobao_trade_TradeBuyerPay")
async def paid(message: Message[TradeBuyerPay]) -> None:
    print(message.content.tid)
""",
}


def main() -> None:
    """Run the whole topic catalog and print what came through each stage, and how fast."""
    args = _arguments()
    work = Path(args.keep or tempfile.mkdtemp(prefix="topgen-topics-"))
    specs = work / "specs"
    entries = sorted(p for p in args.topics.glob("*/*.json") if p.parent.name != "examples")

    started, cpu = time.perf_counter(), _cpu()
    imported, problems = import_entries(entries, specs, args.jobs)
    import_seconds, import_cpu = time.perf_counter() - started, _cpu() - cpu
    refused = [d for d in problems if d.level is Level.ERROR]
    print(f"catalog entries:      {len(entries)} (in {args.topics})")
    print(
        f"imported as specs:    {imported} in {import_seconds:.1f} s "
        f"({args.jobs} workers, {import_cpu:.1f} s of CPU)"
    )
    print(f"refused:              {len(refused)}")
    for diagnostic in refused[:10]:
        print(f"    {diagnostic}")

    started, cpu = time.perf_counter(), _cpu()
    result = generate(specs, jobs=args.jobs)
    out = work / "out"
    write_tree(out, result.files)
    generate_seconds, generate_cpu = time.perf_counter() - started, _cpu() - cpu
    modules = [p for p in (out / "topapi" / "topics").glob("*.py") if p.stem != "__init__"]
    print(
        f"generated modules:    {len(modules)} in {generate_seconds:.1f} s "
        f"({args.jobs} workers, {generate_cpu:.1f} s of CPU)"
    )
    total, total_cpu = import_seconds + generate_seconds, import_cpu + generate_cpu
    print(
        f"cold total:           {total:.1f} s (import + generate + write; {total_cpu:.1f} s of CPU)"
    )
    print(f"load average:         {os.getloadavg()[0]:.1f} (other processes share the cores)")
    started = time.perf_counter()
    print(f"black --check:        {black_check(out)} in {time.perf_counter() - started:.1f} s")

    project, _ = check_specs(specs)
    examples = {topic.topic: topic.examples[0].value for topic in project.topics if topic.examples}
    ok, seconds, failures = _decode_all(out, examples)
    print(f"modules decoding:     {ok} of {len(examples)} examples in {seconds:.1f} s")
    for failure in failures[:10]:
        print(f"    {failure}")
    times, floor = [], []
    for _ in range(args.rounds):  # alternating, so that a burst of load hits both alike
        times.append(_fresh_interpreter(out, ONE_TOPIC))
        floor.append(_fresh_interpreter(out, BY_HAND))
    print(f"import topapi + one topic module: {_figures(times)}")
    print(f"  baseline, the same model written by hand in pydantic: {_figures(floor)}")
    if args.instructions:
        scripts = ("pass", IMPORTS_ONLY, PYDANTIC_FLOOR)
        bare, topapi, floor_count = (_instructions(out, script) / 1e6 for script in scripts)
        print(
            f"instructions (callgrind): import topapi + one topic module {topapi:.0f} M; "
            f"pydantic's floor (BaseModel and one deferred model) {floor_count:.0f} M; "
            f"a bare interpreter {bare:.0f} M"
        )
    if args.mypy:
        for script, seconds in _mypy_seconds(out, work).items():
            print(f"mypy --strict, cold, {script}: {seconds}")
    print(f"output kept in:       {work}" if args.keep else "")
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__)
    default = os.environ.get("TOPGEN_TOPICS") or REPO.parent / "shared" / "top-topics"
    parser.add_argument("topics", nargs="?", type=Path, default=Path(default))
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--keep", type=Path, help="keep the specs and output in this folder")
    parser.add_argument("--rounds", type=int, default=7, help="fresh interpreters to time")
    parser.add_argument(
        "--instructions", action="store_true", help="also count instructions with callgrind"
    )
    parser.add_argument("--mypy", action="store_true", help="also time a cold mypy --strict")
    return parser.parse_args()


def _decode_all(out: Path, examples: dict[str, object]) -> tuple[int, float, list[str]]:
    run = subprocess.run(
        [sys.executable, "-c", DECODE_ALL],
        input=json.dumps(examples),
        env={**os.environ, "PYTHONPATH": str(out)},
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    if run.returncode != 0:
        return 0, 0.0, [run.stderr[-2000:]]
    first, *rest = run.stdout.splitlines()
    ok, seconds = first.split()
    return int(ok), float(seconds), [line for line in rest if line]


def _cpu() -> float:
    """CPU seconds of this process and its finished children: less at the mercy of the load."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def _figures(times: list[tuple[float, float, float]]) -> str:
    """Median and best of the import, its CPU, and with a first decode, in milliseconds."""
    imported, decoded, cpu = ([t[n] * 1000 for t in times] for n in range(3))
    return (
        f"median {statistics.median(imported):.0f} ms (best {min(imported):.0f}), "
        f"{statistics.median(cpu):.0f} ms of CPU; {statistics.median(decoded):.0f} ms with a "
        "first decode"
    )


def _mypy_seconds(out: Path, work: Path) -> dict[str, str]:
    """Cold mypy --strict of each user script, topapi installed and through MYPYPATH."""
    venv = work / "venv"  # topapi "installed": its folder on a .pth, as site-packages holds it
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", venv], check=True)
    site = next(venv.glob("lib/python*/site-packages"))
    deps = next(p for p in sys.path if p.endswith("site-packages"))
    (site / "topapi_benchmark.pth").write_text(f"{out}\n{deps}\n", encoding="utf-8")
    mypy = Path(sys.executable).with_name("mypy")
    seconds = {}
    for name, script in USER_SCRIPTS.items():
        path = work / f"{name}.py"
        path.write_text(script, encoding="utf-8")
        for how, option, env in (
            ("installed", ["--python-executable", str(venv / "bin" / "python")], {}),
            ("MYPYPATH", [], {"MYPYPATH": str(out)}),
        ):
            command = [str(mypy), "--strict", "--no-incremental", *option, str(path)]
            started = time.perf_counter()
            run = subprocess.run(
                command,
                cwd=work,
                env={**os.environ, **env},
                capture_output=True,
                text=True,
                check=False,
            )
            verdict = "ok" if run.returncode == 0 else run.stdout.strip().splitlines()[-1]
            seconds[f"{name}, {how}"] = f"{time.perf_counter() - started:.1f} s ({verdict})"
    return seconds


def _instructions(out: Path, script: str) -> int:
    """The instructions a fresh interpreter runs for `script`, as valgrind's callgrind counts."""
    with tempfile.TemporaryDirectory() as folder:
        command = ["valgrind", "--tool=callgrind", f"--callgrind-out-file={folder}/out"]
        command += [sys.executable, "-X", "frozen_modules=on", "-c", script]
        run = subprocess.run(
            command, env={"PYTHONPATH": str(out)}, capture_output=True, text=True, check=True
        )
    return int(re.search(r"Collected : (\d+)", run.stderr).group(1))  # type: ignore[union-attr]


def _fresh_interpreter(out: Path, script: str) -> tuple[float, float, float]:
    """What `script` prints of its times, run in a new interpreter with the output importable."""
    run = subprocess.run(
        [sys.executable, "-X", "frozen_modules=on", "-c", script],
        env={"PYTHONPATH": str(out)},
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    imports, decoded, imports_cpu = map(float, run.stdout.split())
    return imports, decoded, imports_cpu


if __name__ == "__main__":
    main()
