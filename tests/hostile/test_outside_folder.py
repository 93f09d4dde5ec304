"""A workbook's ``logo`` and survey ``file`` stay inside its client folder.

Twelve ways out (``../``, absolute paths, symlinked files and folders, ``/proc``):
``validate`` names each one, ``score`` and the report read none of them, and a
user who keeps exports elsewhere opts in with ``cxkit --allow-folder DIR``.
"""

from __future__ import annotations

import base64
import json
from pathlib import Path

import pytest

from tests.hostile import builders as b

# The smallest valid PNG (1x1, transparent) and an SVG, written at test time.
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="
)
SVG = b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="8" height="8"/>\n'
SECRET = "OUTSIDE-SECRET-COMMENT"


def workbook_text(logo: str | None = None, file: str | None = None) -> str:
    text = "cxkit: 1\nclient:\n  name: Acme\n"
    text += f"  brand:\n    logo: {json.dumps(logo)}\n" if logo else "  brand: {}\n\n"
    if file:
        text += (
            f"surveys:\n  - id: s\n    file: {json.dumps(file)}\n"
            "    columns: {nps: score, comment: comment}\n"
        )
    return text


@pytest.fixture
def world(tmp_path: Path) -> dict[str, Path]:
    """A client folder and, beside it, a folder of files it must not reach."""
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "logo.png").write_bytes(PNG)
    (outside / "export.csv").write_text(f"score,comment\n2,{SECRET}\n9,fine\n", "utf-8")
    acme = tmp_path / "clients" / "acme"
    (acme / "surveys").mkdir(parents=True)
    (acme / "link.png").symlink_to(outside / "logo.png")
    (acme / "surveys" / "link.csv").symlink_to(outside / "export.csv")
    (acme / "assets").symlink_to(outside, target_is_directory=True)
    return {"acme": acme, "outside": outside}


def _message(acme: Path, name: str, target: Path, via: bool) -> str:
    lead = f" (it leads to {target})" if via else ""
    return (
        f"'{name}' is outside the client folder{lead}; only files inside {acme} are read. "
        f"Move the file into the client folder, or allow its folder with "
        f"`cxkit --allow-folder {target.parent} ...` (or CXKIT_ALLOWED_FOLDERS)"
    )


# (field, name as written, where it really leads relative to `outside`, through a symlink?)
CASES = [
    ("logo", "../../elsewhere/logo.png", "logo.png", False),
    ("logo", "{outside}/logo.png", "logo.png", False),
    ("logo", "link.png", "logo.png", True),
    ("logo", "assets/logo.png", "logo.png", True),
    ("logo", "/proc/self/environ", None, True),
    ("logo", "surveys/../../../elsewhere/logo.png", "logo.png", False),
    ("file", "../../elsewhere/export.csv", "export.csv", False),
    ("file", "{outside}/export.csv", "export.csv", False),
    ("file", "surveys/link.csv", "export.csv", True),
    ("file", "assets/export.csv", "export.csv", True),
    ("file", "/proc/self/environ", None, True),
    ("file", "/etc/passwd", "/etc/passwd", False),
]


@pytest.mark.parametrize(("field", "name", "leads_to", "via"), CASES)
def test_validate_names_every_way_out(
    world: dict[str, Path], field: str, name: str, leads_to: str | None, via: bool
) -> None:
    acme, outside = world["acme"], world["outside"]
    name = name.format(outside=outside)
    logo, file = (name, None) if field == "logo" else (None, name)
    (acme / "workbook.yml").write_text(workbook_text(logo, file), "utf-8")
    proc = b.cli("validate", acme, env={"CXKIT_TEST_SECRET": SECRET})
    assert proc.returncode == 1
    err = b.lines(proc.stderr)
    if leads_to is None:  # /proc/self/environ: the process id differs run to run
        target = None
        assert err[0].startswith(f"{acme}/workbook.yml:")
        assert "is outside the client folder (it leads to /proc/" in err[0]
    else:
        target = Path(leads_to) if leads_to.startswith("/") else outside / leads_to
        where = "5: client.brand.logo" if field == "logo" else "8: surveys[0].file"
        assert err[0] == f"{acme}/workbook.yml:{where}: " + _message(acme, name, target, via)
    assert err[-1] == "1 workbook(s) with problems"
    assert SECRET not in proc.stdout + proc.stderr


