"""Evidence files: size limit, type checked by content (magic bytes), stored under a generated name."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.utils.translation import gettext as _

from zhiben.core.errors import DomainError, TooLarge

# Accepted types, recognised by their first bytes (the name and the browser's claim are not trusted).
SIGNATURES: list[tuple[bytes, int, str, str]] = [
    (b"\xff\xd8\xff", 0, "image/jpeg", ".jpg"),
    (b"\x89PNG\r\n\x1a\n", 0, "image/png", ".png"),
    (b"GIF87a", 0, "image/gif", ".gif"),
    (b"GIF89a", 0, "image/gif", ".gif"),
    (b"WEBP", 8, "image/webp", ".webp"),
    (b"%PDF-", 0, "application/pdf", ".pdf"),
]
ZIP_TYPES = {
    "word/": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", ".docx"),
    "xl/": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ".xlsx"),
}


def sniff(head: bytes, upload) -> tuple[str, str] | None:
    for magic, offset, content_type, suffix in SIGNATURES:
        if head[offset:offset + len(magic)] == magic:
            return content_type, suffix
    if head[:4] == b"PK\x03\x04":
        import zipfile

        try:
            upload.seek(0)
            names = zipfile.ZipFile(upload).namelist()
        except zipfile.BadZipFile:
            return None
        finally:
            upload.seek(0)
        for prefix, result in ZIP_TYPES.items():
            if any(n.startswith(prefix) for n in names):
                return result
    return None


class UnsupportedFile(DomainError):
    status_code = 400


def inspect_upload(upload) -> dict:
    """Check an uploaded file and describe it: raises TooLarge (413) or UnsupportedFile (400)."""
    limit = settings.UPLOAD_MAX_BYTES
    if upload.size > limit:
        raise TooLarge(_("The file is larger than %(mb)d MB.") % {"mb": limit // (1024 * 1024)},
                       errors={"file": [_("The file is larger than %(mb)d MB.") % {"mb": limit // (1024 * 1024)}]})
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    kind = sniff(head, upload)
    if kind is None:
        message = _("Only photos (JPEG, PNG, GIF, WebP), PDF, Word and Excel files are accepted.")
        raise UnsupportedFile(message, errors={"file": [message]})
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return {"content_type": kind[0], "suffix": kind[1], "sha256": digest.hexdigest(), "size": upload.size}
