"""Benchmark: scoring a million survey responses (results go in docs/benchmarks.md).

    .venv/bin/python benchmarks/bench_scoring.py            # 1,000,000 rows
    .venv/bin/python benchmarks/bench_scoring.py --rows 200000

Times, each in a fresh process (so peak memory is that part's own):
  (a) reading the CSV with pandas' pyarrow engine alone: the floor;
  (b) cxkit: import + normalise + link stages + score by stage x segment with
      intervals (what `cxkit score` does);
  (c) a naive per-row Python loop, as people write it (csv module, dicts).
Goal: (b) within 2x of (a); peak memory of (b) under 1 GB.
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

STAGES = ["Discover", "Book", "Arrive", "Stay", "Pay", "After"]
SEGMENTS = ["families", "couples", "business", "groups"]


def generate(path: Path, rows: int, seed: int = 7) -> None:
    import numpy as np
    import pandas as pd

    rng = np.random.default_rng(seed)
    nps = rng.choice(11, rows, p=[0.03, 0.02, 0.03, 0.04, 0.05, 0.08, 0.1, 0.15, 0.18, 0.17, 0.15])
    frame = pd.DataFrame(
        {
            "response_id": np.arange(1, rows + 1),
            "submitted": (
                pd.Timestamp("2024-01-01")
                + pd.to_timedelta(rng.integers(0, 365 * 24 * 3600, rows), unit="s")
            ).strftime("%Y-%m-%d %H:%M:%S"),
            "stage": np.array(STAGES)[rng.integers(0, len(STAGES), rows)],
            "segment": np.array(SEGMENTS)[rng.integers(0, len(SEGMENTS), rows)],
            "nps": pd.array(nps, dtype="Int64"),
            "csat": pd.array(rng.integers(1, 6, rows), dtype="Int64"),
            "ces": pd.array(rng.integers(1, 8, rows), dtype="Int64"),
        }
    )
    blank = rng.random(rows) < 0.02  # 2% skipped the NPS question
    frame.loc[blank, "nps"] = pd.NA
    frame.to_csv(path, index=False)


def workbook(folder: Path):
    from cxkit.workbook.model import Workbook

    return Workbook.model_validate(
        {
            "cxkit": 1,
            "client": {"name": "Bench"},
            "personas": [{"id": "guest", "name": "Guest"}],
            "journeys": [
                {
                    "id": "stay",
                    "title": "Stay",
                    "persona": "guest",
                    "stages": [{"id": s.lower(), "name": s} for s in STAGES],
                }
            ],
            "surveys": [
                {
                    "id": "bench",
                    "file": "responses.csv",
                    "journey": "stay",
                    "columns": {
                        "nps": "nps",
                        "csat": "csat",
                        "ces": "ces",
                        "stage": "stage",
                        "segment": "segment",
                        "date": "submitted",
                        "id": "response_id",
                    },
                }
            ],
        }
    )


def part_a(path: Path) -> dict:
    import pandas as pd

    frame = pd.read_csv(path, engine="pyarrow")
    return {"rows": len(frame)}


def part_b(path: Path) -> dict:
    from cxkit.scoring.scores import score
    from cxkit.surveys.responses import load_responses

    wb = workbook(path.parent)
    responses = load_responses(wb, path.parent / "workbook.yml", wb.surveys[0])
    table = score(responses, by=["stage", "segment"])
    return {
        "rows": responses.rows,
        "groups": len(table.groups) - 1,
        "nps_all": round(table.all.nps.score, 2) if table.all.nps else None,
    }


def part_c(path: Path) -> dict:
    """The loop people write: csv rows, dicts of counters, a Wald interval per group."""
    groups: dict[tuple[str, str], dict[str, float]] = {}
    with open(path, newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            g = groups.setdefault(
                (row["stage"], row["segment"]),
                {
                    "n": 0,
                    "p": 0,
                    "d": 0,
                    "cn": 0,
                    "top2": 0,
                    "csum": 0.0,
                    "en": 0,
                    "esum": 0.0,
                    "esq": 0.0,
                },
            )
            if row["nps"].strip():
                v = int(row["nps"])
                g["n"] += 1
                g["p"] += v >= 9
                g["d"] += v <= 6
            if row["csat"].strip():
                c = int(row["csat"])
                g["cn"] += 1
                g["top2"] += c >= 4
                g["csum"] += c
            if row["ces"].strip():
                e = int(row["ces"])
                g["en"] += 1
                g["esum"] += e
                g["esq"] += e * e
    out = {}
    for key, g in groups.items():
        p, d = g["p"] / g["n"], g["d"] / g["n"]
        se = math.sqrt((p + d - (p - d) ** 2) / g["n"])
        out[key] = (100 * (p - d), 100 * (p - d - 1.96 * se), 100 * (p - d + 1.96 * se))
    return {"rows": sum(int(g["cn"]) for g in groups.values()), "groups": len(out)}


def run_part(name: str, path: Path) -> None:
    fn = {"a": part_a, "b": part_b, "c": part_c}[name]
    t0 = time.perf_counter()
    # Module imports are not the work being measured: load them before the clock starts.
    if name == "a":
        import pandas  # noqa: F401
    elif name == "b":
        import cxkit.scoring.scores
        import cxkit.surveys.responses  # noqa: F401
    imports = time.perf_counter() - t0
    start = time.perf_counter()
    info = fn(path)
    seconds = time.perf_counter() - start
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"seconds": seconds, "imports": imports, "peak_mb": peak_mb, **info}))


def measure(name: str, path: Path) -> dict:
    """Run one part once in a fresh Python process."""
    proc = subprocess.run(
        [sys.executable, __file__, "--part", name, "--file", str(path)],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(proc.stdout)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--part", choices=["a", "b", "c"], help=argparse.SUPPRESS)
    ap.add_argument("--file", type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.part:
        run_part(args.part, args.file)
        return
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "responses.csv"
        t0 = time.perf_counter()
        generate(path, args.rows)
        size = path.stat().st_size / 1e6
        print(
            f"generated {args.rows:,} responses ({size:.1f} MB) in {time.perf_counter() - t0:.1f} s"
        )
        # (a) and (b) take turns, so a slow spell of this shared machine hits both alike.
        runs: dict[str, list[dict]] = {"a": [], "b": [], "c": []}
        for _ in range(args.repeat):
            for name in ("a", "b"):
                runs[name].append(measure(name, path))
        runs["c"].append(measure("c", path))  # the naive loop: once, it is slow enough
        rows = []
        for name, label in (
            ("a", "(a) pandas read_csv, pyarrow engine (floor)"),
            ("b", "(b) cxkit load_responses + score(stage x segment)"),
            ("c", "(c) naive per-row Python loop"),
        ):
            res = runs[name]
            secs = [r["seconds"] for r in res]
            rows.append(
                (
                    name,
                    label,
                    statistics.median(secs),
                    min(secs),
                    max(r["peak_mb"] for r in res),
                    res[0],
                )
            )
        pairs = [b["seconds"] / a["seconds"] for a, b in zip(runs["a"], runs["b"], strict=True)]
        floor = rows[0][2]
        print(f"\n{'part':<52} {'median s':>9} {'best s':>8} {'x floor':>8} {'peak MB':>8}")
        for _, label, med, best, peak, _info in rows:
            print(f"{label:<52} {med:>9.2f} {best:>8.2f} {med / floor:>8.2f} {peak:>8.0f}")
        b, c = rows[1], rows[2]
        print(
            f"\n(b) is {b[2] / floor:.2f}x the floor (medians; best {b[3] / rows[0][3]:.2f}x; "
            f"run by run {min(pairs):.2f}x to {max(pairs):.2f}x, median "
            f"{statistics.median(pairs):.2f}x); the naive loop is {c[2] / b[2]:.1f}x slower "
            f"than (b). (b) scored {b[5]['groups']} stage x segment groups, "
            f"overall NPS {b[5]['nps_all']}."
        )


if __name__ == "__main__":
    main()
