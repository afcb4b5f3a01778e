"""Stages 1-3: specs loaded with line numbers, validated, and built into the typed model."""
