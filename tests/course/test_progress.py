""" "Stuck" means "no progress for N minutes": the rule on a fake clock, the record kept
beside the class page (a restart carries on), and the one-off page's fallback."""

from __future__ import annotations

import json
import os
import shutil
import time
from pathlib import Path

from cxkit._files import atomic_write
from cxkit.course.classroom import class_report
from cxkit.course.progress import PROGRESS_FILE, Progress, Track, stuck_kind
from cxkit.course.serve import LiveClass
from tests.conftest import ROOT

KEY = ROOT / "templates" / "trainer" / "ex03-moments-of-truth"
STARTER = ROOT / "templates" / "exercises" / "ex03-moments-of-truth"
MIN = 60.0


def _kind(p: Progress, key: str, saved: float, now: float, finished: bool = False) -> str | None:
    return stuck_kind(p.tracks[key], finished=finished, saved=saved, now=now, minutes=10)


def test_the_rule_on_a_fake_clock() -> None:
    p = Progress()
    # Working hard but failing: saves every two minutes, the score never rises.
    for minute in range(0, 16, 2):
        p.observe("hard", 30.0, saved=minute * MIN, now=minute * MIN)
        assert _kind(p, "hard", minute * MIN, minute * MIN) == ("saving" if minute >= 10 else None)
    # Finished and left: never stuck, however long ago.
    p.observe("done", 100.0, saved=0.0, now=0.0)
    assert _kind(p, "done", 0.0, 60 * MIN, finished=True) is None
    # Stopped working: not saved for 10 minutes.
    p.observe("gone", 40.0, saved=0.0, now=0.0)
    assert _kind(p, "gone", 0.0, 9 * MIN) is None
    assert _kind(p, "gone", 0.0, 10 * MIN) == "idle"
    # Progress restarts the clock; a fall and a climb back to the same best is no progress.
    p.observe("up", 20.0, saved=0.0, now=0.0)
    p.observe("up", 50.0, saved=8 * MIN, now=8 * MIN)
    assert _kind(p, "up", 8 * MIN, 12 * MIN) is None
    assert _kind(p, "up", 8 * MIN, 18 * MIN) == "idle"
    p.observe("up", 10.0, saved=19 * MIN, now=19 * MIN)  # deleted something
    p.observe("up", 50.0, saved=20 * MIN, now=20 * MIN)  # and typed it again
    assert _kind(p, "up", 20 * MIN, 21 * MIN) == "saving"
    assert p.tracks["up"].history == [
        (0.0, 20.0),
        (8 * MIN, 50.0),
        (19 * MIN, 10.0),
        (20 * MIN, 50.0),
    ]
    # Without a record only the save time is known: "not saved", never "saving".
    assert stuck_kind(None, finished=False, saved=0.0, now=10 * MIN, minutes=10) == "idle"
    assert stuck_kind(None, finished=False, saved=0.0, now=9 * MIN, minutes=10) is None


def test_the_record_is_written_atomically_and_read_back(tmp_path: Path) -> None:
    path = tmp_path / PROGRESS_FILE
    p = Progress.load(path, tmp_path / "class")
    p.observe("3|noa/workbook.yml", 7.7, saved=100.0, now=110.0)
    p.observe("3|noa/workbook.yml", 42.5, saved=200.0, now=210.0)
    p.save()
    data = json.loads(path.read_text("utf-8"))
    assert data["format"] == "cxkit-progress"
    (entry,) = data["classes"].values()
    assert entry["3|noa/workbook.yml"]["history"] == [[100.0, 7.7], [200.0, 42.5]]
    again = Progress.load(path, tmp_path / "class")
    history = [(100.0, 7.7), (200.0, 42.5)]
    assert again.tracks["3|noa/workbook.yml"] == Track(100.0, 42.5, 200.0, history)
    assert not Progress.load(path, tmp_path / "another-class").tracks  # per class folder
    path.write_text("{ not json", "utf-8")  # not one cxkit wrote: started afresh
    assert not Progress.load(path, tmp_path / "class").tracks


def test_live_saves_without_progress_are_stuck_and_a_restart_remembers(tmp_path: Path) -> None:
    """The live view with an injected clock: saves that do not raise the score become
    "saving, no progress"; a rise clears the flag; a new server reads the record."""
    subs = tmp_path / "class"
    shutil.copytree(STARTER, subs / "noa")
    shutil.copytree(KEY, subs / "dana")
    book = subs / "noa" / "workbook.yml"
    start = time.time()
    for b in subs.rglob("workbook.yml"):
        os.utime(b, (start, start))
    clock = [start]
    record = tmp_path / PROGRESS_FILE
    options = {"exercise": 3, "language": "en", "anonymous": False, "stuck_after": 5.0}
    live = LiveClass(subs, progress_file=record, clock=lambda: clock[0], **options)
    assert live.refresh()
    assert "stuck" not in _row(live.page, "noa") and record.is_file()

    def save_at(minutes: float, data: bytes) -> None:
        atomic_write(book, data, backup=False)
        os.utime(book, (start + minutes * MIN, start + minutes * MIN))
        clock[0] = start + minutes * MIN
        live.refresh()

    starter = book.read_bytes()
    for minute in (2, 4, 6):  # saves with no higher score
        save_at(minute, starter + f"# edit {minute}\n".encode())
    noa = _row(live.page, "noa")
    assert 'class="stuck stuck-saving">stuck</span>' in noa and "saving, no progress" in noa
    assert "stuck" not in _row(live.page, "dana")  # finished: never stuck
    assert "the score has not risen for 5 minutes" in live.page

    clock[0] = start + 12 * MIN  # nothing saved since minute 6: the flag changes by itself
    assert live.refresh()
    assert 'class="stuck stuck-idle">stuck</span>' in _row(live.page, "noa")

    # A restart: the record beside the page still knows since when the score is flat.
    again = LiveClass(subs, progress_file=record, clock=lambda: clock[0], **options)
    again.refresh()
    assert 'class="stuck stuck-idle"' in _row(again.page, "noa")

    half = KEY.joinpath("workbook.yml").read_bytes()  # a rise: progress, no flag
    save_at(13, half.replace(b"moment_of_truth: true", b"moment_of_truth: false", 1))
    assert "stuck" not in _row(live.page, "noa")


def test_a_one_off_page_uses_the_record_beside_it(tmp_path: Path) -> None:
    subs = tmp_path / "class"
    shutil.copytree(STARTER, subs / "noa")
    book = subs / "noa" / "workbook.yml"
    now = time.time()
    os.utime(book, (now - 2 * MIN, now - 2 * MIN))  # saved two minutes ago
    record = tmp_path / PROGRESS_FILE
    p = Progress.load(record, subs)  # the live view saw this score an hour ago
    p.observe("3|noa/workbook.yml", 7.7, saved=now - 60 * MIN, now=now - 60 * MIN)
    p.save()
    page, _, _ = class_report(subs, 3, "en", stuck_after=10, progress_file=record, now=now)
    assert 'class="stuck stuck-saving"' in _row(page, "noa")
    assert "the score has not risen for 10 minutes" in page
    record.unlink()
    page, _, _ = class_report(subs, 3, "en", stuck_after=10, progress_file=record, now=now)
    assert "stuck" not in _row(page, "noa")  # saved two minutes ago: by save time, fine
    assert "not saved for 10 minutes (no progress record" in page
    assert not record.exists()  # a one-off page never starts a record


def _row(page: str, name: str) -> str:
    students = page.split('<table class="students">')[1]
    return students.split(f'<th scope="row">{name}</th>')[1].split("</tr>")[0]
