"""The editing session behind the forms: saves that are bounded in time, survive a
kill and a shutdown, never undo another editor, and can be undone; real processes."""

from __future__ import annotations

import difflib
import os
import shutil
import signal
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest

from cxkit.workbook.editing import EditSession
from cxkit.workbook.yamlfile import WorkbookFile, load_workbook
from tests.conftest import ROOT, SAMPLES

ENV = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONUNBUFFERED": "1"}


def _child(code: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(code)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=ENV,
        cwd=ROOT,
    )


# --------------------------------------------------------------------------- kills and exits

TYPIST = """
    import sys, time
    from cxkit.workbook.editing import EditSession
    session = EditSession.open(sys.argv[1] if len(sys.argv) > 1 else {path!r})
    pid = session.workbook.personas[0].id
    print("ready", flush=True)
    for i in range(60):  # a student typing at 80 ms a key, without a pause
        session.set_field("persona", (pid,), "name", f"Typed {{i}}")
        print(i, flush=True)
        time.sleep(0.08)
"""


def _kill_trial(path: Path, target: int) -> tuple[int, int]:
    """Kill the typist 0.6 s after its edit ``target``; return (target, edit on disk)."""
    proc = _child(TYPIST.format(path=str(path)))
    assert proc.stdout is not None
    try:
        assert proc.stdout.readline().strip() == "ready", proc.stderr.read() if proc.stderr else ""
        while True:
            line = proc.stdout.readline().strip()
            if not line:
                raise AssertionError(f"typist stopped: {proc.stderr.read() if proc.stderr else ''}")
            if int(line) == target:
                break
        time.sleep(0.6)
        proc.send_signal(signal.SIGKILL)
    finally:
        proc.kill()
        proc.wait(10)
        for stream in (proc.stdout, proc.stderr):
            if stream is not None:
                stream.close()
    name = load_workbook(path).personas[0].name
    return target, int(name.split()[-1]) if name.startswith("Typed ") else -1


def test_a_process_killed_0_6_s_after_an_edit_keeps_the_edit(valid_copy: Path) -> None:
    """Finding 3: with the old restarting timer, 12 of 20 kills lost the edit."""
    rows = [_kill_trial(valid_copy, target=3 + (trial * 7) % 17) for trial in range(20)]
    print("\ntrial  edit killed 0.6 s after  edit on disk")
    for trial, (target, on_disk) in enumerate(rows, 1):
        print(f"{trial:5}  {target:23}  {on_disk:12}")
    lost = [(t, d) for t, d in rows if d < t]
    assert not lost, f"{len(lost)} of 20 kills lost the edit: {lost}"
    load_workbook(valid_copy)  # and the file is whole


def test_a_normal_exit_writes_the_pending_edit(valid_copy: Path) -> None:
    proc = _child(
        f"""
        from cxkit.workbook.editing import EditSession
        session = EditSession.open({str(valid_copy)!r}, max_wait=60)
        session.set_field("persona", ("busy-traveller",), "name", "Written at exit")
        assert session.dirty
        """
    )
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err
    assert load_workbook(valid_copy).persona("busy-traveller").name == "Written at exit"


def test_a_kernel_shutdown_writes_the_pending_edit(valid_copy: Path) -> None:
    """Finding 3: "a normal kernel shutdown with an edit pending loses it too"."""
    from jupyter_client.manager import KernelManager

    km = KernelManager(kernel_name="python3")
    km.start_kernel(env=ENV, cwd=str(ROOT))
    client = km.client()
    client.start_channels()
    try:
        client.wait_for_ready(timeout=60)
        reply = client.execute_interactive(
            "from cxkit.widgets import journey_mapper\n"
            f"form = journey_mapper({str(valid_copy)!r}, max_wait=60)\n"
            "form.tp_fields['emotion'].field.value = 2\n"
            "assert form.session.dirty\n",
            timeout=60,
        )
        assert reply["content"]["status"] == "ok", reply["content"]
        assert load_workbook(valid_copy).journey("renewal").stages[0].touchpoints[0].emotion == -1
    finally:
        client.stop_channels()
        km.shutdown_kernel(now=False)  # what JupyterLab and Voila's culler ask for
    assert load_workbook(valid_copy).journey("renewal").stages[0].touchpoints[0].emotion == 2


# --------------------------------------------------------------------------- bounded latency


def test_saves_keep_coming_while_typing_continues(valid_copy: Path) -> None:
    """A deadline from the first unsaved edit, not a timer each keystroke restarts."""
    session = EditSession(WorkbookFile.load(valid_copy), max_wait=0.3)
    writes: set[float] = set()  # the times of the writes (the status says "saving..." between)

    def watch(s: EditSession) -> None:
        if s.status.saved_at is not None:
            writes.add(s.status.saved_at)

    session.listeners.append(watch)
    for i in range(25):  # 2 s of typing, never a pause as long as the wait
        session.set_field("persona", ("busy-traveller",), "name", f"Typed {i}")
        time.sleep(0.08)
    assert len(writes) >= 3  # a restarting timer would not have saved at all yet
    session.flush()
    assert load_workbook(valid_copy).persona("busy-traveller").name == "Typed 24"


# --------------------------------------------------------------------------- many editors


