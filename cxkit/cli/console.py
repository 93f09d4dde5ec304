"""The CLI's one pair of consoles, and help that reads like a CLI's.

``out`` is standard output (results, tables), ``err`` standard error (progress,
warnings, errors). On a terminal they wrap at its width. Piped into a file or a CI log
they do not wrap at all, so a summary table keeps each output path whole on one line.
"""

from __future__ import annotations

import sys
from typing import Any

from rich.console import Console

MAX_CHOICES_WIDTH = 16  # wider choice lists are listed in the help text instead
PIPED_WIDTH = 10_000  # tables are as wide as their content; nothing else fills the width


def _console(stream: Any, **kw: Any) -> Console:
    width = None if stream.isatty() else PIPED_WIDTH
    return Console(soft_wrap=True, width=width, **kw)


out = _console(sys.stdout)
err = _console(sys.stderr, stderr=True)


def plain_help_types() -> None:
    """Show option types in ``--help`` as a person reads them, not as Python types.

    Typer (0.16 and later) writes ``<bool>``, ``<list[Path]>`` or ``<str,str>``
    beside each option. cxkit shows nothing for a flag, ``PATH`` for a file or folder,
    ``N`` for a number, ``TEXT`` for text and the choices themselves, separated by
    spaces so that a narrow terminal wraps between choices, never inside one.
    """
    try:
        from typer.core import TyperArgument, TyperOption
    except ImportError:  # pragma: no cover - older Typer prints click's metavars
        return

    from pathlib import Path
    from typing import get_args

    def display(self: Any, ctx: Any) -> str | None:
        desc = getattr(self, "type_descriptor", None)
        if desc is None:
            return None
        if desc.is_choice:
            values = [str(getattr(c, "value", c)) for c in desc.choices or ()]
            shown = " | ".join(values)
            if len(shown) <= MAX_CHOICES_WIDTH:
                return shown
            # a long list of choices goes into the help text, where it wraps like prose
            listed = f"One of: {', '.join(values)}."
            if listed not in (self.help or ""):
                self.help = f"{self.help or ''} {listed}".strip()
            return self.metavar or (self.name or "value").upper()
        annotation = desc.annotation
        if annotation is bool:
            return None
        if desc.is_path or Path in get_args(annotation):
            return "PATH..." if desc.is_list else "PATH"
        if annotation in (int, float):
            return "N"
        if desc.is_tuple:
            return " ".join("TEXT" for _ in getattr(annotation, "__args__", ()))
        return "TEXT..." if desc.is_list else "TEXT"

    def argument_name(self: Any) -> str:
        return str(self.metavar or (self.name or "arg").upper())

    def rich_name(self: Any) -> str:  # the arguments table: WORKBOOK, DIRS...
        return argument_name(self) + ("..." if self.nargs != 1 else "")

    def usage_name(self: Any) -> str:  # the usage line: WORKBOOK, [OUTPUT], DIRS...
        name = argument_name(self) if self.required else f"[{argument_name(self)}]"
        return name + ("..." if self.nargs != 1 else "")

    for cls in (TyperOption, TyperArgument):
        if hasattr(cls, "display_type_rich"):
            cls.display_type_rich = display  # type: ignore[method-assign]
    for attr, fn in (("_rich_display_name", rich_name), ("_usage_display_name", usage_name)):
        if hasattr(TyperArgument, attr):
            setattr(TyperArgument, attr, fn)
