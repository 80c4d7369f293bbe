"""Turn the bytes of a text or HTML file into text, and say which encoding did it.

Chinese material arrives in GB2312, GBK, GB18030, Big5 (with Microsoft or Hong Kong
extensions), UTF-8 and UTF-16, often mislabelled. The order of trust is: a byte-order mark, then
the charset the document declares (HTML only), then strict UTF-8, then statistical detection
(charset-normalizer). A candidate is accepted only if it decodes *every* byte strictly; a file
no candidate decodes is decoded with replacement characters (and a warning) when few bytes are
bad, and refused with ``E212`` otherwise.

Two families are widened on purpose: GB2312 and GBK are decoded as GB18030 (a superset, so GBK
extension characters in a page labelled GB2312 do not fail), and Big5 is tried as CP950 (Taiwan's
Windows code page) and then Big5-HKSCS (Hong Kong's extension).
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import charset_normalizer

from indicia.errors import ErrorCode, ExtractError
from indicia.extract import limits

Chunks = Callable[[], Iterator[bytes]]
"""Returns a fresh iterator over the source's bytes, so a failed attempt can start again."""

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32"),  # before UTF-16 LE: it starts with the same two bytes
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

# Labels seen on the web that Python's codec registry does not know.
_ALIASES = {"x-gbk": "gbk", "x-big5": "big5", "x-sjis": "shift_jis", "x-euc-jp": "euc_jp"}

_GB = frozenset({"gb2312", "gbk", "gb18030"})
_BIG5 = frozenset({"big5", "cp950", "big5hkscs"})
_LATIN = frozenset({"ascii", "iso8859-1", "cp1252"})
_UTF16 = frozenset({"utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-32-le", "utf-32-be"})

_NEWLINES = re.compile(r"\r\n?")
# What a wrong or damaged decoding produces: U+FFFD and C0/C1 controls (not tab, LF, FF, CR).
_BAD = re.compile("[\ufffd\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")
_LAST_RESORT = ("utf-8", "gb18030", "big5hkscs")
"""Codecs tried for a damaged file no detector recognises: the encodings of our material."""


@dataclass(frozen=True)
class Decoded:
    """Decoded text, the codec that produced it (Python's name for it), and what went wrong."""

    text: str
    charset: str
    warnings: list[str] = field(default_factory=list)


def clean_text(text: str) -> str:
    """Normalise line ends to LF and drop NUL characters.

    Offsets index the stored page text, so this is applied before a page is made. NUL is dropped
    because PostgreSQL text columns cannot hold it and it never carries meaning in a document.
    """
    return _NEWLINES.sub("\n", text).replace("\x00", "")


def candidates(label: str, *, byte_oriented: bool = True) -> tuple[str, ...]:
    """Python codecs to try, in order, for an encoding label; empty when the label is unknown.

    With ``byte_oriented`` (a label found inside ASCII-compatible bytes, like a ``<meta>`` tag),
    a UTF-16/32 label is a mistake by the page author and means UTF-8, as browsers treat it.
    """
    key = label.strip().strip("\"'").lower()
    key = _ALIASES.get(key, key)
    try:
        name = codecs.lookup(key).name
    except LookupError:
        return ()
    if name in _GB:
        return ("gb18030",)
    if name in _BIG5:
        return ("cp950", "big5hkscs")
    if name in _LATIN:
        return ("cp1252", "iso8859-1")  # browsers read Latin-1 labels as Windows-1252
    if byte_oriented and name in _UTF16:
        return ("utf-8",)
    return (name,)


def bom_codec(head: bytes) -> str | None:
    """The codec a leading byte-order mark names, if there is one."""
    return next((codec for bom, codec in _BOMS if head.startswith(bom)), None)


def decode_bytes(data: bytes, declared: str | None = None) -> Decoded:
    """Decode a whole byte string (HTML); ``declared`` is the charset the document states."""
    return _decode(lambda: iter((data,)), data[: limits.DETECT_SAMPLE_BYTES], declared)