@pytest.mark.parametrize(
    "name", [c[1] for c in CASES if c[0] == "file"], ids=lambda n: n.replace("/", "|")
)
def test_score_reads_nothing_from_outside(world: dict[str, Path], name: str) -> None:
    acme, outside = world["acme"], world["outside"]
    name = name.format(outside=outside)
    (acme / "workbook.yml").write_text(workbook_text(file=name), "utf-8")
    proc = b.cli("score", acme, "--json", env={"CXKIT_TEST_SECRET": SECRET})
    assert proc.returncode == 1
    assert proc.stdout == ""
    [line] = b.lines(proc.stderr)
    assert line.startswith(f"{acme}/workbook.yml: surveys[0].file: '{name}' is outside")
    assert SECRET not in proc.stderr


def test_report_cover_embeds_no_outside_logo(world: dict[str, Path]) -> None:
    from cxkit.report.sections import _logo_uri

    acme, outside = world["acme"], world["outside"]
    leaked = base64.b64encode(PNG).decode()
    for name, *_ in (c[1:] for c in CASES if c[0] == "logo"):
        name = name.format(outside=outside)
        assert _logo_uri(acme / "workbook.yml", name) is None, name
    (acme / "inside.png").write_bytes(PNG)
    assert _logo_uri(acme / "workbook.yml", "inside.png") == f"data:image/png;base64,{leaked}"


def test_report_through_the_cli_leaves_a_symlinked_logo_out(
    world: dict[str, Path], tmp_path: Path
) -> None:
    acme = world["acme"]
    (acme / "workbook.yml").write_text(workbook_text(logo="link.png"), "utf-8")
    out = tmp_path / "reports"
    proc = b.cli("report", acme, "-o", out, "--date", "2026-03-05", timeout=300)
    assert proc.returncode == 0, proc.stderr
    html = (out / "acme.html").read_text("utf-8")
    assert base64.b64encode(PNG).decode() not in html
    assert 'class="cx-logo"' not in html


def test_allow_folder_opts_in(world: dict[str, Path]) -> None:
    acme, outside = world["acme"], world["outside"]
    (acme / "workbook.yml").write_text(
        workbook_text(logo="assets/logo.png", file=f"{outside}/export.csv"), "utf-8"
    )
    assert b.cli("validate", acme).returncode == 1
    proc = b.cli("--allow-folder", outside, "validate", acme)
    assert proc.returncode == 0, proc.stderr
    proc = b.cli("--allow-folder", outside, "score", acme, "--json")
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["groups"][0]["n"] == 2
    proc = b.cli("score", acme, "--json", env={"CXKIT_ALLOWED_FOLDERS": str(outside)})
    assert proc.returncode == 0, proc.stderr


def test_allow_folder_must_be_a_folder(world: dict[str, Path]) -> None:
    proc = b.cli("--allow-folder", world["outside"] / "nope", "validate", world["acme"])
    assert proc.returncode == 2
    assert "'" + str(world["outside"] / "nope") + "' is not a folder" in proc.stderr


