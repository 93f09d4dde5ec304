"""Packaging: one source of dependencies, and a plain (non-editable) wheel that works."""

from __future__ import annotations

import re
import subprocess
import sys
import sysconfig
import tomllib
import venv
from pathlib import Path

from ruamel.yaml import YAML

from tests.conftest import ROOT


def _normalise(spec: str) -> str:
    name, rest = re.match(r"^\s*([A-Za-z0-9_.\-]+)\s*(.*)$", spec).groups()  # type: ignore[union-attr]
    return re.sub(r"[-_.]+", "-", name).lower() + rest.replace(" ", "")


def test_environment_yml_lists_the_same_dependencies_as_pyproject() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]
    env = YAML(typ="safe").load((ROOT / "environment.yml").read_text("utf-8"))
    conda = [d for d in env["dependencies"] if isinstance(d, str)]
    conda = [d for d in conda if re.split(r"[<>=! ]", d)[0] not in {"python", "pip"}]
    assert sorted(map(_normalise, conda)) == sorted(map(_normalise, project["dependencies"]))
    assert f">={project['requires-python'].removeprefix('>=')}" in next(
        d for d in env["dependencies"] if isinstance(d, str) and d.startswith("python>=")
    )


def test_wheel_installs_into_a_fresh_venv_and_the_cli_works(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(dist),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
    )
    [wheel] = dist.glob("cxkit-*.whl")
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    py = env_dir / "bin" / "python"
    # Dependencies come from the project's environment (no network needed); cxkit itself only
    # from the wheel: a plain path line does not run the editable install's .pth hook.
    site = subprocess.run(
        [py, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    Path(site, "project-deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    subprocess.run(
        [py, "-m", "pip", "install", "-q", "--no-deps", str(wheel)], check=True, capture_output=True
    )

    work = tmp_path / "work"
    work.mkdir()
    cli = env_dir / "bin" / "cxkit"
    where = subprocess.run(
        [py, "-c", "import cxkit; print(cxkit.__file__)"],
        cwd=work,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    assert where.startswith(str(env_dir)), where
    new = subprocess.run(
        [cli, "new", "acme", "--template", "lifecycle", "--language", "he"],
        cwd=work,
        capture_output=True,
        text=True,
    )
    assert new.returncode == 0, new.stderr
    check = subprocess.run(
        [cli, "validate", "clients/acme"], cwd=work, capture_output=True, text=True
    )
    assert check.returncode == 0, check.stdout + check.stderr
    assert "תקין" in check.stdout  # a Hebrew workbook: its status in Hebrew (the locale
    # files are in the wheel)
