"""The command line as a user runs it: new, templates, validate, schema, convert."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cxkit.workbook.starters import list_starters
from cxkit.workbook.yamlfile import json_schema_text, load_workbook
from tests.conftest import ROOT, SAMPLES, WORKBOOKS, cxkit


@pytest.mark.parametrize("language", ["he", "en"])
@pytest.mark.parametrize("template", [s.name for s in list_starters()])
def test_new_creates_a_valid_commented_starter(
    tmp_path: Path, template: str, language: str
) -> None:
    result = cxkit("new", "acme", "--template", template, "--language", language, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    path = tmp_path / "clients" / "acme" / "workbook.yml"
    text = path.read_text("utf-8")
    assert text.startswith("# ") and text.count("#") > 10
    wb = load_workbook(path)
    assert wb.client.language.value == language
    assert len(wb.journeys[0].stages) >= 4
    check = cxkit("validate", path.parent, cwd=tmp_path)
    assert check.returncode == 0, check.stdout + check.stderr


def test_new_hebrew_names_and_refuses_to_overwrite(tmp_path: Path) -> None:
    assert cxkit("new", "acme", "-t", "five-interfaces", "-l", "he", cwd=tmp_path).returncode == 0
    wb = load_workbook(tmp_path / "clients" / "acme")
    assert wb.journeys[0].stages[0].name == "חומרי שיווק ופרסום"
    again = cxkit("new", "acme", cwd=tmp_path)
    assert again.returncode == 1
    assert "already exists; pass --force" in again.stderr


def test_new_unknown_template_suggests(tmp_path: Path) -> None:
    result = cxkit("new", "acme", "--template", "five-interface", cwd=tmp_path)
    assert result.returncode == 1
    assert "no template 'five-interface'; did you mean 'five-interfaces'?" in result.stderr
    assert "Traceback" not in result.stderr


def test_templates_lists_each_with_description() -> None:
    result = cxkit("templates")
    assert result.returncode == 0
    for name in ("five-interfaces", "four-encounters", "lifecycle", "health-clinic"):
        assert name in result.stdout
    assert "service encounters" in result.stdout


def test_validate_ok_and_folder_of_clients() -> None:
    assert cxkit("validate", WORKBOOKS / "valid.yml").returncode == 0
    if SAMPLES:
        result = cxkit("validate", ROOT / "data" / "samples")
        assert result.returncode == 0, result.stdout + result.stderr
        for sample in SAMPLES:
            assert sample.parent.name in result.stdout


def test_validate_run_inside_the_client_folder_names_the_folder(valid_copy: Path) -> None:
    result = cxkit("validate", "workbook.yml", cwd=valid_copy.parent)
    assert result.returncode == 0, result.stderr
    assert "client/" in result.stdout


def test_validate_missing_argument_is_a_usage_error_not_a_traceback() -> None:
    result = cxkit("validate")
    assert result.returncode == 2
    assert "Missing argument" in result.stderr and "Traceback" not in result.stderr


def test_schema_is_json_schema_and_matches_the_committed_copy() -> None:
    result = cxkit("schema")
    assert result.returncode == 0
    schema = json.loads(result.stdout)
    assert schema["$schema"].endswith("2020-12/schema")
    assert schema["properties"]["cxkit"]["const"] == 1
    assert schema["additionalProperties"] is False
    committed = ROOT / "schema" / "workbook.schema.json"
    assert committed.read_text("utf-8") == json_schema_text(), (
        "schema/workbook.schema.json is stale: run `cxkit schema -o schema/workbook.schema.json`"
    )


def test_schema_validates_a_sample_with_jsonschema() -> None:
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads(json_schema_text())
    for path in [WORKBOOKS / "valid.yml", *SAMPLES]:
        data = load_workbook(path).model_dump(mode="json")
        jsonschema.validate(data, schema)


def test_convert_yaml_to_excel_and_back(tmp_path: Path, valid_copy: Path) -> None:
    xlsx = valid_copy.parent / "wb.xlsx"  # beside the survey file it names
    assert cxkit("convert", valid_copy, xlsx).returncode == 0
    back = tmp_path / "back.yml"
    result = cxkit("convert", xlsx, back)
    assert result.returncode == 0, result.stderr
    assert load_workbook(back) == load_workbook(WORKBOOKS / "valid.yml")
    assert cxkit("validate", xlsx).returncode == 0
    bad = cxkit("convert", WORKBOOKS / "valid.yml", tmp_path / "wb.docx")
    assert bad.returncode == 1 and "unknown output type '.docx'" in bad.stderr


def test_convert_excel_into_a_new_client_folder(tmp_path: Path, valid_copy: Path) -> None:
    """A client who sends a spreadsheet first: the folder does not exist yet."""
    xlsx = valid_copy.parent / "wb.xlsx"
    assert cxkit("convert", valid_copy, xlsx).returncode == 0
    folder = tmp_path / "clients" / "acme"
    result = cxkit("convert", xlsx, folder)
    assert result.returncode == 0, result.stderr
    assert load_workbook(folder / "workbook.yml") == load_workbook(WORKBOOKS / "valid.yml")
