"""The packed catalogs: built from ../shared by scripts/pack_catalogs.py, read by packed.py."""

from __future__ import annotations

import gzip
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from topgen.importing.catalog import parse_catalog_entry
from topgen.importing.packed import (
    API_PACK,
    TOPIC_EXAMPLES,
    TOPIC_PACK,
    PackError,
    PackRow,
    api_catalog,
    encode_examples,
    encode_pack,
    read_examples,
    read_pack,
    topic_catalog,
    topic_examples,
)

from .conftest import REPO, TOPICS, TOPICS_ENV, _require
from .test_catalog import catalog_entries

SCRIPT = REPO / "scripts" / "pack_catalogs.py"


@pytest.fixture(scope="module")
def topics() -> Path:
    """The TMC topic catalog from ../shared or $TOPGEN_TOPICS."""
    return _require(TOPICS, "the TOP topic catalog", TOPICS_ENV)


def _pack(catalog: Path, topics: Path, out: Path) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, str(SCRIPT), "--catalog", str(catalog), "--topics", str(topics)]
    run = subprocess.run(
        [*command, "--out", str(out)], capture_output=True, text=True, timeout=120, check=False
    )
    assert run.returncode == 0, run.stderr
    return run


def test_the_committed_packs_are_a_fresh_pack_of_shared(
    catalog: Path, topics: Path, tmp_path: Path
) -> None:
    """Two runs give the same bytes; the committed packs hold what a fresh run of ../shared does."""
    first, second = tmp_path / "first", tmp_path / "second"
    run = _pack(catalog, topics, first)
    _pack(catalog, topics, second)
    for committed in (API_PACK, TOPIC_PACK):
        fresh = (first / committed.name).read_bytes()
        assert fresh == (second / committed.name).read_bytes(), f"{committed.name} differs"
        # Content, not bytes: another zlib build may compress the same lines differently.
        message = f"{committed} is stale: run scripts/pack_catalogs.py and commit it"
        assert gzip.decompress(committed.read_bytes()) == gzip.decompress(fresh), message
    examples = (first / TOPIC_EXAMPLES.name).read_bytes()
    assert examples == (second / TOPIC_EXAMPLES.name).read_bytes()
    assert TOPIC_EXAMPLES.read_bytes() == examples, f"{TOPIC_EXAMPLES} is stale"
    # The two empty stubs of the catalog are named, not silently dropped.
    assert run.stdout.count("left out") == 2, run.stdout


def test_every_catalog_api_and_topic_is_packed(catalog: Path, topics: Path) -> None:
    """Each API file (5,312 with a method) and each topic of topics.json has its entry."""
    apis, packed = catalog_entries(catalog), api_catalog().entries
    assert len(packed) > 5000
    named = [path for path in apis if path.stem != ".json"]
    assert {f"top-catalog/{p.parent.name}/{p.name}" for p in named} == {
        e.source for e in packed.values()
    }
    entry = packed["taobao.tmc.user.get"]
    path = catalog / "tmc" / "taobao_tmc_user_get.json"
    doc = parse_catalog_entry(entry.data(), entry.source)
    assert (doc.method, doc.title, entry.source) == (
        "taobao.tmc.user.get",
        "获取用户已开通消息",
        "top-catalog/tmc/taobao_tmc_user_get.json",
    )
    assert entry.data() == json.loads(path.read_text(encoding="utf-8"))
    listed = (topics / "topics.json").read_text(encoding="utf-8").count('"topic":')
    assert len(topic_catalog().entries) == listed > 1000
    topic = topic_catalog().entries["taobao_trade_TradeBuyerPay"]
    assert (topic.title, topic.source) == (
        "买家付完款，或万人团买家付完尾款",
        "top-topics/taobao/taobao_trade_TradeBuyerPay.json",
    )