def decode_file(path: Path) -> Decoded:
    """Decode a file (plain text) without holding its bytes in memory beside the text."""

    def chunks() -> Iterator[bytes]:
        with path.open("rb") as handle:
            while chunk := handle.read(limits.READ_CHUNK):
                yield chunk

    with path.open("rb") as handle:
        head = handle.read(limits.DETECT_SAMPLE_BYTES)
    return _decode(chunks, head, None)


def _run(chunks: Chunks, codec: str, errors: str) -> str:
    decoder = codecs.getincrementaldecoder(codec)(errors=errors)
    parts = [decoder.decode(chunk) for chunk in chunks()]
    parts.append(decoder.decode(b"", final=True))
    return "".join(parts)


def _strict(chunks: Chunks, codec: str) -> str | None:
    try:
        return _run(chunks, codec, "strict")
    except UnicodeDecodeError:
        return None


def _decode(chunks: Chunks, head: bytes, declared: str | None) -> Decoded:
    warnings: list[str] = []
    bom = bom_codec(head)
    if bom is not None:
        return _lenient(chunks, (bom,), head, warnings, "its byte-order mark")

    tried: list[str] = []
    declared_codecs = candidates(declared) if declared else ()
    if declared:
        if not declared_codecs:
            warnings.append(f"the declared charset {declared!r} is unknown; detecting instead")
        for codec in declared_codecs:
            tried.append(codec)
            if (text := _strict(chunks, codec)) is not None:
                return Decoded(text, codec, warnings)
        if declared_codecs:
            warnings.append(
                f"the declared charset {declared!r} does not decode the bytes; detecting instead"
            )

    if "utf-8" not in tried:
        tried.append("utf-8")
        if (text := _strict(chunks, "utf-8")) is not None:
            return Decoded(text, "utf-8", warnings)

    guess = charset_normalizer.from_bytes(head).best()
    guessed = candidates(guess.encoding, byte_oriented=False) if guess is not None else ()
    if guessed and guessed[0] in _UTF16 and head.count(b"\x00") * 100 < len(head):
        # UTF-16/32 text without a byte-order mark is full of NUL bytes (its ASCII half); a
        # guess of UTF-16 for bytes with almost none is the detector failing on damaged text.
        guessed = ()
    for codec in guessed:
        if codec in tried:
            continue
        tried.append(codec)
        if (text := _strict(chunks, codec)) is not None:
            return Decoded(text, codec, warnings)

    # Nothing decodes every byte: a damaged file. Take the likeliest codec, replacing bad bytes.
    pool = dict.fromkeys((*guessed, *declared_codecs, *_LAST_RESORT))
    return _lenient(chunks, tuple(pool), head, warnings, "the closest fit")


def _bad_share(text: str) -> float:
    """Share of characters that betray a wrong codec: replacement characters and controls."""
    return len(_BAD.findall(text)) / max(len(text), 1)


def _lenient(
    chunks: Chunks, pool: tuple[str, ...], head: bytes, warnings: list[str], why: str
) -> Decoded:
    """Decode strictly with the first codec that can, else with the one whose damage is least
    (judged on the first bytes), replacing bad bytes; refuse (``E212``) when too many are bad."""
    for codec in pool:
        if (text := _strict(chunks, codec)) is not None:
            return Decoded(text, codec, warnings)
    codec = min(pool, key=lambda c: _bad_share(head.decode(c, errors="replace")))
    text = _run(chunks, codec, "replace")
    share = _bad_share(text)
    if share > limits.MAX_REPLACED_SHARE:
        raise ExtractError(
            ErrorCode.ENCODING_UNKNOWN,
            f"no encoding decodes this file: even the closest, {codec}, leaves {share:.1%} of "
            "the characters invalid or control characters",
        )
    replaced = text.count("\ufffd")
    warnings.append(f"decoded as {codec} ({why}) with {replaced} invalid byte sequence(s) replaced")
    return Decoded(text, codec, warnings)
