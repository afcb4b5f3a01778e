"""Lists in TOP's wrapped shapes decode at every depth, whatever order classes are used in."""

from __future__ import annotations

from pathlib import Path

from topgen.pipeline import check_specs

from . import wrapped
from .conftest import GENERATED, SPECS, run_python, run_topgen


def test_wrapped_json_and_xml_lists_decode_in_every_committed_module(tmp_path: Path) -> None:
    """Each API with a list of objects: a wrapped JSON body and an XML body, two items a list."""
    project, _ = check_specs(SPECS)
    apis = [api for api in project.apis if wrapped.has_object_list(api)]
    assert "alibaba.idle.tender.btob.item.query" in [api.method for api in apis]
    assert wrapped.failures(apis, GENERATED, tmp_path) == []


def test_unwrapping_reads_a_class_defined_after_the_model_that_holds_it(tmp_path: Path) -> None:
    """A forward reference (hand-written models may have them) is resolved, never cached."""
    (tmp_path / "later.py").write_text(
        "from __future__ import annotations\n"
        "from topapi._model import ResponseModel\n\n"
        "class Holder(ResponseModel):\n"
        "    items: list[Item] | None = None\n\n"
        "class Item(ResponseModel):\n"
        "    name: str | None = None\n\n"
        "class Outer(ResponseModel):\n"
        "    holder: Holder | None = None\n",
        encoding="utf-8",
    )
    script = (
        "from later import Holder, Outer\n"
        "for body in ({'items': {'item': [{'name': 'a'}, {'name': 'b'}]}}, {'items': []}):\n"
        "    print(len(Outer.model_validate({'holder': body}).holder.items))\n"
        "    print(len(Holder.model_validate(body).items))\n"
    )
    run = run_python(script, tmp_path)
    assert run.returncode == 0, run.stderr[-2000:]
    assert run.stdout.split() == ["2", "2", "0", "0"]


def test_demo_of_an_api_with_a_nested_list_succeeds_against_the_sandbox() -> None:
    """`topgen demo alibaba.idle.tender.btob.item.query`: the sandbox's wrapped list decodes."""
    run = run_topgen("demo", "alibaba.idle.tender.btob.item.query")
    assert run.returncode == 0, run.stderr[-2000:]
    assert "result=CommonPageResult(data=[TenderItemListVO(" in run.stdout
