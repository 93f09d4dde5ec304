"""``cxkit batch`` gives each client a time limit: one over it is stopped (its kernel
killed) and reported, and the others finish."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import nbformat

from tests.conftest import ROOT, SAMPLES
from tests.hostile import builders as b


def _sleepy_notebook(path: Path) -> Path:
    """A report notebook stand-in: the same parameters; a client named 'slow' never ends."""
    nb = nbformat.v4.new_notebook()
    params = nbformat.v4.new_code_cell(
        "workbook = None\nlanguage = None\njourneys = []\nreport_date = None"
    )
    params.metadata["tags"] = ["parameters"]
    body = nbformat.v4.new_code_cell(
        "import time\nif '/slow/' in workbook:\n    time.sleep(3600)\nprint('done')"
    )
    nb.cells = [params, body]
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    nbformat.write(nb, str(path))
    return path


def test_a_client_over_the_limit_is_stopped_and_the_others_finish(tmp_path: Path) -> None:
    notebook = _sleepy_notebook(tmp_path / "sleepy.ipynb")
    slow, fast = b.client(tmp_path / "slow"), b.client(tmp_path / "fast")
    script = textwrap.dedent(
        f"""
        import json, time
        from cxkit.report.batch import render_batch
        start = time.monotonic()
        results = render_batch(
            [{str(slow)!r}, {str(fast)!r}], {str(tmp_path / "out")!r},
            jobs=1, time_limit=10, notebook={str(notebook)!r},
        )
        print(json.dumps({{
            "seconds": time.monotonic() - start,
            "results": [[r.client, r.status, r.error] for r in results],
        }}))
        """
    )
    proc = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT)},
        timeout=600,  # the slow client alone would take an hour
    )
    assert proc.returncode == 0, proc.stderr
    import json

    report = json.loads(proc.stdout.strip().splitlines()[-1])
    assert report["results"] == [
        [
            "slow",
            "failed",
            "stopped: over the 10 s time limit for one client "
            "(raise it with `cxkit batch --timeout SECONDS`)",
        ],
        ["fast", "ok", None],
    ]
    assert (tmp_path / "out" / "fast.html").is_file()
    assert "Timeout waiting for execute reply" not in proc.stderr


def test_batch_timeout_option_reports_the_client(tmp_path: Path) -> None:
    sample = SAMPLES[0].parent
    proc = b.cli("batch", sample, "-o", tmp_path / "out", "-j", "1", "--timeout", "1", timeout=300)
    assert proc.returncode == 1
    # the sample is a Hebrew workbook: its failure is said in Hebrew
    assert "נעצר: עבר את מגבלת הזמן ללקוח אחד (1 s)" in proc.stdout
    assert "דוח אחד מתוך 1 נכשל" in proc.stderr
    assert not (tmp_path / "out" / f"{sample.name}.html").exists()


def test_batch_timeout_must_be_positive(tmp_path: Path) -> None:
    proc = b.cli("batch", SAMPLES[0].parent, "--timeout", "0")
    assert proc.returncode == 2
    assert "--timeout" in proc.stderr
