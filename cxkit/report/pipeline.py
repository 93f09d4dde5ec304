"""The report pipeline: papermill runs the report notebook, nbconvert makes one HTML file.

One client: :func:`render_report`. Many: :func:`render_batch`, which runs clients
in parallel *processes* (``spawn``: papermill's ``cwd`` and kernels are not
thread- or fork-safe), one fresh kernel per client, one reused ``HTMLExporter``
per process. A client whose notebook fails keeps its partly executed notebook
(``<client>.failed.ipynb``, papermill's banner at the failing cell) and the
others still render. In a batch each client has a time limit
(:data:`CLIENT_TIME_LIMIT`, ``cxkit batch --timeout``): a client over it is
stopped, its kernel killed, and reported; the others carry on.
:func:`print_pdf` prints a report with a system Chromium.

>>> from cxkit.report.pipeline import render_report                      # doctest: +SKIP
>>> render_report("data/samples/pension-withdrawal", "reports").html  # doctest: +SKIP
PosixPath('reports/pension-withdrawal.html')
"""

from __future__ import annotations

import datetime as dt
import multiprocessing
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any, Literal

from cxkit.errors import ChromiumNotFound, ReportError
from cxkit.workbook.yamlfile import WORKBOOK_FILENAME

TEMPLATES = Path(str(resources.files("cxkit").joinpath("report", "templates")))
NOTEBOOK = TEMPLATES / "journey_report.ipynb"
META_MIME = "application/vnd.cxkit.report.pipeline+json"
PLOTLY_BUNDLE = TEMPLATES / "vendor" / "plotly-cartesian.min.js"
CLIENT_TIME_LIMIT = 300.0  # seconds per client in a batch; a sample takes ~5-10 s
CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome")
PDF_WITHOUT_CHROMIUM = (
    "PDF needs a browser. The HTML report was written and prints to PDF from any browser too"
)


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
    error: str | None = None
    failed_cell: int | None = None

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


# --------------------------------------------------------------------------- kernel


def _quiet_slow_imports() -> None:
    """Skip an optional jsonschema format checker whose import costs ~2 s.

    ``jsonschema`` (pulled in by nbformat) imports ``rfc3987_syntax`` when it is
    installed, which builds a Lark grammar at import time. It only checks the
    "iri" string formats, which no notebook uses. Must run before nbformat loads.
    """
    if "jsonschema" not in sys.modules:
        sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]


def _kernel_manager_class() -> type:
    """A kernel manager that always runs *this* interpreter's ipykernel.

    A user-level ``python3`` kernelspec (``~/.local/share/jupyter/kernels``) may
    point at another Python without cxkit; naming the interpreter avoids it, and
    PYTHONPATH makes a source checkout importable in the kernel.
    """
    from jupyter_client.kernelspec import KernelSpec
    from jupyter_client.manager import AsyncKernelManager

    package_root = str(Path(__file__).resolve().parent.parent)
    path = os.pathsep.join(p for p in (package_root, os.environ.get("PYTHONPATH")) if p)

    class CxkitKernelManager(AsyncKernelManager):
        def __init__(self, **kwargs: Any) -> None:
            super().__init__(**kwargs)
            self._kernel_spec = KernelSpec(
                argv=[
                    sys.executable,
                    "-Xfrozen_modules=off",
                    "-m",
                    "ipykernel_launcher",
                    "-f",
                    "{connection_file}",
                ],
                display_name="cxkit (python3)",
                language="python",
                env={"PYTHONPATH": path, "PYDEVD_DISABLE_FILE_VALIDATION": "1"},
            )

        async def _async_pre_start_kernel(self, **kw: Any) -> Any:
            # The kernel's own log lines (TCP warning, interrupt on shutdown) are noise
            # here; cell errors are captured in the notebook.
            kw.setdefault("stderr", subprocess.DEVNULL)
            return await super()._async_pre_start_kernel(**kw)

    return CxkitKernelManager


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
        _quiet_slow_imports()
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
        self.km_class = _kernel_manager_class()

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

        def fail(message: str, cell: int | None = None) -> RenderResult:
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
                error=message,
                failed_cell=cell,
            )

        if not wb_path.exists():
            return fail(f"{wb_path}: no workbook here")
        from cxkit.errors import ProblemsError
        from cxkit.workbook.yamlfile import validate_path

        try:  # a workbook mistake is named here, not as a failed notebook cell
            _, problems = validate_path(wb_path)
        except ProblemsError as exc:
            problems = exc.problems
        invalid = None
        if problems:
            more = f" (+{len(problems) - 1} more)" if len(problems) > 1 else ""
            invalid = f"{problems[0]}{more}; run `cxkit validate {wb_path.parent}` to see all"
        try:
            nb = self._execute_with_retry(wb_path, partial, params, deadline)
        except TimeoutError:  # nbclient's CellTimeoutError: the deadline passed in a cell
            return fail(
                f"stopped: over the {time_limit:g} s time limit for one client "
                "(raise it with `cxkit batch --timeout SECONDS`)"
            )
        except PapermillExecutionError as exc:
            # The partly executed notebook is kept with its failing cell marked; the reason
            # shown is the workbook's own problem when there is one.
            last = str(exc.evalue).strip().splitlines()
            reason = invalid or f"{exc.ename}: {last[-1] if last else ''}".strip()
            return fail(f"cell In [{exc.exec_count}] failed: {reason}", exc.cell_index)
        except Exception as exc:  # kernel died, could not start, ...
            return fail(f"{type(exc).__name__}: {exc}")
        html_path = out / f"{stem}.html"
        try:
            atomic_write(html_path, self.to_html(nb), backup=False)
        except Exception as exc:
            return fail(f"converting to HTML failed: {type(exc).__name__}: {exc}")
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


