"""Stage 0, import: TOP documentation (doc pages, catalog JSON) into OpenAPI specs."""
