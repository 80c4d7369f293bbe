from __future__ import annotations

import hashlib
from datetime import datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from indicia.custody.events import (
    GENESIS_HASH,
    canonical_json,
    event_hash,
    format_utc,
    pending,
)


def test_canonical_json_sorts_keys_and_keeps_unicode() -> None:
    assert (
        canonical_json({"b": 1, "a": "强迫劳动", "c": [True, None]})
        == '{"a":"强迫劳动","b":1,"c":[true,null]}'
    )


def test_canonical_json_refuses_floats() -> None:
    with pytest.raises(TypeError, match="floats"):
        canonical_json({"x": [1.5]})


def test_hash_is_sha256_of_canonical_content() -> None:
    event = pending("ana", "case.created", "case:1", {"k": "v"}, at="2026-01-01T00:00:00.000000Z")
    chained = event.chain(1, GENESIS_HASH)
    text = (
        '{"action":"case.created","actor":"ana","at":"2026-01-01T00:00:00.000000Z",'
        '"details":{"k":"v"},"prev_hash":"' + GENESIS_HASH + '","seq":1,"subject":"case:1"}'
    )
    assert chained.hash == hashlib.sha256(text.encode()).hexdigest()
    assert event_hash(chained.content()) == chained.hash


def test_format_utc_converts_offsets_and_rejects_naive() -> None:
    moment = datetime(2026, 3, 14, 11, 30, tzinfo=timezone(timedelta(hours=2)))
    assert format_utc(moment) == "2026-03-14T09:30:00.000000Z"
    with pytest.raises(ValueError):
        format_utc(datetime(2026, 3, 14))


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=12,
)


@given(st.dictionaries(st.text(), json_values, max_size=6))
def test_canonical_json_round_trips(details: dict[str, object]) -> None:
    import json

    text = canonical_json(details)
    assert json.loads(text) == details
    assert canonical_json(json.loads(text)) == text


@given(
    seq=st.integers(1, 10**12),
    strings=st.lists(st.text(), min_size=5, max_size=5),
    details=st.dictionaries(st.text(), json_values, max_size=5),
)
def test_content_text_equals_canonical_json_of_the_content(
    seq: int, strings: list[str], details: dict[str, object]
) -> None:
    from indicia.custody.events import content_text, event_content

    at, actor, action, subject, prev = strings
    expected = canonical_json(event_content(seq, at, actor, action, subject, details, prev))
    assert content_text(seq, at, actor, action, subject, canonical_json(details), prev) == expected
