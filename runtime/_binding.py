"""ApiMethods: a class attribute per API of topapi.apis, whose module is imported on first use.

Each attribute is an ApiMethod that holds only the API's name, so that importing topapi costs
one small object per API and loads no API module, and `dir()` of a client class lists them
all. Its title and first line of description (what `help(TopClient)` shows) come from
_headings.py when asked for. Looked up on a client, it imports `topapi.apis.<name>` and
returns that module's `call` (on a TopClient) or `acall` (on an AsyncTopClient) bound to the
client: a real method with the API's name, docstring, signature and `__wrapped__`, and whose
argument errors name the API.
"""

from __future__ import annotations

import functools
import importlib
import weakref
from collections.abc import Callable, Iterable
from types import FunctionType, MethodType
from typing import Any, overload

from topapi._core import AsyncClientBase
from topapi.apis import __all__ as _api_names

# Client class -> API name -> the API's call or acall, renamed after the client method.
# Weak, so that a client subclass made on the fly is not kept alive by its methods.
_FUNCTIONS: weakref.WeakKeyDictionary[type, dict[str, Callable[..., Any]]] = (
    weakref.WeakKeyDictionary()
)


class ApiMethod:
    """One API's method on the clients; its module is imported when it is first bound."""

    __slots__ = ("__name__",)

    def __init__(self, name: str) -> None:
        self.__name__ = name

    @property
    def title(self) -> str:
        """The API's title."""
        return _heading(self.__name__)[0]

    @property
    def summary(self) -> str:
        """The first line of the API's description."""
        return _heading(self.__name__)[1]

    def __repr__(self) -> str:
        return f"<API method {self.__name__}: {self.title}>"

    @overload
    def __get__(self, client: None, owner: type) -> ApiMethod: ...

    @overload
    def __get__(
        self, client: object, owner: type | None = None
    ) -> Callable[..., Any]: ...

    def __get__(self, client: object, owner: type | None = None) -> Any:
        if client is None:
            return self
        kind = type(client)
        functions = _FUNCTIONS.get(kind)
        if functions is None:
            functions = _FUNCTIONS.setdefault(kind, {})
        function = functions.get(self.__name__)
        if function is None:
            function = functions[self.__name__] = self._function(kind)
        return MethodType(function, client)

    def _function(self, kind: type) -> Callable[..., Any]:
        """The module's call or acall, named `Client.<api>` so that a TypeError names the API."""
        module = importlib.import_module(f"topapi.apis.{self.__name__}")
        function = module.acall if issubclass(kind, AsyncClientBase) else module.call
        if not isinstance(function, FunctionType):  # a template overlay's own callable
            return function  # type: ignore[no-any-return]
        renamed = FunctionType(
            function.__code__,
            function.__globals__,
            self.__name__,
            function.__defaults__,
            function.__closure__,
        )
        renamed.__kwdefaults__ = function.__kwdefaults__
        functools.update_wrapper(renamed, function)
        renamed.__name__ = self.__name__
        renamed.__qualname__ = f"{kind.__qualname__}.{self.__name__}"
        return renamed


class _Doc:
    """ApiMethod's `__doc__`: the class docstring on the class, the API's title on a method.

    A descriptor because ApiMethods have no `__dict__` (thousands are made at import) and the
    titles are read only when help() asks.
    """

    def __init__(self, class_doc: str | None) -> None:
        self.class_doc = class_doc

    def __get__(
        self, method: ApiMethod | None, owner: type | None = None
    ) -> str | None:
        if method is None:
            return self.class_doc
        title, summary = _heading(method.__name__)
        return f"{title}\n\n{summary}" if summary else title


ApiMethod.__doc__ = _Doc(ApiMethod.__doc__)  # type: ignore[assignment]


@functools.cache
def _headings() -> dict[str, tuple[str, str]]:
    module = importlib.import_module("topapi._headings")
    headings: dict[str, tuple[str, str]] = module.HEADINGS
    return headings


def _heading(name: str) -> tuple[str, str]:
    return _headings().get(name, ("", ""))


class ApiMethods:
    """A method per API of topapi.apis, shared by TopClient and AsyncTopClient."""


def _add_methods(names: Iterable[str]) -> None:
    for name in names:
        setattr(ApiMethods, name, ApiMethod(name))


_add_methods(_api_names)
