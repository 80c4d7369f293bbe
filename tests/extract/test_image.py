"""image.v1: OCR of screenshots and scans, frames, orientation, transparency and bombs."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image

from indicia.errors import ErrorCode, ExtractError
from indicia.extract import image
from indicia.extract.ocr import OcrOptions
from tests.fixtures.hostile import ZH_LINES, png_claiming, text_image


def save(tmp_path: Path, picture: Image.Image, name: str, **options: object) -> Path:
    path = tmp_path / name
    picture.save(path, **options)  # type: ignore[arg-type]
    return path


def test_transparent_screenshot_is_read_on_white(tmp_path: Path) -> None:
    """Black text on a transparent background: flattened onto white, not onto black."""
    mask = text_image(ZH_LINES).point(lambda v: 255 - v)  # text opaque, background clear
    picture = Image.new("RGBA", mask.size, (0, 0, 0, 0))
    picture.putalpha(mask)
    extraction = image.extract(save(tmp_path, picture, "shot.png"), "image/png")
    assert "强迫劳动" in extraction.pages[0].text
    assert extraction.extractor == "image.v1"
    assert extraction.tool == "tesseract"
    assert extraction.tool_version.startswith("tesseract=")


def test_photo_taken_sideways_is_turned_upright(tmp_path: Path) -> None:
    sideways = text_image(ZH_LINES).convert("RGB").rotate(90, expand=True)
    exif = Image.Exif()
    exif[0x0112] = 6  # orientation: rotate 90 degrees clockwise to display
    path = save(tmp_path, sideways, "photo.jpg", exif=exif, quality=95)
    assert "强迫劳动" in image.extract(path, "image/jpeg").pages[0].text


def test_only_the_first_frame_of_an_animation(tmp_path: Path) -> None:
    frames = [text_image(ZH_LINES), text_image(["第二帧"])]
    path = save(tmp_path, frames[0], "anim.gif", save_all=True, append_images=frames[1:])
    extraction = image.extract(path, "image/gif")
    assert len(extraction.pages) == 1
    assert any("animation frames" in warning for warning in extraction.warnings)


def test_blank_image_has_no_text(tmp_path: Path) -> None:
    path = save(tmp_path, Image.new("L", (400, 200), 255), "blank.png")
    with pytest.raises(ExtractError) as caught:
        image.extract(path, "image/png")
    assert caught.value.code == ErrorCode.NO_TEXT


def test_format_outside_the_list_is_refused(tmp_path: Path) -> None:
    path = save(tmp_path, text_image(ZH_LINES), "scan.ppm")
    with pytest.raises(ExtractError) as caught:
        image.extract(path, "image/png")
    assert caught.value.code == ErrorCode.UNSUPPORTED_TYPE


def test_not_an_image(tmp_path: Path) -> None:
    path = tmp_path / "fake.png"
    path.write_bytes(b"this is text, not a PNG")
    with pytest.raises(ExtractError) as caught:
        image.extract(path, "image/png")
    assert caught.value.code == ErrorCode.CORRUPT_FILE


def test_size_is_checked_before_pixels_are_decoded(tmp_path: Path) -> None:
    path = tmp_path / "bomb.png"
    path.write_bytes(png_claiming(12_000, 10_000))  # 120 Mpx: past the cap, under Pillow's error
    with pytest.raises(ExtractError) as caught:
        image.extract(path, "image/png")
    assert caught.value.code == ErrorCode.DECOMPRESSION_BOMB


def test_no_ocr_data_raises_e210(tmp_path: Path) -> None:
    path = save(tmp_path, text_image(ZH_LINES), "scan.png")
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(ExtractError) as caught:
        image.extract(path, "image/png", ocr_options=OcrOptions(tessdata=empty))
    assert caught.value.code == ErrorCode.OCR_FAILED


def test_tiff_frame_decoding_error(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    text_image(ZH_LINES).save(buffer, "TIFF", compression="tiff_lzw")
    path = tmp_path / "cut.tif"
    path.write_bytes(buffer.getvalue()[:400])
    with pytest.raises(ExtractError) as caught:
        image.extract(path, "image/tiff")
    assert caught.value.code == ErrorCode.CORRUPT_FILE
