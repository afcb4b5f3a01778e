"""Client methods are real at run time: on the class, in dir() and help(), with the API's
signature and docstring, imported on first use, and a wrong argument names the API."""

from __future__ import annotations

import asyncio
import gc
import inspect
import json
import pydoc
import weakref
from collections.abc import Iterator
from typing import Any

import pytest

import topapi.apis
from topapi import AsyncTopClient, TopClient
from topapi.apis import alibaba_idle_tender_pre_pay_action as prepay
from topapi.testing import SandboxSession, sandbox
from topgen.pipeline import check_specs

from .conftest import GENERATED, SPECS, run_python

PREPAY = "alibaba_idle_tender_pre_pay_action"
CLIENTS = [TopClient, AsyncTopClient]
PARAMS = ["param0", "session", "timeout", "max_retries", "check"]


@pytest.fixture(scope="module")
def titles() -> dict[str, tuple[str, str]]:
    """Each API's module name -> its title and the first line of its description, from the specs."""
    project, _ = check_specs(SPECS)
    first_lines = {api.module_name: api.description.strip().splitlines()[0] for api in project.apis}
    return {api.module_name: (api.title, first_lines[api.module_name]) for api in project.apis}


@pytest.fixture(scope="module")
def top() -> Iterator[SandboxSession]:
    """The sandbox of the repository's specs, with clients configured for it."""
    with sandbox(SPECS) as session:
        yield session


def command(order_id: str = "1234") -> prepay.TenderPrePayCmd:
    """The first API's documented parameter."""
    return prepay.TenderPrePayCmd(order_id=order_id, pre_pay_no="xxx", pre_pay_action=2)


@pytest.mark.parametrize("client_class", CLIENTS)
def test_every_api_is_an_attribute_of_the_class(
    client_class: type, titles: dict[str, tuple[str, str]]
) -> None:
    """`TopClient.<api>` exists without an instance, carries its title, and dir() lists it."""
    assert sorted(titles) == topapi.apis.__all__
    names = dir(client_class)
    for name, (title, summary) in titles.items():
        assert name in names
        method = getattr(client_class, name)
        assert inspect.getattr_static(client_class, name) is method
        assert (method.__name__, method.title, method.summary) == (name, title, summary)
        assert method.__doc__ == f"{title}\n\n{summary}"
    assert set(titles) <= set(dir(client_class("k", "s")))


@pytest.mark.parametrize(
    ("client_class", "function"), [(TopClient, prepay.call), (AsyncTopClient, prepay.acall)]
)
def test_a_method_is_the_apis_function_bound(client_class: type, function: Any) -> None:
    """Name, qualified name, docstring, signature without the client, `__wrapped__`."""
    client = client_class("k", "s")
    method = getattr(client, PREPAY)
    assert method.__self__ is client
    assert method.__name__ == PREPAY
    assert method.__qualname__ == f"{client_class.__name__}.{PREPAY}"
    assert method.__wrapped__ is function
    assert method.__doc__ == function.__doc__
    signature = inspect.signature(method)
    assert list(signature.parameters) == PARAMS
    assert {p.kind for p in signature.parameters.values()} == {inspect.Parameter.KEYWORD_ONLY}
    assert signature.parameters["param0"].annotation == "TenderPrePayCmd"
    assert signature.return_annotation == "AlibabaIdleTenderPrePayActionResponse"
    assert inspect.iscoroutinefunction(method) is (client_class is AsyncTopClient)
    assert getattr(client_class("k", "s"), PREPAY).__self__ is not client


@pytest.mark.parametrize("client_class", CLIENTS)
def test_help_of_a_method_shows_title_description_and_each_parameter(client_class: type) -> None:
    """help(client.<api>) is the API's documentation, not functools.partial's."""
    text = pydoc.render_doc(getattr(client_class("k", "s"), PREPAY), renderer=pydoc.plaintext)
    assert "partial" not in text
    assert f"{PREPAY}(*, param0: 'TenderPrePayCmd', session: 'str'," in text
    assert "服务商预付款完成接口 (alibaba.idle.tender.pre.pay.action)." in text
    assert "param0 (TenderPrePayCmd): 请求参数" in text
    assert "session (str): the user's session key, which this API requires" in text
    assert "AlibabaIdleTenderPrePayActionResponse: the typed response." in text


def test_help_documents_optional_parameters_as_optional() -> None:
    """An optional parameter and an optional session say so in the docstring."""
    doc = inspect.getdoc(TopClient("k", "s").alibaba_idle_tender_btob_item_query) or ""
    assert "param0 (TenderItemListQry, optional): 参数" in doc
    assert "session (str, optional): " in doc
    assert doc.endswith("`TopClient.alibaba_idle_tender_btob_item_query` binds this.")


