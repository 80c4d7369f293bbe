"""Provenance input: what the collector tells us about where an item came from."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import datetime
from urllib.parse import urlsplit

from indicia.custody.events import format_utc
from indicia.errors import ErrorCode, IntakeError

METHOD_RE = re.compile(r"^[a-z][a-z0-9-]{0,49}$")
DEFAULT_METHOD = "file-copy"


@dataclass(frozen=True)
class ProvenanceInput:
    """Provenance supplied by the user (command line, API call or manifest row).

    Unset fields fall back: ``collected_at`` to the intake time, ``collector`` to the actor.
    """

    source_url: str | None = None
    final_url: str | None = None
    collected_at: str | None = None
    collector: str | None = None
    method: str | None = None
    note: str | None = None

    def merged(self, override: ProvenanceInput) -> ProvenanceInput:
        """This input with every field that ``override`` sets replaced."""
        changes = {k: v for k, v in vars(override).items() if v not in (None, "")}
        return replace(self, **changes)

    def validated(self) -> ProvenanceInput:
        """Check and normalise every field, raising :class:`IntakeError` (E110)."""
        return replace(
            self,
            source_url=check_url(self.source_url, "source URL"),
            final_url=check_url(self.final_url, "final URL"),
            collected_at=normalise_time(self.collected_at) if self.collected_at else None,
            method=check_method(self.method) if self.method else None,
        )


def check_url(url: str | None, what: str) -> str | None:
    """An absolute URL (scheme and location or path), or ``None``."""
    if url is None or url.strip() == "":
        return None
    url = url.strip()
    parts = urlsplit(url)
    if not parts.scheme or not (parts.netloc or parts.path) or any(c.isspace() for c in url):
        raise IntakeError(ErrorCode.INVALID_PROVENANCE, f"{what} is not an absolute URL: {url!r}")
    return url


def normalise_time(value: str) -> str:
    """ISO 8601 with an explicit offset, normalised to the log's UTC form."""
    raw = value.strip()
    try:
        moment = datetime.fromisoformat(raw.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError as exc:
        raise IntakeError(
            ErrorCode.INVALID_PROVENANCE, f"collected_at is not ISO 8601: {value!r}"
        ) from exc
    if moment.tzinfo is None:
        raise IntakeError(
            ErrorCode.INVALID_PROVENANCE,
            f"collected_at needs a timezone (e.g. 2026-03-14T09:30:00Z): {value!r}",
        )
    return format_utc(moment)


def check_method(method: str) -> str:
    """A capture-method label: lowercase letters, digits and hyphens (e.g. ``web-capture``)."""
    if not METHOD_RE.match(method):
        raise IntakeError(
            ErrorCode.INVALID_PROVENANCE,
            f"capture method must be lowercase letters, digits and hyphens: {method!r}",
        )
    return method
