"""The generic import (validate every row, then write all or none): moved to zhiben/core/excel/importer.py,
shared with other apps; re-exported here for the registry's jobs."""

from zhiben.core.excel.importer import (
    MAX_REPORTED_ERRORS,
    ImportFailed,
    Progress,
    Validation,
    cap,
    error_entry,
    missing_columns_errors,
    service_errors,
    validate,
    write_all,
)

__all__ = [
    "MAX_REPORTED_ERRORS", "ImportFailed", "Progress", "Validation", "cap", "error_entry", "missing_columns_errors",
    "service_errors", "validate", "write_all",
]
