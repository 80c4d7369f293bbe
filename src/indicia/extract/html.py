"""HTML and XHTML pages (``html.v1``): the article's main text, title, date and canonical URL.

trafilatura (Apache-2.0) finds the main text and leaves out navigation, sidebars, share buttons,
comments and footers (134 pages/s on one core, ``shared/measurements.md`` section 3). The
publication date is taken only from the page's markup (meta tags, ``<time>``, structured data):
trafilatura's "extensive" search is off because it turns a footer's "© 2023" into 2023-01-01,
which would be false evidence. The canonical URL comes from ``<link rel="canonical">``, else
from trafilatura's metadata (``og:url``).

Decoding follows :mod:`indicia.extract.encoding`: byte-order mark, then ``<meta charset>`` /
``http-equiv`` / XML declaration, then detection; GB2312/GBK are read as GB18030. If trafilatura
finds no main text, the page's whole visible text is kept, with a warning. The result is one
page (number 1), method ``html-main``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import trafilatura
from lxml import etree
from lxml import html as lxml_html
from trafilatura.settings import Document

from indicia.errors import ErrorCode, ExtractError
from indicia.extract import limits, versions, xmlsafe
from indicia.extract.base import Extraction, Page
from indicia.extract.encoding import clean_text, decode_bytes

NAME = "html.v1"

_META_CHARSET = re.compile(rb"<meta[^>]+?charset\s*=\s*[\"']?\s*([A-Za-z0-9_.:-]+)", re.IGNORECASE)
_XML_ENCODING = re.compile(rb"^\s*<\?xml[^>]+encoding\s*=\s*[\"']([A-Za-z0-9_.:-]+)")
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>")
DATE_PARAMS = {
    "original_date": True,
    "extensive_search": False,
    # A fixed ceiling keeps the result independent of the day the extraction runs.
    "max_date": "2099-12-31",
}
_INVISIBLE = ("script", "style", "noscript", "template", "head", "svg", "iframe", "object")
_BLOCKS = frozenset(
    {
        *("address", "article", "aside", "blockquote", "br", "dd", "details", "div", "dl", "dt"),
        *("fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5"),
        *("h6", "header", "hr", "li", "main", "nav", "ol", "p", "pre", "section", "summary"),
        *("table", "td", "th", "tr", "ul"),
    }
)
_SPACES = re.compile(r"[ \t\u00a0\u3000]+")


@dataclass(frozen=True)
class Loaded:
    """A page read, decoded, checked and parsed (shared by ``html.v1`` and ``html.v2``)."""

    charset: str
    warnings: list[str]
    markup: str
    """The decoded text as parsed (XML declaration removed, NUL and the like cleaned)."""
    tree: lxml_html.HtmlElement


def load(path: Path) -> Loaded:
    """Read, decode and parse the page at ``path``: ``E207`` over the size limit, ``E208``
    for entity declarations, ``E209`` when empty, ``E206`` when lxml cannot parse it."""
    size = path.stat().st_size
    if size > limits.MAX_HTML_BYTES:
        raise ExtractError(
            ErrorCode.DECOMPRESSION_BOMB,
            f"the page is {size} bytes (limit {limits.MAX_HTML_BYTES} for HTML)",
        )
    data = path.read_bytes()
    decoded = decode_bytes(data, declared_charset(data))
    # lxml refuses a str that carries an encoding declaration, and turns NUL into U+FFFD.
    markup = clean_text(_XML_DECL.sub("", decoded.text, count=1))
    xmlsafe.refuse_entity_declarations(markup, "the page")
    if not markup.strip():
        raise ExtractError(ErrorCode.NO_TEXT, "the page is empty")
    try:
        tree = lxml_html.document_fromstring(markup)
    except (etree.ParserError, ValueError) as exc:
        raise ExtractError(ErrorCode.CORRUPT_FILE, f"the page cannot be parsed: {exc}") from exc
    return Loaded(decoded.charset, list(decoded.warnings), markup, tree)


def extract(path: Path, media_type: str) -> Extraction:
    """Extract the main text of the HTML or XHTML page at ``path``."""
    loaded = load(path)
    markup, tree = loaded.markup, loaded.tree
    canonical = canonical_link(tree)
    found = trafilatura.bare_extraction(
        tree,
        with_metadata=True,
        include_comments=False,
        include_tables=True,
        date_extraction_params=DATE_PARAMS,
    )
    document = found if isinstance(found, Document) else None
    text = clean_text(document.text or "") if document is not None else ""
    title = clean_value(document.title) if document is not None else None
    published = clean_value(document.date) if document is not None else None
    if canonical is None and document is not None:
        canonical = clean_value(document.url)
    return page_extraction(
        loaded,
        text,
        # trafilatura has pruned the first tree: the fallback parses the page again.
        fallback=lambda: lxml_html.document_fromstring(markup),
        extractor=NAME,
        tool_version=f"trafilatura={versions.of('trafilatura')} lxml={etree.__version__}",
        title=title,
        published=published,
        canonical=canonical,
    )


def page_extraction(
    loaded: Loaded,
    text: str,
    *,
    fallback: Callable[[], lxml_html.HtmlElement],
    extractor: str,
    tool_version: str,
    title: str | None,
    published: str | None,
    canonical: str | None,
) -> Extraction:
    """The one page of an HTML extraction; with no main text, the page's whole visible text
    (from the ``fallback`` tree) is kept and a warning says so; with none at all, ``E209``."""
    warnings = loaded.warnings
    if not text.strip():
        fresh = fallback()
        title = title or clean_value(fresh.findtext(".//title"))
        text = visible_text(fresh)
        warnings.append("no main text found; the page's whole visible text was kept")
    if not text.strip():
        raise ExtractError(ErrorCode.NO_TEXT, "the page has no visible text")
    return Extraction(
        pages=[Page(1, text, "html-main")],
        tool="trafilatura",
        tool_version=tool_version,
        extractor=extractor,
        title=title,
        published=published,
        canonical_url=canonical,
        charset=loaded.charset,
        warnings=warnings,
    )


def declared_charset(data: bytes) -> str | None:
    """The charset the page declares in its first bytes (XML declaration or ``<meta>``)."""
    head = data[: limits.HTML_PRESCAN_BYTES]
    match = _XML_ENCODING.match(head) or _META_CHARSET.search(head)
    return match.group(1).decode("ascii") if match else None


def clean_value(value: str | None) -> str | None:
    """``value`` with its whitespace collapsed, or None when nothing is left."""
    if value is None:
        return None
    value = " ".join(clean_text(value).split())
    return value or None


def canonical_link(tree: lxml_html.HtmlElement) -> str | None:
    """The ``href`` of the page's first ``<link rel="canonical">``, if any."""
    for link in tree.iter("link"):
        rel = (link.get("rel") or "").lower().split()
        href = (link.get("href") or "").strip()
        if "canonical" in rel and href:
            return href
    return None


def visible_text(tree: lxml_html.HtmlElement) -> str:
    """All text a reader would see, one line per block element, whitespace tidied."""
    for element in list(tree.iter(*_INVISIBLE)):
        if element.getparent() is not None:
            element.drop_tree()
    parts: list[str] = []
    for event, element in etree.iterwalk(tree, events=("start", "end")):
        is_element = isinstance(element.tag, str)  # comments and processing instructions are not
        block = is_element and element.tag.lower() in _BLOCKS
        if block:
            parts.append("\n")
        if event == "start":
            if is_element and element.text:
                parts.append(element.text)
        elif element.tail and element is not tree:
            parts.append(element.tail)
    lines = (_SPACES.sub(" ", line).strip() for line in clean_text("".join(parts)).split("\n"))
    return "\n".join(line for line in lines if line)
