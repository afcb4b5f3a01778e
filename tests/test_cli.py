"""The topgen command's help and usage errors."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from topgen.codegen.render import OUTPUT_ENTRIES
from topgen.output.write import existing_files
from topgen.pipeline import generate

from .conftest import FIRST_API, SPECS, run_topgen


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ((), ["generate", "validate"]),
        (("generate",), ["--specs", "--out", "--check", "--templates"]),
        (("validate",), ["--specs"]),
    ],
    ids=["topgen", "generate", "validate"],
)
def test_help_everywhere(args: tuple[str, ...], expected: list[str]) -> None:
    """Every command answers --help with its options and exits 0."""
    result = run_topgen(*args, "--help")
    assert result.returncode == 0, result.stderr
    for option in expected:
        assert option in result.stdout


def test_unknown_command_is_a_usage_error() -> None:
    """A wrong command exits 2 with argparse's usage message, not a traceback."""
    result = run_topgen("generat")
    assert result.returncode == 2
    assert "usage: topgen" in result.stderr
    assert "Traceback" not in result.stderr


def test_missing_specs_folder_is_reported(tmp_path: object) -> None:
    """A specs folder that does not exist is named in a one-line error, exit 1."""
    result = run_topgen("validate", "--specs", "no/such/specs")
    assert result.returncode == 1
    assert "no/such/specs: error: the specs folder does not exist" in result.stderr
    assert "Traceback" not in result.stderr


# --- generate --only ---------------------------------------------------------------------------

MATCHED = f"topapi/apis/{FIRST_API.replace('.', '_')}.py"
KEPT = "topapi/apis/alibaba_idle_tender_order_get.py"
HAND_EDIT = "# left here by hand\n"


def tree(folder: Path) -> dict[str, str]:
    """The generated entries of an output folder, by relative path."""
    return existing_files(folder, OUTPUT_ENTRIES)


def generate_into(out: Path, *options: str | Path, specs: Path = SPECS) -> str:
    """Run `topgen generate` into `out` (cache beside it); it must succeed; returns its stdout."""
    cache = out.parent / "cache"
    result = run_topgen("generate", "--specs", specs, "--out", out, "--cache", cache, *options)
    assert result.returncode == 0, result.stderr
    return result.stdout


def edit_description(specs: Path) -> None:
    """Change the first API's title in its spec: its module and the client stub change."""
    spec = specs / "apis" / f"{FIRST_API}.yaml"
    text = spec.read_text(encoding="utf-8")
    title = next(line for line in text.splitlines() if line.strip().startswith("summary:"))
    spec.write_text(text.replace(title, f"{title} (edited)", 1), encoding="utf-8")


def test_only_regenerates_the_matching_apis_and_keeps_every_other_module(
    specs_copy: Path, tmp_path: Path
) -> None:
    """The matching module is regenerated, the others stay byte for byte, the index lists all."""
    out, full = tmp_path / "out", tmp_path / "full"
    generate_into(out)
    (out / KEPT).write_text((out / KEPT).read_text(encoding="utf-8") + HAND_EDIT, "utf-8")
    edit_description(specs_copy)

    stdout = generate_into(out, "--only", "*.pre.pay.*", specs=specs_copy)

    apis = len(list((specs_copy / "apis").glob("*.yaml")))
    assert f"{apis} APIs, 1 generated and 0 from cache, {apis - 1} kept as they are" in stdout

    generate_into(full, specs=specs_copy)
    expected = tree(full)
    expected[KEPT] += HAND_EDIT
    assert tree(out) == expected
    assert "(edited)" in tree(out)[MATCHED]


def test_only_into_an_empty_folder_still_makes_a_whole_package(tmp_path: Path) -> None:
    """A module that is not there to keep is generated: the package never lists a missing one."""
    out, full = tmp_path / "out", tmp_path / "full"
    generate_into(out, "--only", FIRST_API)
    generate_into(full)
    assert tree(out) == tree(full)


def test_only_with_a_pattern_matching_no_api_is_an_error(tmp_path: Path) -> None:
    """Exit 1, the pattern named, and nothing written or removed."""
    out = tmp_path / "out"
    generate_into(out)
    before = tree(out)
    result = run_topgen("generate", "--out", out, "--only", FIRST_API, "--only", "taobao.nope.*")
    assert result.returncode == 1, result.stderr
    assert "'taobao.nope.*' matches no API" in result.stderr
    assert "Traceback" not in result.stderr
    assert tree(out) == before


def test_only_with_check_judges_only_what_it_would_write(specs_copy: Path, tmp_path: Path) -> None:
    """--check --only: a hand-kept other module is no difference; a stale matching one is."""
    out = tmp_path / "out"
    generate_into(out)
    (out / KEPT).write_text((out / KEPT).read_text(encoding="utf-8") + HAND_EDIT, "utf-8")
    check = ("generate", "--check", "--specs", specs_copy, "--out", out, "--only", FIRST_API)
    current = run_topgen(*check)
    assert current.returncode == 0, current.stderr
    edit_description(specs_copy)
    stale = run_topgen(*check)
    assert stale.returncode == 1
    assert f"{out / MATCHED}: stale" in stale.stderr
    assert KEPT not in stale.stderr


# --- the generate summary ------------------------------------------------------------------------