def test_a_damaged_pack_is_named_with_its_line(tmp_path: Path) -> None:
    """Not gzip, no header, a row short of columns, bodies missing: PackError at the line."""
    good = PackRow("a.b", "top-catalog/x/a_b.json", "标题", "说明\t", '{"name":"a.b"}')
    path = tmp_path / "pack.tsv.gz"
    path.write_bytes(encode_pack("top-catalog", [good]))
    entry = read_pack(path).entries["a.b"]
    assert (entry.name, entry.source, entry.title, entry.description) == (
        good.name,
        good.source,
        good.title,
        good.description,
    )
    assert entry.data() == {"name": "a.b"}
    # The index alone is read: zcat shows the index, then the bodies.
    index, bodies = gzip.decompress(path.read_bytes()).decode().splitlines()[:2], ['{"name":"a.b"}']
    path.write_bytes(b"not gzip")
    with pytest.raises(PackError, match="not a topgen catalog pack"):
        read_pack(path)
    for damaged, where in (
        (["{}", index[1]], ":1: not a topgen-pack/1 header"),
        ([index[0], 'a.b\tsource\t"t"'], ":2: 3 columns, not 4"),
        ([index[0], 'a.b\ts\t1\t"d"'], ":2: a title or description that is no JSON string"),
        ([index[0]], ": the header says 1 entries, the index holds 0"),
    ):
        path.write_bytes(_members(damaged, bodies))
        with pytest.raises(PackError, match=f"^{re.escape(str(path) + where)}"):
            read_pack(path)
    path.write_bytes(_members(index, []))
    with pytest.raises(PackError, match=re.escape(f"{path}: 1 entries in the index, 0 after it")):
        read_pack(path).entries["a.b"].data()


def _members(index: list[str], bodies: list[str]) -> bytes:
    return b"".join(
        gzip.compress("".join(f"{x}\n" for x in part).encode()) for part in (index, bodies)
    )


def test_a_tab_in_an_entry_is_refused_when_packing() -> None:
    """A tab or newline would shift the columns: the packer refuses it rather than mangle it."""
    with pytest.raises(PackError, match="tab or a newline"):
        encode_pack("top-catalog", [PackRow("a.b", "s\tt", "", "", "{}")])


def test_the_examples_of_the_topic_catalog_are_packed_as_their_contents(topics: Path) -> None:
    """Each real message of examples/ is packed as its content, under its topic."""
    files = sorted((topics / "examples").glob("*.json"))
    assert len(files) == 4
    contents = {p.stem: json.loads(p.read_text(encoding="utf-8"))["content"] for p in files}
    assert dict(topic_examples()) == contents
    assert all(topic in topic_catalog().entries for topic in contents)


def test_a_bad_example_is_named_and_nothing_is_packed(
    catalog: Path, topics: Path, tmp_path: Path
) -> None:
    """An example that is no message content stops the pack with one line naming its file."""
    copy = tmp_path / "topics"
    subprocess.run(["cp", "-r", str(topics), str(copy)], check=True)
    bad = copy / "examples" / "taobao_trade_TradeBuyerPay.json"
    bad.write_text('{"topic": "taobao_trade_TradeBuyerPay", "content": "paid"}', encoding="utf-8")
    out = tmp_path / "out"
    command = [sys.executable, str(SCRIPT), "--catalog", str(catalog), "--topics", str(copy)]
    run = subprocess.run(
        [*command, "--out", str(out)], capture_output=True, text=True, timeout=120, check=False
    )
    assert run.returncode == 1
    assert run.stderr.count("\n") == 1, run.stderr
    assert "taobao_trade_TradeBuyerPay.json" in run.stderr and "content" in run.stderr
    assert not (out / TOPIC_EXAMPLES.name).exists()


def test_a_damaged_examples_file_is_named(tmp_path: Path) -> None:
    """Not JSON, or not contents by topic: PackError naming the file."""
    path = tmp_path / "examples.json"
    path.write_bytes(encode_examples({"a_b_C": {"tid": 1}}))
    assert read_examples(path) == {"a_b_C": {"tid": 1}}
    for damaged, why in (
        ("{", "not the packed topic examples"),
        ('{"a_b_C": "paid"}', "not an object of message contents by topic"),
        ("[]", "not an object of message contents by topic"),
    ):
        path.write_text(damaged, encoding="utf-8")
        with pytest.raises(PackError, match=why) as raised:
            read_examples(path)
        assert str(path) in str(raised.value)
