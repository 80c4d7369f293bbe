"""``email.v1``: an e-mail message (``.eml``). Its page holds the main headers and the body;
each attachment (and each attached message) becomes a child document.

Header values are decoded per RFC 2047 by the standard library; bodies in GB2312 or GBK are
decoded as GB18030, their superset.
"""

from __future__ import annotations

import platform
from email import policy
from email.message import EmailMessage, Message
from email.parser import BytesParser
from email.utils import parsedate_to_datetime
from pathlib import Path

from lxml import html as lxml_html

from indicia.custody.events import format_utc
from indicia.errors import ErrorCode, ExtractError
from indicia.extract import limits
from indicia.extract.base import Extraction, Page
from indicia.extract.children import ChildWriter
from indicia.extract.html import visible_text

NAME = "email.v1"
HEADERS = ("From", "To", "Cc", "Date", "Subject")
_SUPERSETS = {"gb2312": "gb18030", "gbk": "gb18030", "big5": "cp950", "x-gbk": "gb18030"}


def _decode(part: Message) -> str:
    payload = part.get_payload(decode=True)
    if not isinstance(payload, bytes):
        return ""
    charset = (part.get_content_charset() or "utf-8").lower()
    charset = _SUPERSETS.get(charset, charset)
    try:
        return payload.decode(charset, errors="replace")
    except LookupError:
        return payload.decode("utf-8", errors="replace")


def extract(path: Path, media_type: str) -> Extraction:
    """Headers and body as page 1; attachments as children."""
    if path.stat().st_size > limits.MAX_TEXT_BYTES:
        raise ExtractError(ErrorCode.DECOMPRESSION_BOMB, "message larger than the text limit")
    with path.open("rb") as fh:
        message = BytesParser(policy=policy.default).parse(fh)
    if not isinstance(message, EmailMessage) or not any(message.get(h) for h in HEADERS):
        raise ExtractError(ErrorCode.CORRUPT_FILE, "no e-mail headers found")
    writer = ChildWriter()
    warnings: list[str] = []
    body = ""
    body_part = message.get_body(preferencelist=("plain", "html"))
    if body_part is not None:
        body = _decode(body_part)
        if body_part.get_content_type() == "text/html" and body.strip():
            body = visible_text(lxml_html.fromstring(body))
    for part in message.iter_attachments():
        name = part.get_filename() or f"attachment.{part.get_content_subtype()}"
        if part.get_content_type() == "message/rfc822":
            inner = part.get_payload()
            attached = inner[0] if isinstance(inner, list) else inner
            if isinstance(attached, Message):
                label = name if name.endswith(".eml") else f"{name}.eml"
                writer.add(label, attached.as_bytes(), note="message attached to an e-mail")
            continue
        payload = part.get_payload(decode=True)
        if isinstance(payload, bytes):
            writer.add(name, payload, note="e-mail attachment")
        else:
            warnings.append(f"attachment {name!r} could not be decoded")
    header_lines = [f"{h}: {message.get(h)}" for h in HEADERS if message.get(h)]
    if writer.children:
        header_lines.append("Attachments: " + ", ".join(c.name for c in writer.children))
    text = "\n".join(header_lines) + "\n\n" + body.replace("\r\n", "\n").strip()
    return Extraction(
        pages=[Page(1, text.replace("\x00", ""), "email-body")],
        tool="email",
        tool_version=f"python={platform.python_version()}",
        extractor=NAME,
        title=str(message.get("Subject")) if message.get("Subject") else None,
        published=_date(message),
        children=writer.children,
        warnings=warnings,
    )


def _date(message: Message) -> str | None:
    raw = message.get("Date")
    if not raw:
        return None
    try:
        moment = parsedate_to_datetime(str(raw))
    except (TypeError, ValueError):
        return None
    return format_utc(moment) if moment.tzinfo else None
