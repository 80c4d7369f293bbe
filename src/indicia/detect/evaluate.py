"""Scoring the detector against a gold set (``indicia eval``).

The gold format is described in ``docs/annotation-guide.md`` §6. Indicator scores count
*support*: a gold label is positive when its polarity is asserted or reported, and so is a
finding; precision, recall and F1 are computed over (passage, id) pairs, per id, micro and
macro, overall and per language. Polarity agreement is reported where gold and detector both
name an id. Quantities are matched on value (and range end) per passage, as a multiset.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from indicia.detect.detector import Detection, Detector
from indicia.detect.lexicon import SUPPORT
from indicia.errors import ErrorCode, IndiciaError


class GoldError(IndiciaError, ValueError):
    """A gold file line is malformed (``E009``)."""

    def __init__(self, message: str) -> None:
        super().__init__(ErrorCode.DATA_INVALID, message)


@dataclass(frozen=True)
class GoldPassage:
    id: str
    lang: str
    text: str
    labels: dict[str, str]
    """id → polarity."""
    quantities: tuple[tuple[int, int | None], ...]


def read_gold(paths: Iterable[Path]) -> list[GoldPassage]:
    """Every passage of the gold files; a malformed line raises :class:`GoldError`."""
    passages: list[GoldPassage] = []
    seen: set[str] = set()
    for path in paths:
        with path.open(encoding="utf-8") as handle:
            for number, line in enumerate(handle, 1):
                if not line.strip():
                    continue
                try:
                    record = json.loads(line)
                    passage = GoldPassage(
                        id=str(record["id"]),
                        lang=str(record["lang"]),
                        text=str(record["text"]),
                        labels={
                            str(lab["indicator"]): str(lab["polarity"])
                            for lab in record.get("labels", [])
                        },
                        quantities=tuple(
                            (int(q["value"]), int(q["high"]) if q.get("high") else None)
                            for q in record.get("quantities", [])
                        ),
                    )
                except (ValueError, KeyError, TypeError) as exc:
                    raise GoldError(f"{path}:{number}: {exc}") from exc
                if passage.id in seen:
                    raise GoldError(f"{path}:{number}: duplicate id {passage.id!r}")
                seen.add(passage.id)
                passages.append(passage)
    return passages


@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def add(self, other: Counts) -> None:
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn

    def as_json(self) -> dict[str, float | int]:
        return {
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
        }


@dataclass
class Error:
    """One disagreement, for tuning on the development split."""

    passage: str
    indicator: str
    kind: str
    """``fp`` or ``fn`` (indicators), ``qfp`` or ``qfn`` (quantities)."""
    detail: str


@dataclass
class Report:
    per_id: dict[str, Counts] = field(default_factory=lambda: defaultdict(Counts))
    per_lang_id: dict[str, dict[str, Counts]] = field(
        default_factory=lambda: defaultdict(lambda: defaultdict(Counts))
    )
    quantities: dict[str, Counts] = field(default_factory=lambda: defaultdict(Counts))
    polarity: Counter[str] = field(default_factory=Counter)
    errors: list[Error] = field(default_factory=list)
    passages: Counter[str] = field(default_factory=Counter)

    def micro(self, lang: str | None = None) -> Counts:
        total = Counts()
        for counts in (self.per_lang_id[lang] if lang else self.per_id).values():
            total.add(counts)
        return total

    def macro_f1(self, lang: str | None = None) -> float:
        table = self.per_lang_id[lang] if lang else self.per_id
        scores = [c.f1 for c in table.values() if c.tp + c.fn + c.fp]
        return sum(scores) / len(scores) if scores else 0.0

    def quantity_total(self) -> Counts:
        total = Counts()
        for counts in self.quantities.values():
            total.add(counts)
        return total

    def as_json(self) -> dict[str, Any]:
        langs = sorted(self.passages)
        agree = self.polarity["agree"]
        compared = agree + self.polarity["disagree"]
        return {
            "passages": dict(self.passages),
            "indicators": {
                "micro": self.micro().as_json(),
                "macro_f1": round(self.macro_f1(), 4),
                "per_language": {
                    lang: {
                        "micro": self.micro(lang).as_json(),
                        "macro_f1": round(self.macro_f1(lang), 4),
                    }
                    for lang in langs
                },
                "per_id": {k: v.as_json() for k, v in sorted(self.per_id.items())},
            },
            "polarity_agreement": round(agree / compared, 4) if compared else None,
            "quantities": {
                "micro": self.quantity_total().as_json(),
                "per_language": {k: v.as_json() for k, v in sorted(self.quantities.items())},
            },
        }


def _supported(labels: dict[str, str], only: Sequence[str]) -> set[str]:
    return {
        k for k, pol in labels.items() if pol in SUPPORT and (not only or k.startswith(tuple(only)))
    }


def score(
    gold: Sequence[GoldPassage],
    detections: Sequence[Detection],
    *,
    only: Sequence[str] = (),
) -> Report:
    """Compare detections (one per gold passage, same order) with the gold labels."""
    report = Report()
    for passage, detection in zip(gold, detections, strict=True):
        report.passages[passage.lang] += 1
        predicted_polarity: dict[str, str] = {}
        for finding in detection.findings:
            current = predicted_polarity.get(finding.indicator)
            if current is None or (finding.polarity in SUPPORT and current not in SUPPORT):
                predicted_polarity[finding.indicator] = finding.polarity
        wanted = _supported(passage.labels, only)
        got = _supported(predicted_polarity, only)
        for indicator in wanted | got:
            counts = Counts(
                tp=int(indicator in wanted and indicator in got),
                fp=int(indicator in got and indicator not in wanted),
                fn=int(indicator in wanted and indicator not in got),
            )
            report.per_id[indicator].add(counts)
            report.per_lang_id[passage.lang][indicator].add(counts)
            if counts.fp or counts.fn:
                quotes = [f.quote for f in detection.findings if f.indicator == indicator]
                report.errors.append(
                    Error(passage.id, indicator, "fp" if counts.fp else "fn", " | ".join(quotes))
                )
        for indicator in set(passage.labels) & set(predicted_polarity):
            if only and not indicator.startswith(tuple(only)):
                continue
            same = passage.labels[indicator] == predicted_polarity[indicator]
            report.polarity["agree" if same else "disagree"] += 1
        _score_quantities(report, passage, detection)
    return report


def _score_quantities(report: Report, passage: GoldPassage, detection: Detection) -> None:
    wanted = Counter(passage.quantities)
    got = Counter((q.value, q.high) for q in detection.quantities)
    tp = sum((wanted & got).values())
    counts = Counts(tp=tp, fp=sum(got.values()) - tp, fn=sum(wanted.values()) - tp)
    report.quantities[passage.lang].add(counts)
    for value in (got - wanted).elements():
        report.errors.append(Error(passage.id, "quantity", "qfp", str(value)))
    for value in (wanted - got).elements():
        report.errors.append(Error(passage.id, "quantity", "qfn", str(value)))


def evaluate(
    paths: Sequence[Path], *, detector: Detector | None = None, only: Sequence[str] = ()
) -> Report:
    """Run the detector over the gold files and score it."""
    gold = read_gold(paths)
    engine = detector if detector is not None else Detector()
    detections = [engine.detect(p.text, p.lang) for p in gold]
    return score(gold, detections, only=only)
