"""Custody events and their hash chain.

An event is ``seq, at, actor, action, subject, details, prev_hash, hash``. Its hash is the
SHA-256 of the event's canonical JSON (every field but ``hash``, ``prev_hash`` included), so
each event commits to the whole history before it. ``docs/custody.md`` specifies the
serialisation precisely enough for an independent verifier.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

GENESIS_HASH = "0" * 64
"""``prev_hash`` of the first event (seq 1)."""

JSONValue = None | bool | int | str | list["JSONValue"] | dict[str, "JSONValue"]


def canonical_json(value: Any) -> str:
    """Serialise ``value`` canonically: sorted keys, no whitespace, UTF-8 characters unescaped.

    Floats are refused: their text form differs between languages, and custody details never
    need them.
    """
    _reject_floats(value)
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def _reject_floats(value: Any) -> None:
    if isinstance(value, float):
        raise TypeError("custody details may not contain floats; use integers or strings")
    if isinstance(value, dict):
        for key, item in value.items():
            if not isinstance(key, str):
                raise TypeError("custody detail keys must be strings")
            _reject_floats(item)
    elif isinstance(value, list | tuple):
        for item in value:
            _reject_floats(item)


def utc_now() -> str:
    """The current time as the log writes it: ISO 8601, UTC, microseconds, ``Z``."""
    return format_utc(datetime.now(UTC))


def format_utc(moment: datetime) -> str:
    """Format an aware datetime as ``YYYY-MM-DDTHH:MM:SS.ffffffZ`` in UTC."""
    if moment.tzinfo is None:
        raise ValueError("naive datetime: give a timezone")
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


@dataclass(frozen=True)
class CustodyEvent:
    """One link of the custody chain, as stored."""

    seq: int
    at: str
    actor: str
    action: str
    subject: str
    details: dict[str, Any]
    prev_hash: str
    hash: str

    def content(self) -> dict[str, Any]:
        """The hashed fields (everything but ``hash``)."""
        return event_content(
            self.seq, self.at, self.actor, self.action, self.subject, self.details, self.prev_hash
        )

    def to_json(self) -> str:
        """The export form: canonical JSON of every field, ``hash`` included."""
        return canonical_json({**self.content(), "hash": self.hash})


def event_content(
    seq: int,
    at: str,
    actor: str,
    action: str,
    subject: str,
    details: dict[str, Any],
    prev_hash: str,
) -> dict[str, Any]:
    """The dictionary an event's hash is computed over."""
    return {
        "seq": seq,
        "at": at,
        "actor": actor,
        "action": action,
        "subject": subject,
        "details": details,
        "prev_hash": prev_hash,
    }


def event_hash(content: dict[str, Any]) -> str:
    """SHA-256 (hex) of the canonical JSON of an event's content."""
    return hashlib.sha256(canonical_json(content).encode("utf-8")).hexdigest()


_NEEDS_ESCAPE = re.compile(r'["\\\x00-\x1f]')


def _text(value: str) -> str:
    """A JSON string literal, as ``json.dumps(value, ensure_ascii=False)`` writes it."""
    if _NEEDS_ESCAPE.search(value) is None:
        return f'"{value}"'
    return json.dumps(value, ensure_ascii=False)


def content_text(
    seq: int, at: str, actor: str, action: str, subject: str, details_text: str, prev_hash: str
) -> str:
    """The canonical JSON of an event's content, built around details already serialised.

    Equal to ``canonical_json(event_content(...))`` when ``details_text`` is canonical (a test
    checks this); it lets verification hash events as stored without re-serialising them.
    """
    return (
        f'{{"action":{_text(action)},"actor":{_text(actor)},"at":{_text(at)},'
        f'"details":{details_text},"prev_hash":{_text(prev_hash)},"seq":{int(seq)},'
        f'"subject":{_text(subject)}}}'
    )


def text_hash(text: str) -> str:
    """SHA-256 (hex) of UTF-8 text."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class PendingEvent:
    """An event not yet chained: the log assigns seq, prev_hash and hash when it appends."""

    actor: str
    action: str
    subject: str
    details: dict[str, Any]
    at: str

    def chain(self, seq: int, prev_hash: str) -> CustodyEvent:
        """Link this event after ``prev_hash`` as number ``seq``."""
        content = event_content(
            seq, self.at, self.actor, self.action, self.subject, self.details, prev_hash
        )
        return CustodyEvent(
            seq=seq,
            at=self.at,
            actor=self.actor,
            action=self.action,
            subject=self.subject,
            details=self.details,
            prev_hash=prev_hash,
            hash=event_hash(content),
        )


def pending(
    actor: str, action: str, subject: str, details: dict[str, Any], at: str | None = None
) -> PendingEvent:
    """A new event stamped ``at`` (default: now, UTC); its details are checked for JSON safety."""
    canonical_json(details)
    return PendingEvent(
        actor=actor, action=action, subject=subject, details=details, at=at or utc_now()
    )
