"""ApiMethod: a client method per API, whose module is imported the first time it is bound.

The class attribute holds only the API's name, title and first line of description, so that
`dir()` and `help()` of a client class list every API without importing any module. Looked up
on a client, it imports `topapi.apis.<name>` and returns that module's `call` (on a TopClient)
or `acall` (on an AsyncTopClient) bound to the client: a real method that carries the API's
name, docstring, signature and `__wrapped__`, and whose argument errors name the API.
"""

from __future__ import annotations

import functools
import importlib
from collections.abc import Callable
from types import FunctionType, MethodType
from typing import Any, overload

from topapi._core import AsyncClientBase

# (API name, client class) -> the API's call or acall, renamed after the client method.
_FUNCTIONS: dict[tuple[str, type], Callable[..., Any]] = {}


class ApiMethod:
    """One API's method on the clients, imported on first use; the class attribute documents it."""

    def __init__(self, name: str, title: str, summary: str) -> None:
        self.__name__ = name
        self.title = title
        self.summary = summary
        self.__doc__ = f"{title}\n\n{summary}" if summary else title

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
        function = _FUNCTIONS.get((self.__name__, kind))
        if function is None:
            function = _FUNCTIONS[self.__name__, kind] = self._function(kind)
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
