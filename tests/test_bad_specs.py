"""Bad specs stop topgen with one clear `file:line: error:` message each, and write nothing.

The corpus in tests/broken holds one file per kind of defect, its expected error on its first
line (see tests/broken/README.md); the other tests edit a copy of the first API's spec as text,
so their expected line numbers are computed from the edited text rather than hard-coded.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from topgen import diagnostics
from topgen.spec.build import build_api, build_envelope
from topgen.spec.load import Mapping, Sequence, load_document
from topgen.spec.validate import check_api, check_envelope

from .conftest import FIRST_API, SPECS, run_python, run_topgen

SPEC_NAME = f"apis/{FIRST_API}.yaml"
ERROR_LINE = re.compile(r"^(?P<file>.+?):(?P<line>\d+): error: (?P<message>.*)$")


# --- helpers -------------------------------------------------------------------------------


def replace_once(text: str, old: str, new: str) -> str:
    """`text` with the single occurrence of `old` replaced; fails if `old` is not unique."""
    assert text.count(old) == 1, f"expected exactly one {old!r} in the spec"
    return text.replace(old, new)


def line_of(text: str, line: str, occurrence: int = 1) -> int:
    """The 1-based number of the `occurrence`-th line of `text` equal to `line`."""
    numbers = [n for n, content in enumerate(text.splitlines(), start=1) if content == line]
    assert len(numbers) >= occurrence, f"{line!r} occurs {len(numbers)} time(s)"
    return numbers[occurrence - 1]


def edit_spec(specs: Path, edit: Callable[[str], str]) -> tuple[Path, str]:
    """Apply `edit` to the first API's spec under `specs`; returns its path and new text."""
    path = specs / SPEC_NAME
    text = edit(path.read_text(encoding="utf-8"))
    path.write_text(text, encoding="utf-8")
    return path, text


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under `folder`, by relative path, with its bytes."""
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def error_lines(stderr: str) -> list[re.Match[str]]:
    """The `file:line: error: message` lines of topgen's stderr."""
    return [m for line in stderr.splitlines() if (m := ERROR_LINE.match(line))]


