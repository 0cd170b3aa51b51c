"""Which uploaded files csphub accepts: documents, images, office files and text, by name AND by their first bytes.

Pure: given a file's name, size and first bytes, :func:`problem` says what is wrong with it (a GOV.UK-style error
message) or returns ``None``. An HTML page, a script or a program is refused whatever it is called: its extension is
not allowed, or its content does not match the extension it claims.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

HEAD_BYTES = 2048  # how much of a file the checks read


def _starts(*signatures: bytes) -> Callable[[bytes], bool]:
    return lambda head: head.startswith(signatures)


def _webp(head: bytes) -> bool:
    return head[:4] == b"RIFF" and head[8:12] == b"WEBP"


def _text(head: bytes) -> bool:
    """Plain text: no NUL byte, no HTML or script a browser could run if it ever rendered it, valid UTF-8 or a
    single-byte Windows encoding (anything but NUL decodes as one)."""
    if b"\x00" in head:
        return False
    lowered = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return not lowered.startswith((b"<!doctype", b"<html", b"<script", b"<svg", b"<?xml", b"<body", b"<head"))


_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Office 97-2003 and Outlook messages
_ZIP = b"PK\x03\x04"  # Office Open XML and OpenDocument


@dataclass(frozen=True)
class Kind:
    label: str
    extensions: tuple[str, ...]
    matches: Callable[[bytes], bool]


KINDS: tuple[Kind, ...] = (
    Kind("PDF", ("pdf",), _starts(b"%PDF-")),
    Kind("JPG", ("jpg", "jpeg"), _starts(b"\xff\xd8\xff")),
    Kind("PNG", ("png",), _starts(b"\x89PNG\r\n\x1a\n")),
    Kind("GIF", ("gif",), _starts(b"GIF87a", b"GIF89a")),
    Kind("TIFF", ("tif", "tiff"), _starts(b"II*\x00", b"MM\x00*")),
    Kind("WEBP", ("webp",), _webp),
    Kind("Word document", ("docx",), _starts(_ZIP)),
    Kind("Excel spreadsheet", ("xlsx",), _starts(_ZIP)),
    Kind("PowerPoint presentation", ("pptx",), _starts(_ZIP)),
    Kind("OpenDocument file", ("odt", "ods", "odp"), _starts(_ZIP)),
    Kind("Word 97-2003 document", ("doc",), _starts(_OLE)),
    Kind("Excel 97-2003 spreadsheet", ("xls",), _starts(_OLE)),
    Kind("Outlook message", ("msg",), _starts(_OLE)),
    Kind("RTF", ("rtf",), _starts(b"{\\rtf")),
    Kind("text file", ("txt", "csv"), _text),
)
_BY_EXTENSION = {ext: kind for kind in KINDS for ext in kind.extensions}
ALLOWED = "a PDF, JPG, PNG, GIF, TIFF, WEBP, Word, Excel, PowerPoint, OpenDocument, Outlook, RTF, TXT or CSV file"


def _megabytes(size: int) -> str:
    return f"{size // (1024 * 1024)}MB" if size % (1024 * 1024) == 0 else f"{size / (1024 * 1024):.1f}MB"


def problem(name: str, size: int, head: bytes, *, max_bytes: int) -> str | None:
    """What is wrong with an uploaded file (an error message for the person uploading it), or ``None``."""
    if size == 0:
        return "The selected file is empty"
    if size > max_bytes:
        return f"The selected file must be smaller than {_megabytes(max_bytes)}"
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    kind = _BY_EXTENSION.get(extension)
    if kind is None:
        return f"The selected file must be {ALLOWED}"
    if not kind.matches(head[:HEAD_BYTES]):
        return f"The selected file is not a real {kind.label}: its contents do not match its name"
    return None
