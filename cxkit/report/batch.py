"""Many clients' reports in parallel processes, each client with its own kernel.

``spawn``ed workers (papermill's ``cwd`` and kernels are not thread- or fork-safe),
one reused ``HTMLExporter`` per worker. A failing client is reported and the others
carry on. Each client has a time limit (:data:`CLIENT_TIME_LIMIT`, ``cxkit batch
--timeout``): a client over it is stopped, its kernel killed, and reported."""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path
from typing import Any

from cxkit.report.kernel import skip_slow_optional_imports
from cxkit.report.pipeline import RenderResult, client_name, renderer

CLIENT_TIME_LIMIT = 300.0  # seconds per client in a batch; a sample takes ~5-10 s


def _worker_init(notebook: str | None = None) -> None:
    skip_slow_optional_imports()  # this worker is cxkit's own process
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
