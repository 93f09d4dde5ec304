"""``cxkit report`` and ``cxkit batch``: journey reports from the command line.

Wired into the main app by ``register(app)``; the work happens in :mod:`cxkit.report.pipeline`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from cxkit.cli import speak
from cxkit.cli.console import err, out
from cxkit.errors import OptionError, Problem, Reason
from cxkit.i18n.messages import say, word
from cxkit.report.batch import CLIENT_TIME_LIMIT
from cxkit.report.pipeline import RenderResult
from cxkit.workbook.model import Language

Output = Annotated[Path, typer.Option("--output", "-o", help="Folder for the reports.")]
Lang = Annotated[
    Language | None,
    typer.Option("--language", "-l", help="Report language; default: the workbook's."),
]
Pdf = Annotated[bool, typer.Option("--pdf", help="Also print each report to PDF (Chromium).")]
Date = Annotated[
    str | None, typer.Option("--date", help="Date on the cover, YYYY-MM-DD; default: today.")
]


def _check_pdf(pdf: bool) -> None:
    if not pdf:
        return
    from cxkit.errors import ChromiumNotFound
    from cxkit.report.pdf import PDF_WITHOUT_CHROMIUM, find_chromium

    if find_chromium() is None:
        message = str(ChromiumNotFound(PDF_WITHOUT_CHROMIUM))
        err.print(f"error: {message}", markup=False, highlight=False)
        raise typer.Exit(1)


def check_date(date: str | None) -> None:
    """Refuse a ``--date`` that is not YYYY-MM-DD, saying how to write it."""
    if date is None:
        return
    import contextlib
    import datetime as dt
    import re

    try:
        dt.date.fromisoformat(date)
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", date):
            return
    except ValueError:
        pass
    hint = "like 2026-03-05"
    m = re.fullmatch(r"(\d{1,2})[./-](\d{1,2})[./-](\d{4})", date.strip())
    if m:
        day, month, year = (int(g) for g in m.groups())
        with contextlib.suppress(ValueError):
            hint = f"like {dt.date(year, month, day).isoformat()} (year-month-day)"
    raise OptionError(
        [
            Problem(
                "--date",
                f"'{date}' is not a date in the form YYYY-MM-DD; write it {hint}",
                Reason.BAD_ARGUMENT,
            )
        ]
    )


def check_output_folder(output: Path) -> None:
    """Refuse ``-o`` at an existing file: reports go into a folder, named after each client."""
    if output.exists() and not output.is_dir():
        raise OptionError(
            [
                Problem(
                    str(output),
                    "is a file; -o takes a folder for the reports (each is named after its "
                    "client), e.g. -o reports",
                    Reason.BAD_ARGUMENT,
                )
            ]
        )
    from cxkit._files import cannot_write

    try:
        output.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise cannot_write(output, exc) from None


def error_text(r: RenderResult) -> str:
    """Why a client failed, in its workbook's language (or the one chosen)."""
    lang = speak.chosen or r.language
    if r.words is not None and lang != "en":
        return word(r.words, lang)
    return r.error or ""


def _summary(results: list[RenderResult], lang: str) -> Table:
    columns = ("client", "status", "time", "output")
    table = Table(*(say(f"col.{c}", lang) for c in columns), header_style="bold")
    for r in results:
        own = speak.chosen or r.language
        status = (
            f"[green]{say('status.ok', own)}[/]" if r.ok else f"[red]{say('status.failed', own)}[/]"
        )
        where = str(r.output or "")
        if not r.ok and r.error:
            said = _escape(error_text(r))
            where = f"{where}\n[red]{said}[/]" if where else f"[red]{said}[/]"
        table.add_row(_escape(r.client), status, f"{r.seconds:.1f} s", where)
    return table


def _escape(text: str) -> str:
    from rich.markup import escape

    return escape(text)


def register(app: typer.Typer) -> None:
    """Add the ``report`` and ``batch`` commands to ``app``."""

    @app.command()
    def report(
        client_dir: Annotated[Path, typer.Argument(help="Client folder (or its workbook.yml).")],
        output: Output = Path("reports"),
        language: Lang = None,
        pdf: Pdf = False,
        date: Date = None,
    ) -> None:
        """Render one client's journey report: one offline HTML file (and a PDF)."""
        from cxkit.report.kernel import skip_slow_optional_imports
        from cxkit.report.pipeline import render_report

        skip_slow_optional_imports()  # the cxkit command owns this process

        _check_pdf(pdf)
        check_date(date)
        check_output_folder(output)
        with err.status(f"rendering {client_dir}", spinner="dots"):
            r = render_report(
                client_dir,
                output,
                language=language.value if language else None,
                report_date=date,
                pdf=pdf,
            )
        lang = speak.chosen or r.language
        if r.ok:
            out.print(say("wrote", lang, file=r.html), markup=False, highlight=False)
            if r.pdf:
                out.print(say("wrote", lang, file=r.pdf), markup=False, highlight=False)
            return
        err.print(f"{r.client}: {error_text(r)}", markup=False, highlight=False)
        if r.notebook:
            said = say("notebook-kept", lang, file=r.notebook)
            err.print(said, markup=False, highlight=False)
        raise typer.Exit(1)

    @app.command()
    def batch(
        dirs: Annotated[
            list[Path], typer.Argument(help="Client folders, or folders of client folders.")
        ],
        output: Output = Path("reports"),
        jobs: Annotated[
            int | None, typer.Option("--jobs", "-j", help="Parallel clients; default: CPUs + 1.")
        ] = None,
        language: Lang = None,
        pdf: Pdf = False,
        date: Date = None,
        timeout: Annotated[
            float,
            typer.Option(
                "--timeout",
                min=1,
                help="Seconds one client may take; a client over it is stopped and reported.",
            ),
        ] = CLIENT_TIME_LIMIT,
    ) -> None:
        """Render many clients in parallel, each in its own kernel. Exit 1 if any failed."""
        from cxkit.report.batch import render_batch
        from cxkit.workbook.yamlfile import find_workbooks

        _check_pdf(pdf)
        check_date(date)
        check_output_folder(output)
        workbooks = [w.resolve() for w in find_workbooks(dirs)]
        if not workbooks:
            err.print(say("no-workbooks-found", speak.chosen or "en"), markup=False)
            raise typer.Exit(1)
        progress = Progress(
            TextColumn("[bold]reports"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            TextColumn("{task.description}"),
            console=err,
        )
        with progress:
            task = progress.add_task("", total=len(workbooks))
            results = render_batch(
                workbooks,
                output,
                jobs=jobs,
                language=language.value if language else None,
                report_date=date,
                pdf=pdf,
                time_limit=timeout,
                on_done=lambda r: progress.update(task, advance=1, description=_escape(r.client)),
            )
        langs = {speak.chosen or r.language for r in results}
        lang = langs.pop() if len(langs) == 1 else "en"  # the summary: one language for all
        out.print(_summary(results, lang))
        failed = [r for r in results if not r.ok]
        if failed:
            key = "reports-failed.one" if len(failed) == 1 else "reports-failed.many"
            err.print(say(key, lang, n=len(failed), total=len(results)), markup=False)
            raise typer.Exit(1)
