"""The detector: passages in, findings and quantities out, each naming its rule and version.

Stage one scans the passage's search form once with the matcher built from every lexicon term.
Stage two evaluates, for each rule whose anchor term occurred, its ``with`` cue sets and
``unless`` terms within the rule's window, and the lexicon's passage-wide exclusions. Stage
three evaluates composite rules (a Rome Statute act evidenced by a transfer *and* coercion in
the same passage) over the supporting findings so far. Each finding then gets its polarity.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Final

from indicia.detect.lexicon import SUPPORT, Lexicon, LexiconSet, Polarity, Rule, load_lexicons
from indicia.detect.matcher import MATCHER, Hit, Matcher
from indicia.detect.polarity import POLARITY, PolarityJudge, load_polarity
from indicia.text.normalise import search_form

if TYPE_CHECKING:
    from indicia.detect.quantities import Quantity, QuantityExtractor

DETECTOR: Final = "detector.v1"
_COMPOSITE_PASSES: Final = 4


@dataclass(frozen=True, slots=True)
class Finding:
    """A passage span that evidences a taxonomy id, and why."""

    indicator: str
    polarity: Polarity
    start: int
    end: int
    quote: str
    rule: str
    """``<indicator>/<rule id>``."""
    rule_version: int
    lexicon_version: int

    @property
    def supports(self) -> bool:
        return self.polarity in SUPPORT

    def as_json(self) -> dict[str, object]:
        return {
            "indicator": self.indicator,
            "polarity": self.polarity,
            "start": self.start,
            "end": self.end,
            "quote": self.quote,
            "rule": self.rule,
            "rule_version": self.rule_version,
        }


@dataclass(frozen=True)
class Detection:
    """What the detector found in one passage."""

    findings: tuple[Finding, ...]
    quantities: tuple[Quantity, ...]


@dataclass
class _RuleHits:
    anchors: list[Hit] = field(default_factory=list)
    groups: dict[int, list[Hit]] = field(default_factory=lambda: defaultdict(list))
    unless: list[Hit] = field(default_factory=list)


_Owner = tuple[int, int, str, int]
"""(lexicon index, rule index or -1 for an exclusion, role, cue-set index)."""


def lang_family(lang: str | None) -> str | None:
    """``en`` or ``zh`` for the rule filter; None when the language is unknown or other."""
    if not lang:
        return None
    base = lang.split("-")[0].lower()
    return base if base in ("en", "zh") else None


class Detector:
    """Applies every lexicon, the polarity judge and the quantity extractor to passages."""

    def __init__(
        self,
        lexicons: LexiconSet | None = None,
        polarity: PolarityJudge | None = None,
        quantities: QuantityExtractor | None = None,
        *,
        cache_dir: Path | None = None,
    ) -> None:
        self.lexicons = lexicons if lexicons is not None else load_lexicons()
        self.polarity = polarity if polarity is not None else load_polarity()
        if quantities is None:
            from indicia.detect.quantities import QuantityExtractor

            quantities = QuantityExtractor()
        self.quantities = quantities
        # Two matchers: the anchors (and exclusions) are scanned in every passage; the context
        # terms (cue sets, ``unless``), which are common words, only in passages where an
        # anchor occurred, so ordinary text costs one scan with almost no matches.
        anchors: dict[str, list[_Owner]] = {}
        context: dict[str, list[_Owner]] = {}
        for li, lexicon in enumerate(self.lexicons.lexicons):
            for exclusion in lexicon.spec.exclusions:
                for term in exclusion.terms:
                    anchors.setdefault(term, []).append((li, -1, "exclusion", 0))
            for ri, rule in enumerate(lexicon.spec.rules):
                for term in rule.terms:
                    anchors.setdefault(term, []).append((li, ri, "anchor", 0))
                for gi, group in enumerate(rule.with_):
                    for term in group:
                        context.setdefault(term, []).append((li, ri, "with", gi))
                for term in rule.unless:
                    context.setdefault(term, []).append((li, ri, "unless", 0))
        self.matcher = Matcher(anchors, cache_dir=cache_dir)
        self.context_matcher = Matcher(context, cache_dir=cache_dir)
        self._owners: list[list[_Owner]] = list(anchors.values())
        self._context_owners: list[list[_Owner]] = list(context.values())
        self._composites = [
            (li, ri)
            for li, lexicon in enumerate(self.lexicons.lexicons)
            for ri, rule in enumerate(lexicon.spec.rules)
            if rule.findings
        ]
        self._fingerprints = self._compute_fingerprints()

    # -- versions -----------------------------------------------------------------------

    def fingerprints(self) -> dict[str, str]:
        """Per target (and ``quantities``): a digest that changes when its result could."""
        return dict(self._fingerprints)

    def _compute_fingerprints(self) -> dict[str, str]:
        engine = (
            f"{DETECTOR}|{MATCHER}|{POLARITY}:{self.polarity.version}"
            f"|{self.lexicons.defaults_sha256}"
        )
        prints = {
            lexicon.target: hashlib.sha256(f"{engine}|{lexicon.sha256}".encode()).hexdigest()[:16]
            for lexicon in self.lexicons.lexicons
        }
        # A composite rule's result depends on the lexicons it reads.
        for li, ri in self._composites:
            lexicon = self.lexicons.lexicons[li]
            deps = sorted({t for group in lexicon.spec.rules[ri].findings for t in group})
            joined = "|".join([prints[lexicon.target], *(prints.get(d, "") for d in deps)])
            prints[lexicon.target] = hashlib.sha256(joined.encode()).hexdigest()[:16]
        prints["quantities"] = self.quantities.fingerprint
        return prints

    def version_summary(self) -> dict[str, object]:
        """Versions to record with a detection run."""
        return {
            "detector": DETECTOR,
            "matcher": MATCHER,
            "polarity": f"{POLARITY}:{self.polarity.version}",
            "lexicons": self.lexicons.digest,
            "quantities": self._fingerprints["quantities"],
        }

    # -- detection ----------------------------------------------------------------------

    def detect(self, text: str, lang: str | None = None) -> Detection:
        """Findings and quantities in one passage; offsets index ``text``."""
        form = search_form(text)
        family = lang_family(lang)
        findings = self._term_findings(text, form, family)
        if self._composites and findings:
            findings = self._composite_findings(text, findings)
        quantities = self.quantities.find(text, family, form=form)
        return Detection(tuple(_dedupe(findings)), tuple(quantities))

    def _term_findings(self, text: str, form: str, family: str | None) -> list[Finding]:
        hits = self.matcher.scan(form)
        if not hits:
            return []
        owned = [(hit, self._owners[hit.pattern]) for hit in hits]
        if any(role == "anchor" for _, owners in owned for _, _, role, _ in owners):
            owned += [
                (hit, self._context_owners[hit.pattern]) for hit in self.context_matcher.scan(form)
            ]
        excluded: set[int] = set()
        by_rule: dict[tuple[int, int], _RuleHits] = defaultdict(_RuleHits)
        for hit, owners in owned:
            for li, ri, role, gi in owners:
                if role == "exclusion":
                    excluded.add(li)
                elif role == "anchor":
                    by_rule[li, ri].anchors.append(hit)
                elif role == "with":
                    by_rule[li, ri].groups[gi].append(hit)
                else:
                    by_rule[li, ri].unless.append(hit)
        found: list[Finding] = []
        for (li, ri), rule_hits in by_rule.items():
            if li in excluded or not rule_hits.anchors:
                continue
            lexicon = self.lexicons.lexicons[li]
            rule = lexicon.spec.rules[ri]
            if family is not None and rule.lang not in ("any", family):
                continue
            for span in _rule_spans(rule, rule_hits, self.lexicons.default_window):
                start, end = span
                judged = rule.polarity or self.polarity.judge(form, start, end, family or "en")
                found.append(_finding(lexicon, rule, text, start, end, judged))
        return found

    def _composite_findings(self, text: str, findings: list[Finding]) -> list[Finding]:
        for _ in range(_COMPOSITE_PASSES):
            support: dict[str, list[Finding]] = defaultdict(list)
            for finding in findings:
                if finding.supports:
                    support[finding.indicator].append(finding)
            have = {(f.indicator, f.rule) for f in findings}
            added: list[Finding] = []
            for li, ri in self._composites:
                lexicon = self.lexicons.lexicons[li]
                rule = lexicon.spec.rules[ri]
                if (lexicon.target, lexicon.rule_id(rule)) in have:
                    continue
                parts = [_first(support, group) for group in rule.findings]
                if any(part is None for part in parts):
                    continue
                chosen = [p for p in parts if p is not None]
                start = min(p.start for p in chosen)
                end = max(p.end for p in chosen)
                polarity: Polarity = (
                    "reported" if any(p.polarity == "reported" for p in chosen) else "asserted"
                )
                added.append(_finding(lexicon, rule, text, start, end, rule.polarity or polarity))
            if not added:
                break
            findings = findings + added
        return findings


@cache
def default_detector() -> Detector:
    """The detector built from the packaged (or ``INDICIA_DATA_PATH``) data, once per process:
    loading its compiled matchers takes a second even from the cache."""
    return Detector()


def _finding(
    lexicon: Lexicon, rule: Rule, text: str, start: int, end: int, polarity: Polarity
) -> Finding:
    return Finding(
        indicator=lexicon.target,
        polarity=polarity,
        start=start,
        end=end,
        quote=text[start:end],
        rule=lexicon.rule_id(rule),
        rule_version=rule.version,
        lexicon_version=lexicon.spec.version,
    )


def _first(support: dict[str, list[Finding]], group: Sequence[str]) -> Finding | None:
    for target in group:
        if support.get(target):
            return support[target][0]
    return None


def _rule_spans(rule: Rule, hits: _RuleHits, defaults: dict[str, int]) -> list[tuple[int, int]]:
    """Spans where the rule fires: anchor plus the nearest hit of each cue set, in window."""
    window = rule.window_for(defaults)
    spans: list[tuple[int, int]] = []
    for anchor in hits.anchors:
        start, end = anchor.start, anchor.end
        ok = True
        for gi in range(len(rule.with_)):
            near = _nearest(hits.groups.get(gi, ()), anchor)
            if near is None:
                ok = False
                break
            start, end = min(start, near.start), max(end, near.end)
            if end - start > window:
                ok = False
                break
        if not ok:
            continue
        if any(u.end >= start - window and u.start <= end + window for u in hits.unless):
            continue
        spans.append((start, end))
    return spans


def _nearest(candidates: Iterable[Hit], anchor: Hit) -> Hit | None:
    best: Hit | None = None
    best_gap = 0
    for hit in candidates:
        gap = max(0, hit.start - anchor.end, anchor.start - hit.end)
        if best is None or gap < best_gap:
            best, best_gap = hit, gap
    return best


def _dedupe(findings: list[Finding]) -> list[Finding]:
    """One finding per target per stretch of text: overlapping spans keep the longest."""
    findings.sort(key=lambda f: (f.indicator, f.start, -(f.end - f.start)))
    kept: list[Finding] = []
    for finding in findings:
        last = kept[-1] if kept else None
        if last is not None and last.indicator == finding.indicator and finding.start < last.end:
            if finding.supports and not last.supports:
                kept[-1] = finding  # support wins over a weaker reading of the same words
            continue
        kept.append(finding)
    kept.sort(key=lambda f: (f.start, f.end, f.indicator))
    return kept


def detection_json(item_id: str, detection: Detection) -> str:
    """One output line of ``indicia detect --jsonl`` (a stable interface)."""
    return json.dumps(
        {
            "id": item_id,
            "findings": [f.as_json() for f in detection.findings],
            "quantities": [q.as_json() for q in detection.quantities],
        },
        ensure_ascii=False,
    )
