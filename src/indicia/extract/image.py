"""Images (``image.v1``): screenshots, photographed notices and scans, read by OCR.

Pillow opens PNG, JPEG, TIFF, WebP, GIF and BMP. A multi-page TIFF (how fax servers and many
scanners store a notice) gives one page per frame; other formats give one page (an animation's
frames are not pages). A camera's EXIF orientation is applied first, so a photo taken sideways
is read upright.

Decompression bombs: Pillow's ``Image.MAX_IMAGE_PIXELS`` is set to
:data:`limits.MAX_IMAGE_PIXELS` when this module is imported (a process-wide Pillow setting, the
intended mechanism), and every frame's declared size is checked before its pixels are decoded,
so an image claiming more pixels gives ``E207`` without allocating them.
"""

from __future__ import annotations

import warnings
from pathlib import Path

from PIL import Image, ImageOps, UnidentifiedImageError

from indicia.errors import ErrorCode, ExtractError
from indicia.extract import limits, ocr
from indicia.extract.base import Extraction, Page

NAME = "image.v1"

Image.MAX_IMAGE_PIXELS = limits.MAX_IMAGE_PIXELS

_FORMATS = frozenset({"PNG", "JPEG", "MPO", "TIFF", "WEBP", "GIF", "BMP"})
_MULTI_PAGE = frozenset({"TIFF"})


def extract(
    path: Path, media_type: str, *, ocr_options: ocr.OcrOptions | None = None
) -> Extraction:
    """OCR every page of the image at ``path`` (PNG, JPEG, TIFF, WebP, GIF or BMP)."""
    options = ocr_options or ocr.OcrOptions()
    engine = ocr.engine(options.engine)
    notes: list[str] = []
    pages: list[Page] = []
    with warnings.catch_warnings(record=True) as caught:
        # Pillow warns about damaged metadata (corrupt EXIF is common in phone photos): recorded
        # as extraction warnings instead of printed. Between MAX_IMAGE_PIXELS and twice that,
        # Pillow only warns about a bomb: raised here, so every bomb gives E207.
        warnings.simplefilter("always")
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        image = _open(path)
        with image:
            if image.format not in _FORMATS:
                raise ExtractError(
                    ErrorCode.UNSUPPORTED_TYPE, f"{image.format} images are not supported"
                )
            declared = int(getattr(image, "n_frames", 1))
            frames = declared if image.format in _MULTI_PAGE else 1
            if frames > limits.MAX_PAGES:
                raise ExtractError(
                    ErrorCode.DECOMPRESSION_BOMB,
                    f"the image has {frames} frames (limit {limits.MAX_PAGES})",
                )
            if declared > frames:
                notes.append(f"only the first of {declared} animation frames was read")
            for index in range(frames):
                frame = _frame(image, index)
                result = ocr.recognise(frame, options)
                pages.append(
                    Page(index + 1, result.text, "ocr", result.confidence, result.languages)
                )
    notes.extend(dict.fromkeys(f"{w.category.__name__}: {w.message}" for w in caught))
    if not any(page.text.strip() for page in pages):
        raise ExtractError(ErrorCode.NO_TEXT, f"OCR ({options.languages}) found no text")
    return Extraction(
        pages=pages,
        tool="tesseract",
        tool_version=ocr.engine_version(engine),
        extractor=NAME,
        warnings=notes,
    )


def _open(path: Path) -> Image.Image:
    try:
        return Image.open(path)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise ExtractError(ErrorCode.DECOMPRESSION_BOMB, f"image too large: {exc}") from exc
    except UnidentifiedImageError as exc:
        raise ExtractError(ErrorCode.CORRUPT_FILE, "not a readable image") from exc
    except (OSError, ValueError) as exc:
        raise ExtractError(ErrorCode.CORRUPT_FILE, f"the image cannot be read: {exc}") from exc


def _frame(image: Image.Image, index: int) -> Image.Image:
    """Decode frame ``index`` after checking its declared size; upright, fully loaded."""
    try:
        image.seek(index)
        width, height = image.size
        if width * height > limits.MAX_IMAGE_PIXELS:
            raise ExtractError(
                ErrorCode.DECOMPRESSION_BOMB,
                f"page {index + 1} declares {width} x {height} pixels "
                f"(limit {limits.MAX_IMAGE_PIXELS})",
            )
        image.load()
        frame = ImageOps.exif_transpose(image) if index == 0 else image.copy()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise ExtractError(ErrorCode.DECOMPRESSION_BOMB, f"image too large: {exc}") from exc
    except (OSError, ValueError, EOFError, SyntaxError) as exc:
        raise ExtractError(
            ErrorCode.CORRUPT_FILE, f"page {index + 1} of the image cannot be decoded: {exc}"
        ) from exc
    return frame
