"""TopClient and AsyncTopClient: a method per API of topapi.apis, bound on first use.

Importing topapi loads no API module: `client.<api>(...)` imports that API's module the first
time it is asked for and binds its `call` (or `acall`). _client.pyi gives type checkers and
IDEs every method.
"""

from __future__ import annotations

import functools
import importlib
from types import ModuleType
from typing import Any

from topapi._core import AsyncClientBase, SyncClientBase
from topapi.apis import __all__ as _api_names

_API_MODULES = frozenset(_api_names)


def _api_module(owner: object, name: str) -> ModuleType:
    if name not in _API_MODULES:
        kind = type(owner).__name__
        raise AttributeError(
            f"{kind} has no attribute {name!r} (no such API in topapi.apis)"
        )
    return importlib.import_module(f"topapi.apis.{name}")


class TopClient(SyncClientBase):
    """A synchronous client of the TOP gateway, with a method per API of topapi.apis."""

    def __getattr__(self, name: str) -> Any:
        method = functools.partial(_api_module(self, name).call, self)
        setattr(self, name, method)
        return method

    def __dir__(self) -> list[str]:
        return sorted({*super().__dir__(), *_API_MODULES})


class AsyncTopClient(AsyncClientBase):
    """An asynchronous client of the TOP gateway, with a method per API of topapi.apis."""

    def __getattr__(self, name: str) -> Any:
        method = functools.partial(_api_module(self, name).acall, self)
        setattr(self, name, method)
        return method

    def __dir__(self) -> list[str]:
        return sorted({*super().__dir__(), *_API_MODULES})
