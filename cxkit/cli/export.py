"""``cxkit export``: a client's work as PDF, poster PNG, Excel, Markdown, Mermaid or PowerPoint.

Wired into the main app by ``register(app)``; the work happens in :mod:`cxkit.export.exporter`.
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from cxkit.cli.console import err, out
from cxkit.workbook.model import Language


class Format(StrEnum):
    PDF = "pdf"
    PNG = "png"
    XLSX = "xlsx"
    MD = "md"
    MERMAID = "mermaid"
    PPTX = "pptx"


def register(app: typer.Typer) -> None:
    """Add the ``export`` command to ``app``."""

    @app.command()
    def export(
        workbook: Annotated[Path, typer.Argument(help="Client folder or workbook file.")],
        to: Annotated[Format, typer.Option("--to", "-t", help="Export format.", metavar="FORMAT")],
        output: Annotated[
            Path | None,
            typer.Option(
                "--output",
                "-o",
                help="File or folder to write; default: reports/<client>.<format>. "
                "png and mermaid write one file per journey (<name>-<journey>).",
            ),
        ] = None,
        language: Annotated[
            Language | None,
            typer.Option("--language", "-l", help="Labels' language; default: the workbook's."),
        ] = None,
        date: Annotated[
            str | None, typer.Option("--date", help="Date on the cover, YYYY-MM-DD.")
        ] = None,
    ) -> None:
        """Export a workbook: pdf (the report, A4 + A3 poster), png (poster), xlsx (lanes and
        scores), md (summary), mermaid (journey diagrams), pptx (short deck)."""
        from cxkit.cli.report import check_date
        from cxkit.errors import ChromiumNotFound
        from cxkit.export.exporter import CHROMIUM_EXPORT_HELP, NEEDS_CHROMIUM
        from cxkit.export.exporter import export as run
        from cxkit.report.kernel import skip_slow_optional_imports
        from cxkit.report.pipeline import find_chromium

        skip_slow_optional_imports()  # the cxkit command owns this process

        check_date(date)
        if to.value in NEEDS_CHROMIUM and find_chromium() is None:
            message = str(ChromiumNotFound(CHROMIUM_EXPORT_HELP.format(fmt=to.value)))
            err.print(f"error: {message}", markup=False, highlight=False)
            raise typer.Exit(1)
        with err.status(f"exporting {workbook} as {to.value}", spinner="dots"):
            paths = run(
                workbook,
                to.value,
                output,
                language=language.value if language else None,
                report_date=date,
            )
        from cxkit.cli.speak import language_of
        from cxkit.i18n.messages import say

        lang = language.value if language else language_of(workbook)
        for path in paths:
            out.print(say("wrote", lang, file=path), markup=False, highlight=False)
