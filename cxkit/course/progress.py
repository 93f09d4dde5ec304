"""A record of each submission's progress, so that "stuck" means "no progress".

A student is **stuck** when the work is not finished and its score has not risen for
N minutes, whether or not the student keeps saving. The live class view
(``class-report --serve``) observes every submission at each rebuild and keeps, per
submission (its place in the class folder, for its exercise), the history of its score:
when it was first seen, its best score and when that best was first reached. The record
is kept in memory and written atomically to ``.cxkit-progress.json`` beside the class
page, so a restarted server carries on where it stopped.

A flag says which kind of stuck it is: ``saving`` (saved within the last N minutes, but
the score has not risen) or ``idle`` (not saved for N minutes). A one-off class page
uses the record when there is one; without it, the only thing known is when each file
was saved, so "stuck" falls back to "unfinished and not saved for N minutes" (the page
says so).

>>> p = Progress()
>>> p.observe("5|noa", 20.0, saved=0.0, now=0.0)
>>> p.observe("5|noa", 20.0, saved=300.0, now=300.0)   # saved again, no higher
>>> stuck_kind(p.tracks["5|noa"], finished=False, saved=300.0, now=360.0, minutes=5)
'saving'
>>> p.observe("5|noa", 35.0, saved=400.0, now=400.0)   # a rise: progress
>>> stuck_kind(p.tracks["5|noa"], finished=False, saved=400.0, now=460.0, minutes=5) is None
True
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from cxkit._files import atomic_write
from cxkit.course.submission import Submission

#: The record's file name, beside the class page.
PROGRESS_FILE = ".cxkit-progress.json"
#: Score changes kept per submission (the oldest are dropped past this).
HISTORY = 500
_FORMAT = "cxkit-progress"


@dataclass
class Track:
    """One submission's progress: first seen, best score, when the best was reached."""

    first: float
    best: float
    best_at: float
    history: list[tuple[float, float]] = field(default_factory=list)  # (time, score)

    def to_json(self) -> dict[str, Any]:
        return {
            "first": self.first,
            "best": self.best,
            "best_at": self.best_at,
            "history": [list(h) for h in self.history],
        }

    @classmethod
    def from_json(cls, data: Any) -> Track | None:
        """A track read back, or None when the entry is not one cxkit wrote."""
        try:
            history = [(float(t), float(s)) for t, s in data.get("history", [])]
            return cls(float(data["first"]), float(data["best"]), float(data["best_at"]), history)
        except (AttributeError, KeyError, TypeError, ValueError):
            return None


def submission_key(s: Submission) -> str:
    """How the record tells submissions apart: the exercise and where it came from."""
    return f"{s.exercise}|{s.label}"


def stuck_kind(
    track: Track | None, *, finished: bool, saved: float | None, now: float, minutes: float
) -> str | None:
    """``"saving"``, ``"idle"`` or None (not stuck) for one submission at ``now``.

    With a ``track``, the clock runs from when the best score was first reached; without
    one (no record), from the last save, so only ``"idle"`` can be said.
    """
    if finished:
        return None
    since = track.best_at if track is not None else saved
    if since is None or now - since < minutes * 60:
        return None
    if track is not None and saved is not None and since < saved and now - saved < minutes * 60:
        return "saving"
    return "idle"


class Progress:
    """Every submission's track, for one class folder; read from and written to ``path``."""

    def __init__(self, path: Path | None = None, folder: str = "") -> None:
        self.path = path
        self.folder = folder
        self.tracks: dict[str, Track] = {}
        self._others: dict[str, Any] = {}  # other class folders' records in the same file
        self._dirty = False

    @classmethod
    def load(cls, path: Path, folder: Path) -> Progress:
        """The record at ``path`` for the class ``folder`` (empty when there is none yet,
        or when the file is not one cxkit wrote: it is then started afresh)."""
        key = str(Path(folder).resolve())
        progress = cls(path, key)
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return progress
        if not isinstance(data, dict) or data.get("format") != _FORMAT:
            return progress
        classes = data.get("classes")
        if not isinstance(classes, dict):
            return progress
        mine = classes.pop(key, {})
        progress._others = classes
        if isinstance(mine, dict):
            for name, entry in mine.items():
                track = Track.from_json(entry)
                if track is not None:
                    progress.tracks[str(name)] = track
        return progress

    def observe(self, key: str, score: float, *, saved: float | None, now: float) -> None:
        """Note ``score`` for submission ``key``, from the version saved at ``saved``.

        A new best counts as progress from when that version was saved (never before the
        previous best, never after ``now``); a score that falls and comes back is not
        progress.
        """
        track = self.tracks.get(key)
        when = min(saved, now) if saved is not None else now
        if track is None:
            self.tracks[key] = Track(when, score, when, [(when, score)])
            self._dirty = True
            return
        if track.history and track.history[-1][1] == score:
            return
        track.history.append((max(when, track.history[-1][0] if track.history else when), score))
        del track.history[:-HISTORY]
        if score > track.best:
            track.best = score
            track.best_at = max(track.best_at, when)
        self._dirty = True

    def save(self) -> None:
        """Write the record (atomically) when it changed since the last write."""
        if self.path is None or not self._dirty:
            return
        classes = {
            **self._others,
            self.folder: {k: t.to_json() for k, t in sorted(self.tracks.items())},
        }
        text = json.dumps({"format": _FORMAT, "version": 1, "classes": classes}, indent=1)
        atomic_write(self.path, text + "\n", backup=False)
        self._dirty = False


def flag_stuck(
    subs: Iterable[Submission], progress: Progress | None, minutes: float, now: float
) -> list[Submission]:
    """Each scored submission with its stuck flag (``progress`` None: the saved-time rule)."""
    out = []
    for s in subs:
        if s.result is None:
            out.append(s)
            continue
        track = progress.tracks.get(submission_key(s)) if progress is not None else None
        kind = stuck_kind(
            track,
            finished=s.result.score >= s.result.total,
            saved=s.saved,
            now=now,
            minutes=minutes,
        )
        out.append(replace(s, stuck=kind or ""))
    return out


def observe_all(progress: Progress, subs: Iterable[Submission], now: float) -> None:
    """Note every scored submission's score in ``progress``."""
    for s in subs:
        if s.result is not None:
            progress.observe(submission_key(s), s.result.score, saved=s.saved, now=now)


def next_change(
    subs: Iterable[Submission], progress: Progress | None, minutes: float, now: float
) -> float | None:
    """The next time a flag changes with no new save (a page shown live is rebuilt then)."""
    times = []
    for s in subs:
        if s.result is None or s.result.score >= s.result.total:
            continue
        track = progress.tracks.get(submission_key(s)) if progress is not None else None
        since = track.best_at if track is not None else s.saved
        for t in (since, s.saved):
            if t is not None and t + minutes * 60 > now:
                times.append(t + minutes * 60)
    return min(times) if times else None
