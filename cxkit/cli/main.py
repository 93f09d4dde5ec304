"""The ``cxkit`` command: a thin face over the package. It parses, prints and exits."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from cxkit.cli import speak
from cxkit.cli.console import err, out, plain_help_types
from cxkit.errors import CxkitError, Problem, ProblemsError
from cxkit.i18n.messages import count, say, worded_error
from cxkit.workbook.model import Language, Workbook
from cxkit.workbook.yamlfile import (
    WORKBOOK_FILENAME,
    find_workbooks,
    json_schema_text,
)

app = typer.Typer(
    name="cxkit",
    help="Customer-experience workbooks: personas, journey maps, feedback scores, reports.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
plain_help_types()


@app.callback()
def _global_options(
    allow_folder: Annotated[
        list[Path] | None,
        typer.Option(
            "--allow-folder",
            metavar="DIR",
            help="Also read survey exports and logos from this folder (outside the client "
            "folder). Repeat for more; same as the CXKIT_ALLOWED_FOLDERS setting.",
        ),
    ] = None,
    lang: Annotated[
        Language | None,
        typer.Option(
            "--lang",
            help="Language of messages about workbooks (default: each workbook's own).",
        ),
    ] = None,
) -> None:
    """Customer-experience workbooks: personas, journey maps, feedback scores, reports."""
    speak.chosen = lang.value if lang else None
    if allow_folder:
        import os

        from cxkit._limits import ENV_ALLOWED_FOLDERS

        for folder in allow_folder:
            if not folder.is_dir():
                raise typer.BadParameter(f"'{folder}' is not a folder", param_hint="--allow-folder")
        given = [str(f.expanduser().resolve()) for f in allow_folder]
        # The environment carries it to report kernels and batch workers.
        before = [p for p in os.environ.get(ENV_ALLOWED_FOLDERS, "").split(os.pathsep) if p]
        os.environ[ENV_ALLOWED_FOLDERS] = os.pathsep.join([*before, *given])


# --------------------------------------------------------------------------- templates / new


@app.command()
def templates() -> None:
    """List the starter journey templates for `cxkit new`."""
    from cxkit.workbook.starters import list_starters

    table = Table("template", "description", "עברית", box=None, header_style="bold")
    for s in list_starters():
        table.add_row(s.name, s.description["en"], s.description["he"])
    out.print(table)


@app.command()
def new(
    client: Annotated[str, typer.Argument(help="Client id (folder name), e.g. acme.")],
    template: Annotated[str, typer.Option("--template", "-t", help="Starter template.")] = (
        "five-interfaces"
    ),
    language: Annotated[Language, typer.Option("--language", "-l")] = Language.EN,
    name: Annotated[str | None, typer.Option(help="Client display name.")] = None,
    root: Annotated[Path, typer.Option(help="Folder that holds client folders.")] = Path("clients"),
    force: Annotated[bool, typer.Option(help="Overwrite an existing workbook.")] = False,
) -> None:
    """Create clients/CLIENT/workbook.yml from a starter template."""
    from cxkit.workbook.starters import create_client, slugify

    client_id = slugify(client)
    path = create_client(
        root, client_id, template=template, language=language, name=name or client, force=force
    )
    from cxkit.i18n.messages import say

    lang = language.value  # the new workbook's language
    out.print(say("created", lang, file=path), markup=False, highlight=False)
    out.print(say("created-next", lang, folder=path.parent), markup=False, highlight=False)


# --------------------------------------------------------------------------- validate


def _label(path: Path) -> str:
    """A client folder's name for its workbook.yml; otherwise the file's own path."""
    return f"{path.resolve().parent.name}/" if path.name == WORKBOOK_FILENAME else str(path)


def _summary_row(path: Path, wb: Workbook | None, problems: list[Problem], lang: str) -> list[str]:
    many = f"[red]{count(len(problems), 'problems', lang)}[/]"
    if wb is None:
        return [_label(path), "", "", "", "", "", many]
    tps = sum(1 for j in wb.journeys for _ in j.touchpoints())
    status = f"[green]{say('valid', lang)}[/]" if not problems else many
    return [
        _label(path),
        wb.client.name,
        wb.client.language.value,
        str(len(wb.personas)),
        str(len(wb.journeys)),
        str(tps),
        status,
    ]


@app.command()
def validate(
    paths: Annotated[list[Path], typer.Argument(help="Workbook files (.yml/.xlsx) or folders.")],
) -> None:
    """Check workbooks and report every problem at once. Exit 1 if any is invalid."""
    from cxkit.workbook.yamlfile import resolve_workbook_path, validate_path

    found = find_workbooks(paths)
    checked = []
    for path in found:
        wb, problems = validate_path(path)
        if wb is not None and wb.surveys and not problems:
            from cxkit.surveys.responses import survey_problems  # survey answers vs journeys

            problems = survey_problems(wb, resolve_workbook_path(path))
        lang = speak.chosen or (wb.client.language.value if wb else speak.language_of(path))
        speak.print_problems(problems, lang)
        checked.append((path, wb, problems, lang))
    langs = {lang for *_, lang in checked}
    lang = langs.pop() if len(langs) == 1 else speak.chosen or "en"
    columns = ("folder", "client", "lang", "personas", "journeys", "touchpoints")
    table = Table(*(say(f"col.{c}", lang) for c in columns), header_style="bold")
    table.add_column(say("col.status", lang), no_wrap=True)
    bad = 0
    for path, wb, problems, own in checked:
        bad += bool(problems)
        table.add_row(*_summary_row(path, wb, problems, own))
    out.print(table)
    if bad:
        err.print(count(bad, "bad-workbooks", lang), markup=False)
        raise typer.Exit(1)


# --------------------------------------------------------------------------- schema / convert


@app.command()
def schema(
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write to a file.")] = None,
) -> None:
    """Print the workbook JSON Schema (for editor autocomplete and checks)."""
    text = json_schema_text()
    if output is None:
        sys.stdout.write(text)
    else:
        from cxkit._files import atomic_write

        atomic_write(output, text, backup=False)
        out.print(f"wrote {output}", markup=False)


@app.command()
def convert(
    source: Annotated[Path, typer.Argument(help="workbook.yml, a client folder, or .xlsx")],
    target: Annotated[Path, typer.Argument(help="Output .xlsx or .yml, or a client folder")],
) -> None:
    """Convert a workbook between YAML and the Excel template (direction from the suffixes)."""
    from cxkit.workbook.excel import write_excel
    from cxkit.workbook.yamlfile import WorkbookFile, save_workbook

    wb = WorkbookFile.load(source).workbook
    suffix = target.suffix.lower()
    if suffix in {".xlsx", ".xlsm"}:
        write_excel(wb, target)
    elif suffix in {".yml", ".yaml"} or target.is_dir():
        target = save_workbook(wb, target)
    elif not suffix and not target.exists():  # a new client folder: folder/workbook.yml
        target = save_workbook(wb, target / WORKBOOK_FILENAME)
    else:
        lang = speak.language_of(source)
        raise worded_error("unknown-output-type", lang, file=target, suffix=target.suffix)
    out.print(f"wrote {target}", markup=False, highlight=False)


@app.command()
def check(
    workbook: Annotated[Path, typer.Argument(help="A student's workbook (file or folder).")],
    exercise: Annotated[
        int | None,
        typer.Option("--exercise", "-e", help="Exercise number; default: the one it says."),
    ] = None,
    language: Annotated[
        Language | None, typer.Option("--language", "-l", help="Feedback language.")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
) -> None:
    """Score a course exercise and say, kindly and specifically, what is still missing."""
    import json

    from cxkit.course.exercises import check_file

    chosen = language.value if language else speak.chosen
    speak.subject = chosen or speak.language_of(workbook)
    result = check_file(workbook, exercise, chosen)
    if as_json:
        sys.stdout.write(json.dumps(result.to_dict(), ensure_ascii=False, indent=2) + "\n")
        return
    lang = result.language
    out.print(f"[bold]{result.title}[/]: {result.score:g} / {result.total:g}", highlight=False)
    table = Table(
        say("col.criterion", lang), say("col.points", lang), header_style="bold", box=None
    )
    for c in result.criteria:
        mark = "[green]✓[/]" if c.earned == c.points else "[yellow]…[/]"
        table.add_row(f"{mark} {c.title}", f"{c.earned:g} / {c.points:g}")
    out.print(table)
    for line in result.feedback:
        out.print(f"  • {line}", markup=False, highlight=False)


@app.command(name="class-report")
def class_report_(
    submissions: Annotated[Path, typer.Argument(help="Folder of what students handed in.")],
    output: Annotated[Path, typer.Option("--output", "-o", help="HTML file to write.")] = Path(
        "class.html"
    ),
    exercise: Annotated[
        int | None, typer.Option("--exercise", "-e", help="Default: what most answer.")
    ] = None,
    language: Annotated[Language | None, typer.Option("--language", "-l")] = None,
    anonymous: Annotated[
        bool, typer.Option("--anonymous", help="No names on the page (for the projector).")
    ] = False,
    stuck: Annotated[
        float | None,
        typer.Option(
            "--stuck",
            help="Flag unfinished work whose score has not risen for this many minutes.",
        ),
    ] = None,
    grades: Annotated[
        Path | None,
        typer.Option("--grades", help="Also write grades (CSV) and a feedback file per student."),
    ] = None,
    lms: Annotated[
        str | None,
        typer.Option("--lms", help="Grade file for: moodle or canvas (default: as found)."),
    ] = None,
    serve: Annotated[
        bool, typer.Option("--serve", help="Serve the page on 127.0.0.1, refreshed on every save.")
    ] = False,
    port: Annotated[int, typer.Option("--port", help="Port for --serve.")] = 8765,
) -> None:
    """One offline page for the trainer: scores per student, common gaps, emotion curves."""
    from cxkit._files import atomic_write
    from cxkit.course.classroom import class_report
    from cxkit.course.progress import PROGRESS_FILE

    lang = language.value if language else None
    speak.subject = lang  # the class's language is known once its work is read
    if output.is_dir():
        raise worded_error("page-is-folder", file=output, example=output / "class.html")
    if grades is not None and grades.is_dir():
        raise worded_error("grades-is-folder", file=grades, example=grades / "grades.csv")
    if lms is not None and lms not in {"moodle", "canvas"}:
        raise worded_error("bad-lms", lms=lms)
    if serve:
        from cxkit.course.serve import serve_class

        serve_class(
            submissions,
            exercise,
            lang,
            port=port,
            anonymous=anonymous,
            stuck_after=10.0 if stuck is None else stuck,
            say=lambda line: out.print(line, markup=False, highlight=False),
            progress_file=output.parent / PROGRESS_FILE,
        )
        return
    page, subs, number = class_report(
        submissions,
        exercise,
        lang,
        anonymous=anonymous,
        stuck_after=stuck,
        progress_file=output.parent / PROGRESS_FILE,
    )
    try:
        atomic_write(output, page, backup=False)
    except OSError as exc:
        raise worded_error("cannot-write-page", file=output, why=exc.strerror) from None
    lang = speak.class_summary(subs, number, output, lang or speak.chosen)
    if grades is not None:
        from cxkit.course.grades import write_grades

        written = write_grades(subs, number, grades, lms=lms)
        files = count(written, "feedback-files", lang)
        out.print(say("grades-wrote", lang, grades=grades, count=files), markup=False)


@app.command(name="app")
def app_(
    notebook: Annotated[
        Path, typer.Argument(help="A form notebook, e.g. notebooks/01_personas.ipynb")
    ],
    workbook: Annotated[
        Path | None, typer.Option("--workbook", "-w", help="Workbook the forms edit.")
    ] = None,
    port: Annotated[int, typer.Option(help="Port on 127.0.0.1.")] = 8866,
    browser: Annotated[bool, typer.Option(help="Open a browser tab.")] = True,
) -> None:
    """Serve a form notebook as an app (Voila): forms only, no code."""
    import subprocess

    from cxkit.widgets.app import app_folder, prepare_notebook, voila_command

    prepared = prepare_notebook(notebook, workbook, app_folder())
    out.print(f"serving {notebook} on http://127.0.0.1:{port}/ (Ctrl+C to stop)", markup=False)
    raise typer.Exit(subprocess.call(voila_command(prepared, port=port, open_browser=browser)))


def _register_subcommands() -> None:
    from cxkit.cli import course as cli_course
    from cxkit.cli import export as cli_export
    from cxkit.cli import report as cli_report
    from cxkit.cli import scoring as cli_scoring

    cli_scoring.register(app)
    cli_report.register(app)
    cli_export.register(app)
    cli_course.register(app)


_register_subcommands()


def main(argv: list[str] | None = None) -> int:
    """Entry point: run the app; user mistakes print a message and exit 1, not a traceback."""
    try:
        rc = app(args=argv, standalone_mode=False)
    except ProblemsError as exc:
        speak.print_problems(exc.problems)
        return 1
    except CxkitError as exc:
        speak.print_failure(exc)  # in the language of what it is about, when it has words
        return 1
    except typer.Exit as exc:
        return int(exc.exit_code or 0)
    except KeyboardInterrupt:
        err.print("interrupted", markup=False)
        return 130
    except RecursionError:
        err.print(
            "error: an input nests too deeply to read; check the file's indentation",
            markup=False,
        )
        return 1
    except OSError as exc:  # a file that cannot be read or written: say which, not a traceback
        where = f"{exc.filename}: " if exc.filename else ""
        what = (exc.strerror or str(exc)).lower()
        err.print(
            f"error: {where}{what}; check the path and its permissions",
            markup=False,
            highlight=False,
        )
        return 1
    except Exception as exc:
        # Usage errors from the (vendored) click layer: show them the way click would.
        show, code = getattr(exc, "show", None), getattr(exc, "exit_code", None)
        if callable(show) and isinstance(code, int):
            show()
            return code
        if type(exc).__name__ == "Abort":
            return 1
        raise
    return rc if isinstance(rc, int) else 0


if __name__ == "__main__":
    sys.exit(main())