# --------------------------------------------------------------------------- logo bytes


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"<html><script>alert(1)</script></html>", "not-an-image"),
        (b"\x89PNG\r\n\x1a\n" + b"\0" * 500_000, "too-large"),
        (PNG, None),
        (SVG, None),
        (b"GIF89a" + b"\0" * 20, None),
        (b"RIFF\x10\0\0\0WEBPVP8 ", None),
        (b"\xff\xd8\xff\xe0" + b"\0" * 20, None),
    ],
    ids=["html-named-png", "too-large", "png", "svg", "gif", "webp", "jpeg"],
)
def test_a_logo_is_an_image_by_its_bytes(
    world: dict[str, Path], content: bytes, expected: str | None
) -> None:
    acme = world["acme"]
    (acme / "logo.png").write_bytes(content)
    (acme / "workbook.yml").write_text(workbook_text(logo="logo.png"), "utf-8")
    proc = b.cli("validate", acme)
    err = b.lines(proc.stderr)
    if expected is None:
        assert proc.returncode == 0, proc.stderr
        return
    assert proc.returncode == 1
    head = f"{acme}/workbook.yml:5: client.brand.logo: 'logo.png' "
    if expected == "not-an-image":
        assert err[0] == head + (
            "is not an image: a logo must be a PNG, JPEG, GIF, WebP or SVG file "
            "(checked by its contents, not its name)"
        )
    else:
        assert err[0] == head + "is 0.5 MB, over the 0.4 MB limit for a logo; use a smaller image"


def test_svg_logo_is_only_an_img_source(world: dict[str, Path]) -> None:
    from cxkit.report.sections import _logo_uri

    acme = world["acme"]
    (acme / "logo.svg").write_bytes(SVG)
    uri = _logo_uri(acme / "workbook.yml", "logo.svg")
    assert uri == "data:image/svg+xml;base64," + base64.b64encode(SVG).decode()
    from tests.conftest import ROOT

    cover = ROOT / "cxkit" / "report" / "templates" / "partials" / "cover.html.j2"
    assert '<img class="cx-logo" src="{{ logo }}"' in cover.read_text("utf-8")


def test_survey_file_that_is_a_fifo_is_refused_without_blocking(world: dict[str, Path]) -> None:
    acme = world["acme"]
    b.fifo(acme / "surveys" / "pipe.csv")
    (acme / "workbook.yml").write_text(workbook_text(file="surveys/pipe.csv"), "utf-8")
    proc = b.cli("validate", acme, timeout=60)
    assert proc.returncode == 1
    assert b.lines(proc.stderr)[0] == (
        f"{acme}/workbook.yml:8: surveys[0].file: 'surveys/pipe.csv' is not a regular file "
        "(a device, pipe or socket); a survey export must be an ordinary file"
    )
    proc = b.cli("score", acme, timeout=60)
    assert proc.returncode == 1
    assert b.lines(proc.stderr) == [
        f"{acme}/workbook.yml: surveys[0].file: {acme}/surveys/pipe.csv: is not a regular file "
        "(a device, pipe or socket); a survey export must be an ordinary file"
    ]


def test_allow_folder_reaches_the_report_kernel(world: dict[str, Path], tmp_path: Path) -> None:
    acme, outside = world["acme"], world["outside"]
    (acme / "workbook.yml").write_text(workbook_text(logo="link.png"), "utf-8")
    out = tmp_path / "reports"
    proc = b.cli(
        "--allow-folder", outside, "report", acme, "-o", out, "--date", "2026-03-05", timeout=300
    )
    assert proc.returncode == 0, proc.stderr
    html = (out / "acme.html").read_text("utf-8")
    assert "data:image/png;base64," + base64.b64encode(PNG).decode() in html


def test_a_nul_in_a_path_is_a_problem_not_a_traceback(world: dict[str, Path]) -> None:
    acme = world["acme"]
    (acme / "workbook.yml").write_text(workbook_text(logo="a\0b.png", file="x\0.csv"), "utf-8")
    proc = b.cli("validate", acme)
    assert proc.returncode == 1
    assert b.lines(proc.stderr) == [
        f"{acme}/workbook.yml:5: client.brand.logo: 'a\\x00b.png' contains a NUL character, "
        "which no file name has",
        f"{acme}/workbook.yml:8: surveys[0].file: 'x\\x00.csv' contains a NUL character, "
        "which no file name has",
        "1 workbook(s) with problems",
    ]
    proc = b.cli("score", acme)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