def _worker_init(notebook: str | None = None) -> None:
    _quiet_slow_imports()
    renderer(notebook)  # import and build the exporter while the other workers do the same


def _render_in_worker(workbook: str, out_dir: str, options: dict[str, Any]) -> RenderResult:
    return renderer().render(workbook, out_dir, **options)


def render_batch(
    workbooks: Sequence[str | Path],
    out_dir: str | Path = "reports",
    *,
    jobs: int | None = None,
    on_done: Callable[[RenderResult], None] | None = None,
    time_limit: float | None = CLIENT_TIME_LIMIT,
    notebook: str | Path | None = None,
    **options: Any,
) -> list[RenderResult]:
    """Render many clients in parallel processes; results in input order.

    Each client gets its own fresh kernel; a failing client is reported and the
    others carry on. ``time_limit`` seconds (None: no limit) bounds each client;
    ``notebook`` replaces the report notebook (it gets the same parameters).
    ``jobs`` defaults to the number of CPUs plus one: a client's
    kernel spends part of its life waiting (start-up handshake, messages), and one
    extra worker fills those gaps (measured in benchmarks/bench_reports.py).
    """
    paths = [Path(w) for w in workbooks]
    jobs = max(1, min(jobs or (os.cpu_count() or 1) + 1, len(paths) or 1))
    results: dict[int, RenderResult] = {}
    ctx = multiprocessing.get_context("spawn")
    options = {**options, "time_limit": time_limit}
    with ProcessPoolExecutor(
        max_workers=jobs,
        mp_context=ctx,
        initializer=_worker_init,
        initargs=(str(notebook) if notebook else None,),
    ) as pool:
        futures = {
            pool.submit(_render_in_worker, str(p), str(out_dir), options): i
            for i, p in enumerate(paths)
        }
        for fut in as_completed(futures):
            i = futures[fut]
            try:
                result = fut.result()
            except Exception as exc:  # the worker process itself died
                result = RenderResult(
                    client_name(paths[i]),
                    paths[i],
                    "failed",
                    0.0,
                    error=f"{type(exc).__name__}: {exc}",
                )
            results[i] = result
            if on_done is not None:
                on_done(result)
    return [results[i] for i in range(len(paths))]


# --------------------------------------------------------------------------- PDF


def find_chromium() -> str | None:
    """A system Chromium or Chrome: ``$CXKIT_CHROMIUM``, else the first on PATH."""
    env = os.environ.get("CXKIT_CHROMIUM")
    if env:
        return env if Path(env).exists() else shutil.which(env)
    return next((p for n in CHROMIUM_NAMES if (p := shutil.which(n))), None)


def print_pdf(
    html: str | Path, pdf: str | Path, *, chromium: str | None = None, timeout: float = 120
) -> Path:
    """Print ``html`` to ``pdf`` with headless Chromium (no network, no header/footer)."""
    browser = chromium or find_chromium()
    if browser is None:
        raise ChromiumNotFound(PDF_WITHOUT_CHROMIUM)
    src, dst = Path(html).resolve(), Path(pdf).resolve()
    cmd = [
        browser,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        f"--print-to-pdf={dst}",
        "--no-pdf-header-footer",
        "--disable-background-networking",
        "--disable-component-update",
        "--no-first-run",
        "--run-all-compositor-stages-before-draw",
        "--virtual-time-budget=10000",
        src.as_uri(),
    ]
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise ReportError(f"{src}: printing to PDF with {browser} failed: {exc}") from None
    if proc.returncode != 0 or not dst.exists():
        tail = (proc.stderr or "").strip().splitlines()[-3:]
        raise ReportError(f"{src}: {browser} could not print a PDF: {' '.join(tail)}")
    return dst
