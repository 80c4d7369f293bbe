"""Run a search: candidates from the database, confirmed, highlighted and ranked here.

Ranking is BM25's term-frequency part (k1 = 1.2, b = 0.75) over phrase occurrences, computed
in Python over the candidate set, so SQLite and PostgreSQL rank identically whenever a query has
no more matches than the candidate cap; ties go to the earlier place in the case (intake
order, page, offset). (Every candidate matches every term, so BM25's inverse document frequency
would scale all scores alike and is left out.)
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, select

from indicia.search.query import Term, parse
from indicia.search.tokens import count_tokens, has_cjk
from indicia.store import fulltext
from indicia.store.schema import documents, extractions, passages, provenance
from indicia.text.normalise import search_form

K1, B = 1.2, 0.75
# A hard line wrap between two CJK characters is not a space in the sentence.
_LINE_BREAK_IN_CJK = re.compile(r"(?<=[\u3000-\u9fff\uff00-\uffef])\n(?=[\u3000-\u9fff])")
MIN_CANDIDATES = 200


@dataclass(frozen=True)
class Hit:
    """One passage that matches, with where it is and why."""

    passage_id: int
    document_sha256: str
    title: str
    page: int
    start: int
    end: int
    """Offsets of the passage in its page's text."""
    language: str
    text: str
    highlights: tuple[tuple[int, int], ...]
    """Matched spans, as offsets into ``text``."""
    score: float

    def snippet(self, width: int = 160, marks: tuple[str, str] = ("[", "]")) -> str:
        """Up to ``width`` characters around the first match, matches wrapped in ``marks``."""
        first = self.highlights[0][0] if self.highlights else 0
        lo = max(0, min(first - width // 3, len(self.text) - width))
        hi = min(len(self.text), lo + width)
        out, cursor = [], lo
        for start, end in self.highlights:
            if start < lo or end > hi:
                continue
            out += [self.text[cursor:start], marks[0], self.text[start:end], marks[1]]
            cursor = end
        out.append(self.text[cursor:hi])
        body = _LINE_BREAK_IN_CJK.sub("", "".join(out)).replace("\n", " ")
        return ("…" if lo > 0 else "") + body + ("…" if hi < len(self.text) else "")

    def as_dict(self) -> dict[str, Any]:
        """JSON-friendly form."""
        return {
            "passage_id": self.passage_id,
            "document": self.document_sha256,
            "title": self.title,
            "page": self.page,
            "start": self.start,
            "end": self.end,
            "language": self.language,
            "text": self.text,
            "highlights": [list(h) for h in self.highlights],
            "snippet": self.snippet(),
            "score": round(self.score, 6),
        }


def _pattern(term: Term) -> re.Pattern[str]:
    """Where a term occurs in a search form: CJK characters adjacent, words whole."""
    parts: list[str] = []
    previous: str | None = None
    for token in term.tokens:
        if previous is not None:
            cjk_pair = has_cjk(previous) and has_cjk(token)
            latin_pair = not has_cjk(previous) and not has_cjk(token)
            parts.append("" if cjk_pair else r"[\W_]+" if latin_pair else r"\s*")
        parts.append(re.escape(token))
        previous = token
    if not has_cjk(term.tokens[0]):
        # Not preceded by a letter or digit; asserted after the first word, not before it, so
        # the pattern starts with a literal that the regex engine finds by a fast scan.
        parts[0] += rf"(?<![^\W_]{parts[0]})"
    tail = "" if has_cjk(term.tokens[-1]) else r"(?![^\W_])"
    return re.compile("".join(parts) + tail)


def search(
    conn: Connection,
    query: str,
    *,
    language: str | None = None,
    document: str | None = None,
    limit: int = 20,
) -> list[Hit]:
    """Passages matching every term of ``query``, best first."""
    terms = parse(query)
    if not terms or limit <= 0:
        return []
    cap = max(limit * 10, MIN_CANDIDATES)
    found = fulltext.candidates(
        conn, [p for t in terms for p in t.phrases], cap, language, document
    )
    if not found:
        return []
    query_rows = (
        select(passages, documents.c.event_seq.label("intake_seq"))
        .join(documents, documents.c.sha256 == passages.c.document_sha256)
        .where(passages.c.id.in_(found))
    )
    rows = {r.id: r for r in conn.execute(query_rows)}
    forms = {pid: search_form(rows[pid].text) for pid in found if pid in rows}
    if not forms:
        return []
    patterns = [_pattern(t) for t in terms]
    scored: list[tuple[float, int, tuple[tuple[int, int], ...]]] = []
    # Length in word tokens, as the index counts them (BM25's length normalisation).
    lengths = {pid: count_tokens(form) for pid, form in forms.items()}
    avg = sum(lengths.values()) / len(lengths)
    for pid, form in forms.items():
        spans: list[tuple[int, int]] = []
        score = 0.0
        for pattern in patterns:
            matches = [m.span() for m in pattern.finditer(form)]
            if not matches:
                break  # the index matched across punctuation: not a real occurrence
            spans += matches
            tf = len(matches)
            norm = K1 * (1 - B + B * lengths[pid] / avg)
            score += tf * (K1 + 1) / (tf + norm)
        else:
            scored.append((score, pid, tuple(merge_spans(spans))))
    # Ties go to the earlier place in the case (intake order, page, offset): passage ids depend
    # on which worker finished first, so they would not order ties the same way everywhere.
    scored.sort(
        key=lambda s: (-s[0], rows[s[1]].intake_seq, rows[s[1]].page_number, rows[s[1]].start)
    )
    top = scored[:limit]
    titles = _titles(conn, {rows[pid].document_sha256 for _, pid, _ in top})
    return [
        Hit(
            pid,
            rows[pid].document_sha256,
            titles.get(rows[pid].document_sha256, ""),
            rows[pid].page_number,
            rows[pid].start,
            rows[pid].end,
            rows[pid].language,
            rows[pid].text,
            spans,
            score,
        )
        for score, pid, spans in top
    ]


def _titles(conn: Connection, shas: set[str]) -> dict[str, str]:
    """A document's title, or else the file name it was first collected under."""
    if not shas:
        return {}
    titles: dict[str, str] = {}
    for sha, path in conn.execute(
        select(provenance.c.document_sha256, provenance.c.original_path)
        .where(provenance.c.document_sha256.in_(shas))
        .order_by(provenance.c.event_seq.desc())
    ):
        titles[sha] = str(path).rsplit("/", 1)[-1]
    for sha, title in conn.execute(
        select(extractions.c.document_sha256, extractions.c.title).where(
            extractions.c.document_sha256.in_(shas), extractions.c.title.is_not(None)
        )
    ):
        titles[sha] = str(title)
    return titles


def merge_spans(spans: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """Overlapping spans merged, in order."""
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged
