"""The `topgen` command: generate, check, import, bundle, validate, serve, demo."""

from .main import main

__all__ = ["main"]