@pytest.fixture(scope="module")
def good_output(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The output of one successful generation from the repository's specs."""
    out = tmp_path_factory.mktemp("good") / "out"
    result = run_topgen("generate", "--specs", SPECS, "--out", out)
    assert result.returncode == 0, result.stderr
    return out


@pytest.fixture
def out_dir(good_output: Path, tmp_path: Path) -> Path:
    """A previous good output, plus a file of the user's, that a failed run must leave alone."""
    out = tmp_path / "out"
    shutil.copytree(good_output, out)
    (out / "topapi" / "marker.txt").write_text("left by the user\n", encoding="utf-8")
    return out


def assert_refused(result: subprocess.CompletedProcess[str], errors: int) -> None:
    """topgen failed cleanly: exit 1, no traceback, the summary line, nothing said written."""
    assert result.returncode == 1, f"exit {result.returncode}\n{result.stderr}"
    assert "Traceback" not in result.stderr, result.stderr
    assert "Traceback" not in result.stdout, result.stdout
    assert f"topgen: {errors} error(s); nothing was written" in result.stderr, result.stderr
    assert "wrote" not in result.stdout, result.stdout


# --- the corpus of broken inputs ----------------------------------------------------------------

BROKEN = Path(__file__).parent / "broken"
CORPUS_METHOD = "broken.case"
CORPUS_TOPIC = "broken_case_Event"
EXPECTED = re.compile(r"# expected: (?P<line>\d+): (?P<message>.+)")


@dataclass(frozen=True)
class BrokenInput:
    """A file with one defect (an API spec, an envelope, a doc page) and the error it must cause."""

    path: Path
    line: int
    message: str


def broken_inputs() -> list[BrokenInput]:
    """Every case of tests/broken/*/, its expectation read from its first line."""
    cases = []
    for path in sorted(BROKEN.glob("*/*")):
        first = path.read_text(encoding="utf-8").partition("\n")[0]
        expected = EXPECTED.fullmatch(first)
        assert expected is not None, f"{path} does not start with '# expected: LINE: MESSAGE'"
        cases.append(BrokenInput(path, int(expected["line"]), expected["message"]))
    return cases


def corpus_specs(folder: Path, *, envelope: Path = SPECS / "top.yaml") -> Path:
    """A specs folder with `envelope` and the corpus's valid spec, both replaceable."""
    (folder / "apis").mkdir(parents=True)
    shutil.copyfile(envelope, folder / "top.yaml")
    shutil.copyfile(BROKEN / "good.yaml", folder / "apis" / f"{CORPUS_METHOD}.yaml")
    return folder


def run_broken(case: BrokenInput, tmp_path: Path) -> tuple[subprocess.CompletedProcess[str], Path]:
    """Run topgen on the case where it belongs; returns the result and the path it must name."""
    kind = case.path.parent.name
    if kind == "docpages":
        apis = tmp_path / "specs" / "apis"
        result = run_topgen("import", case.path, BROKEN / "good.txt", "--out", apis)
        assert [p.name for p in apis.iterdir()] == ["alibaba.idle.isv.user.info.yaml"]
        return result, case.path
    envelope = case.path if kind == "envelopes" else SPECS / "top.yaml"
    specs = corpus_specs(tmp_path / "specs", envelope=envelope)
    named = specs / "top.yaml"
    if kind == "specs":
        named = specs / "apis" / f"{CORPUS_METHOD}.yaml"
        shutil.copyfile(case.path, named)
    if kind == "topics":
        named = specs / "topics" / f"{CORPUS_TOPIC}.yaml"
        named.parent.mkdir()
        shutil.copyfile(case.path, named)
    out = tmp_path / "out"
    result = run_topgen("generate", "--specs", specs, "--out", out, "--no-cache")
    assert not out.exists(), "a refused run wrote output"
    return result, named


@pytest.mark.parametrize(
    "case", broken_inputs(), ids=lambda c: f"{c.path.parent.name}/{c.path.stem}"
)
def test_broken_input_gives_its_one_located_error(case: BrokenInput, tmp_path: Path) -> None:
    """Each broken input: exactly its error, naming the file and line; exit 1, no traceback."""
    result, named = run_broken(case, tmp_path)

    assert result.returncode == 1, f"exit {result.returncode}\n{result.stderr}"
    assert "Traceback" not in result.stderr + result.stdout, result.stderr
    errors = error_lines(result.stderr)
    assert [(e["file"], int(e["line"])) for e in errors] == [(str(named), case.line)], result.stderr
    assert case.message in errors[0]["message"], result.stderr


def test_validate_reports_errors_without_saying_nothing_was_written(tmp_path: Path) -> None:
    """validate never writes, so its summary does not say that nothing was written."""
    specs = corpus_specs(tmp_path / "specs")
    spec = specs / "apis" / f"{CORPUS_METHOD}.yaml"
    shutil.copyfile(BROKEN / "specs" / "unknown-top-type.yaml", spec)

    result = run_topgen("validate", "--specs", specs)

    assert result.returncode == 1, result.stderr
    assert [e["file"] for e in error_lines(result.stderr)] == [str(spec)], result.stderr
    assert result.stderr.splitlines()[-1] == "topgen: 1 error(s)", result.stderr


def alias_bomb(levels: int) -> str:
    """A spec of a few hundred bytes whose aliases expand to 9 ** levels values."""
    lines = ["openapi: 3.1.0", "l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    for level in range(1, levels + 1):
        lines.append(f"l{level}: &l{level} [" + ", ".join([f"*l{level - 1}"] * 9) + "]")
    return "\n".join(lines) + "\n"


def test_a_yaml_alias_bomb_is_refused_at_once(tmp_path: Path) -> None:
    """9 ** 12 values in 700 bytes: one located error within seconds, not a walk of the graph."""
    specs = corpus_specs(tmp_path / "specs")
    spec = specs / "apis" / f"{CORPUS_METHOD}.yaml"
    spec.write_text(alias_bomb(12), encoding="utf-8")
    started = time.monotonic()

    result = subprocess.run(
        [sys.executable, "-m", "topgen.cli", "validate", "--specs", str(specs)],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )

    assert time.monotonic() - started < 10  # a fresh interpreter included; the parse is instant
    assert result.returncode == 1, result.stderr
    errors = error_lines(result.stderr)
    # The first alias is the first *l0, on line 3.
    assert [(e["file"], e["line"]) for e in errors] == [(str(spec), "3")], result.stderr
    assert "the YAML alias *l0 repeats the value anchored on line 2" in errors[0]["message"]


def test_the_corpus_topic_spec_is_valid_so_each_case_fails_for_its_own_defect(
    tmp_path: Path,
) -> None:
    """tests/broken/good-topic.yaml, which every topic case copies, validates without a word."""
    specs = corpus_specs(tmp_path / "specs")
    (specs / "topics").mkdir()
    shutil.copyfile(BROKEN / "good-topic.yaml", specs / "topics" / f"{CORPUS_TOPIC}.yaml")

    result = run_topgen("validate", "--specs", specs)

    assert result.returncode == 0, result.stderr
    assert result.stderr == "", result.stderr
    assert "1 topic spec(s) valid, 0 warning(s)" in result.stdout, result.stdout


def test_the_corpus_spec_is_valid_so_each_case_fails_for_its_own_defect(tmp_path: Path) -> None:
    """tests/broken/good.yaml, which every spec case copies, validates without a word."""
    result = run_topgen("validate", "--specs", corpus_specs(tmp_path / "specs"))

    assert result.returncode == 0, result.stderr
    assert result.stderr == ""


def test_several_errors_are_each_reported_once(specs_copy: Path, out_dir: Path) -> None:
    """Three independent problems in one spec: three error lines, each once, exit 1."""

    def break_three_things(text: str) -> str:
        text = replace_once(text, "      x-top-session: required\n", "")
        text = replace_once(
            text,
            "          x-top-type: String\n          description: 预付款流水号\n",
            "          x-top-type: Strnig\n          description: 预付款流水号\n",
        )
        return replace_once(
            text,
            "          $ref: '#/components/schemas/TenderPrePayCmd'\n",
            "          $ref: '#/components/schemas/NoSuchType'\n",
        )

    spec, text = edit_spec(specs_copy, break_three_things)
    before = snapshot(out_dir)

    result = run_topgen("generate", "--specs", specs_copy, "--out", out_dir)

    assert_refused(result, errors=3)
    errors = error_lines(result.stderr)
    assert {e["file"] for e in errors} == {str(spec)}
    messages = [e["message"] for e in errors]
    for expected in (
        "missing required key 'x-top-session'",
        "unknown TOP type 'Strnig'",
        "'#/components/schemas/NoSuchType' points to nothing",
    ):
        assert sum(expected in m for m in messages) == 1, f"{expected!r} in\n{result.stderr}"
    assert len(errors) == 3, result.stderr
    located = {(int(e["line"]), "Strnig" in e["message"]) for e in errors}
    assert (line_of(text, "          x-top-type: Strnig"), True) in located
    assert snapshot(out_dir) == before


# --- names that are not errors ---------------------------------------------------------------

KEYWORD_NAMES_SPEC = {
    # TenderPrePayCmd (rendered by datamodel-code-generator): `from` required, `class`
    # optional, and `pre_pay_no` renamed to a wire name Python cannot hold.
    "      required: [order_id, pre_pay_no, pre_pay_action]\n      properties:\n": (
        "      required: [order_id, pre-pay.no, pre_pay_action, from]\n      properties:\n"
        "        from:\n          type: string\n          x-top-type: String\n"
        "          description: 来源\n"
        "        class:\n          type: string\n          x-top-type: String\n"
    ),
    "        pre_pay_no:\n          type: string\n          x-top-type: String\n"
    "          description: 预付款流水号\n": (
        "        pre-pay.no:\n          type: string\n          x-top-type: String\n"
        "          description: 预付款流水号\n"
    ),
    # The request class itself (rendered by topgen): the same three kinds of names.
    "          description: 请求参数\n": (
        "          description: 请求参数\n"
        "        from:\n          type: string\n          x-top-type: String\n"
        "        class:\n          type: integer\n          format: int64\n"
        "          x-top-type: Number\n"
        "        pre-pay.no:\n          type: string\n          x-top-type: String\n"
    ),
    "      required: [param0]\n": "      required: [param0, from]\n",
}

# Run against the generated package only: PYTHONPATH puts the temporary output first.
PROBE = """
import json, topapi
from topapi.apis.alibaba_idle_tender_pre_pay_action import (
    AlibabaIdleTenderPrePayActionRequest as Request, TenderPrePayCmd)
cmd = TenderPrePayCmd(from_="f", class_="c", order_id="1", pre_pay_no="n", pre_pay_action=2)
by_wire = TenderPrePayCmd.model_validate(
    {"from": "f", "class": "c", "order_id": "1", "pre-pay.no": "n", "pre_pay_action": 2})
request = Request(param0=cmd, from_="top-from", class_=3, pre_pay_no="top-no")
print(json.dumps({
    "package": topapi.__file__,
    "cmd_aliases": {n: f.alias for n, f in TenderPrePayCmd.model_fields.items()},
    "request_aliases": {n: f.alias for n, f in Request.model_fields.items()},
    "same_by_wire_name": cmd == by_wire,
    "params": request.to_params(),
}))
"""


def test_keyword_and_odd_field_names_get_python_names_and_keep_wire_names(
    specs_copy: Path, tmp_path: Path
) -> None:
    """`from`, `class` and `pre-pay.no` become from_, class_, pre_pay_no and are sent as such."""

    def rename(text: str) -> str:
        for old, new in KEYWORD_NAMES_SPEC.items():
            text = replace_once(text, old, new)
        return text

    edit_spec(specs_copy, rename)
    out = tmp_path / "out"
    result = run_topgen("generate", "--specs", specs_copy, "--out", out)
    assert result.returncode == 0, result.stderr
    assert ": error:" not in result.stderr, result.stderr

    probe = run_python(PROBE, out)
    assert probe.returncode == 0, probe.stderr
    seen = json.loads(probe.stdout)

    assert Path(seen["package"]).is_relative_to(out), "imported the installed topapi instead"
    assert seen["cmd_aliases"] == {
        "from_": "from",
        "class_": "class",
        "order_id": None,
        "pre_pay_no": "pre-pay.no",
        "pre_pay_action": None,
    }
    assert seen["request_aliases"] == {
        "param0": None,
        "from_": "from",
        "class_": "class",
        "pre_pay_no": "pre-pay.no",
    }
    assert seen["same_by_wire_name"] is True
    params = seen["params"]
    assert set(params) == {"param0", "from", "class", "pre-pay.no"}
    assert (params["from"], params["class"], params["pre-pay.no"]) == ("top-from", "3", "top-no")
    assert json.loads(params["param0"]) == {
        "from": "f",
        "class": "c",
        "order_id": "1",
        "pre-pay.no": "n",
        "pre_pay_action": 2,
    }
    assert '"from":' in params["param0"]


CLIENT_PARAMETER_PROBE = """
import inspect, json
from topapi.apis import alibaba_idle_tender_pre_pay_action as api
Request = api.AlibabaIdleTenderPrePayActionRequest
(field,) = [n for n, f in Request.model_fields.items() if (f.alias or n) == {name!r}]
cmd = api.TenderPrePayCmd(order_id="1", pre_pay_no="n", pre_pay_action=2)
print(json.dumps({{
    "field": field,
    "call": list(inspect.signature(api.call).parameters),
    "acall": list(inspect.signature(api.acall).parameters),
    "sent": Request(param0=cmd, **{{field: "v"}}).to_params().get({name!r}),
}}))
"""


@pytest.mark.parametrize("name", ["self", "timeout"])
def test_field_named_like_a_client_parameter_is_refused_or_usable(
    name: str, specs_copy: Path, tmp_path: Path
) -> None:
    """A request field `self`/`timeout` must not produce a client method that cannot compile.

    Each API's `call`/`acall` (which TopClient binds, see _client.pyi) takes the client and
    `timeout` besides the request fields. topgen may refuse such a field with a located error,
    or rename it; it must not write an API module with a duplicate argument.
    """
    spec, text = edit_spec(
        specs_copy,
        lambda t: replace_once(
            t,
            "          description: 请求参数\n",
            f"          description: 请求参数\n        {name}:\n          type: string\n"
            "          x-top-type: String\n",
        ),
    )
    out = tmp_path / "out"
    result = run_topgen("generate", "--specs", specs_copy, "--out", out)

    assert "Traceback" not in result.stderr, result.stderr
    if result.returncode == 1:
        errors = error_lines(result.stderr)
        assert len(errors) == 1, result.stderr
        assert errors[0]["file"] == str(spec)
        assert int(errors[0]["line"]) == line_of(text, f"        {name}:")
        assert repr(name) in errors[0]["message"] or name in errors[0]["message"]
        assert not out.exists()
        return
    assert result.returncode == 0, result.stderr
    probe = run_python(CLIENT_PARAMETER_PROBE.format(name=name), out)
    assert probe.returncode == 0, (
        f"topgen accepted a request field named {name!r} (exit 0) but its API module is not "
        f"usable; it must refuse the field with a located error or rename it.\n{probe.stderr}"
    )
    seen = json.loads(probe.stdout)
    assert seen["sent"] == "v"
    assert seen["call"] == seen["acall"]
    assert {seen["field"], "timeout", "session"} <= set(seen["call"])
    stub = (out / "topapi" / "_client.pyi").read_text(encoding="utf-8")
    compile(stub, "_client.pyi", "exec")


# --- validate ----------------------------------------------------------------------------------


def test_validate_accepts_the_good_specs_and_notes_the_documented_quirk(
    specs_copy: Path,
) -> None:
    """`topgen validate --verbose` exits 0 and locates the Number field whose example is text."""
    spec = specs_copy / SPEC_NAME
    text = spec.read_text(encoding="utf-8")
    example_line = line_of(text, "          examples: [预付款执行动作]")

    result = run_topgen("validate", "--specs", specs_copy, "--verbose")

    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr, result.stderr
    assert re.search(
        r"topgen: \d+ API spec\(s\)( and \d+ topic spec\(s\))? valid", result.stdout
    ), result.stdout
    expected = (
        f"{spec}:{example_line}: note: TenderPrepayTopResult.pre_pay_action: "
        "example '预付款执行动作' does not fit its TOP type Number (its x-top-quirk says why)"
    )
    about_this_spec = [line for line in result.stderr.splitlines() if line.startswith(f"{spec}:")]
    assert about_this_spec == [expected], result.stderr
    assert ": error:" not in result.stderr, result.stderr


def test_two_methods_that_would_share_a_module_are_refused(specs_copy: Path, out_dir: Path) -> None:
    """`a.b.c` and `a.b_c` would both be `topapi.apis.a_b_c`: both specs are named, exit 1."""
    twin_method = FIRST_API.replace("pay.action", "pay_action")
    original = specs_copy / SPEC_NAME
    twin = original.with_name(f"{twin_method}.yaml")
    twin.write_text(
        original.read_text(encoding="utf-8").replace(FIRST_API, twin_method), encoding="utf-8"
    )
    before = snapshot(out_dir)

    result = run_topgen("generate", "--specs", specs_copy, "--out", out_dir)

    assert_refused(result, errors=2)
    errors = error_lines(result.stderr)
    assert sorted(error["file"] for error in errors) == sorted([str(original), str(twin)])
    method_line = line_of(original.read_text(encoding="utf-8"), f"      x-top-method: {FIRST_API}")
    assert {int(error["line"]) for error in errors} == {method_line}
    assert all("topapi.apis.alibaba_idle_tender_pre_pay_action" in e["message"] for e in errors)
    assert snapshot(out_dir) == before


def test_a_spec_that_cannot_be_read_is_named_and_the_others_still_checked(
    specs_copy: Path, out_dir: Path
) -> None:
    """A `.yaml` that is a folder gives a located error, not a traceback; exit 1, no write."""
    unreadable = specs_copy / "apis" / "broken.yaml"
    unreadable.mkdir()
    before = snapshot(out_dir)

    result = run_topgen("generate", "--specs", specs_copy, "--out", out_dir)

    assert_refused(result, errors=1)
    assert f"{unreadable}: error: cannot read the file" in result.stderr, result.stderr
    assert snapshot(out_dir) == before


# --- every shape build reads is one validate checked ------------------------------------------

# Specs that between them hold every key build reads: request examples, a business result
# with a path, generated examples, a multipart body, an error example of the page.
SHAPE_SPECS = (
    "alibaba.idle.tender.pre.pay.action",
    "alibaba.idle.isv.media.upload",
    "alibaba.idle.tender.aftersale.order.get",
)


DELETED = object()


def _wrong_values() -> list[object]:
    """A value of each kind YAML gives, and DELETED for the key taken away."""
    mapping, sequence = Mapping(), Sequence(["x"])
    sequence.item_lines = [1]
    return [None, 7, "text", True, sequence, mapping, DELETED]


def _slots(node: object) -> Iterator[tuple[Mapping | Sequence, str | int]]:
    """Every (container, key) of a loaded document, depth first."""
    if isinstance(node, Mapping):
        for key in list(node):
            yield node, key
            yield from _slots(node[key])
    elif isinstance(node, Sequence):
        for index in range(len(node)):
            yield node, index
            yield from _slots(node[index])


def _replaced(node: Mapping | Sequence, key: str | int, value: object) -> Iterator[None]:
    """`node[key]` set to `value` (or deleted) for the duration; put back afterwards."""
    old = node[key]  # type: ignore[index]
    if value is DELETED:
        if not isinstance(node, Mapping):
            return
        del node[key]
    else:
        node[key] = value  # type: ignore[index]
    try:
        yield
    finally:
        node[key] = old  # type: ignore[index]


@pytest.mark.parametrize("spec", [None, *SHAPE_SPECS], ids=["top.yaml", *SHAPE_SPECS])
def test_no_wrong_shape_anywhere_makes_validate_or_build_raise(spec: str | None) -> None:
    """Each value of a spec replaced by each wrong kind (or removed): diagnostics, never raise.

    Build runs only on what validate passed, so an exception here is a shape build reads
    that validate did not check.
    """
    envelope = load_document(SPECS / "top.yaml", "top.yaml")
    doc = envelope if spec is None else load_document(SPECS / "apis" / f"{spec}.yaml", spec)
    tried = 0
    for node, key in list(_slots(doc.root)):
        for value in _wrong_values():
            for _ in _replaced(node, key, value):
                tried += 1
                if spec is None:
                    found = check_envelope(doc)
                    if not diagnostics.errors(found):
                        build_envelope(doc)
                else:
                    found = check_api(doc, envelope)
                    if not diagnostics.errors(found):
                        build_api(doc)
    assert tried > 500


def test_a_list_of_files_is_a_located_warning_not_a_lost_api(specs_copy: Path) -> None:
    """`byte[][]` cannot be sent (one file per multipart part): validate says so at its line,
    and the API is still generated, so its other parameters stay usable."""
    photos = (
        "          examples: [2]\n        photos:\n          type: array\n"
        "          items:\n            type: string\n            format: binary\n"
        "          x-top-type: byte[][]\n"
    )
    path, text = edit_spec(
        specs_copy, lambda t: replace_once(t, "          examples: [2]\n", photos)
    )
    result = run_topgen("validate", "--specs", specs_copy)
    assert result.returncode == 0, result.stderr
    line = line_of(text, "          x-top-type: byte[][]")
    assert f"{path}:{line}: warning: TenderPrePayCmd.photos: a list of files" in result.stderr