LISTING = """
import json, pydoc, sys
import topapi
from topapi import AsyncTopClient, TopClient

def api_modules():
    loaded = (name for name in sys.modules if name.startswith(("topapi.apis.", "topapi._h")))
    return sorted(loaded)

seen = {"import": api_modules()}
dir(TopClient), dir(AsyncTopClient), dir(TopClient("k", "s"))
seen["dir"] = api_modules()
text = pydoc.render_doc(TopClient, renderer=pydoc.plaintext)
text += pydoc.render_doc(AsyncTopClient, renderer=pydoc.plaintext)
seen["help"] = api_modules()
TopClient("k", "s").alibaba_idle_tender_pre_pay_action
seen["use"] = api_modules()
print(json.dumps({"seen": seen, "help": text}))
"""


def test_no_api_module_is_imported_until_a_method_is_used(
    titles: dict[str, tuple[str, str]],
) -> None:
    """import topapi, dir() and help(TopClient) import no API module; help lists each title.

    The titles themselves (_headings.py) are read only by help().
    """
    run = run_python(LISTING, GENERATED)
    assert run.returncode == 0, run.stderr
    printed = json.loads(run.stdout)
    assert printed["seen"] == {
        "import": [],
        "dir": [],
        "help": ["topapi._headings"],
        "use": ["topapi._headings", f"topapi.apis.{PREPAY}"],
    }
    for name, (title, summary) in titles.items():
        entry = f"{name}(...)\n |      {title}\n |      \n |      {summary}\n"
        assert printed["help"].count(entry) == 2, entry


def test_calls_through_the_sandbox(top: SandboxSession) -> None:
    """Bound from the class attribute, sync and async calls reach the gateway, typed back."""
    sync = top.client.alibaba_idle_tender_pre_pay_action
    assert sync.__self__ is top.client
    response = sync(param0=command("1"), session="s")
    assert isinstance(response, prepay.AlibabaIdleTenderPrePayActionResponse)

    async def run() -> list[Any]:
        async with top.async_client() as client:
            method = client.alibaba_idle_tender_pre_pay_action
            assert method.__self__ is client
            calls = [method(param0=command(str(n)), session="s") for n in range(3)]
            return list(await asyncio.gather(*calls))

    answers = asyncio.run(run())
    assert [type(a) for a in answers] == [prepay.AlibabaIdleTenderPrePayActionResponse] * 3
    assert len({a.request_id for a in answers}) == 3


def test_a_subclass_of_the_client_binds_under_its_own_name(top: SandboxSession) -> None:
    """A user's subclass gets the methods too, named after it."""

    class MyClient(TopClient):
        pass

    with MyClient("sandbox-app-key", "sandbox-app-secret", gateway=top.url) as client:
        method = client.alibaba_idle_tender_pre_pay_action
        assert method.__qualname__ == f"{MyClient.__qualname__}.{PREPAY}"
        assert method(param0=command(), session="s").result is not None
    assert (
        TopClient("k", "s").alibaba_idle_tender_pre_pay_action.__qualname__ == f"TopClient.{PREPAY}"
    )


def test_a_client_subclass_made_on_the_fly_is_not_kept_alive() -> None:
    """Binding caches the renamed functions per class without holding on to the class."""

    class Temporary(AsyncTopClient):
        pass

    assert Temporary("k", "s").alibaba_idle_tender_pre_pay_action.__name__ == PREPAY
    gone = weakref.ref(Temporary)
    del Temporary
    gc.collect()
    assert gone() is None


@pytest.mark.parametrize(
    ("arguments", "complaint"),
    [
        ({"bogus": 1}, "got an unexpected keyword argument 'bogus'"),
        ({"param0": None}, "missing 1 required keyword-only argument: 'session'"),
    ],
    ids=["unknown", "missing"],
)
def test_a_wrong_argument_names_the_api_method(arguments: dict[str, Any], complaint: str) -> None:
    """The TypeError names `TopClient.<api>()` (or AsyncTopClient's), not `call()`."""
    for client in (TopClient("k", "s"), AsyncTopClient("k", "s")):
        with pytest.raises(TypeError) as raised:
            getattr(client, PREPAY)(**arguments)
        message = str(raised.value)
        assert message == f"{type(client).__name__}.{PREPAY}() {complaint}"


def test_positional_arguments_are_refused_naming_the_api() -> None:
    """Every parameter is keyword-only; a positional one is a TypeError that names the API."""
    with pytest.raises(TypeError, match=rf"^TopClient\.{PREPAY}\(\) takes 1 positional argument"):
        TopClient("k", "s").alibaba_idle_tender_pre_pay_action(command(), "s")


def test_an_unknown_method_is_a_plain_attribute_error() -> None:
    """A method no spec generated is an AttributeError naming it, on the class and instances."""
    for owner in (TopClient, TopClient("k", "s"), AsyncTopClient("k", "s")):
        with pytest.raises(AttributeError, match="has no attribute 'taobao_no_such_api'"):
            owner.taobao_no_such_api  # type: ignore[union-attr]  # noqa: B018 - the access is the test
