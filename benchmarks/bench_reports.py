"""Benchmark: the naive report loop against ``cxkit batch``, in one run, on the same clients.

Naive: per client, in sequence, the ``papermill`` CLI then the ``jupyter nbconvert
--to html --no-input`` CLI. cxkit: one ``cxkit batch`` over the same clients. Also a
single cold ``cxkit report``, and report size/time for a client with 1k vs 1M survey
responses (``--rows``). Prints one line per measure; no assertions (see docs).

    .venv/bin/python benchmarks/bench_reports.py --clients 20 [--rows] [--skip-naive]
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
NOTEBOOK = ROOT / "notebooks" / "04_journey_report.ipynb"
RUNNER = (
    "import typer; from cxkit.cli.report import register\n"
    "app = typer.Typer(); register(app)\n"
    "@app.callback()\ndef main() -> None: pass\n"
    "app()"
)


def make_clients(root: Path, n: int) -> list[Path]:
    samples = sorted((ROOT / "data" / "samples").glob("*/workbook.yml"))
    out = []
    for i in range(n):
        src = samples[i % len(samples)].parent
        dst = root / f"{src.name}-{i:02d}"
        shutil.copytree(src, dst)
        out.append(dst)
    return out


def run(cmd: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, check=True, capture_output=True, cwd=ROOT)
    return time.perf_counter() - start


def naive(clients: list[Path], out: Path) -> float:
    start = time.perf_counter()
    for c in clients:
        nb = out / f"{c.name}.ipynb"
        run(
            [
                str(BIN / "papermill"),
                str(NOTEBOOK),
                str(nb),
                "-p",
                "workbook",
                str(c / "workbook.yml"),
                "-p",
                "report_date",
                "2026-03-05",
                "-k",
                "python3",
            ]
        )
        run([str(BIN / "jupyter"), "nbconvert", "--to", "html", "--no-input", str(nb)])
    return time.perf_counter() - start


def cxkit(*args: str) -> float:
    return run([sys.executable, "-c", RUNNER, *args])


def sizes(folder: Path) -> tuple[float, float]:
    s = [p.stat().st_size / 1e6 for p in folder.glob("*.html")]
    return (sum(s) / len(s), max(s)) if s else (0.0, 0.0)


def rows_client(root: Path, rows: int) -> Path:
    """The pension sample with a generic survey of ``rows`` synthetic responses."""
    dst = root / f"rows-{rows}"
    shutil.copytree(ROOT / "data" / "samples" / "pension-withdrawal", dst)
    rng = np.random.default_rng(1)
    stages = ["explore", "apply", "duplicate", "wait", "payout"]
    pd.DataFrame(
        {
            "nps": rng.integers(0, 11, rows),
            "csat": rng.integers(1, 6, rows),
            "stage": rng.choice(stages, rows),
            "comment": np.where(rng.random(rows) < 0.05, "slow and unclear", ""),
        }
    ).to_csv(dst / "surveys" / "big.csv", index=False)
    wb = (dst / "workbook.yml").read_text("utf-8")
    wb = wb[: wb.index("surveys:\n  #")] + (
        "surveys:\n  - id: big\n    file: surveys/big.csv\n    format: generic\n"
        "    journey: withdrawal-current\n"
        "    columns: {nps: nps, csat: csat, stage: stage, comment: comment}\n"
        "    csat_scale: {min: 1, max: 5}\n"
    )
    (dst / "workbook.yml").write_text(wb, "utf-8")
    return dst


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--clients", type=int, default=20)
    ap.add_argument("--jobs", type=int, default=None, help="default: cxkit batch's own default")
    ap.add_argument("--skip-naive", action="store_true")
    ap.add_argument("--rows", action="store_true", help="also compare 1k vs 1M responses")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        clients = make_clients(root / "clients", args.clients)
        (root / "naive").mkdir()
        t_cold = cxkit("report", str(clients[0]), "-o", str(root / "cold"), "--date", "2026-03-05")
        print(f"single cold `cxkit report`: {t_cold:.1f} s")
        t_batch = cxkit(
            "batch",
            *map(str, clients),
            "-o",
            str(root / "batch"),
            *(["-j", str(args.jobs)] if args.jobs else []),
            "--date",
            "2026-03-05",
        )
        avg, big = sizes(root / "batch")
        print(
            f"cxkit batch -j {args.jobs or 'default'}, {args.clients} clients: {t_batch:.1f} s "
            f"({t_batch / args.clients:.2f} s/report); size avg {avg:.2f} MB, max {big:.2f} MB"
        )
        if not args.skip_naive:
            t_naive = naive(clients, root / "naive")
            avg, big = sizes(root / "naive")
            print(
                f"naive papermill+nbconvert CLIs: {t_naive:.1f} s "
                f"({t_naive / args.clients:.2f} s/report); size avg {avg:.2f} MB"
            )
            print(f"speed-up: {t_naive / t_batch:.1f}x")
        if args.rows:
            small, large = rows_client(root, 1_000), rows_client(root, 1_000_000)
            for c in (small, large):
                t = cxkit("report", str(c), "-o", str(root / "rows"), "--date", "2026-03-05")
                size = (root / "rows" / f"{c.name}.html").stat().st_size / 1e6
                print(f"{c.name}: {t:.1f} s, {size:.2f} MB")


if __name__ == "__main__":
    main()
