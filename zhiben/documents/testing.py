"""Test helpers for documents: read a PDF back as text with pypdf (a test extra), so the suite needs no
system program such as poppler's pdftotext."""

from __future__ import annotations

from io import BytesIO


def pdf_text(data: bytes) -> str:
    """The text of every page of a PDF, with all whitespace removed (CJK text has no spaces to keep, and
    line breaks fall wherever the layout put them)."""
    from pypdf import PdfReader

    reader = PdfReader(BytesIO(data))
    return "".join("".join((page.extract_text() or "").split()) for page in reader.pages)
