"""Report photos: at most five of at most 10 MB each, accepted only if Pillow decodes them as JPEG, PNG or WebP,
and stored re-encoded, so no metadata of the reporter's phone survives (EXIF with GPS position, camera serial,
time, XMP, thumbnails). The orientation EXIF carried is applied to the pixels first, so the photo stays upright.
"""

from __future__ import annotations

from io import BytesIO

from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from zhiben.core.errors import DomainError, TooLarge

MAX_PHOTOS = 5
MAX_BYTES = 10 * 1024 * 1024
MAX_PIXELS = 50_000_000  # a 10 MB photo of a real phone is ~12–50 Mpx; more is a decompression bomb
MAX_SIDE = 4096  # stored photos are scaled down to this: enough to read a nameplate, small in memory and on disk
FORMATS = {"JPEG": ("image/jpeg", ".jpg"), "PNG": ("image/png", ".png"), "WEBP": ("image/webp", ".webp")}
SAVED_AS = {"MPO": "JPEG"}  # many phones write MPO (a JPEG with a second image): kept as its first, a JPEG


class PhotoRefused(DomainError):
    status_code = 400


def _refuse(message) -> PhotoRefused:
    return PhotoRefused(message, errors={"photos": [message]})


def check_count(uploads: list) -> None:
    if len(uploads) > MAX_PHOTOS:
        raise _refuse(_("At most %(n)d photos can be attached.") % {"n": MAX_PHOTOS})


def clean_photo(upload) -> tuple[ContentFile, str]:
    """The photo re-encoded without metadata, and its content type. Raises TooLarge (413) or PhotoRefused."""
    if upload.size > MAX_BYTES:
        message = _("Photo “%(name)s” is larger than %(mb)d MB.") % {"name": upload.name[:80],
                                                                      "mb": MAX_BYTES // (1024 * 1024)}
        raise TooLarge(message, errors={"photos": [message]})
    not_a_photo = _("“%(name)s” is not a JPEG, PNG or WebP photo.") % {"name": upload.name[:80]}
    try:
        upload.seek(0)
        with Image.open(upload) as probe:
            fmt = SAVED_AS.get(probe.format, probe.format)
            width, height = probe.size
            if fmt not in FORMATS:
                raise _refuse(not_a_photo)
            if width * height > MAX_PIXELS:
                raise _refuse(_("Photo “%(name)s” has too many pixels.") % {"name": upload.name[:80]})
            probe.verify()  # structure check of the whole file
        upload.seek(0)
        with Image.open(upload) as image:
            image.draft("RGB", (MAX_SIDE, MAX_SIDE))  # a JPEG decodes at a reduced scale when it is larger
            image.load()
            image.thumbnail((MAX_SIDE, MAX_SIDE))
            upright = ImageOps.exif_transpose(image)
            content_type, suffix = FORMATS[fmt]
            out = BytesIO()
            _save_without_metadata(upright, out, fmt)
    except PhotoRefused:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError) as exc:
        raise _refuse(not_a_photo) from exc
    return ContentFile(out.getvalue(), name=f"photo{suffix}"), content_type


def _save_without_metadata(image: Image.Image, out: BytesIO, fmt: str) -> None:
    """Save the pixels only: a fresh image built from the decoded pixels has no info, EXIF, XMP or ICC."""
    if image.mode in {"RGB", "RGBA", "L", "LA"}:
        mode = image.mode
    else:  # palette, CMYK, 16-bit …: to plain RGB(A)
        mode = "RGBA" if "A" in image.mode or "transparency" in image.info else "RGB"
    if fmt == "JPEG" and mode in {"RGBA", "LA"}:
        mode = "RGB"
    pixels = image.convert(mode)
    fresh = Image.frombytes(mode, pixels.size, pixels.tobytes())
    options = {"quality": 90} if fmt in {"JPEG", "WEBP"} else {}
    fresh.save(out, format=fmt, **options)
