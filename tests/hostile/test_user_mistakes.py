"""User mistakes get one line naming what was wrong and what to do, never a traceback.

One table: the command a user types (run in a folder holding a valid client ``acme``
with brand ``#abc``, a plain file ``afile`` and a folder nobody may write to), the
exit code and the exact message.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.hostile import builders as b

ACME = """cxkit: 1
client:
  name: Acme
  brand: {primary: "#abc"}
personas: [{id: p, name: P}]
journeys:
  - id: j
    title: J
    persona: p
    stages:
      - id: s
        name: S
        touchpoints:
          - {id: t, name: T, channel: web, emotion: -1}
"""

#: A folder this process cannot write: root ignores file modes, but not sysfs.
LOCKED = "/sys/cxkit-out" if os.geteuid() == 0 else "locked/cxkit-out"

# (command, exit code, the exact lines on stderr; {locked} is LOCKED)
CASES = [
    (["export", "acme", "--to", "xlsx", "-o", "out/acme.xlsx"], 0, []),
    (
        ["export", "acme", "--to", "md", "--date", "31/12/2026"],
        1,
        [
            "--date: '31/12/2026' is not a date in the form YYYY-MM-DD; "
            "write it like 2026-12-31 (year-month-day)"
        ],
    ),
    (
        ["report", "acme", "--date", "2026-13-01"],
        1,
        ["--date: '2026-13-01' is not a date in the form YYYY-MM-DD; write it like 2026-03-05"],
    ),
    (
        ["report", "acme", "-o", "afile"],
        1,
        [
            "afile: is a file; -o takes a folder for the reports (each is named after its "
            "client), e.g. -o reports"
        ],
    ),
    (
        ["batch", "acme", "-o", "afile"],
        1,
        [
            "afile: is a file; -o takes a folder for the reports (each is named after its "
            "client), e.g. -o reports"
        ],
    ),
    (
        ["export", "acme", "--to", "md", "-o", "afile/x.md"],
        1,
        [
            "afile/x.md: cannot write here: 'afile' is a file, not a folder; choose another "
            "output path"
        ],
    ),
    (
        ["export", "acme", "--to", "md", "-o", "{locked}/x.md"],
        1,
        ["{locked}/x.md: cannot write here: permission denied; choose a folder you can write to"],
    ),
    (
        ["export", "acme", "--to", "xlsx", "-o", "{locked}/x.xlsx"],
        1,
        ["{locked}/x.xlsx: cannot write here: permission denied; choose a folder you can write to"],
    ),
    (
        ["convert", "acme", "{locked}/x.xlsx"],
        1,
        ["{locked}/x.xlsx: cannot write here: permission denied; choose a folder you can write to"],
    ),
    (
        ["report", "acme", "-o", "{locked}"],
        1,
        ["{locked}: cannot write here: permission denied; choose a folder you can write to"],
    ),
    (
        ["schema", "-o", "{locked}/schema.json"],
        1,
        [
            "{locked}/schema.json: cannot write here: permission denied; choose a folder you "
            "can write to"
        ],
    ),
    (
        ["convert", "acme", "afile"],
        1,
        ["error: afile: unknown output type ''; use .xlsx or .yml"],
    ),
    (
        ["validate", "deep"],
        1,
        [
            "deep/workbook.yml:4: nests deeper than 20 levels; a workbook never needs more "
            "than 9: check the indentation and the brackets",
            "1 workbook(s) with problems",
        ],
    ),
    (
        ["export", "deep", "--to", "md"],
        1,
        [
            "{cwd}/deep/workbook.yml:4: nests deeper than 20 levels; a workbook never "
            "needs more than 9: check the indentation and the brackets"
        ],
    ),
]


@pytest.fixture
def desk(tmp_path: Path) -> Path:
    b.client(tmp_path / "acme", ACME)
    b.deep_flow_yaml(tmp_path / "deep", depth=5_000)
    (tmp_path / "afile").write_text("not a folder\n", "utf-8")
    if not LOCKED.startswith("/"):
        (tmp_path / LOCKED).mkdir(parents=True)
        (tmp_path / LOCKED).chmod(0o500)
    return tmp_path


@pytest.mark.parametrize(("args", "code", "expected"), CASES, ids=[" ".join(c[0]) for c in CASES])
def test_user_mistake_gets_one_clear_line(
    desk: Path, args: list[str], code: int, expected: list[str]
) -> None:
    argv = [a.format(locked=LOCKED) for a in args]
    proc = b.cli(*argv, cwd=desk, timeout=300)
    assert "Traceback" not in proc.stderr
    assert b.lines(proc.stderr) == [e.format(locked=LOCKED, cwd=desk) for e in expected]
    assert proc.returncode == code


def test_brand_shorthand_colour_reaches_the_excel_header(desk: Path) -> None:
    from openpyxl import load_workbook

    assert b.cli("export", "acme", "--to", "xlsx", "-o", "x.xlsx", cwd=desk).returncode == 0
    from cxkit.charts.base import contrast, readable
    from cxkit.report.sections import PAGE_GREY

    ws = load_workbook(desk / "x.xlsx").worksheets[0]
    # #abc is #aabbcc: the report darkens it (hue kept) to carry text on its greyest panel
    expected = readable("#aabbcc", PAGE_GREY)
    assert expected != "#aabbcc" and contrast(expected, "#ffffff") >= 4.5
    assert ws["A1"].fill.fgColor.rgb == "00" + expected.lstrip("#").upper()


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads every file whatever its mode")
def test_an_unreadable_workbook_is_one_problem_and_the_others_still_validate(
    desk: Path,
) -> None:
    locked = b.client(desk / "locked-client", ACME)
    (locked / "workbook.yml").chmod(0)
    proc = b.cli("validate", "locked-client", "acme", cwd=desk)
    assert proc.returncode == 1
    assert b.lines(proc.stderr) == [
        "locked-client/workbook.yml: cannot be read: permission denied",
        "1 workbook(s) with problems",
    ]
