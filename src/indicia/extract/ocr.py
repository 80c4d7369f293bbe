"""Optical character recognition with Tesseract: one image in, text and confidence out.

The engine is tesserocr (MIT; its wheel bundles Tesseract 5.5.4) reading the language models that
Debian installs (``tesseract-ocr-chi-sim``, ``-chi-tra``, ``-uig``, ``-eng``). If the tesserocr
wheel cannot be imported, the ``tesseract`` command (Debian ``tesseract-ocr``) is run instead;
the result records which engine ran.

``OMP_THREAD_LIMIT=1`` is forced before Tesseract loads: Debian's build uses OpenMP, and on two
cores its threads fight each other and the other worker (42 s per page instead of 6 s, see
``shared/measurements.md`` section 4). Parallelism comes from one worker process per core.

Languages: :data:`indicia.extract.limits.OCR_LANGUAGES` (``chi_sim+eng``) unless the caller passes
``OcrOptions(languages=...)``: ``chi_tra+eng`` for Traditional-Chinese material, ``uig+chi_sim``
for Uyghur. Tesseract cannot pick a language for itself, so the choice belongs to whoever knows
the case (a setting, or a per-document choice made by the analyze stage).
"""

from __future__ import annotations

import csv
import io
import os
import shutil
import subprocess
import tempfile
import threading
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PIL import Image

from indicia.errors import ErrorCode, ExtractError
from indicia.extract import limits
from indicia.extract.encoding import clean_text

if TYPE_CHECKING:
    import tesserocr

_VARIABLES = {
    # Without this, Tesseract puts a space between every two Chinese characters.
    "preserve_interword_spaces": "1",
}


@dataclass(frozen=True)
class OcrOptions:
    """How to OCR: the Tesseract language string and where its models are."""

    languages: str = limits.OCR_LANGUAGES
    tessdata: Path | None = None
    """A folder of ``*.traineddata`` files; ``None`` searches :data:`limits.TESSDATA_DIRS`."""
    engine: str | None = None
    """``tesserocr``, ``tesseract-cli``, or ``None`` for the first that is installed."""


@dataclass(frozen=True)
class OcrResult:
    """Recognised text of one image, its mean word confidence (0-100) and who made it."""

    text: str
    confidence: float | None
    languages: str
    engine: str
    """``tesserocr`` or ``tesseract-cli``."""


def tessdata_dir(options: OcrOptions) -> Path:
    """The folder holding the language models, checked to hold every requested language."""
    folders = (options.tessdata,) if options.tessdata else limits.TESSDATA_DIRS
    wanted = [lang for lang in options.languages.split("+") if lang]
    if not wanted:
        raise ExtractError(ErrorCode.OCR_FAILED, "no OCR language was given")
    for folder in folders:
        if folder is not None and folder.is_dir() and any(folder.glob("*.traineddata")):
            missing = [lang for lang in wanted if not (folder / f"{lang}.traineddata").is_file()]
            if missing:
                packages = ", ".join(f"tesseract-ocr-{m.replace('_', '-')}" for m in missing)
                raise ExtractError(
                    ErrorCode.OCR_FAILED,
                    f"OCR language model(s) {', '.join(missing)} not found in {folder} "
                    f"(Debian packages: {packages})",
                )
            return folder
    searched = ", ".join(str(f) for f in folders if f is not None)
    raise ExtractError(
        ErrorCode.OCR_FAILED,
        f"no Tesseract language data found (searched {searched}); "
        "install tesseract-ocr-eng and tesseract-ocr-chi-sim",
    )


@cache
def _tesserocr() -> Any:
    """Import tesserocr with OpenMP limited to one thread, or ``None`` if it cannot load."""
    # Must be in the environment before Tesseract's OpenMP runtime starts (see module docstring).
    os.environ["OMP_THREAD_LIMIT"] = "1"
    try:
        import tesserocr  # deferred on purpose: the variable above must come first
    except (ImportError, OSError):
        return None
    return tesserocr


def engine(wanted: str | None = None) -> str:
    """The engine :func:`recognise` will use (``tesserocr`` or ``tesseract-cli``); ``E210``."""
    if wanted not in (None, "tesserocr", "tesseract-cli"):
        raise ExtractError(ErrorCode.OCR_FAILED, f"unknown OCR engine {wanted!r}")
    if wanted in (None, "tesserocr") and _tesserocr() is not None:
        return "tesserocr"
    if wanted in (None, "tesseract-cli") and shutil.which("tesseract"):
        return "tesseract-cli"
    if wanted is not None:
        raise ExtractError(ErrorCode.OCR_FAILED, f"the OCR engine {wanted} is not installed")
    raise ExtractError(
        ErrorCode.OCR_FAILED,
        "OCR is not available: neither the tesserocr package nor the tesseract command is "
        "installed",
    )


