"""Appending to and reading the custody log in the database.

Appends happen only inside :meth:`Database.write` transactions, which hold the single-writer
lock, so ``seq`` and ``prev_hash`` are read and extended atomically. Nothing updates or deletes
an event.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from sqlalchemy import Connection, select

from indicia.custody.chain import StoredEvent
from indicia.custody.events import GENESIS_HASH, CustodyEvent, PendingEvent, canonical_json
from indicia.store.schema import custody_events

READ_BATCH = 5000


class ChainWriter:
    """Chains pending events after the current head, within one write transaction."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        row = conn.execute(
            select(custody_events.c.seq, custody_events.c.hash)
            .order_by(custody_events.c.seq.desc())
            .limit(1)
        ).first()
        self.seq, self.head = (int(row.seq), str(row.hash)) if row else (0, GENESIS_HASH)
        self._rows: list[dict[str, Any]] = []

    def add(self, event: PendingEvent) -> CustodyEvent:
        """Chain ``event``; it is written at the next :meth:`flush`."""
        chained = event.chain(self.seq + 1, self.head)
        self.seq, self.head = chained.seq, chained.hash
        self._rows.append(
            {
                "seq": chained.seq,
                "at": chained.at,
                "actor": chained.actor,
                "action": chained.action,
                "subject": chained.subject,
                "details": canonical_json(chained.details),
                "prev_hash": chained.prev_hash,
                "hash": chained.hash,
            }
        )
        return chained

    def flush(self) -> None:
        """Insert the chained events (before any record that refers to them)."""
        if self._rows:
            self.conn.execute(custody_events.insert(), self._rows)
            self._rows = []


def _stored(position: int, row: Any) -> StoredEvent:
    return StoredEvent(
        position=position,
        seq=int(row.seq),
        at=row.at,
        actor=row.actor,
        action=row.action,
        subject=row.subject,
        details=row.details,
        prev_hash=row.prev_hash,
        hash=row.hash,
    )


def iter_stored(conn: Connection, subject: str | None = None) -> Iterator[StoredEvent]:
    """Events as stored, in seq order, read in batches (keyset pagination)."""
    last = -1
    position = 0
    while True:
        query = select(custody_events).where(custody_events.c.seq > last)
        if subject is not None:
            query = query.where(custody_events.c.subject == subject)
        rows = conn.execute(query.order_by(custody_events.c.seq).limit(READ_BATCH)).all()
        if not rows:
            return
        for row in rows:
            position += 1
            yield _stored(position, row)
        last = int(rows[-1].seq)


def to_event(stored: StoredEvent) -> CustodyEvent:
    """Parse a stored event for display (verification works on :class:`StoredEvent`)."""
    try:
        details = json.loads(stored.details)
    except ValueError:
        details = {"unreadable": stored.details}
    return CustodyEvent(
        seq=stored.seq,
        at=stored.at,
        actor=stored.actor,
        action=stored.action,
        subject=stored.subject,
        details=details if isinstance(details, dict) else {"value": details},
        prev_hash=stored.prev_hash,
        hash=stored.hash,
    )
