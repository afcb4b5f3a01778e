"""TopClient and AsyncTopClient: a method per API of topapi.apis, imported on first use.

Importing topapi loads no API module: every API is a class attribute (an ApiMethod, see
_binding.py) that imports its module the first time it is looked up on a client, so `dir()`
and `help()` list them all. _client.pyi gives type checkers and IDEs every signature.
"""

from __future__ import annotations

from topapi._batch import AsyncBatching, SyncBatching
from topapi._binding import ApiMethods


class TopClient(SyncBatching, ApiMethods):
    """A synchronous client of the TOP gateway, with a method per API of topapi.apis."""


class AsyncTopClient(AsyncBatching, ApiMethods):
    """An asynchronous client of the TOP gateway, with a method per API of topapi.apis."""
