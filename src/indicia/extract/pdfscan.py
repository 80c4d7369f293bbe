"""Find Flate "bombs" in a PDF before PDFium parses it.

PDFium inflates a page's content stream and parses it into objects when the page is loaded, with
no size limit of its own: a 31 KB file whose content stream inflates to 21 MB of text operators
took 1.8 GB of memory. This scan walks the raw file (memory-mapped, so it is never read into
memory as a whole), finds every stream whose dictionary names ``/FlateDecode``, and inflates it
into nothing, counting bytes, until it ends or passes a cap. Chained filters
(``[/FlateDecode /FlateDecode]``, a million-fold ratio) are inflated layer by layer with bounded
buffers. Image streams are skipped: PDFium decodes images only when rendering, and rendering has
its own pixel cap.

Known gaps: streams inside an encrypted PDF cannot be inflated before decryption and are not
checked, nor are LZW streams (rare since PDF 1.2); the worker's memory limit covers those.
"""

from __future__ import annotations

import mmap
import re
import zlib
from collections.abc import Iterator
from pathlib import Path

from indicia.errors import ErrorCode, ExtractError
from indicia.extract import limits

_STREAM = re.compile(rb"(?<!end)stream(?:\r\n|\n|\r)")
_OBJ = re.compile(rb"\bobj\b")
_FONT = re.compile(rb"/Length[123]\b|/Subtype\s*/(?:Type1C|CIDFontType0C|OpenType)\b")
_IMAGE = re.compile(rb"/Subtype\s*/Image\b")
_DICT_WINDOW = 2048
_CHUNK = 64 * 1024


def check_streams(path: Path) -> None:
    """Raise ``E207`` if any non-image Flate stream of the PDF inflates past its cap."""
    with path.open("rb") as handle:
        try:
            buf = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
        except ValueError:  # an empty file cannot be mapped; PDFium will reject it
            return
        with buf:
            _check(buf)


def _check(buf: mmap.mmap) -> None:
    total = 0
    for match in _STREAM.finditer(buf):
        start = match.start()
        window = buf[max(0, start - _DICT_WINDOW) : start]
        objs = list(_OBJ.finditer(window))
        if objs:
            window = window[objs[-1].end() :]
        layers = window.count(b"/FlateDecode")
        if layers == 0 or _IMAGE.search(window):
            continue
        is_font = _FONT.search(window) is not None
        cap = limits.PDF_MAX_FONT_BYTES if is_font else limits.PDF_MAX_STREAM_BYTES
        size = _inflated_size(buf, match.end(), layers, cap)
        if size > cap:
            kind = "font program" if is_font else "content stream"
            raise ExtractError(
                ErrorCode.DECOMPRESSION_BOMB,
                f"a {kind} at byte {start} inflates past {cap // limits.MIB} MiB "
                "(PDF decompression bomb)",
            )
        total += size
        if total > limits.PDF_MAX_INFLATED_TOTAL:
            raise ExtractError(
                ErrorCode.DECOMPRESSION_BOMB,
                f"the PDF's streams inflate past {limits.PDF_MAX_INFLATED_TOTAL // limits.MIB} MiB "
                "in total (PDF decompression bomb)",
            )


def _raw(buf: mmap.mmap, start: int) -> Iterator[bytes]:
    for pos in range(start, len(buf), _CHUNK):
        yield buf[pos : pos + _CHUNK]


def _inflate(chunks: Iterator[bytes]) -> Iterator[bytes]:
    """Inflate a chunk stream, yielding at most ``_CHUNK`` bytes at a time (bounded memory)."""
    decoder = zlib.decompressobj()
    for chunk in chunks:
        data = chunk
        while data and not decoder.eof:
            out = decoder.decompress(data, _CHUNK)
            yield out
            data = decoder.unconsumed_tail
        if decoder.eof:
            return


def _inflated_size(buf: mmap.mmap, start: int, layers: int, cap: int) -> int:
    """Inflated size of the stream at ``start`` through ``layers`` Flate filters, or cap + 1."""
    stage: Iterator[bytes] = _raw(buf, start)
    for _ in range(layers):
        stage = _inflate(stage)
    size = 0
    try:
        for out in stage:
            size += len(out)
            if size > cap:
                return cap + 1
    except zlib.error:
        pass  # not Flate data after all (encrypted, or a false match): PDFium decides
    return size