SUMMARY = re.compile(
    r"topgen: (?P<apis>\d+) APIs, (?P<made>\d+) generated and (?P<cached>\d+) from cache; "
    r".+: (?P<written>\d+) file\(s\) written, (?P<unchanged>\d+) unchanged in [\d.]+ s$"
)


def summary_of(stdout: str) -> dict[str, int]:
    """The counts of generate's summary line."""
    found = SUMMARY.search(stdout.strip())
    assert found, stdout
    return {key: int(value) for key, value in found.groupdict().items()}


def changed_files(before: dict[str, str], after: dict[str, str]) -> int:
    """How many files are new or different in `after`."""
    return sum(1 for path, text in after.items() if before.get(path) != text)


def test_the_summary_counts_what_happened(specs_copy: Path, tmp_path: Path) -> None:
    """Fresh, unchanged, partly changed: the counts of APIs and files are the true ones."""
    out = tmp_path / "out"
    apis = len(list((specs_copy / "apis").glob("*.yaml")))

    fresh = summary_of(generate_into(out, specs=specs_copy))
    files = tree(out)
    assert fresh == dict(apis=apis, made=apis, cached=0, written=len(files), unchanged=0)

    again = summary_of(generate_into(out, specs=specs_copy))
    assert again == dict(apis=apis, made=0, cached=apis, written=0, unchanged=len(files))

    edit_description(specs_copy)
    edited = summary_of(generate_into(out, specs=specs_copy))
    changed = changed_files(files, tree(out))
    assert 0 < changed < len(files)
    expected = dict(apis=apis, made=1, cached=apis - 1, written=changed)
    assert edited == {**expected, "unchanged": len(files) - changed}


def test_check_counts_the_files_that_would_change(specs_copy: Path, tmp_path: Path) -> None:
    """--check says how many files it compared, or how many would change."""
    out = tmp_path / "out"
    generate_into(out, specs=specs_copy)
    files = tree(out)
    check = ("generate", "--check", "--specs", specs_copy, "--out", out)
    current = run_topgen(*check)
    assert current.returncode == 0, current.stderr
    assert f"{out} is up to date ({len(files)} files)" in current.stdout
    edit_description(specs_copy)
    expected = changed_files(files, generate(specs_copy).files)
    stale = run_topgen(*check)
    assert stale.returncode == 1
    assert f"; {expected} file(s) of {out} would change" in stale.stderr


# --- recorded quirks ------------------------------------------------------------------------------

QUIRK_EXAMPLE = "          examples: [预付款执行动作]"


@pytest.mark.parametrize("command", ["validate", "generate"])
def test_the_shipped_specs_print_no_warning(command: str, tmp_path: Path) -> None:
    """Every quirk of the shipped specs is recorded in an x-top-quirk: nothing to warn about."""
    out = ("--out", tmp_path / "out", "--no-cache") if command == "generate" else ()
    result = run_topgen(command, *out)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""


def test_verbose_shows_the_recorded_quirk_as_a_note() -> None:
    """--verbose shows what the x-top-quirk acknowledges, located, as a note."""
    spec = SPECS / "apis" / f"{FIRST_API}.yaml"
    line = spec.read_text(encoding="utf-8").splitlines().index(QUIRK_EXAMPLE) + 1
    result = run_topgen("validate", "--verbose")
    assert result.returncode == 0, result.stderr
    expected = (
        f"{Path('specs/apis') / spec.name}:{line}: note: TenderPrepayTopResult.pre_pay_action: "
        "example '预付款执行动作' does not fit its TOP type Number"
    )
    assert result.stderr.splitlines()[0].startswith(expected), result.stderr
    assert "warning" not in result.stderr
    assert "0 warning(s)" in result.stdout


def test_an_unrecorded_quirk_is_still_a_warning(specs_copy: Path) -> None:
    """Without its x-top-quirk, the same example is a warning on every run."""
    spec = specs_copy / "apis" / f"{FIRST_API}.yaml"
    lines = spec.read_text(encoding="utf-8").splitlines(keepends=True)
    start = next(n for n, line in enumerate(lines) if "x-top-quirk:" in line)
    end = next(n for n in range(start + 1, len(lines)) if not lines[n].startswith(" " * 12))
    spec.write_text("".join(lines[:start] + lines[end:]), encoding="utf-8")
    result = run_topgen("validate", "--specs", specs_copy)
    assert result.returncode == 0, result.stderr
    assert ": warning: TenderPrepayTopResult.pre_pay_action: example '预付款执行动作'" in (
        result.stderr
    )
    assert "1 warning(s)" in result.stdout


def test_the_summary_counts_the_modules_of_removed_specs(specs_copy: Path, tmp_path: Path) -> None:
    """A spec removed: its module is removed from the output, and the summary says so."""
    out = tmp_path / "out"
    generate_into(out, specs=specs_copy)
    before = tree(out)
    (specs_copy / "apis" / f"{FIRST_API}.yaml").unlink()
    stdout = generate_into(out, specs=specs_copy)
    after = tree(out)
    assert set(before) - set(after) == {MATCHED}
    written, unchanged = changed_files(before, after), len(after) - changed_files(before, after)
    assert f"{written} file(s) written, {unchanged} unchanged, 1 removed in " in stdout
