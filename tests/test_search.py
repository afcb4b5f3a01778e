"""`topgen search`: catalog entries by name, title or description, most relevant first."""

from __future__ import annotations

import os
import pty
import subprocess
import sys
from pathlib import Path

from topgen.importing.packed import PackRow, encode_pack, read_pack
from topgen.importing.search import Match, search

from .conftest import run_topgen
from .test_catalog import _read_all


def _entry(name: str, title: str = "", description: str = "") -> PackRow:
    return PackRow(name, f"top-catalog/x/{name}.json", title, description, "{}")


def test_the_name_ranks_before_the_name_part_before_the_title_before_the_description(
    tmp_path: Path,
) -> None:
    """Exact name > inside a name > in the title > in the description; ties go by name."""
    rows = [
        _entry("b.refund.get", "退款详情"),
        _entry("z.trade.get", "交易", "Refund 退款 too"),
        _entry("refund", "x"),
        _entry("a.refund.get"),
        _entry("c.trade.get", "REFUND 标题"),
        _entry("d.item.get", "商品", "商品详情"),
    ]
    (tmp_path / "pack").write_bytes(encode_pack("top-catalog", rows))
    pack = read_pack(tmp_path / "pack")
    ranked = [(found.entry.name, found.match) for found in search(pack, "Refund")]
    assert ranked == [
        ("refund", Match.NAME),
        ("a.refund.get", Match.IN_NAME),
        ("b.refund.get", Match.IN_NAME),
        ("c.trade.get", Match.IN_TITLE),
        ("z.trade.get", Match.IN_DESCRIPTION),
    ]
    assert [found.entry.name for found in search(pack, "退款")] == ["b.refund.get", "z.trade.get"]
    assert search(pack, "  ") == []


def test_search_lists_refund_apis_as_plain_lines_when_piped(tmp_path: Path) -> None:
    """`search 退款` and `search refund`: `name TAB title` lines, refund APIs among the first."""
    run = run_topgen("search", "退款", "--limit", "0", cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    rows = [line.split("\t") for line in run.stdout.splitlines()]
    assert len(rows) > 50 and all(len(row) == 2 for row in rows)
    assert ["taobao.refund.get", "获取单笔退款详情"] in rows
    assert all("退款" in title or "退款" in name for name, title in rows[:20])
    english = run_topgen("search", "refund", "--limit", "5", cwd=tmp_path)
    names = [line.split("\t")[0] for line in english.stdout.splitlines()]
    assert len(names) == 5 and all("refund" in name for name in names)
    assert names == sorted(names)
    assert english.stderr.startswith("topgen: ") and "more of" in english.stderr


def test_search_topics(tmp_path: Path) -> None:
    """--topics searches the TMC topics by name, title and category."""
    run = run_topgen("search", "taobao_refund_RefundCreated", "--topics", cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    assert run.stdout.splitlines()[0].split("\t") == ["taobao_refund_RefundCreated", "退款创建消息"]


def test_nothing_found_is_one_line_and_exit_1(tmp_path: Path) -> None:
    """A text no entry mentions: one line on stderr, exit 1, nothing on stdout."""
    run = run_topgen("search", "no-such-thing-anywhere", cwd=tmp_path)
    assert (run.returncode, run.stdout) == (1, "")
    assert run.stderr == "topgen: no API of topgen's catalog mentions 'no-such-thing-anywhere'\n"


def test_a_limit_must_be_a_whole_number(tmp_path: Path) -> None:
    """--limit -1 or --limit x is a usage error (exit 2, one line), not "all" in disguise."""
    for limit in ("-1", "x"):
        run = run_topgen("search", "refund", f"--limit={limit}", cwd=tmp_path)
        assert run.returncode == 2 and run.stdout == ""
        assert f"argument --limit: not a whole number of at least 0: '{limit}'" in run.stderr


def test_search_on_a_terminal_shows_a_table(tmp_path: Path) -> None:
    """On a terminal the results are a rich table, with where each one was found."""
    leader, follower = pty.openpty()
    command = [sys.executable, "-m", "topgen.cli", "search", "taobao.refund.get", "--limit", "3"]
    env = {**os.environ, "COLUMNS": "120"}
    with subprocess.Popen(
        command, stdout=follower, stderr=subprocess.DEVNULL, cwd=tmp_path, env=env
    ) as process:
        os.close(follower)
        shown = _read_all(leader)
        assert process.wait(timeout=60) == 0
    assert shown.startswith("┏━") and "found in" in shown
    assert "│ taobao.refund.get │ 获取单笔退款详情 │ name     │" in shown
