"""The director's photos in the annual report: which uploads are accepted (PNG or JPEG recognised by their
content, as the catalogue checks its files, of a bounded size), and the downscaled copy the report embeds
so that a publication stays small whatever was uploaded."""

import base64
import io

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from PIL import Image, UnidentifiedImageError

from ressources.files import FILE_TYPES, file_check

PHOTO_MAX_BYTES = 5 * 1024 * 1024
PHOTO_MAX_PIXELS = 40_000_000  # refuses a "decompression bomb" before it is decoded
PHOTO_TYPES = {ext: FILE_TYPES[ext] for ext in (".png", ".jpg", ".jpeg")}
ACCEPT = ",".join(PHOTO_TYPES)
EMBEDDED_WIDTH = 1200  # pixels: about 200 dpi across half an A4 page


def photo_check(upload) -> None:
    """Raises a ValidationError that says what is accepted unless `upload` is a PNG or JPEG photo of at
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


def photo_embedded(stored) -> str:
    """A stored photo as a `data:` URI of a JPEG at most EMBEDDED_WIDTH pixels wide, for the report's page
    and its PDF (no file address to serve); "" when the file is missing or unreadable."""
    try:
        with stored.open("rb") as source, Image.open(source) as image:
            image.thumbnail((EMBEDDED_WIDTH, EMBEDDED_WIDTH * 2))
            buffer = io.BytesIO()
            image.convert("RGB").save(buffer, "JPEG", quality=82, optimize=True)
    except (OSError, ValueError, Image.DecompressionBombError):
        return ""
    return "data:image/jpeg;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")
