"""Walk a custody log and say precisely what is wrong with it.

The checker works on events exactly as stored (``details`` as the stored JSON text), so one
function serves the database and an exported JSON Lines file. It finds:

* altered events: the content no longer hashes to the stored hash;
* deleted events: an event's predecessor (by ``prev_hash``) is not in the log;
* inserted events: an event that the chain does not pass through (nothing links to it, or it
  forks the chain beside the genuine successor);
* reordered events: the stored order or ``seq`` differs from the order the hashes chain in.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from indicia.custody.events import GENESIS_HASH, content_text, text_hash
from indicia.errors import ErrorCode


@dataclass(frozen=True)
class StoredEvent:
    """An event as read back, before any trust: ``details`` is the raw stored text."""

    position: int
    """Where it was read: its rank by seq in the database, or its line number in an export."""
    seq: int
    at: str
    actor: str
    action: str
    subject: str
    details: str
    prev_hash: str
    hash: str


@dataclass(frozen=True)
class Problem:
    """One precise finding of verification."""

    code: ErrorCode
    message: str
    seq: int | None = None
    subject: str | None = None
    data: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        """JSON-friendly form."""
        return {
            "code": self.code.value,
            "message": self.message,
            "seq": self.seq,
            "subject": self.subject,
            **({"data": self.data} if self.data else {}),
        }


def _hash_as(event: StoredEvent, seq: int) -> str:
    """The hash ``event`` would have as number ``seq``, over its details exactly as stored."""
    return text_hash(
        content_text(
            seq,
            event.at,
            event.actor,
            event.action,
            event.subject,
            event.details,
            event.prev_hash,
        )
    )


def _no_floats(text: str) -> Any:
    raise ValueError(f"a floating-point number ({text}), which Indicia never writes")


def _parse(event: StoredEvent) -> tuple[dict[str, Any] | None, str | None]:
    """Return (details, why they are not what Indicia writes); details ``None`` if unreadable."""
    try:
        details = json.loads(event.details, parse_float=_no_floats, parse_constant=_no_floats)
    except (ValueError, TypeError) as exc:
        return None, f"details are not valid canonical JSON ({exc})"
    if not isinstance(details, dict):
        return None, "details are not a JSON object"
    canonical = json.dumps(details, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    if canonical != event.details:
        return details, "details are not in canonical form"
    return details, None


def check_chain(events: Sequence[StoredEvent]) -> list[Problem]:
    """Verify a whole log. ``events`` are in stored order; an empty list is a valid log."""
    problems: list[Problem] = []
    parsed: list[dict[str, Any] | None] = []
    intact: list[bool] = []
    for ev in events:
        details, reason = _parse(ev)
        parsed.append(details)
        if details is None:
            problems.append(
                Problem(
                    ErrorCode.EVENT_UNREADABLE,
                    f"event seq {ev.seq}: {reason}",
                    ev.seq,
                    ev.subject,
                    {"position": ev.position},
                )
            )
            intact.append(False)
            continue
        intact.append(reason is None and _hash_as(ev, ev.seq) == ev.hash)

    chained_seq = _walk(events, intact)
    by_hash = {ev.hash: i for i, ev in enumerate(events)}
    linked = {ev.prev_hash for ev in events}

    for i, ev in enumerate(events):
        details = parsed[i]
        if details is not None and not intact[i]:
            real = chained_seq.get(i)
            if real is not None and real != ev.seq and _hash_as(ev, real) == ev.hash:
                problems.append(
                    Problem(
                        ErrorCode.EVENT_REORDERED,
                        f"event stored as seq {ev.seq} was chained as seq {real}",
                        ev.seq,
                        ev.subject,
                        {"chained_seq": real, "position": ev.position},
                    )
                )
            else:
                problems.append(
                    Problem(
                        ErrorCode.EVENT_ALTERED,
                        f"event seq {ev.seq} ({ev.action} {ev.subject}): content does not "
                        "match its hash",
                        ev.seq,
                        ev.subject,
                        {"position": ev.position},
                    )
                )

        expected_prev = events[i - 1].hash if i else GENESIS_HASH
        if ev.prev_hash == expected_prev:
            continue
        j = by_hash.get(ev.prev_hash)
        if ev.prev_hash == GENESIS_HASH or (j is not None and j > i):
            problems.append(
                Problem(
                    ErrorCode.EVENT_REORDERED,
                    f"event seq {ev.seq} is out of order: it chains after "
                    + ("the start of the log" if j is None else f"seq {events[j].seq}")
                    + f", not after seq {events[i - 1].seq if i else '(start)'}",
                    ev.seq,
                    ev.subject,
                    {"position": ev.position},
                )
            )
        elif j is None:
            before = events[i - 1].seq if i else 0
            gap = ev.seq - before - 1
            missing = f"seq {before + 1}..{ev.seq - 1}" if gap > 1 else f"seq {before + 1}"
            problems.append(
                Problem(
                    ErrorCode.EVENT_DELETED,
                    f"the event(s) before seq {ev.seq} are missing"
                    + (f" ({missing})" if gap >= 1 else "")
                    + f": prev_hash {ev.prev_hash[:16]}… is not in the log",
                    ev.seq,
                    ev.subject,
                    {"position": ev.position, "missing_from": before + 1, "missing_to": ev.seq - 1},
                )
            )
        else:
            # The genuine predecessor sits earlier: what lies between is inserted or moved.
            for k in range(j + 1, i):
                other = events[k]
                if other.hash in linked:
                    code, what = ErrorCode.EVENT_REORDERED, "is out of its chained order"
                else:
                    code, what = ErrorCode.EVENT_INSERTED, "was inserted: no event chains to it"
                problems.append(
                    Problem(
                        code,
                        f"event seq {other.seq} ({other.action}) {what}",
                        other.seq,
                        other.subject,
                        {"position": other.position},
                    )
                )
    return _dedupe(problems)


def _walk(events: Sequence[StoredEvent], intact: Sequence[bool]) -> dict[int, int]:
    """Follow prev_hash links from the genesis; return position -> seq in the chain."""
    successors: dict[str, list[int]] = {}
    for i, ev in enumerate(events):
        successors.setdefault(ev.prev_hash, []).append(i)
    chained: dict[int, int] = {}
    current, n = GENESIS_HASH, 1
    while True:
        candidates = [c for c in successors.get(current, []) if c not in chained]
        if not candidates:
            return chained

        def score(c: int, n: int = n) -> tuple[bool, bool, bool]:
            ev = events[c]
            genuine = intact[c] if ev.seq == n else _hash_as(ev, n) == ev.hash
            return (genuine, ev.hash in successors, ev.seq == n)

        best = candidates[0] if len(candidates) == 1 else max(candidates, key=score)
        chained[best] = n
        current, n = events[best].hash, n + 1


def _dedupe(problems: list[Problem]) -> list[Problem]:
    seen: set[tuple[ErrorCode, int | None]] = set()
    out: list[Problem] = []
    for p in problems:
        key = (p.code, p.seq if p.data.get("position") is None else p.data["position"])
        if key in seen:
            continue
        seen.add(key)
        out.append(p)
    return out


def compare_record(
    problems: list[Problem],
    event: StoredEvent,
    what: str,
    expected: Mapping[str, Any],
    row: Mapping[Any, Any],
) -> None:
    """Append an ``E308`` naming every field where a stored record differs from its event."""
    changed = sorted(k for k, v in expected.items() if row.get(k) != v)
    if changed:
        problems.append(
            Problem(
                ErrorCode.RECORD_MISMATCH,
                f"{what} differs from custody event seq {event.seq} in: {', '.join(changed)}",
                event.seq,
                event.subject,
                {"fields": changed},
            )
        )
