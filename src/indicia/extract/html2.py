"""HTML and XHTML pages (``html.v2``, the default since it was added): as ``html.v1``, faster.

What it keeps is what ``html.v1`` keeps: the article's main text without navigation, sidebars,
comments or footers (trafilatura, Apache-2.0), the title, the publication date from the page's
markup only, the canonical URL, and the charset used. Decoding, limits and the fallback to the
whole visible text are shared with :mod:`indicia.extract.html`. Two things differ:

* trafilatura runs with ``fast=True``: its own main-text extractor alone, without the second
  opinions of readability and jusText (saves about 1.3 ms of 6.6 ms a page; the same paragraph
  recall and no boilerplate on the benchmark corpus and the demo pages, ``docs/extraction.md``).
* Only the metadata Indicia stores is looked up: the title and URL with trafilatura's own
  functions (meta tags, JSON-LD, then ``<title>``/``<h1>``; ``og:url``), and the date with
  htmldate (Apache-2.0) under the same parameters as ``html.v1`` (markup only, no "extensive"
  search). trafilatura's ``with_metadata`` also looks for the author, site name, categories,
  tags and licence, which cost about 2 ms a page and are not stored. The title and date are now
  kept when no main text is found, too (``html.v1`` lost them with the main text).

Measured alternatives (``docs/extraction.md``): resiliparse's ``main_content`` is 6x faster but
keeps breadcrumbs, "mobile version" links, "hot news" headings and print/close buttons of the
demo's Chinese government and news pages, so it is not used.
"""

from __future__ import annotations

import contextlib
from pathlib import Path

import trafilatura
from htmldate import find_date
from lxml import etree
from lxml import html as lxml_html
from trafilatura.metadata import examine_meta, extract_meta_json, extract_title, extract_url
from trafilatura.settings import Document, Extractor

from indicia.extract import versions
from indicia.extract.base import Extraction
from indicia.extract.encoding import clean_text
from indicia.extract.html import (
    DATE_PARAMS,
    canonical_link,
    clean_value,
    load,
    page_extraction,
)

NAME = "html.v2"

_OPTIONS = Extractor(output_format="python", fast=True, comments=False, tables=True)
"""Built once: trafilatura reads its configuration anew for every call that passes keyword
options (0.15 ms a page); it never changes an ``Extractor`` it is given."""


def extract(path: Path, media_type: str) -> Extraction:
    """Extract the main text and metadata of the HTML or XHTML page at ``path``."""
    loaded = load(path)
    tree = loaded.tree
    canonical = canonical_link(tree)
    title, url, published = metadata(tree)
    # bare_extraction works on a copy of the tree it is given, so ``tree`` stays whole.
    found = trafilatura.bare_extraction(tree, options=_OPTIONS)
    text = clean_text(found.text or "") if isinstance(found, Document) else ""
    if canonical is None:
        canonical = url
    return page_extraction(
        loaded,
        text,
        fallback=lambda: tree,
        extractor=NAME,
        tool_version=(
            f"trafilatura={versions.of('trafilatura')} htmldate={versions.of('htmldate')} "
            f"lxml={etree.__version__}"
        ),
        title=title,
        published=published,
        canonical=canonical,
    )


def metadata(tree: lxml_html.HtmlElement) -> tuple[str | None, str | None, str | None]:
    """``(title, url, publication date)`` of a parsed page, each cleaned, or None.

    The same steps and order as trafilatura's ``extract_metadata`` for these three fields: meta
    tags (Open Graph and others), then JSON-LD overriding them, then the title element or
    headings; the URL from meta tags or the canonical link; the date by htmldate, told the URL.
    """
    found = examine_meta(tree)
    with contextlib.suppress(Exception):  # malformed JSON-LD: trafilatura also carries on
        found = extract_meta_json(tree, found)
    title = found.title or extract_title(tree)
    url = found.url or extract_url(tree)
    date = find_date(
        tree,
        extensive_search=bool(DATE_PARAMS["extensive_search"]),
        original_date=bool(DATE_PARAMS["original_date"]),
        max_date=str(DATE_PARAMS["max_date"]),
        url=url,
    )
    return clean_value(title), clean_value(url), clean_value(date)
