"""The live class view: ``cxkit class-report DIR --serve``.

A small HTTP server on 127.0.0.1 (never another interface) serves the class page. A
watcher looks at the class folder twice a second; when any file changes, the page is
rebuilt (only the changed submissions are read again) and its version goes up. The
page's script (``/live.js``, the only script, allowed by the page's CSP) asks for the
version every second and reloads when it changes, so a student's save shows within
about two seconds.

Each rebuild notes every submission's score in the progress record
(:mod:`cxkit.course.progress`), kept in memory and in ``.cxkit-progress.json`` beside
the class page, so "stuck" means "no progress for N minutes" and survives a restart. The
page is also rebuilt when a stuck flag is due to change, with no save in between.
"""

from __future__ import annotations

import errno
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from cxkit.course.classroom import class_report
from cxkit.course.progress import Progress, next_change
from cxkit.errors import CxkitError

LIVE_JS = """\
(function () {
  var seen = null;
  function poll() {
    fetch('/version', {cache: 'no-store'}).then(function (r) { return r.text(); })
      .then(function (v) {
        if (seen === null) { seen = v; } else if (v !== seen) { location.reload(); }
      }).catch(function () {}).finally(function () { setTimeout(poll, 1000); });
  }
  poll();
})();
"""
WATCH_SECONDS = 0.5
REBUILD_SECONDS = 60.0


def signature(folder: Path) -> tuple[tuple[str, int, int], ...]:
    """Every file under ``folder`` with its size and modification time."""
    out = []
    for path in folder.rglob("*"):
        try:
            st = path.lstat()
        except OSError:
            continue
        out.append((path.relative_to(folder).as_posix(), st.st_mtime_ns, st.st_size))
    return tuple(sorted(out))


class LiveClass:
    """The class page, rebuilt whenever the class folder changes or a stuck flag is due."""

    def __init__(
        self,
        folder: Path,
        *,
        progress_file: Path | None = None,
        clock: Callable[[], float] = time.time,
        **options: Any,
    ) -> None:
        self.folder = folder
        self.options = options
        self.clock = clock
        self.version = 0
        self.page = ""
        self.cache: dict[Any, Any] = {}
        self.progress = (
            Progress.load(progress_file, folder) if progress_file is not None else Progress()
        )
        self._seen: tuple[tuple[str, int, int], ...] | None = None
        self._built = 0.0
        self._due: float | None = None  # when a stuck flag changes next
        self._lock = threading.Lock()

    def refresh(self) -> bool:
        """Rebuild the page if anything changed; True when it did."""
        seen = signature(self.folder)
        now = self.clock()
        due = self._due is not None and now >= self._due
        if seen == self._seen and not due and time.monotonic() - self._built < REBUILD_SECONDS:
            return False
        page, subs, _ = class_report(
            self.folder,
            live=True,
            cache=self.cache,
            now=now,
            progress=self.progress,
            **self.options,
        )
        stuck_after = self.options.get("stuck_after")
        with self._lock:
            self._seen = seen
            self.page = page
            self.version += 1
            self._built = time.monotonic()
            self._due = (
                next_change(subs, self.progress, stuck_after, now)
                if stuck_after is not None
                else None
            )
        return True

    def snapshot(self) -> tuple[int, str]:
        with self._lock:
            return self.version, self.page


def _handler(live: LiveClass) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            version, page = live.snapshot()
            routes = {
                "/": ("text/html; charset=utf-8", page),
                "/version": ("text/plain; charset=utf-8", str(version)),
                "/live.js": ("text/javascript; charset=utf-8", LIVE_JS),
            }
            path = self.path.split("?")[0]
            if path not in routes:
                self.send_error(404)
                return
            kind, text = routes[path]
            body = text.encode("utf-8")
            self.send_response(200)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.send_header("X-Content-Type-Options", "nosniff")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:
            return

    return Handler


def serve_class(
    folder: Path,
    exercise: int | None,
    language: str | None,
    *,
    port: int,
    anonymous: bool,
    stuck_after: float | None,
    say: Callable[[str], None],
    progress_file: Path | None = None,
) -> None:
    """Serve the live class page on 127.0.0.1:``port`` until interrupted; the progress
    record is kept in ``progress_file`` (beside the class page)."""
    live = LiveClass(
        Path(folder),
        progress_file=progress_file,
        exercise=exercise,
        language=language,
        anonymous=anonymous,
        stuck_after=stuck_after,
    )
    try:
        server = ThreadingHTTPServer(("127.0.0.1", port), _handler(live))
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            raise CxkitError(f"port {port} is in use; pass another with --port") from None
        raise CxkitError(f"cannot serve on 127.0.0.1:{port} ({exc.strerror})") from None
    try:
        live.refresh()  # a folder that cannot be read is said now, before serving
    except BaseException:
        server.server_close()
        raise
    stop = threading.Event()

    def watch() -> None:
        while not stop.wait(WATCH_SECONDS):
            try:
                live.refresh()
            except CxkitError as exc:
                say(f"not refreshed: {exc}")

    watcher = threading.Thread(target=watch, name="cxkit-class-watch", daemon=True)
    watcher.start()
    say(f"class view on http://127.0.0.1:{server.server_address[1]}/ (Ctrl+C to stop)")
    try:
        server.serve_forever(poll_interval=0.2)
    finally:
        stop.set()
        server.server_close()
