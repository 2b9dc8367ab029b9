"""Reading an uploaded .xlsx: moved to zhiben/core/excel/reader.py (shared with other apps); re-exported here."""

from zhiben.core.excel.reader import (
    HEADER_SEARCH_ROWS,
    MAX_UNCOMPRESSED_BYTES,
    OLE_MAGIC,
    ZIP_MAGIC,
    FileError,
    Sheet,
    check_xlsx,
    max_rows,
    max_upload_bytes,
    read_sheet,
)

__all__ = [
    "HEADER_SEARCH_ROWS", "MAX_UNCOMPRESSED_BYTES", "OLE_MAGIC", "ZIP_MAGIC", "FileError", "Sheet", "check_xlsx",
    "max_rows", "max_upload_bytes", "read_sheet",
]
