"""`cxkit course ...`: preparing what a class receives."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from cxkit.cli.console import out


def register(app: typer.Typer) -> None:
    course = typer.Typer(help="Prepare a course: the student kit.", no_args_is_help=True)
    app.add_typer(course, name="course")

    @course.command("pack")
    def pack(
        output: Annotated[
            Path, typer.Option("--output", "-o", help="A new folder, or a .zip file.")
        ],
        offline: Annotated[
            bool,
            typer.Option("--offline", help="Add a wheels folder: install with no network."),
        ] = False,
        platform: Annotated[
            list[str] | None,
            typer.Option(
                "--platform", help="With --offline: linux, windows or macos (repeatable)."
            ),
        ] = None,
    ) -> None:
        """The student kit: exercise notebooks, starters and their data, install scripts.
        Never an answer key or a sample workbook."""
        from cxkit.course.pack import build_pack

        made = build_pack(output, offline=offline, platforms=list(platform or []))
        out.print(
            f"wrote {made.target} ({len(made.workbooks)} starter workbooks, {made.wheels} wheels)",
            markup=False,
        )
