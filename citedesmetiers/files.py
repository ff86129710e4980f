"""Which uploaded files are accepted: known types, recognised by their content, not too large. The
catalogue's types are the default; the publications' photos and the partners' logos accept a few of them
(citedesmetiers.photos).

The name's extension must agree with the first bytes of the file, so that a page or a script renamed
`.pdf` is refused. HTML, SVG and other types that a browser would run are never accepted.
"""

from dataclasses import dataclass
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class FileType:
    mime: str
    magic: tuple[bytes, ...]
    # Shown in the browser (PDF, images, video) rather than downloaded.
    inline: bool = False
    offset: int = 0


_ZIP = (b"PK\x03\x04",)  # the Office Open XML and OpenDocument formats are zip archives
FILE_TYPES = {
    ".pdf": FileType("application/pdf", (b"%PDF-",), inline=True),
    ".png": FileType("image/png", (b"\x89PNG\r\n\x1a\n",), inline=True),
    ".jpg": FileType("image/jpeg", (b"\xff\xd8\xff",), inline=True),
    ".jpeg": FileType("image/jpeg", (b"\xff\xd8\xff",), inline=True),
    ".mp4": FileType("video/mp4", (b"ftyp",), inline=True, offset=4),
    ".docx": FileType("application/vnd.openxmlformats-officedocument.wordprocessingml.document", _ZIP),
    ".xlsx": FileType("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", _ZIP),
    ".pptx": FileType("application/vnd.openxmlformats-officedocument.presentationml.presentation", _ZIP),
    ".odt": FileType("application/vnd.oasis.opendocument.text", _ZIP),
    ".ods": FileType("application/vnd.oasis.opendocument.spreadsheet", _ZIP),
    ".odp": FileType("application/vnd.oasis.opendocument.presentation", _ZIP),
}
ACCEPT = ",".join(FILE_TYPES)  # the file input's `accept`


def file_check(upload, *, types: dict[str, FileType] = FILE_TYPES, limit: int | None = None) -> FileType:
    """The type of an uploaded file among `types` (the catalogue's by default), of at most `limit` bytes
    (RESOURCE_MAX_UPLOAD_MB by default), or a ValidationError that says what is accepted."""
    limit = limit or settings.RESOURCE_MAX_UPLOAD_MB * 1024 * 1024
    if upload.size > limit:
        raise ValidationError(
            _("This file is %(size)s; files of up to %(limit)s are accepted."),
            code="too_large",
            params={"size": filesizeformat(upload.size), "limit": filesizeformat(limit)},
        )
    if upload.size == 0:
        raise ValidationError(_("This file is empty."), code="empty")
    file_type = types.get(PurePath(upload.name).suffix.lower())
    if file_type is None:
        raise ValidationError(
            _("Files of this type are not accepted. Accepted: %(types)s."),
            code="type",
            params={"types": ", ".join(sorted({ext.lstrip(".").upper() for ext in types}))},
        )
    upload.seek(0)
    head = upload.read(64)
    upload.seek(0)
    if not any(head[file_type.offset :].startswith(magic) for magic in file_type.magic):
        raise ValidationError(
            _("The content of this file does not match its name (%(name)s)."),
            code="content",
            params={"name": PurePath(upload.name).name},
        )
    return file_type


def file_type_of(name: str) -> FileType | None:
    """The accepted type of a stored file's name (None for a name the catalogue no longer accepts)."""
    return FILE_TYPES.get(PurePath(name).suffix.lower())
