"""Run one call per item in a child process, each bounded in time and memory.

A student's submission is untrusted input: a workbook that points its survey at
``/dev/zero`` or a YAML file built to blow up must cost one row of the class page,
not the trainer's afternoon. ``run_bounded`` runs ``fn(item)`` for every item in its
own process (at most ``jobs`` at a time), with an address-space limit and a wall-clock
deadline; a call that overruns is killed and reported as such.

On Linux and macOS the children fork from a server that has already imported cxkit
(``cxkit.course._preload``), so each one starts in a few milliseconds. Where ``fork``
is not available (Windows) the limit on memory is not enforced; the deadline is.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import sys
import time
import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from typing import Any

#: Address space per child. Reading a workbook and its survey needs ~300 MB.
MEMORY_BYTES = 2 * 1024**3
TIMEOUT_SECONDS = 15.0


@dataclass(frozen=True)
class Failure:
    """Why a call produced no result: "timeout", "memory" or "crash" (and the detail)."""

    kind: str
    detail: str = ""
    seconds: float = 0.0  # the deadline, for a timeout


def _limit(memory: int) -> None:
    try:
        import resource
    except ImportError:  # Windows
        return
    _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    cap = memory if hard == resource.RLIM_INFINITY else min(memory, hard)
    resource.setrlimit(resource.RLIMIT_AS, (cap, hard))


def _child(conn: Connection, fn: Callable[[Any], Any], item: Any, memory: int) -> None:
    _limit(memory)
    try:
        result: Any = fn(item)
    except MemoryError:
        result = Failure("memory", "more memory than a workbook needs")
    except BaseException as exc:
        detail = "".join(traceback.format_exception_only(type(exc), exc)).strip()
        result = Failure("crash", detail[-300:])
    try:
        conn.send(result)
    except Exception as exc:
        conn.send(Failure("crash", str(exc)[:300]))
    finally:
        conn.close()


def _context() -> Any:
    if sys.platform != "win32" and "forkserver" in mp.get_all_start_methods():
        ctx = mp.get_context("forkserver")
        ctx.set_forkserver_preload(["cxkit.course._preload"])
        return ctx
    return mp.get_context("spawn")


def run_bounded(
    fn: Callable[[Any], Any],
    items: Sequence[Any],
    *,
    jobs: int = 2,
    timeout: float = TIMEOUT_SECONDS,
    memory: int = MEMORY_BYTES,
) -> list[Any]:
    """``[fn(item) or Failure]`` in the order of ``items``; never raises for an item."""
    ctx = _context()
    results: list[Any] = [None] * len(items)
    pending = list(range(len(items)))
    running: dict[Connection, tuple[int, Any, float]] = {}
    jobs = max(1, min(jobs, os.cpu_count() or 1))
    while pending or running:
        while pending and len(running) < jobs:
            i = pending.pop(0)
            parent, child = ctx.Pipe(duplex=False)
            proc = ctx.Process(target=_child, args=(child, fn, items[i], memory), daemon=True)
            proc.start()
            child.close()
            running[parent] = (i, proc, time.monotonic() + timeout)
        now = time.monotonic()
        soonest = min(deadline for _, _, deadline in running.values())
        ready = wait(list(running), timeout=max(0.0, soonest - now))
        for conn in list(running):
            if conn not in ready:
                continue
            i, proc, _ = running.pop(conn)
            try:
                results[i] = conn.recv()
            except (EOFError, OSError):
                proc.join(1)
                code = proc.exitcode
                results[i] = Failure("crash", f"the reader stopped (exit code {code})")
            conn.close()
            proc.join(5)
        now = time.monotonic()
        for conn, (i, proc, deadline) in list(running.items()):
            if now >= deadline:
                proc.kill()
                proc.join(5)
                conn.close()
                del running[conn]
                results[i] = Failure("timeout", f"still reading after {timeout:g} s", timeout)
    return results
