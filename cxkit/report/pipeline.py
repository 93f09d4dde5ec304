"""The report pipeline: papermill runs the report notebook, nbconvert makes one HTML file.

One client: :func:`render_report` (a fresh kernel, one reused ``HTMLExporter`` per
process). A client whose notebook fails keeps its partly executed notebook
(``<client>.failed.ipynb``, papermill's banner at the failing cell). Many clients in
parallel: :mod:`cxkit.report.batch`; the kernel set-up: :mod:`cxkit.report.kernel`;
printing to PDF: :mod:`cxkit.report.pdf`. ``find_chromium`` and ``print_pdf`` are
importable from here too.

>>> from cxkit.report.pipeline import render_report                      # doctest: +SKIP
>>> render_report("data/samples/pension-withdrawal", "reports").html  # doctest: +SKIP
PosixPath('reports/pension-withdrawal.html')
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any, Literal

from cxkit.errors import Problem, ReportError, Words
from cxkit.i18n.messages import word
from cxkit.report.kernel import kernel_manager_class
from cxkit.report.pdf import find_chromium, print_pdf
from cxkit.workbook.yamlfile import WORKBOOK_FILENAME

TEMPLATES = Path(str(resources.files("cxkit").joinpath("report", "templates")))
NOTEBOOK = TEMPLATES / "journey_report.ipynb"
META_MIME = "application/vnd.cxkit.report+json"  # the sections' metadata output
PLOTLY_BUNDLE = TEMPLATES / "vendor" / "plotly-cartesian.min.js"


@dataclass(frozen=True)
class RenderResult:
    """What happened to one client."""

    client: str
    workbook: Path
    status: Literal["ok", "failed"]
    seconds: float
    html: Path | None = None
    notebook: Path | None = None  # the partly executed notebook of a failed client
    pdf: Path | None = None
    error: str | None = None  # in English
    failed_cell: int | None = None
    words: Words | None = None  # the error as a template and its values (any language)
    language: str = "en"  # the workbook's, for messages about this client

    @property
    def ok(self) -> bool:
        return self.status == "ok"

    @property
    def output(self) -> Path | None:
        return self.pdf or self.html or self.notebook


# --------------------------------------------------------------------------- locating


def client_name(workbook: str | Path) -> str:
    """``clients/acme/workbook.yml`` or ``clients/acme`` -> ``acme``; ``x/acme.yml`` -> ``acme``."""
    p = Path(workbook)
    if p.is_dir() or p.stem == Path(WORKBOOK_FILENAME).stem:
        return (p if p.is_dir() else p.parent).resolve().name
    return p.stem


# --------------------------------------------------------------------------- rendering


@cache
def _static() -> dict[str, str]:
    js = PLOTLY_BUNDLE
    if not js.exists():  # fall back to the full bundle plotly ships (4.8 MB)
        import plotly

        js = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
    return {
        "plotly_js": js.read_text("utf-8"),
        "boot_js": (TEMPLATES / "boot.js").read_text("utf-8"),
        "css": (TEMPLATES / "report.css").read_text("utf-8"),
    }


class Renderer:
    """Runs the report notebook and converts it; keep one per process (the exporter is reused)."""

    def __init__(self, notebook: str | Path | None = None) -> None:
        import nbformat
        from nbconvert import HTMLExporter, TemplateExporter
        from traitlets.config import Config

        self.notebook = nbformat.read(str(notebook or NOTEBOOK), as_version=4)
        config = Config()
        config.TagRemovePreprocessor.remove_cell_tags = {"remove_cell"}
        config.TagRemovePreprocessor.enabled = True

        class ReportExporter(HTMLExporter):
            """HTMLExporter without its final BeautifulSoup pass.

            That pass re-parses the whole page (1.5 MB with plotly.js, ~0.5 s) only to
            add alt text to images and tabindex to code cells; cxkit's template has
            neither, and keeps its own markup as written.
            """

            def from_notebook_node(self, nb: Any, resources: Any = None, **kw: Any) -> Any:
                resources = self._init_resources(resources)
                return TemplateExporter.from_notebook_node(self, nb, resources, **kw)

        self.exporter = ReportExporter(
            config=config,
            template_name="cxkit",
            extra_template_basedirs=[str(TEMPLATES)],
            exclude_input=True,
            exclude_input_prompt=True,
            exclude_output_prompt=True,
        )
        self.km_class = kernel_manager_class()

    def execute(
        self,
        workbook: Path,
        output: Path,
        parameters: dict[str, Any],
        deadline: float | None = None,
    ) -> Any:
        """Run the notebook for one client; on failure the partial notebook is at ``output``.

        Past ``deadline`` (:func:`time.monotonic`), nbclient raises ``CellTimeoutError``.
        """
        import copy
        import logging

        import papermill

        logging.getLogger("papermill").addFilter(_no_timeout_lines)

        def cell_timeout(cell: Any) -> float | None:  # 0 would mean "no limit"
            return None if deadline is None else max(0.05, deadline - time.monotonic())

        return papermill.execute_notebook(
            copy.deepcopy(self.notebook),
            str(output),
            parameters=parameters,
            kernel_name="python3",
            request_save_on_cell_execute=False,
            autosave_cell_every=0,
            progress_bar=False,
            log_output=False,
            kernel_manager_class=self.km_class,
            # The kernel is thrown away with the client: no need for a polite shutdown.
            shutdown_kernel="immediate",
            timeout_func=cell_timeout,
        )

    def _execute_with_retry(
        self, workbook: Path, output: Path, params: dict[str, Any], deadline: float | None = None
    ) -> Any:
        """Run the notebook; a kernel that dies while starting gets one more try.

        Kernels started at the same moment by parallel workers pick free TCP ports
        independently and can collide; the loser dies before replying to kernel_info.
        """
        extra = {"deadline": deadline} if deadline is not None else {}
        try:
            return self.execute(workbook, output, params, **extra)
        except RuntimeError as exc:
            if "before replying to kernel_info" not in str(exc):
                raise
            return self.execute(workbook, output, params, **extra)

    def to_html(self, nb: Any) -> str:
        """Convert an executed report notebook with cxkit's template."""
        meta: dict[str, Any] = {"lang": "en", "dir": "ltr", "title": "cxkit report"}
        charts = False
        for cell in nb.cells:
            for out in cell.get("outputs", []):
                data = out.get("data", {})
                if META_MIME in data:
                    meta.update(data[META_MIME])
                charts = charts or "cx-chart-data" in str(data.get("text/html", ""))
        from cxkit import __version__

        res = {"cxkit": {**meta, **_static(), "charts": charts, "version": __version__}}
        body, _ = self.exporter.from_notebook_node(nb, resources=res)
        return str(body)

    def render(
        self,
        workbook: str | Path,
        out_dir: str | Path,
        *,
        language: str | None = None,
        journeys: Sequence[str] | None = None,
        report_date: dt.date | str | None = None,
        pdf: bool = False,
        keep_notebook: bool = False,
        time_limit: float | None = None,
    ) -> RenderResult:
        """Render one client's report into ``out_dir``; never raises for a broken client.

        ``time_limit`` (seconds, from the start of this call) stops a client whose
        notebook runs longer: its kernel is killed and the result says so.
        """
        from papermill.exceptions import PapermillExecutionError

        from cxkit._files import atomic_write
        from cxkit.workbook.yamlfile import resolve_workbook_path

        start = time.perf_counter()
        deadline = time.monotonic() + time_limit if time_limit else None
        wb_path = resolve_workbook_path(Path(workbook)).resolve()
        name = client_name(wb_path)
        stem = f"{name}.{language}" if language else name
        out = Path(out_dir).resolve()
        out.mkdir(parents=True, exist_ok=True)
        partial = out / f".{stem}.running.ipynb"
        failed = out / f"{stem}.failed.ipynb"
        params = {
            "workbook": str(wb_path),
            "language": language,
            "journeys": list(journeys or []),
            "report_date": str(report_date or dt.date.today()),
        }

        def fail(message: str | Words, cell: int | None = None) -> RenderResult:
            words = message if isinstance(message, Words) else None
            kept = None
            if partial.exists():
                partial.replace(failed)
                kept = failed
            return RenderResult(
                name,
                wb_path,
                "failed",
                time.perf_counter() - start,
                notebook=kept,
                error=word(words) if words is not None else str(message),
                failed_cell=cell,
                words=words,
                language=lang,
            )

        lang = language or _language(wb_path)
        if not wb_path.exists():
            return fail(Words.of("no-workbook-here", file=wb_path))
        from cxkit.errors import ProblemsError
        from cxkit.workbook.yamlfile import validate_path

        try:  # a workbook mistake is named here, not as a failed notebook cell
            _, problems = validate_path(wb_path)
        except ProblemsError as exc:
            problems = exc.problems
        invalid = _invalid(problems, wb_path) if problems else None
        try:
            nb = self._execute_with_retry(wb_path, partial, params, deadline)
        except TimeoutError:  # nbclient's CellTimeoutError: the deadline passed in a cell
            return fail(Words.of("over-time-limit", limit=f"{time_limit:g}"))
        except PapermillExecutionError as exc:
            # The partly executed notebook is kept with its failing cell marked; the reason
            # shown is the workbook's own problem when there is one.
            last = str(exc.evalue).strip().splitlines()
            reason = invalid or f"{exc.ename}: {last[-1] if last else ''}".strip()
            return fail(Words.of("cell-failed", n=exc.exec_count, reason=reason), exc.cell_index)
        except Exception as exc:  # kernel died, could not start, ...
            return fail(f"{type(exc).__name__}: {exc}")
        html_path = out / f"{stem}.html"
        try:
            atomic_write(html_path, self.to_html(nb), backup=False)
        except Exception as exc:
            return fail(Words.of("html-failed", detail=f"{type(exc).__name__}: {exc}"))
        failed.unlink(missing_ok=True)  # a stale one from an earlier failed run
        notebook = None
        if keep_notebook:
            notebook = out / f"{stem}.ipynb"
            partial.replace(notebook)
        else:
            partial.unlink(missing_ok=True)
        pdf_path = None
        if pdf:
            try:
                pdf_path = print_pdf(html_path, out / f"{stem}.pdf")
            except ReportError as exc:
                return RenderResult(
                    name,
                    wb_path,
                    "failed",
                    time.perf_counter() - start,
                    html=html_path,
                    notebook=notebook,
                    error=str(exc),
                )
        return RenderResult(
            name,
            wb_path,
            "ok",
            time.perf_counter() - start,
            html=html_path,
            notebook=notebook,
            pdf=pdf_path,
        )


