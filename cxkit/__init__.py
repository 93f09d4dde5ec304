"""cxkit: a service-design workbook and template kit for customer experience."""

from cxkit.errors import CxkitError, Problem, Reason, WorkbookError
from cxkit.workbook.model import FORMAT_VERSION, Workbook

__version__ = "0.1.0"

__all__ = [
    "FORMAT_VERSION",
    "CxkitError",
    "Problem",
    "Reason",
    "Workbook",
    "WorkbookError",
    "__version__",
]
