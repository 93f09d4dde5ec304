"""Benchmark: time and peak memory of cxkit refusing each hostile input (issue 11).

Builds every case with ``tests.hostile.builders`` in a temporary folder, runs the real
command under ``/usr/bin/time`` (wall seconds, peak resident memory of the process
tree's largest member) and prints one line per case. No assertions: the hostile tests
check the outcomes; this measures them (results in docs/benchmarks.md).

    .venv/bin/python benchmarks/bench_hostile.py [--skip-batch]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.hostile import builders as b  # noqa: E402

SAMPLE = sorted((ROOT / "data" / "samples").glob("*/workbook.yml"))[0].parent


def measure(args: list[str | Path], cwd: Path) -> tuple[float, float, int, str]:
    """(seconds, peak MB, exit code, first line of stderr) of one cxkit run."""
    stats = cwd / ".time"
    cmd = ["/usr/bin/time", "-o", str(stats), "-f", "%e %M", sys.executable, "-m", "cxkit"]
    env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT), "COLUMNS": "200"}
    proc = subprocess.run(
        [*cmd, *map(str, args)], capture_output=True, text=True, cwd=cwd, env=env, timeout=900
    )
    seconds, kb = stats.read_text().split()[-2:]
    first = next((line for line in proc.stderr.splitlines() if line.strip()), "")
    return float(seconds), int(kb) / 1024, proc.returncode, first


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--skip-batch", action="store_true", help="skip the batch case")
    opts = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="cxkit-hostile-") as tmp:
        root = Path(tmp)

        def dev_zero(folder: Path) -> Path:
            folder.mkdir()
            (folder / "workbook.yml").symlink_to("/dev/zero")
            return folder

        def fifo(folder: Path) -> Path:
            folder.mkdir()
            b.fifo(folder / "workbook.yml")
            return folder

        def environ(folder: Path) -> Path:
            return b.client(
                folder,
                b.GOOD + "surveys:\n  - id: s\n    file: /proc/self/environ\n"
                "    columns: {nps: x}\n",
            )

        cases: list[tuple[str, Callable[[Path], Path], list[str]]] = [
            ("baseline: validate a sample", lambda f: SAMPLE, ["validate"]),
            ("valid workbook just under 1 MB", b.many_personas, ["validate"]),
            (
                "valid Excel workbook, 9 MB unzipped",
                lambda f: b.many_personas_xlsx(f.with_suffix(".xlsx")),
                ["validate"],
            ),
            ("alias bomb (10^9 strings)", b.alias_bomb, ["validate"]),
            ("200 MB workbook.yml", b.big_yaml, ["validate"]),
            ("6 MB workbook.yml (real text)", b.real_big_yaml, ["validate"]),
            ("nesting 100,000 deep (flow)", b.deep_flow_yaml, ["validate"]),
            ("nesting 1,000 deep (block)", b.deep_block_yaml, ["validate"]),
            ("xlsx bomb, 2 GB sheet", lambda f: b.xlsx_bomb(f.with_suffix(".xlsx")), ["validate"]),
            (
                "xlsx part inflating 1000x (8 MB)",
                lambda f: b.xlsx_bomb(f.with_suffix(".xlsx"), 8 * b.MB),
                ["validate"],
            ),
            ("workbook.yml -> /dev/zero", dev_zero, ["validate"]),
            ("workbook.yml is a FIFO", fifo, ["validate"]),
            ("survey file: /proc/self/environ", environ, ["score"]),
        ]
        print(f"{'case':40} {'seconds':>8} {'peak MB':>8} {'exit':>4}  message")
        for i, (name, build, command) in enumerate(cases):
            target = build(root / f"case{i}")
            seconds, mb, rc, first = measure([*command, target], root)
            print(f"{name:40} {seconds:8.2f} {mb:8.1f} {rc:4}  {first[:90]}")
        if not opts.skip_batch:
            bomb = b.alias_bomb(root / "bomb-client")
            out = root / "out"
            seconds, mb, rc, first = measure(
                ["batch", SAMPLE, bomb, "-o", out, "-j", "1", "--date", "2026-03-05"], root
            )
            ok = (out / f"{SAMPLE.name}.html").is_file()
            print(
                f"{'batch: a sample + an alias bomb, -j 1':40} {seconds:8.2f} {mb:8.1f} {rc:4}  "
                f"{first[:60]} (sample rendered: {ok})"
            )
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs")


if __name__ == "__main__":
    main()