@cache
def engine_version(name: str) -> str:
    """Versions for the record: ``tesseract=5.5.4 tesserocr=2.13.0`` or ``tesseract-cli=5.3.0``."""
    module = _tesserocr()
    if name == "tesserocr" and module is not None:
        version = str(module.tesseract_version()).split()[1]
        return f"tesseract={version} tesserocr={module.__version__}"
    binary = shutil.which("tesseract")
    if binary is None:
        return f"{name}=unavailable"
    out = subprocess.run(
        [binary, "--version"], capture_output=True, text=True, check=False, timeout=30
    )
    words = (out.stdout or out.stderr).split()
    return f"tesseract-cli={words[1] if len(words) > 1 else 'unknown'}"


_apis_lock = threading.Lock()
_apis: dict[tuple[str, str], tuple[tesserocr.PyTessBaseAPI, threading.Lock]] = {}


def _api(folder: Path, languages: str) -> tuple[tesserocr.PyTessBaseAPI, threading.Lock]:
    """One initialised Tesseract per (models folder, languages) and process, reused per page.

    Loading ``chi_sim`` takes about 0.15 s; a lock per instance because an instance is not safe
    to use from two threads at once.
    """
    key = (str(folder), languages)
    with _apis_lock:
        if key not in _apis:
            module = _tesserocr()
            try:
                api = module.PyTessBaseAPI(path=f"{folder}/", lang=languages)
            except RuntimeError as exc:
                raise ExtractError(
                    ErrorCode.OCR_FAILED, f"Tesseract could not load {languages}: {exc}"
                ) from exc
            for name, value in _VARIABLES.items():
                api.SetVariable(name, value)
            _apis[key] = (api, threading.Lock())
        return _apis[key]


def recognise(image: Image.Image, options: OcrOptions | None = None) -> OcrResult:
    """OCR one image (any mode; converted to 8-bit grey). ``E210`` when OCR cannot run."""
    options = options or OcrOptions()
    folder = tessdata_dir(options)
    grey = _prepare(image)
    if engine(options.engine) == "tesserocr":
        return _with_tesserocr(grey, folder, options.languages)
    return _with_cli(grey, folder, options.languages)


def _prepare(image: Image.Image) -> Image.Image:
    """Flatten transparency onto white and convert to 8-bit grey.

    Images are not enlarged: measured on CJK text, Tesseract reads 16 px glyphs (screen size)
    well and fails on glyphs of 96 px and more, so doubling a screenshot does more harm than good.
    """
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        background = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        image = Image.alpha_composite(background, rgba)
    return image if image.mode == "L" else image.convert("L")


def _tidy(text: str) -> str:
    lines = [line.rstrip() for line in clean_text(text).replace("\f", "\n").split("\n")]
    return "\n".join(lines).strip("\n")


def _with_tesserocr(grey: Image.Image, folder: Path, languages: str) -> OcrResult:
    api, lock = _api(folder, languages)
    with lock:
        try:
            api.SetImage(grey)
            text = api.GetUTF8Text()
            confidences = [c for c in api.AllWordConfidences() if c >= 0]
        except RuntimeError as exc:
            raise ExtractError(ErrorCode.OCR_FAILED, f"Tesseract failed: {exc}") from exc
        finally:
            api.Clear()
    mean = sum(confidences) / len(confidences) if confidences else None
    return OcrResult(_tidy(text), mean, languages, "tesserocr")


def _with_cli(grey: Image.Image, folder: Path, languages: str) -> OcrResult:
    binary = shutil.which("tesseract")
    if binary is None:  # pragma: no cover - engine() checked this
        raise ExtractError(ErrorCode.OCR_FAILED, "the tesseract command is not installed")
    with tempfile.TemporaryDirectory(prefix="indicia-ocr-") as tmp:
        source = Path(tmp) / "page.png"
        grey.save(source)
        base = Path(tmp) / "out"
        command = [binary, str(source), str(base), "-l", languages, "--tessdata-dir", str(folder)]
        for name, value in _VARIABLES.items():
            command += ["-c", f"{name}={value}"]
        command += ["txt", "tsv"]
        try:
            done = subprocess.run(
                command,
                capture_output=True,
                text=True,
                check=False,
                timeout=limits.OCR_CLI_TIMEOUT,
                env={"OMP_THREAD_LIMIT": "1", "LC_ALL": "C"},
            )
        except subprocess.TimeoutExpired as exc:
            raise ExtractError(ErrorCode.OCR_FAILED, "the tesseract command timed out") from exc
        if done.returncode != 0:
            raise ExtractError(
                ErrorCode.OCR_FAILED, f"the tesseract command failed: {done.stderr.strip()}"
            )
        text = base.with_suffix(".txt").read_text(encoding="utf-8")
        table = base.with_suffix(".tsv").read_text(encoding="utf-8")
    confidences = [
        float(row["conf"])
        for row in csv.DictReader(io.StringIO(table), delimiter="\t", quoting=csv.QUOTE_NONE)
        if row.get("level") == "5" and float(row.get("conf") or -1) >= 0
    ]
    mean = sum(confidences) / len(confidences) if confidences else None
    return OcrResult(_tidy(text), mean, languages, "tesseract-cli")
