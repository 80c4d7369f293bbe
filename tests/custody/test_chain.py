"""The chain checker on logs built in memory: every kind of tampering is named and located."""

from __future__ import annotations

from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from indicia.custody.chain import StoredEvent, check_chain
from indicia.custody.events import GENESIS_HASH, canonical_json, pending
from indicia.errors import ErrorCode


def make_log(n: int) -> list[StoredEvent]:
    events, prev = [], GENESIS_HASH
    for seq in range(1, n + 1):
        chained = pending(
            "ana",
            "document.added",
            f"document:{seq:064x}",
            {"n": seq, "note": "证据"},
            at=f"2026-01-01T00:00:{seq % 60:02d}.000000Z",
        ).chain(seq, prev)
        events.append(
            StoredEvent(
                seq,
                seq,
                chained.at,
                chained.actor,
                chained.action,
                chained.subject,
                canonical_json(chained.details),
                chained.prev_hash,
                chained.hash,
            )
        )
        prev = chained.hash
    return events


def renumber(events: list[StoredEvent]) -> list[StoredEvent]:
    return [replace(e, position=i) for i, e in enumerate(events, start=1)]


def codes(problems: list) -> set[tuple[ErrorCode, int | None]]:  # type: ignore[type-arg]
    return {(p.code, p.seq) for p in problems}


def test_intact_log_has_no_problems() -> None:
    assert check_chain(make_log(10)) == []
    assert check_chain([]) == []


def test_edited_event_is_named() -> None:
    log = make_log(6)
    log[2] = replace(log[2], actor="mallory")
    assert codes(check_chain(log)) == {(ErrorCode.EVENT_ALTERED, 3)}


def test_edited_details_are_named() -> None:
    log = make_log(6)
    log[3] = replace(log[3], details=log[3].details.replace("证据", "证词"))
    assert codes(check_chain(log)) == {(ErrorCode.EVENT_ALTERED, 4)}


def test_unreadable_details_are_named() -> None:
    log = make_log(4)
    log[1] = replace(log[1], details="{not json")
    assert (ErrorCode.EVENT_UNREADABLE, 2) in codes(check_chain(log))


def test_deleted_event_is_named_with_its_seq() -> None:
    log = make_log(6)
    del log[3]
    problems = check_chain(renumber(log))
    assert codes(problems) == {(ErrorCode.EVENT_DELETED, 5)}
    assert "seq 4" in problems[0].message


def test_several_deleted_events() -> None:
    log = make_log(8)
    del log[2:5]
    problems = check_chain(renumber(log))
    assert codes(problems) == {(ErrorCode.EVENT_DELETED, 6)}
    assert "seq 3..5" in problems[0].message


def test_inserted_forged_event_is_named() -> None:
    log = make_log(5)
    forged = pending("mallory", "document.added", "document:f", {}, at=log[1].at).chain(
        3, log[1].hash
    )
    fake = StoredEvent(
        0,
        3,
        forged.at,
        forged.actor,
        forged.action,
        forged.subject,
        canonical_json(forged.details),
        forged.prev_hash,
        forged.hash,
    )
    problems = check_chain(renumber([*log[:2], fake, *log[2:]]))
    assert (ErrorCode.EVENT_INSERTED, 3) in codes(problems)
    assert all(p.code != ErrorCode.EVENT_ALTERED for p in problems)


def test_swapped_lines_are_reordered() -> None:
    log = make_log(6)
    log[2], log[3] = log[3], log[2]
    problems = check_chain(renumber(log))
    assert {p.code for p in problems} == {ErrorCode.EVENT_REORDERED}
    assert {3, 4} <= {p.seq for p in problems}


def test_swapped_seq_values_are_reordered_with_both_numbers() -> None:
    # In a database, reordering means changing seq: the checker recovers the chained order.
    log = make_log(6)
    a, b = log[2], log[3]
    log[2], log[3] = replace(b, seq=3), replace(a, seq=4)
    problems = check_chain(log)
    reordered = [p for p in problems if p.code == ErrorCode.EVENT_REORDERED]
    assert {(p.seq, p.data.get("chained_seq")) for p in reordered} >= {(3, 4), (4, 3)}


def test_rehashed_edit_breaks_the_link_to_the_next_event() -> None:
    log = make_log(5)
    e = log[2]
    forged = pending("mallory", e.action, e.subject, {"n": 99}, at=e.at).chain(3, e.prev_hash)
    log[2] = replace(e, actor="mallory", details=canonical_json(forged.details), hash=forged.hash)
    problems = check_chain(log)
    assert problems, "a re-hashed edit must still be detected"
    assert {3, 4} & {p.seq for p in problems}


FIELDS = ["seq", "at", "actor", "action", "subject", "details", "prev_hash", "hash"]


@settings(max_examples=300, deadline=None)
@given(
    index=st.integers(0, 7),
    field=st.sampled_from(FIELDS),
    offset=st.integers(0, 10_000),
    char=st.characters(codec="utf-8", exclude_categories=("Cs",)),
)
def test_any_single_character_change_is_detected_and_located(
    index: int, field: str, offset: int, char: str
) -> None:
    log = make_log(8)
    event = log[index]
    value = getattr(event, field)
    if field == "seq":
        new_value: object = value + 1 + offset % 50
    else:
        pos = offset % len(value)
        if value[pos] == char:
            return
        new_value = value[:pos] + char + value[pos + 1 :]
    log[index] = replace(event, **{field: new_value})
    problems = check_chain(log)
    assert problems, f"change to {field} of seq {event.seq} went unnoticed"
    located = {p.seq for p in problems} | {p.data.get("chained_seq") for p in problems}
    assert event.seq in located or new_value in located or event.seq + 1 in located


@pytest.mark.parametrize("n", [1, 2, 50])
def test_truncating_the_log_is_invisible_without_an_anchor(n: int) -> None:
    # Documents why the head file and anchors exist: a shorter prefix is a valid chain.
    assert check_chain(make_log(n)[:-1]) == []


def test_float_smuggled_into_details_is_reported_not_a_crash() -> None:
    log = make_log(4)
    log[1] = replace(log[1], details=log[1].details.replace('"n":2', '"n":2.5'))
    assert codes(check_chain(log)) == {(ErrorCode.EVENT_UNREADABLE, 2)}
