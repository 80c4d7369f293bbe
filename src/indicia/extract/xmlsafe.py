"""Parse untrusted XML without entity expansion, external entities, DTDs or network access.

Office parts and XHTML pages are XML written by whoever made the file. Two attacks matter: entity
expansion ("billion laughs": a few hundred bytes that expand to gigabytes) and external entities
(``<!ENTITY x SYSTEM "file:///etc/passwd">``, which would copy a local file into the evidence).
Legitimate Office parts never carry a document type declaration, and web pages never declare
their own entities, so a declaration of entities is refused as an attack (``E208``) instead of
being parsed carefully.
"""

from __future__ import annotations

import re

from lxml import etree

from indicia.errors import ErrorCode, ExtractError

_DOCTYPE = re.compile(rb"<!DOCTYPE", re.IGNORECASE)
_ENTITY_DECL = re.compile(r"<!DOCTYPE[^>\[]*\[[^\]]*<!ENTITY", re.IGNORECASE | re.DOTALL)


def _parser() -> etree.XMLParser:
    # A fresh parser per call: lxml parsers are not safe to share between threads.
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )


def parse_part(data: bytes, name: str) -> etree._Element:
    """Parse one XML part of a container; ``E208`` if it declares a DTD, ``E206`` if malformed."""
    if _DOCTYPE.search(data[:4096]):
        raise ExtractError(
            ErrorCode.XML_ENTITY_ATTACK, f"{name} carries a document type declaration (refused)"
        )
    try:
        root = etree.fromstring(data, _parser())
    except etree.XMLSyntaxError as exc:
        if "entit" in str(exc).lower():
            raise ExtractError(
                ErrorCode.XML_ENTITY_ATTACK, f"{name}: entity expansion refused ({exc})"
            ) from exc
        raise ExtractError(ErrorCode.CORRUPT_FILE, f"{name} is not well-formed XML: {exc}") from exc
    docinfo = root.getroottree().docinfo
    if docinfo.internalDTD is not None or docinfo.doctype:
        raise ExtractError(
            ErrorCode.XML_ENTITY_ATTACK, f"{name} carries a document type declaration (refused)"
        )
    return root


def refuse_entity_declarations(markup: str, name: str) -> None:
    """``E208`` when an (X)HTML page declares entities in an internal DTD subset."""
    if _ENTITY_DECL.search(markup, 0, 1 << 20):
        raise ExtractError(
            ErrorCode.XML_ENTITY_ATTACK,
            f"{name} declares XML entities in its DOCTYPE (possible entity-expansion attack)",
        )
