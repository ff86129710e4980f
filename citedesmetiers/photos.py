"""The pictures of the publications: the director's photos in the annual report (cover, preamble, timeline,
team) and the partners' logos. Which uploads are accepted (PNG or JPEG recognised by their content, as the
catalogue checks its files, of a bounded size, and that decode), and the downscaled copy a publication
embeds, so that it stays small whatever was uploaded (a 20-page report with a photo on every page stays
under 5 MB: tests/stats/test_report_pdf.py)."""

import base64
import io
import uuid
from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from PIL import Image, UnidentifiedImageError

from citedesmetiers.files import FILE_TYPES, file_check

PHOTO_MAX_BYTES = 5 * 1024 * 1024
PHOTO_MAX_PIXELS = 40_000_000  # refuses a "decompression bomb" before it is decoded
PHOTO_TYPES = {ext: FILE_TYPES[ext] for ext in (".png", ".jpg", ".jpeg")}
ACCEPT = ",".join(PHOTO_TYPES)
# Pixels across: about 200 dpi over the width each is printed at.
PHOTO_WIDTH = 1200  # half an A4 page
COVER_WIDTH = 1600  # the cover's full width
LOGO_WIDTH = 400  # a logo's box, about 45 mm
# At most this many bytes per embedded photo, whatever its content (a photo of fine detail or noise is
# saved at a lower quality, then smaller): what keeps a 20-page report with a photo on every page under 5 MB.
PHOTO_BUDGET = 200_000


def photo_check(upload) -> None:
    """Raises a ValidationError that says what is accepted unless `upload` is a PNG or JPEG picture of at
    most PHOTO_MAX_BYTES whose content matches its name (the catalogue's check) and that decodes."""
    file_check(upload, types=PHOTO_TYPES, limit=PHOTO_MAX_BYTES)
    try:
        with Image.open(upload) as image:
            if image.width * image.height > PHOTO_MAX_PIXELS:
                raise ValidationError(_("This picture is too large."), code="pixels")
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError) as error:
        raise ValidationError(_("This picture cannot be read."), code="unreadable") from error
    finally:
        upload.seek(0)


def data_uri(content_type: str, body: bytes) -> str:
    """A file's bytes as a `data:` URI, for a page or a PDF that embeds it (no file address to serve)."""
    return f"data:{content_type};base64," + base64.b64encode(body).decode("ascii")


def photo_help() -> str:
    """The upload field's help: what is accepted."""
    return _("PNG or JPEG, up to %(limit)d MB.") % {"limit": PHOTO_MAX_BYTES // (1024 * 1024)}


def picture_path(folder: str, filename: str) -> str:
    """A stored picture's name: random, so that nobody guesses another file's address and a person's file
    name never becomes a path; the extension kept (lower case)."""
    return f"{folder}/{uuid.uuid4().hex}{PurePath(filename).suffix.lower()}"


def _jpeg(image: Image.Image, budget: int) -> bytes:
    """A picture as a JPEG of at most `budget` bytes: the quality lowered step by step, then the picture
    made smaller, until it fits."""
    image = image.convert("RGB")
    while True:
        for quality in (82, 72, 62, 52):
            buffer = io.BytesIO()
            image.save(buffer, "JPEG", quality=quality, optimize=True)
            if buffer.tell() <= budget:
                return buffer.getvalue()
        image = image.resize((max(1, image.width * 3 // 4), max(1, image.height * 3 // 4)))


def photo_embedded(stored, *, width: int = PHOTO_WIDTH, budget: int = PHOTO_BUDGET) -> str:
    """A stored photo as a `data:` URI of a JPEG at most `width` pixels wide and `budget` bytes, for a
    publication's page and its PDF (no file address to serve); "" when the file is missing or unreadable."""
    try:
        with stored.open("rb") as source, Image.open(source) as image:
            image.thumbnail((width, width * 2))
            body = _jpeg(image, budget)
    except (OSError, ValueError, Image.DecompressionBombError):
        return ""
    return data_uri("image/jpeg", body)


def logo_embedded(stored) -> str:
    """A stored logo as a `data:` URI of a PNG at most LOGO_WIDTH pixels wide, its transparency kept
    (logos are flat colours: PNG keeps their edges sharp); "" when the file is missing or unreadable."""
    try:
        with stored.open("rb") as source, Image.open(source) as image:
            image.thumbnail((LOGO_WIDTH, LOGO_WIDTH))
            buffer = io.BytesIO()
            image.convert("RGBA").save(buffer, "PNG", optimize=True)
    except (OSError, ValueError, Image.DecompressionBombError):
        return ""
    return data_uri("image/png", buffer.getvalue())
