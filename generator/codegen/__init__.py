"""Stages 4-5: the model rendered into Python sources in black's shape."""
