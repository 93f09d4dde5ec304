"""The workbook: its model, its YAML and Excel files, its problems and its editing session.

The names most callers need are re-exported here (``from cxkit.workbook import
WorkbookFile``); the modules are:

- :mod:`~cxkit.workbook.model`: the pydantic model and its cross-reference checks;
- :mod:`~cxkit.workbook.problems`: pydantic errors turned into located ``Problem``s;
- :mod:`~cxkit.workbook.yamlfile`: reading, validating and saving ``workbook.yml``;
- :mod:`~cxkit.workbook.excel`: the Excel template, both ways;
- :mod:`~cxkit.workbook.editing`: the editing session the forms share;
- :mod:`~cxkit.workbook.language`: which language to speak about a workbook;
- :mod:`~cxkit.workbook.starters`: the starter journeys behind ``cxkit new``.
"""

from cxkit.workbook.model import Workbook
from cxkit.workbook.yamlfile import (
    WORKBOOK_FILENAME,
    WorkbookFile,
    load_workbook,
    resolve_workbook_path,
    save_workbook,
    validate_path,
)

__all__ = [
    "WORKBOOK_FILENAME",
    "Workbook",
    "WorkbookFile",
    "load_workbook",
    "resolve_workbook_path",
    "save_workbook",
    "validate_path",
]
