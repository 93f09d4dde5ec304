"""Finding workbooks: one rule for validate, report and batch."""

from __future__ import annotations

from pathlib import Path

from cxkit.workbook.yamlfile import WORKBOOK_FILENAME, find_workbooks


def _client(root: Path, name: str, filename: str = WORKBOOK_FILENAME) -> Path:
    folder = root / name
    folder.mkdir(parents=True)
    (folder / filename).write_text("cxkit: 1\n", "utf-8")
    return folder / filename


def test_files_client_folders_and_folders_of_clients(tmp_path: Path) -> None:
    a = _client(tmp_path / "clients", "acme")
    b = _client(tmp_path / "clients", "beta", "workbook.xlsx")  # the Excel template only
    loose = tmp_path / "one.yml"
    loose.write_text("cxkit: 1\n", "utf-8")
    (tmp_path / "clients" / "notes").mkdir()  # not a client: skipped
    assert find_workbooks([tmp_path / "clients"]) == [a, b]
    assert find_workbooks([a.parent, loose, a]) == [a, loose]  # each once


def test_a_folder_with_no_workbook_is_named_not_skipped(tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    assert find_workbooks([empty]) == [empty / WORKBOOK_FILENAME]
