"""topgen: typed Python bindings for the Taobao Open Platform, generated from OpenAPI specs."""

__version__ = "0.1.0"
