"""No shared writable cache: a template cache planted in $TMPDIR by another local user
is never read, and cxkit creates no cache folder there.

The planted files are what the old code would have loaded: Jinja bytecode cache
entries for each report partial, whose "checksum" is a pickle that runs a command.
The first test shows the plant works on a Jinja environment that has such a cache
(so the second one can fail); the second runs a real ``cxkit report`` over it.
"""

from __future__ import annotations

import os
import pickle
from pathlib import Path

from tests.conftest import ROOT, SAMPLES
from tests.hostile import builders as b

PARTIALS = ROOT / "cxkit" / "report" / "templates" / "partials"


class _Payload:
    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[object, tuple[str]]:
        return (os.system, (f"touch {self.marker}",))


def plant(tmpdir: Path, marker: Path) -> Path:
    """The cache folder the old code used (``$TMPDIR/cxkit-jinja-<uid>``), made by
    "another user", with a poisoned entry for every partial."""
    import jinja2
    from jinja2.bccache import bc_magic

    folder = tmpdir / f"cxkit-jinja-{os.getuid()}"
    folder.mkdir(mode=0o777)
    cache = jinja2.FileSystemBytecodeCache(str(folder))
    for template in PARTIALS.glob("*.j2"):
        key = cache.get_cache_key(template.name, os.path.normpath(str(template)))
        (folder / f"__jinja2_{key}.cache").write_bytes(bc_magic + pickle.dumps(_Payload(marker)))
    if os.geteuid() == 0:
        os.chown(folder, 65534, 65534)  # owned by nobody, as if another user made it
    return folder


def test_the_plant_runs_code_where_a_cache_is_used(tmp_path: Path) -> None:
    import jinja2

    marker = tmp_path / "pwned"
    folder = plant(tmp_path, marker)
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(PARTIALS)),
        bytecode_cache=jinja2.FileSystemBytecodeCache(str(folder)),
    )
    env.get_template("cover.html.j2")
    assert marker.exists()


def test_report_ignores_a_planted_cache_and_makes_none(tmp_path: Path) -> None:
    tmpdir = tmp_path / "tmp"
    tmpdir.mkdir()
    marker = tmp_path / "pwned"
    plant(tmpdir, marker)
    out = tmp_path / "reports"
    proc = b.cli(
        "report",
        SAMPLES[0].parent,
        "-o",
        out,
        "--date",
        "2026-03-05",
        env={"TMPDIR": str(tmpdir)},
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    assert (out / f"{SAMPLES[0].parent.name}.html").is_file()
    assert not marker.exists()
    assert sorted(p.name for p in tmpdir.iterdir() if "jinja" in p.name) == [
        f"cxkit-jinja-{os.getuid()}"  # only the planted one; nothing of cxkit's own
    ]


def test_the_report_environment_has_no_bytecode_cache() -> None:
    from cxkit import journeymap

    assert journeymap.environment().bytecode_cache is None
