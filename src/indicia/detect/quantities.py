"""Quantities: every number of people in a passage, with its unit, what it counts and how exact.

The rule ``quantity.v2`` reads a passage in its search form (lower case, full-width folded,
Traditional folded to Simplified, same length as the text, see :mod:`indicia.text.normalise`), so
every offset is an offset into the text as given. For each numeral it finds:

1. the number: Arabic digits with thousands separators and decimals (1,600,000; 1.6 million;
   160万; 1.2亿), Chinese numerals (一千二百三十四; 两千; 三万), English number words, and ranges
   (3,000 to 5,000; 3000—5000人; 三四万人; 2-3万人);
2. the qualifier before or after it (more than, 近, 余, 多, 几, 以上, 左右 …);
3. a people unit: a measure word straight after it (人, 名, 人次, 户) or a people noun a few words
   on ("80,000 Uyghurs", "5万农村富余劳动力", "412 'trainees'"); exclusion words (元, 亩, 吨, %,
   年, 岁, enterprises …) stop it at once. Failing that, the unit may come from the left: a people
   noun before a Chinese numeral (转移富余劳动力1.2万，); a part of a counted group ("30 of the
   600 workers", "30 of whom"); a people collective and "of" ("a population of 25.9 million",
   "in groups of 20"); or a change of a people noun ("poor households fell from 41,000 to
   3,000"). The English left rules need the numeral to end its phrase (nothing after it but
   punctuation or a function word). Without a unit the number is not recorded;
4. what is counted, from cue words in the same clause, then the same sentence: a plan or quota
   first, then the nearest verb (transferred, employed …), then who the people are.

A lone person (one worker, 一名律师) is an individual, not a count, and is never recorded.
Changes from ``quantity.v1``: the left-context rules, the lone-person rule (v1 dropped only a
worded one), 几 as "more than" (十几名 → 10), quotes before a noun, and no exclusion across a
qualifier for a character that must stand straight before the numeral (人数约十二万人).

The vocabulary is data (``indicia/data/quantities.yaml``); this module only compiles it.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Annotated, Any, Final, Literal, NamedTuple

from pydantic import AfterValidator, Field, model_validator

from indicia.detect.datafile import Header, Strict, parse, read_file
from indicia.text.normalise import search_form

RULE: Final = "quantity.v2"
"""Registered name of this rule; a change of behaviour ships as ``quantity.v3``."""

DATA_FILE: Final = "quantities.yaml"

Unit = Literal["persons", "person_times", "households"]
QualifierName = Literal["more_than", "at_least", "about", "nearly", "up_to", "less_than"]
Counted = Literal[
    "transferred",
    "employed",
    "trained",
    "placed",
    "target",
    "detained",
    "surplus_labour",
    "poor",
    "population",
]


def _in_search_form(value: str) -> str:
    if not value or search_form(value) != value:
        raise ValueError(f"{value!r} must be non-empty and in search form (lower case, Simplified)")
    return value


Phrase = Annotated[str, AfterValidator(_in_search_form)]
Char = Annotated[Phrase, Field(min_length=1, max_length=1)]


class Numerals(Strict):
    zh_digits: dict[Char, int]
    zh_small_units: dict[Char, int]
    zh_large_units: dict[Char, int]
    en_words: dict[Phrase, int]
    en_multipliers: dict[Phrase, int]
    en_abbreviations: dict[Phrase, int]


class Qualifiers(Strict):
    before: dict[QualifierName, list[Phrase]]
    after_numeral: dict[QualifierName, list[Phrase]]
    after_unit: dict[QualifierName, list[Phrase]]


class Ranges(Strict):
    separators: list[Phrase] = Field(min_length=1)
    between: list[Phrase]
    joiners: list[Phrase]


class UnitWords(Strict):
    measures: list[Phrase]
    nouns: list[Phrase]


class Units(Strict):
    persons: UnitWords
    person_times: UnitWords
    households: UnitWords


class Cues(Strict):
    rank: int = Field(ge=1, le=9)
    cues: list[Phrase] = Field(min_length=1)


class Exclusions(Strict):
    after: list[Phrase]
    before: list[Phrase]
    adjacent: list[Phrase]
    year_words: list[Phrase]


class EnglishLeft(Strict):
    collectives: list[Phrase] = Field(min_length=1)
    change_verbs: list[Phrase] = Field(min_length=1)
    connectors: list[Phrase]
    blockers: list[Phrase]
    partitive: list[Phrase] = Field(min_length=1)


class Boundaries(Strict):
    sentence: list[Phrase] = Field(min_length=1)
    clause: list[Phrase] = Field(min_length=1)


class Limits(Strict):
    window: int = Field(ge=1, le=1000)
    noun_gap_words: int = Field(ge=0, le=10)
    noun_gap_chars: int = Field(ge=0, le=20)
    left_noun_gap_chars: int = Field(ge=0, le=20)


class QuantityVocabulary(Header):
    """The validated contents of ``quantities.yaml``."""

    numerals: Numerals
    qualifiers: Qualifiers
    ranges: Ranges
    units: Units
    counted: dict[Counted, Cues]
    counted_ignore: list[Phrase]
    left_fillers: list[Phrase]
    english_left: EnglishLeft
    exclusions: Exclusions
    stopwords: dict[Literal["en"], list[Phrase]]
    boundaries: Boundaries
    limits: Limits

    @model_validator(mode="after")
    def _no_cue_in_two_categories(self) -> QuantityVocabulary:
        seen: dict[str, str] = {}
        for category, cues in self.counted.items():
            for cue in cues.cues:
                if seen.setdefault(cue, category) != category:
                    raise ValueError(f"cue {cue!r} is in both {seen[cue]} and {category}")
        return self


def load_vocabulary(folder: Path | None = None) -> QuantityVocabulary:
    """Load and validate ``quantities.yaml`` (from ``folder`` or ``INDICIA_DATA_PATH`` first)."""
    return parse(read_file(DATA_FILE, folder), QuantityVocabulary)


@dataclass(frozen=True, slots=True)
class Quantity:
    """A number of people in a text, with the span from its numeral through its unit word."""

    value: int
    """In units; for a range, the low end."""
    high: int | None
    """The high end of a range, else ``None``."""
    unit: str
    counted: str
    qualifier: str
    start: int
    end: int
    rule: str = RULE

    def as_json(self) -> dict[str, object]:
        out: dict[str, object] = {
            "value": self.value,
            "unit": self.unit,
            "counted": self.counted,
            "qualifier": self.qualifier,
            "start": self.start,
            "end": self.end,
        }
        if self.high is not None:
            out["high"] = self.high
        return out


def _alternation(phrases: Iterable[str], *, bound: bool = True) -> str:
    """A regex matching any of ``phrases``, the longest where several match, written as a trie
    (``t(?:arget|rain(?:ed|ing))``) so that Python's engine rejects a position after one
    character. With ``bound``, a phrase that begins or ends with an ASCII letter or digit must
    stand at a word boundary there (``mu`` never matches inside ``museum``); the start check
    goes after the first character so that every alternative begins with a literal, and the
    engine can skip straight to a possible first character."""
    trie: dict[str, Any] = {}
    for phrase in set(phrases):
        node = trie
        for ch in phrase:
            node = node.setdefault(ch, {})
        node[""] = {}

    def build(node: dict[str, Any], depth: int, prev: str) -> str:
        alternatives = []
        for ch in sorted(k for k in node if k):
            part = re.escape(ch)
            if depth == 0 and bound and ch.isascii() and ch.isalnum():
                part += f"(?<![a-z0-9]{part})"
            alternatives.append(part + build(node[ch], depth + 1, ch))
        if "" in node:  # a phrase ends here; longer ones were tried first
            boundary = bound and prev.isascii() and prev.isalnum()
            alternatives.append("(?![a-z0-9])" if boundary else "")
        if len(alternatives) == 1:
            return alternatives[0]
        return "(?:" + "|".join(alternatives) + ")"

    return build(trie, 0, "") if trie else "(?!)"


def _named(
    groups: Iterable[tuple[str, Iterable[str]]],
) -> tuple[re.Pattern[str], dict[str, str]]:
    """One pattern matching any phrase of any group, longest first; maps the phrase to its group."""
    owner: dict[str, str] = {}
    for group, phrases in groups:
        for phrase in phrases:
            owner.setdefault(phrase, group)
    return re.compile(_alternation(owner)), owner


class _Numeral(NamedTuple):
    value: Decimal
    start: int
    end: int
    words: bool  # written in words (一, one) rather than digits
    multiplied: bool
    bare: bool  # a bare multiplier (万, 千) with no digit before it
    high: Decimal | None = None
    qualifier: str = "exact"


_HAN: Final = re.compile(r"[\u3400-\u9fff]")
_SPACES: Final = re.compile(r"[ \t\u00a0]*")
_QUOTE: Final = re.compile(r"['\"‘“](?=[a-z])")
_EN_WORD: Final = re.compile(r"[a-z][a-z'’-]*")
_TOKEN: Final = re.compile(r"[a-z]+")
_YEAR: Final = re.compile(r"(?:19|20)\d\d")


class QuantityExtractor:
    """Finds quantities of people in text. Built once from the vocabulary; reusable and
    thread-safe (it holds only compiled patterns and read-only tables)."""

    def __init__(self, vocabulary: QuantityVocabulary | None = None) -> None:
        v = vocabulary if vocabulary is not None else load_vocabulary()
        self.vocabulary = v
        n = v.numerals
        self._digits = n.zh_digits
        self._small = n.zh_small_units
        self._large = n.zh_large_units
        self._en_words = n.en_words
        self._en_mult = n.en_multipliers
        self._limits = v.limits
        zh_chars = "".join(sorted({*self._digits, *self._small, *self._large}))
        self._zh_class = f"[{re.escape(zh_chars)}]"
        mult_class = f"[{re.escape(''.join(sorted({*self._small, *self._large})))}]"
        tail_quals = {
            p: name for name, ps in v.qualifiers.after_numeral.items() for p in ps if len(p) == 1
        }
        self._tail_quals = {p: q for p, q in tail_quals.items() if _HAN.match(p)}
        tail_class = re.escape("".join(sorted(self._tail_quals))) or "(?!)"
        self._tail = re.compile(f"({mult_class}*)([{tail_class}]?)({mult_class}*)")
        self._en_tail = re.compile(
            f"(?:{_alternation(n.en_abbreviations, bound=False)}(?![a-z0-9])"
            f"|[ -]{_alternation(n.en_multipliers)})"
        )
        self._en_abbr = n.en_abbreviations
        # Characters that may follow a Chinese numeral of interest: a cheap filter in the scanner.
        units = v.units
        all_unit_words = [
            w
            for u in (units.persons, units.person_times, units.households)
            for w in (*u.measures, *u.nouns)
        ]
        follow = {w[0] for w in all_unit_words if _HAN.match(w[0])}
        follow |= {p[0] for ps in v.qualifiers.after_numeral.values() for p in ps if _HAN.match(p)}
        follow |= {p[0] for p in v.ranges.separators if _HAN.match(p[0])}
        follow_class = re.escape("".join(sorted(follow)))
        # One scanner per numeral form, each led by a literal or a character class so that the
        # regex engine skips ahead to a possible first character (see _alternation).
        arabic = r"[0-9](?:[0-9]{0,2}(?:,[0-9]{3})++(?![0-9])|[0-9]*+)(?:\.[0-9]++)?"
        zh = f"{self._zh_class}{self._zh_class}*+(?=[{follow_class}]|[^\\w]|$)"
        words = _alternation([*n.en_words, *n.en_multipliers])
        first = _alternation(
            [*n.en_words, *n.en_multipliers, *(f"a {m}" for m in n.en_multipliers)]
        )
        en = rf"{first}(?:(?:\s++and\s++|\s++|-){words})*+"
        self._scanners = {
            "ar": re.compile(arabic),
            "zh": re.compile(zh),
            "en": re.compile(en),
        }
        self._forms = {"en": ("ar", "en"), "zh": ("ar", "zh"), None: ("ar", "zh", "en")}
        self._any = re.compile(
            f"(?P<ar>{arabic})|(?P<zh>{self._zh_class}{self._zh_class}*+)|(?P<en>{en})"
        )
        q = v.qualifiers
        self._before_q, self._before_q_of = _named(q.before.items())
        self._before_q_end = re.compile(f"({self._before_q.pattern})[ \t]*$")
        self._after_num_q, self._after_num_q_of = _named(q.after_numeral.items())
        self._after_unit_q, self._after_unit_q_of = _named(q.after_unit.items())
        self._sep = re.compile(rf"[ \t]*{_alternation(v.ranges.separators)}[ \t]*")
        self._joiner = re.compile(rf"[ \t]*{_alternation(v.ranges.joiners)}[ \t]*")
        self._between_end = re.compile(rf"{_alternation(v.ranges.between)}[ \t]*$")
        # Straight after a numeral: exclusions, measures and nouns, longest first.
        self._unit_of: dict[str, tuple[str, str]] = {}
        for name, words_ in (
            ("persons", units.persons),
            ("person_times", units.person_times),
            ("households", units.households),
        ):
            for w in words_.measures:
                self._unit_of.setdefault(w, ("measure", name))
            for w in words_.nouns:
                self._unit_of.setdefault(w, ("noun", name))
        exclusion = {w: ("exclude", "") for w in v.exclusions.after}
        self._next = re.compile(_alternation({**exclusion, **self._unit_of}))
        self._next_of = {**exclusion, **self._unit_of}
        zh_nouns = [w for w, (kind, _) in self._unit_of.items() if kind == "noun" and _HAN.match(w)]
        self._left_noun = re.compile(
            f"({_alternation(zh_nouns)})(?:{_alternation(v.left_fillers)})*$"
        )
        self._before_x = re.compile(
            f"(?:{_alternation(v.exclusions.before)}[ \t]*|{_alternation(v.exclusions.adjacent)})$"
        )
        self._before_x_far = re.compile(f"{_alternation(v.exclusions.before)}[ \t]*$")
        el = v.english_left
        en_nouns = [
            w for w, (kind, _) in self._unit_of.items() if kind == "noun" and not _HAN.match(w)
        ]
        self._en_noun, en_noun_of = _named(
            [*((self._unit_of[w][1], [w]) for w in en_nouns), ("persons", el.collectives)]
        )
        self._en_noun_of = en_noun_of
        self._collective_end = re.compile(f"{_alternation(el.collectives)}[ \t]+of[ \t]+$")
        self._change = re.compile(_alternation(el.change_verbs))
        connectors = [*el.connectors, *n.en_words, *n.en_multipliers]
        connectors += [p for ps in q.before.values() for p in ps if not _HAN.match(p)]
        self._connector = re.compile(rf"(?:[ \t]++|[0-9][0-9,.]*+|{_alternation(connectors)})*+")
        self._change_from_end = re.compile(f"{self._change.pattern}[ \t]+from[ \t]+$")
        self._blocker = re.compile(_alternation(el.blockers))
        self._en_exclusion = re.compile(
            _alternation(w for w in v.exclusions.after if not _HAN.match(w))
        )
        self._partitive = re.compile(
            rf"[ \t]+of[ \t]+(?:(?P<whom>{_alternation(el.partitive)})(?![a-z])|the[ \t]+)"
        )
        self._year_words = frozenset(v.exclusions.year_words)
        left_phrases = [*v.exclusions.before, *v.exclusions.adjacent]
        left_phrases += [p for ps in q.before.values() for p in ps]
        self._left_reach = 2 * max(len(p) for p in left_phrases) + 4
        self._stop = frozenset(v.stopwords.get("en", [])) | set(n.en_words) | set(n.en_multipliers)
        cue_groups: dict[str, list[str]] = {c: list(cs.cues) for c, cs in v.counted.items()}
        cue_groups["-"] = list(v.counted_ignore)
        self._cue, self._cue_of = _named(cue_groups.items())
        self._rank: dict[str, int] = {c: cs.rank for c, cs in v.counted.items()}
        self._sentence = re.compile(_alternation(v.boundaries.sentence, bound=False))
        self._clause = re.compile(
            _alternation([*v.boundaries.sentence, *v.boundaries.clause], bound=False)
        )

    # -- the scan ------------------------------------------------------------------------------

    @property
    def fingerprint(self) -> str:
        """Changes when the rule or its vocabulary does (detection re-runs on a change)."""
        data = f"{RULE}|{self.vocabulary.model_dump_json()}"
        return hashlib.sha256(data.encode("utf-8")).hexdigest()[:16]

    def find(
        self, text: str, lang: str | None = None, *, form: str | None = None
    ) -> list[Quantity]:
        """Every quantity of people in ``text``, in order. ``lang`` (``en``, ``zh`` or ``None``
        for both) is a hint: it limits which numeral forms are looked for. ``form`` is the
        text's search form when the caller already has it."""
        norm = form if form is not None else search_form(text)
        forms = self._forms.get(lang if lang in ("en", "zh") else None, self._forms[None])
        candidates = sorted(
            (m.start(), form, m) for form in forms for m in self._scanners[form].finditer(norm)
        )
        found: list[Quantity] = []
        pos = 0
        for start, form, m in candidates:
            if start < pos:
                continue
            quantity, consumed = self._read(norm, m, form)
            if quantity is not None:
                found.append(quantity)
            pos = max(consumed, m.end())
        return found

    def _read(self, norm: str, m: re.Match[str], form: str) -> tuple[Quantity | None, int]:
        """Read the quantity whose numeral ``m`` starts; return it (or None) and where to go on."""
        low = self._numeral(norm, m, form)
        if low is None:
            return None, m.end()
        start = low.start
        if start and norm[start - 1].isascii() and norm[start - 1].isalnum():
            return None, low.end
        num = low
        ranged = self._range(norm, low)
        if ranged is not None:
            num = ranged
        pos = num.end
        qualifier = num.qualifier
        if qualifier == "exact":
            after = self._after_num_q.match(norm, pos)
            if after is not None:
                qualifier = self._after_num_q_of[after.group()]
                pos = after.end()
        # The unit.
        unit, end = self._unit(norm, pos)
        if unit == "exclude":
            return None, end
        if unit is None:
            unit = self._left_unit(norm, start, num) or self._left_unit_en(norm, start, pos)
            if unit is None:
                return None, pos
            end = pos
        if num.high is None and qualifier == "exact":
            num, end = self._unit_range(norm, num, unit, end)
            if num.high is not None:
                qualifier = "range"
        if qualifier == "exact":
            after = self._after_unit_q.match(norm, end)
            if after is not None:
                qualifier = self._after_unit_q_of[after.group()]
        # The left context: exclusions, a qualifier before the numeral, years.
        lo = max(0, start - self._left_reach)
        if self._before_x.search(norm, lo, start):
            return None, end
        before = self._before_q_end.search(norm, lo, start)
        if before is not None:
            if qualifier == "exact":
                qualifier = self._before_q_of[before.group(1)]
            if self._before_x_far.search(norm, lo, before.start()):
                return None, end
        if num.bare and before is None and qualifier == "exact":
            return None, end  # 万人, 千人计划: a bare 万 or 千 is not a count
        if num.value == 1 and num.high is None:
            return None, end  # "one worker said", 一名律师说, 一人就业: a lone person, not a count
        if self._is_year(norm, num):
            return None, end
        value, high = _whole(num.value), _whole(num.high) if num.high is not None else None
        if value is None or value <= 0 or (num.high is not None and high is None):
            return None, end
        if num.high is not None:
            qualifier = "range"
        counted = self._counted(norm, start, end)
        return Quantity(value, high, unit, counted, qualifier, start, end), end

    # -- numerals ------------------------------------------------------------------------------

    def _numeral(self, norm: str, m: re.Match[str], kind: str | None) -> _Numeral | None:
        start, end = m.span()
        high: Decimal | None = None
        multiplied = False
        if kind == "ar":
            try:
                value = Decimal(m.group().replace(",", ""))
            except InvalidOperation:  # pragma: no cover - the pattern admits only numbers
                return None
            words = bare = False
            en = self._en_tail.match(norm, end)
            if en is not None:
                token = en.group().strip(" -")
                value *= self._en_abbr.get(token) or self._en_mult[token]
                return _Numeral(value, start, en.end(), False, True, False)
        elif kind == "zh":
            run = m.group()
            parsed = self._zh_range(run)
            if parsed is None:
                return None
            value, high = parsed
            words = True
            bare = run[0] in self._large or self._small.get(run[0], 0) >= 100
            multiplied = any(c in self._large for c in run)
        else:
            value_int, end = self._en_value(norm, start, end)
            if value_int is None:
                return None
            value = Decimal(value_int)
            words, bare = True, False
            multiplied = value_int >= 100
        # A Chinese multiplier and a 余/多 after the number (3万, 10余万, 三千多万, 3万余).
        qualifier = "exact"
        tail = self._tail.match(norm, end)
        if tail is not None and tail.end() > end:
            first, q, second = tail.groups()
            if q and all(c in self._small for c in second):
                second = ""  # 一千几百, 一百多十: a lower place value, not a multiplier
            factor = self._factor(first + second)
            if factor != 1:
                value *= factor
                high = high * factor if high is not None else None
                multiplied, bare = True, bare and kind != "ar"
            if q:
                qualifier = self._tail_quals[q]
            end = tail.end()
        return _Numeral(value, start, end, words, multiplied, bare, high, qualifier)

    def _factor(self, chars: str) -> int:
        factor = 1
        for ch in chars:
            factor *= self._large.get(ch) or self._small.get(ch, 1)
        return factor

    def _zh_range(self, run: str) -> tuple[Decimal, Decimal | None] | None:
        """A Chinese numeral, or a range written with two adjacent digits (三四万 → 3–4万)."""
        digits = self._digits
        pairs = [i for i in range(len(run) - 1) if run[i] in digits and run[i + 1] in digits]
        if len(pairs) == 1:
            i = pairs[0]
            a, b = digits[run[i]], digits[run[i + 1]]
            if 0 < a < b <= a + 2:
                low = self._zh_value(run[: i + 1] + run[i + 2 :])
                high = self._zh_value(run[:i] + run[i + 1 :])
                if low is None or high is None:
                    return None
                return Decimal(low), Decimal(high)
        value = self._zh_value(run)
        return None if value is None else (Decimal(value), None)

    def _zh_value(self, run: str) -> int | None:
        """一千二百三十四 → 1234; 十二万 → 120000; 一亿二千万 → 120000000; 两千五 → 2500."""
        if not run:
            return 0
        for big, size in sorted(self._large.items(), key=lambda kv: -kv[1]):
            if big in run:
                left, right = run.split(big, 1)
                head = self._zh_value(left) if left else 1
                rest = self._zh_value(right)
                if head is None or rest is None:
                    return None
                return head * size + rest
        digits = self._digits
        if len(run) > 1 and all(c in digits for c in run):  # 二〇一八: digit by digit
            return int("".join(str(digits[c]) for c in run))
        section, number, unit, prev = 0, 0, 0, ""
        for ch in run:
            if ch in digits:
                if prev in digits and digits[prev] != 0:
                    return None
                number = digits[ch]
            else:
                size = self._small[ch]
                if unit and size >= unit:
                    return None
                section += (number if prev in digits else 1) * size
                number, unit = 0, size
            prev = ch
        if number and unit > 10 and prev in digits and run[-2] not in digits:
            number *= unit // 10  # 两千五 = 2500, 三百五 = 350
        return section + number

    def _en_value(self, norm: str, start: int, end: int) -> tuple[int | None, int]:
        """Read English number words (three hundred and twenty thousand); stop at the first word
        that cannot continue the number. Returns the value and where the number ends."""
        total, current, last_big, last_end, seen = 0, 0, 0, start, False
        for tok in _TOKEN.finditer(norm, start, end):
            word = tok.group()
            if word == "and":
                continue
            if word == "a":
                current = 1
                continue
            if word in self._en_words:
                v = self._en_words[word]
                if (v < 10 and current % 10) or (v >= 10 and current % 100):
                    break
                current += v
            elif word in self._en_mult and self._en_mult[word] < 1000:
                if not 0 < current < 100:
                    break
                current *= self._en_mult[word]
            elif word in self._en_mult:
                size = self._en_mult[word]
                if current == 0 or (last_big and size >= last_big):
                    break
                total, current, last_big = total + current * size, 0, size
            else:
                break
            seen, last_end = True, tok.end()
        return (total + current if seen else None), last_end

    def _range(self, norm: str, low: _Numeral) -> _Numeral | None:
        """``low`` followed by a separator and a second numeral: the range, else None."""
        if low.qualifier != "exact":
            return None
        if self._change_from_end.search(norm, max(0, low.start - 30), low.start):
            return None  # "rose from 3,000 to 5,000": two values, not a range
        sep = self._sep.match(norm, low.end)
        if sep is None:
            sep = self._joiner.match(norm, low.end)  # "between 3,000 and 5,000" only
            if sep is not None and not self._between_end.search(
                norm, max(0, low.start - 12), low.start
            ):
                return None
        if sep is None:
            return None
        m = self._any.match(norm, sep.end())
        if m is None:
            return None
        high = self._numeral(norm, m, m.lastgroup)
        if high is None or high.high is not None:
            return None
        low_value = low.value
        if high.multiplied and not low.multiplied:
            plain = self._unmultiplied(norm, m)
            if low.value < plain:  # 2-3万, 3 to 5 million: the multiplier is shared
                low_value = low.value * high.value / plain
        if not low_value < high.value:
            return None
        return _Numeral(
            low_value, low.start, high.end, low.words, True, False, high.value, high.qualifier
        )

    def _unit_range(self, norm: str, low: _Numeral, unit: str, end: int) -> tuple[_Numeral, int]:
        """3000人至5000人: a range whose ends both carry the unit; else ``low`` unchanged."""
        sep = self._sep.match(norm, end)
        m = self._any.match(norm, sep.end()) if sep is not None else None
        high = self._numeral(norm, m, m.lastgroup) if m is not None else None
        if high is None or high.high is not None or not low.value < high.value:
            return low, end
        high_unit, high_end = self._unit(norm, high.end)
        if high_unit != unit:
            return low, end
        return _Numeral(
            low.value, low.start, high.end, low.words, True, False, high.value
        ), high_end

    def _unmultiplied(self, norm: str, m: re.Match[str]) -> Decimal:
        """The value of a numeral before its multiplier (5 in "5 million", 3 in 3万)."""
        if m.lastgroup == "ar":
            return Decimal(m.group().replace(",", ""))
        if m.lastgroup == "zh":
            run = m.group().rstrip("".join(self._large))
            value = self._zh_value(run) if run else 1
            return Decimal(value or 1)
        value, _ = self._en_value(norm, m.start(), m.end())
        return Decimal(value or 1)

    def _is_year(self, norm: str, num: _Numeral) -> bool:
        """A bare 19xx/20xx after "in", "since" …: a year, not a count."""
        if num.multiplied or num.high is not None or not _YEAR.fullmatch(norm[num.start : num.end]):
            return False
        words = _TOKEN.findall(norm, max(0, num.start - 12), num.start)
        return bool(words) and words[-1] in self._year_words

    # -- units ---------------------------------------------------------------------------------

    def _unit(self, norm: str, pos: int) -> tuple[str | None, int]:
        """The unit after a numeral and where it ends; "exclude" for a word that is not people."""
        space = _SPACES.match(norm, pos)
        p = space.end() if space else pos
        hit = self._next.match(norm, p)
        if hit is not None:
            kind, unit = self._next_of[hit.group()]
            if kind == "exclude":
                return "exclude", hit.end()
            return unit, hit.end()
        if p < len(norm) and _HAN.match(norm[p]) and p == pos:
            for k in range(1, self._limits.noun_gap_chars + 1):
                if p + k >= len(norm) or not _HAN.match(norm[p + k - 1]):
                    break
                hit = self._next.match(norm, p + k)
                if hit is not None and self._next_of[hit.group()][0] == "noun":
                    return self._next_of[hit.group()][1], hit.end()
            return None, pos
        if p == pos:
            return None, pos
        quote = _QUOTE.match(norm, p)
        if quote is not None:  # 412 'trainees'
            p = quote.end()
            hit = self._next.match(norm, p)
            if hit is not None and self._next_of[hit.group()][0] == "noun":
                return self._next_of[hit.group()][1], hit.end()
        if not _EN_WORD.match(norm, p):
            return None, pos
        for _ in range(self._limits.noun_gap_words):
            word = _EN_WORD.match(norm, p)
            if word is None or word.group() in self._stop:
                return None, pos
            space = _SPACES.match(norm, word.end())
            p = space.end() if space else word.end()
            if p == word.end():
                return None, pos
            hit = self._next.match(norm, p)
            if hit is not None:
                kind, unit = self._next_of[hit.group()]
                if kind == "noun":
                    return unit, hit.end()
                return None, pos
        return None, pos

    def _left_unit(self, norm: str, start: int, num: _Numeral) -> str | None:
        """A Chinese numeral with no unit after it, its people noun just before it
        (转移富余劳动力1.2万，): the noun's unit, else None."""
        after = norm[num.end : num.end + 1]
        if after and (after.isalnum() or _HAN.match(after)):
            return None
        lo = max(0, start - self._limits.left_noun_gap_chars - 8)
        stop = start
        before = self._before_q_end.search(norm, lo, start)
        if before is not None:
            stop = before.start()
        hit = self._left_noun.search(norm, lo, stop)
        if hit is None:
            return None
        if stop - hit.end(1) > self._limits.left_noun_gap_chars:
            return None
        return self._unit_of[hit.group(1)][1]

    def _ends_phrase(self, norm: str, pos: int) -> bool:
        """Nothing at ``pos`` but the end, punctuation or an English function word."""
        space = _SPACES.match(norm, pos)
        p = space.end() if space else pos
        if p >= len(norm):
            return True
        word = _EN_WORD.match(norm, p)
        if word is not None:
            return p > pos and word.group() in self._stop
        return not (norm[p].isalnum() or _HAN.match(norm[p]))

    def _left_unit_en(self, norm: str, start: int, pos: int) -> str | None:
        """An English numeral with no unit after it whose people are named before or after
        it: "30 of the 600 workers", "30 of whom", "a population of about 25.9 million",
        "in groups of 20", "poor households fell from 41,000 to under 3,000"."""
        part = self._partitive.match(norm, pos)
        if part is not None:
            if part.group("whom"):
                return "persons"
            m = self._any.match(norm, part.end())
            whole = self._numeral(norm, m, m.lastgroup) if m is not None else None
            if whole is not None:
                unit, _ = self._unit(norm, whole.end)
                return unit if unit not in (None, "exclude") else None
            return None
        if not self._ends_phrase(norm, pos):
            return None
        lo = max(0, start - self._limits.window)
        stop = start
        before = self._before_q_end.search(norm, lo, start)
        if before is not None:
            stop = before.start()
        if self._collective_end.search(norm, lo, stop):
            return "persons"
        verbs = list(self._change.finditer(norm, lo, stop))
        if not verbs:
            return None
        verb = verbs[-1]
        gap = self._connector.match(norm, verb.end(), stop)
        if gap is None or gap.end() != stop:
            return None
        lo = max(0, verb.start() - self._limits.window)  # the subject: in the verb's clause
        for b in self._clause.finditer(norm, lo, verb.start()):
            lo = b.end()
        if self._blocker.search(norm, lo, verb.start()):
            return None
        nouns = list(self._en_noun.finditer(norm, lo, verb.start()))
        if not nouns or self._en_exclusion.search(norm, nouns[-1].end(), verb.start()):
            return None  # "villagers said the number of factories rose to 30"
        return self._en_noun_of[nouns[-1].group()]

    # -- what is counted -----------------------------------------------------------------------

    def _counted(self, norm: str, start: int, end: int) -> str:
        window = self._limits.window
        lo, hi = max(0, start - window), min(len(norm), end + window)
        for b in self._sentence.finditer(norm, lo, start):
            lo = b.end()
        b2 = self._sentence.search(norm, end, hi)
        if b2 is not None:
            hi = b2.start()
        best: tuple[int, int, int, int] | None = None
        category = "other"
        for cue in self._cue.finditer(norm, lo, hi):
            name = self._cue_of[cue.group()]
            if name == "-":
                continue
            if cue.end() <= start:
                gap_lo, gap_hi, side = cue.end(), start, 0
            elif cue.start() >= end:
                gap_lo, gap_hi, side = end, cue.start(), 1
            else:  # the cue is part of the unit (3万贫困人口, 3,000 surplus labourers)
                gap_lo, gap_hi, side = start, start, 0
            crosses = 1 if self._clause.search(norm, gap_lo, gap_hi) else 0
            if crosses and name == "target" and side == 1:
                continue
            key = (crosses, self._rank[name], gap_hi - gap_lo, side)
            if best is None or key < best:
                best, category = key, name
        return category


def _whole(value: Decimal | None) -> int | None:
    """``value`` as an int when it is a whole number (1.6 million is; 1.25 people is not)."""
    if value is None or value != value.to_integral_value():
        return None
    return int(value)