def test_two_sessions_on_a_file_never_undo_each_other(valid_copy: Path) -> None:
    """Finding 2: an emotion changed in one form was reverted on disk by the other."""
    one = EditSession(WorkbookFile.load(valid_copy), max_wait=0)
    two = EditSession(WorkbookFile.load(valid_copy), max_wait=0)  # as another kernel has
    tp = ("renewal", "notice", "renewal-letter")
    assert two.set_field("touchpoint", tp, "emotion", 2) == []
    assert one.set_field("touchpoint", tp, "owner", "Cards team") == []
    saved = load_workbook(valid_copy).journey("renewal").stages[0].touchpoints[0]
    assert (saved.emotion, saved.owner) == (2, "Cards team")
    assert one.workbook.journey("renewal").stages[0].touchpoints[0].emotion == 2
    # Both change the same field: the file keeps the first, the second is told both.
    assert one.set_field("touchpoint", tp, "name", "Letter (one)") == []
    assert two.set_field("touchpoint", tp, "name", "Letter (two)") == []
    assert load_workbook(valid_copy).journey("renewal").stages[0].touchpoints[0].name == (
        "Letter (one)"
    )
    [conflict] = two.conflicts
    assert (conflict.mine, conflict.theirs) == ("Letter (two)", "Letter (one)")
    assert conflict.at[-1] == "name"
    # The second editor chooses its own version: an edit like any other (and undoable).
    assert two.settle(keep_mine=True) == []
    assert load_workbook(valid_copy).journey("renewal").stages[0].touchpoints[0].name == (
        "Letter (two)"
    )
    two.undo()
    assert load_workbook(valid_copy).journey("renewal").stages[0].touchpoints[0].name == (
        "Letter (one)"
    )


def test_concurrent_sessions_in_two_processes_keep_both(valid_copy: Path) -> None:
    code = """
        import sys, time
        from cxkit.workbook.editing import EditSession
        session = EditSession.open(sys.argv[1], max_wait=0.05)
        who, field = sys.argv[2], sys.argv[3]
        for i in range(30):
            problems = session.set_field("persona", (who,), field, f"{who} {i}")
            assert not problems, problems
            time.sleep(0.02)
        session.flush()
        assert session.status.state == "saved", session.status
        print(len(session.conflicts))
    """
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", textwrap.dedent(code), str(valid_copy), who, field],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=ENV,
        )
        for who, field in (("busy-traveller", "segment"), ("retiree", "quote"))
    ]
    for proc in procs:
        out, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err
        assert out.strip() == "0"  # different fields: no conflict
    wb = load_workbook(valid_copy)
    assert wb.persona("busy-traveller").segment == "busy-traveller 29"
    assert wb.persona("retiree").quote == "retiree 29"


# --------------------------------------------------------------------------- undo / redo


def test_undo_and_redo(valid_copy: Path) -> None:
    session = EditSession(WorkbookFile.load(valid_copy), max_wait=0)
    for text in ("B", "Bu", "Bus"):  # one burst of typing: one undo step
        session.set_field("persona", ("retiree",), "name", text)
    session.delete("stage", ("renewal", "notice"))
    assert [s.id for s in load_workbook(valid_copy).journey("renewal").stages] == ["onboarding"]
    session.undo()
    journey = load_workbook(valid_copy).journey("renewal")
    assert [s.id for s in journey.stages] == ["notice", "onboarding"]
    assert journey.opportunities[0].touchpoints == ["renewal-letter"]
    session.undo()
    assert load_workbook(valid_copy).persona("retiree").name == "Retiree"
    assert session.undo_steps == []
    session.redo()
    assert load_workbook(valid_copy).persona("retiree").name == "Bus"
    session.redo()
    assert [s.id for s in load_workbook(valid_copy).journey("renewal").stages] == ["onboarding"]


def test_undo_does_not_undo_another_editors_change(valid_copy: Path) -> None:
    mine = EditSession(WorkbookFile.load(valid_copy), max_wait=0)
    mine.set_field("persona", ("retiree",), "name", "Mine")
    other = EditSession(WorkbookFile.load(valid_copy), max_wait=0)
    other.set_field("persona", ("retiree",), "name", "Theirs")
    mine.sync()
    conflicts = mine.undo()
    assert [c.theirs for c in conflicts] == ["Theirs"]
    assert load_workbook(valid_copy).persona("retiree").name == "Theirs"


# --------------------------------------------------------------------------- the YAML


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda p: p.parent.name)
def test_untouched_lines_stay_byte_identical(sample: Path, tmp_path: Path) -> None:
    """Finding 9: the first save re-wrapped every untouched line over 100 characters."""
    path = tmp_path / "workbook.yml"
    shutil.copy(sample, path)
    before = path.read_bytes().decode("utf-8").splitlines(keepends=True)
    session = EditSession(WorkbookFile.load(path), max_wait=0)
    persona = session.workbook.personas[0].id
    assert session.set_field("persona", (persona,), "name", "Renamed") == []
    after = path.read_bytes().decode("utf-8").splitlines(keepends=True)
    changed = [
        line
        for line in difflib.ndiff(before, after)
        if line.startswith(("- ", "+ ")) and "name:" not in line
    ]
    assert changed == []
    assert max(len(x.encode()) for x in before) > 100  # the sample has long lines to keep


def test_saving_from_a_thread_while_editing_is_consistent(valid_copy: Path) -> None:
    session = EditSession(WorkbookFile.load(valid_copy), max_wait=0.01)
    errors: list[BaseException] = []

    def type_in(who: str) -> None:
        try:
            for i in range(40):
                session.set_field("persona", (who,), "segment", f"{who} {i}")
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=type_in, args=(w,)) for w in ("retiree", "busy-traveller")]
    for th in threads:
        th.start()
    for th in threads:
        th.join(60)
    session.flush()
    assert errors == []
    wb = load_workbook(valid_copy)
    assert (wb.persona("retiree").segment, wb.persona("busy-traveller").segment) == (
        "retiree 39",
        "busy-traveller 39",
    )
