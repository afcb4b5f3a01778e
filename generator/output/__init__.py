"""Stage 6: the generated files written atomically, cached, compared, or bundled."""
