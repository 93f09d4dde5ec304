"""Workbook bombs: each is refused in seconds with one message naming file, limit and fix.

Every case is built at test time (``tests.hostile.builders``). Time and memory are
not asserted here beyond "it finishes" (the subprocess timeout); the figures are
measured by ``benchmarks/bench_hostile.py``.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.hostile import builders as b


def _validate(folder: Path, **kw: object) -> tuple[int, list[str]]:
    proc = b.cli("validate", folder, **kw)  # type: ignore[arg-type]
    return proc.returncode, b.lines(proc.stderr)


def test_alias_bomb_is_refused_at_the_first_anchor(tmp_path: Path) -> None:
    folder = b.alias_bomb(tmp_path / "acme")
    rc, err = _validate(folder)
    assert rc == 1
    assert err == [
        f"{folder}/workbook.yml:4: uses a YAML anchor or alias ('lol0'); a workbook never "
        "needs them, so cxkit does not read them: write the repeated value out in full",
        "1 workbook(s) with problems",
    ]


def test_a_single_alias_is_refused_too(tmp_path: Path) -> None:
    text = b.GOOD + "personas:\n  - &p {id: p, name: P}\n  - *p\n"
    folder = b.client(tmp_path / "acme", text)
    rc, err = _validate(folder)
    assert rc == 1
    assert err[0] == (
        f"{folder}/workbook.yml:5: uses a YAML anchor or alias ('p'); a workbook never "
        "needs them, so cxkit does not read them: write the repeated value out in full"
    )


def test_a_200_mb_workbook_is_refused_unread(tmp_path: Path) -> None:
    folder = b.big_yaml(tmp_path / "acme")
    rc, err = _validate(folder)
    assert rc == 1
    assert err[0] == (
        f"{folder}/workbook.yml: is 209.7 MB, over the 1 MB limit for a workbook; if it "
        "really is that large, set CXKIT_MAX_WORKBOOK_MB to more than 1 (megabytes)"
    )


def test_the_size_limit_can_be_raised(tmp_path: Path) -> None:
    folder = b.real_big_yaml(tmp_path / "acme")
    rc, err = _validate(folder)
    assert rc == 1 and "over the 1 MB limit for a workbook" in err[0]
    rc, err = _validate(folder, env={"CXKIT_MAX_WORKBOOK_MB": "10"})
    assert rc == 0, err


@pytest.mark.parametrize("builder", [b.deep_flow_yaml, b.deep_block_yaml])
def test_deep_nesting_is_a_message_not_a_recursion_error(tmp_path: Path, builder: object) -> None:
    folder = builder(tmp_path / "acme")  # type: ignore[operator]
    proc = b.cli("validate", folder)
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr and "RecursionError" not in proc.stderr
    line = b.lines(proc.stderr)[0]
    assert line.startswith(f"{folder}/workbook.yml:")
    assert line.endswith(
        ": nests deeper than 20 levels; a workbook never needs more than 9: "
        "check the indentation and the brackets"
    )


def test_deep_nesting_in_report_and_export_too(tmp_path: Path) -> None:
    folder = b.deep_flow_yaml(tmp_path / "acme")
    for args in (("export", folder, "--to", "md", "-o", tmp_path / "x.md"),):
        proc = b.cli(*args)
        assert proc.returncode == 1
        assert b.lines(proc.stderr) == [
            f"{folder}/workbook.yml:4: nests deeper than 20 levels; a workbook never needs "
            "more than 9: check the indentation and the brackets"
        ]


def test_workbook_that_is_dev_zero_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "acme"
    folder.mkdir()
    (folder / "workbook.yml").symlink_to("/dev/zero")
    rc, err = _validate(folder)
    assert rc == 1
    assert err[0] == (
        f"{folder}/workbook.yml: is not a regular file (a device, pipe or socket); "
        "a workbook must be an ordinary file"
    )


def test_workbook_that_is_a_fifo_does_not_block(tmp_path: Path) -> None:
    folder = tmp_path / "acme"
    folder.mkdir()
    b.fifo(folder / "workbook.yml")
    rc, err = _validate(folder, timeout=60)
    assert rc == 1
    assert "is not a regular file" in err[0]


def test_excel_workbook_zip_bomb_is_refused_before_a_sheet_is_read(tmp_path: Path) -> None:
    bomb = b.xlsx_bomb(tmp_path / "workbook.xlsx")  # ~2 MB on disk, a 2 GB sheet
    assert bomb.stat().st_size < 3_000_000
    rc, err = _validate(bomb)
    assert rc == 1
    assert err[0] == (
        f"{bomb}: unzips to 2147.5 MB, over the 10 MB limit for a workbook; if it really is "
        "that large, set CXKIT_MAX_WORKBOOK_MB to more than 1 (megabytes of YAML; an Excel "
        "workbook may unzip to 10 times that)"
    )
    proc = b.cli("convert", bomb, tmp_path / "out.yml")
    assert proc.returncode == 1 and b.lines(proc.stderr) == [err[0]]
    assert not (tmp_path / "out.yml").exists()


def test_excel_part_that_inflates_like_a_bomb_is_refused(tmp_path: Path) -> None:
    bomb = b.xlsx_bomb(tmp_path / "workbook.xlsx", sheet_bytes=8 * b.MB)  # under 10 MB
    rc, err = _validate(bomb)
    assert rc == 1
    [line] = err[:1]
    assert line.startswith(f"{bomb}: part 'xl/worksheets/sheet1.xml' unzips ")
    assert line.endswith(
        " times larger than it is stored (the limit is 200); that is a zip bomb, "
        "not a workbook: not read"
    )


def test_the_excel_limit_follows_the_workbook_setting(tmp_path: Path) -> None:
    bomb = b.xlsx_bomb(tmp_path / "workbook.xlsx", sheet_bytes=12 * b.MB)
    rc, err = _validate(bomb)
    assert rc == 1 and "unzips to 12.6 MB, over the 10 MB limit for a workbook" in err[0]
    rc, err = _validate(bomb, env={"CXKIT_MAX_WORKBOOK_MB": "2"})
    assert rc == 1 and "part 'xl/worksheets/sheet1.xml' unzips " in err[0]  # now the ratio


def test_an_ordinary_excel_workbook_still_reads(tmp_path: Path) -> None:
    from tests.conftest import WORKBOOKS

    xlsx = tmp_path / "workbook.xlsx"
    proc = b.cli("convert", WORKBOOKS / "valid.yml", xlsx)
    assert proc.returncode == 0, proc.stderr
    (tmp_path / "surveys").mkdir()
    (tmp_path / "surveys" / "renewal.csv").write_bytes(
        (WORKBOOKS / "surveys" / "renewal.csv").read_bytes()
    )
    proc = b.cli("validate", xlsx)
    assert proc.returncode == 0, proc.stderr


def test_long_values_are_quoted_as_a_short_excerpt(tmp_path: Path) -> None:
    secret = "S3CRET-" + "x" * 5000
    folder = b.client(tmp_path / "acme", f"cxkit: 1\nclient:\n  name: Acme\n  language: {secret}\n")
    rc, err = _validate(folder)
    assert rc == 1
    assert err[0] == (
        f"{folder}/workbook.yml:4: client.language: expected one of he, en; got "
        f"'{secret[:60]}… (5007 chars)'"
    )
    assert all(len(line) < 400 for line in err)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
def test_batch_with_a_bomb_client_finishes_and_the_good_one_renders(tmp_path: Path) -> None:
    from tests.conftest import SAMPLES

    good = SAMPLES[0].parent
    bomb = b.alias_bomb(tmp_path / "bomb-client")
    proc = b.cli(
        "batch",
        good,
        bomb,
        "-o",
        tmp_path / "out",
        "-j",
        "1",
        "--date",
        "2026-03-05",
        timeout=600,
    )
    assert proc.returncode == 1
    assert (tmp_path / "out" / f"{good.name}.html").is_file()
    assert not (tmp_path / "out" / "bomb-client.html").exists()
    assert "uses a YAML anchor or alias ('lol0')" in proc.stdout
    assert "1 of 2 report(s) failed" in proc.stderr


def test_a_valid_workbook_just_under_the_limit_is_read(tmp_path: Path) -> None:
    folder = b.many_personas(tmp_path / "acme")
    assert 900_000 < (folder / "workbook.yml").stat().st_size < 1_000_000
    proc = b.cli("validate", folder, timeout=300)
    assert proc.returncode == 0, proc.stderr


def test_yaml_tags_are_refused_and_never_run(tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    text = b.GOOD + f'  industry: !!python/object/apply:os.system ["touch {marker}"]\n'
    folder = b.client(tmp_path / "acme", text)
    rc, err = _validate(folder)
    assert rc == 1
    assert err[0] == (
        f"{folder}/workbook.yml:4: uses the YAML tag '!!python/object/apply:os.system'; a "
        "workbook never needs tags, so cxkit does not read them: remove it"
    )
    assert not marker.exists()
    plain = b.client(tmp_path / "plain", b.GOOD + "  industry: !!str Cards\n")
    rc, err = _validate(plain)
    assert rc == 1 and "uses the YAML tag '!!str'; a workbook never needs tags" in err[0]
