"""Ban photos: which uploads are taken, and how they are stored.

A photo must be a JPG, PNG or WEBP image by its content (its first bytes, then Pillow decoding it), at most
``PHOTO_MAX_BYTES`` and ``PHOTO_MAX_PIXELS``. It is stored re-encoded as JPEG: whatever else the file carried (EXIF
metadata such as where and when it was taken, the camera, a thumbnail of the uncropped picture) is dropped.
"""

from __future__ import annotations

import io

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from PIL import Image, ImageOps, UnidentifiedImageError

from csphub.common import uploads

PHOTO_MAX_BYTES = 5 * 1024 * 1024
PHOTO_MAX_PIXELS = 40_000_000  # far above a phone's photo; refuses decompression bombs
STORED_MAX_SIDE = 1200  # enough for staff to recognise someone, no more
IMAGE_KINDS = ("JPG", "PNG", "WEBP")
IMAGE_EXTENSIONS = ("jpg", "jpeg", "png", "webp")


def problem(upload: UploadedFile) -> str | None:
    """What is wrong with an uploaded photo (an error message for the person uploading it), or None."""
    name = upload.name or ""
    size = int(upload.size or 0)
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if size == 0:
        return "The selected file is empty"
    if size > PHOTO_MAX_BYTES:
        return f"The photo must be smaller than {PHOTO_MAX_BYTES // (1024 * 1024)}MB"
    if extension not in IMAGE_EXTENSIONS:
        return "The photo must be a JPG, PNG or WEBP image"
    upload.seek(0)
    head = upload.read(uploads.HEAD_BYTES)
    upload.seek(0)
    complaint = uploads.problem(name, size, head, max_bytes=PHOTO_MAX_BYTES)
    if complaint:
        return complaint
    try:
        with Image.open(upload) as image:
            if image.format not in {"JPEG", "PNG", "WEBP"}:
                return "The photo must be a JPG, PNG or WEBP image"
            if image.width * image.height > PHOTO_MAX_PIXELS:
                return "The photo is too large: it must be under 40 megapixels"
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError):
        return "The selected file is not a real image"
    finally:
        upload.seek(0)
    return None


def cleaned(upload: UploadedFile) -> ContentFile[bytes]:
    """The photo re-encoded as a JPEG without metadata, at most ``STORED_MAX_SIDE`` pixels a side."""
    complaint = problem(upload)
    if complaint:
        raise ValidationError({"photo": complaint})
    with Image.open(upload) as original:
        image = ImageOps.exif_transpose(original).convert("RGB")
    image.thumbnail((STORED_MAX_SIDE, STORED_MAX_SIDE))
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=85)
    return ContentFile(out.getvalue(), name="photo.jpg")


def placeholder(label: str, *, size: tuple[int, int] = (360, 480)) -> bytes:
    """A placeholder photo drawn from shapes (no face, no real person): a grey silhouette and a label (the demo's)."""
    from PIL import ImageDraw

    width, height = size
    image = Image.new("RGB", size, (208, 213, 219))
    draw = ImageDraw.Draw(image)
    draw.ellipse((width * 0.32, height * 0.14, width * 0.68, height * 0.44), fill=(120, 128, 138))
    draw.rounded_rectangle((width * 0.18, height * 0.48, width * 0.82, height * 0.98), radius=60, fill=(120, 128, 138))
    draw.rectangle((0, height - 44, width, height), fill=(11, 12, 12))
    draw.text((12, height - 32), f"PLACEHOLDER {label}"[:40], fill=(255, 255, 255))
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()
