"""The ``cxkit`` command: one module per command group (``main`` holds the app)."""

from cxkit.cli.main import main

__all__ = ["main"]