def _language(path: Path) -> str:
    """The language to speak about the workbook at ``path`` (also one that does not read)."""
    from cxkit.workbook.language import workbook_language

    try:
        return workbook_language(path)
    except Exception:
        return "en"


def _invalid(problems: list[Problem], path: Path) -> Words:
    """A workbook that does not validate: its first problem, how many more, what to run."""
    more = len(problems) - 1
    key = "render-invalid.one" if more == 1 else "render-invalid.many"
    return Words.of(
        key if more else "render-invalid", problem=problems[0], n=more, folder=path.parent
    )


def _no_timeout_lines(record: Any) -> bool:
    """Drop nbclient's "Timeout waiting for execute reply" log line: the result says it."""
    return "Timeout waiting for execute reply" not in str(record.getMessage())


_RENDERER: Renderer | None = None


def renderer(notebook: str | None = None) -> Renderer:
    """This process's :class:`Renderer` (created on first use, with ``notebook`` if given)."""
    global _RENDERER
    if _RENDERER is None:
        _RENDERER = Renderer(notebook)
    return _RENDERER


def render_report(
    workbook: str | Path, out_dir: str | Path = "reports", **options: Any
) -> RenderResult:
    """Render one client's report; see :meth:`Renderer.render` for ``options``."""
    return renderer().render(workbook, out_dir, **options)


__all__ = [
    "META_MIME",
    "NOTEBOOK",
    "TEMPLATES",
    "RenderResult",
    "Renderer",
    "client_name",
    "find_chromium",
    "print_pdf",
    "render_report",
    "renderer",
]
