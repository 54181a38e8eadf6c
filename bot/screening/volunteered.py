"""Every screening fact a person volunteers in one message, read with the questions' own readers.

Patients say more than they are asked: "I'm a 62 year old woman, my periods stopped 5 years ago" to
the diabetes question; "我是女的，今年六十二，绝经五年了". The dialogue confirms such facts in one
message and skips their questions, so each fact must be one the words really state.

How: the message is cut into clauses; a clause names a group of fields when one of the group's cue
words is in it (the cues are data, ``volunteered/<language>.yml``); the part of the clause about
that group is then read by ``parsing.parse_answer`` for the field's own question, so every rule of
the form (negations, "more than", dates read as their latest day) holds here too. A clause about
someone else, a plan, a worry or a question states nothing. A short clause with no cue that goes on
from the one before ("..., stopped last March") is read with it.

Beyond the readers, these rules keep a guess from passing as a fact:
- "diabetes" without a type is proposed as type 2 only to confirm (INFERRED); "type 1" is a no.
- A fracture counts only when the words say it came from a small fall or less, at a bone that counts.
- A medicine named as taken says yes to its gate and to "any bone medicine"; its last dose only
  when a time is said, for it alone, and not a starting time. A medicine named as not taken says no
  to its gate only.
- After a clause about someone else only ("my husband has diabetes"), the clauses that follow are
  about them too, until one speaks of the person again ("..., I'm 65").
- A field read twice with two different values is not read at all.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from bot.screening.echo import people_value
from bot.screening.parsing import AMBIGUOUS, IMPLAUSIBLE, INFERRED, Parsed, format_date, parse_answer
from bot.screening.questions import load_questions, question

CUES_DIR = Path(__file__).with_name("volunteered")
CJK = "\u4e00-\u9fff"
#: Where the bone medicine gate comes from: a medicine named beats a class of medicines.
NAMED, CLASS = 1, 0


# --- cue words, compiled --------------------------------------------------------------------


@dataclass(frozen=True)
class Matcher:
    """Phrases and patterns that find one kind of cue in a lower-case clause."""

    pattern: re.Pattern[str] | None

    def spans(self, text: str) -> list[tuple[int, int]]:
        if self.pattern is None:
            return []
        return [m.span() for m in self.pattern.finditer(text) if m.end() > m.start()]

    def first(self, text: str) -> tuple[int, int] | None:
        spans = self.spans(text)
        return min(spans) if spans else None

    def found(self, text: str) -> bool:
        return self.pattern is not None and self.pattern.search(text) is not None

    def without(self, text: str) -> str:
        return " ".join(self.pattern.sub(" ", text).split()) if self.pattern is not None else text


@dataclass(frozen=True)
class Group:
    """Fields one kind of cue answers ("diabetes": type2_diabetes and diabetes_years), and how."""

    name: str
    fields: tuple[str, ...]
    rule: str
    cues: Matcher
    data: Mapping[str, Any]


class CueBook:
    """One language's cue words (``volunteered/<language>.yml``), compiled once."""

    def __init__(self, data: dict[str, Any]) -> None:
        self.data = data
        self.words = str(data.get("word_boundaries", "true")).lower() == "true"
        self.number = str(data["number"])
        split = data["split"]
        self.openers = self.matcher([f"{w} " if self.words else w for w in split.get("openers", [])], at_start=True)
        self.other_people = self.matcher(data["other_people"], data.get("other_people_patterns", []))
        self.first_person = self.matcher(data.get("first_person", []), data.get("first_person_patterns", []))
        self.not_stated = self.matcher(data["not_stated"])
        starts = data.get("question_openers", [])
        self.question_start = self.matcher(starts, at_start=self.words)
        self.question_end = self.matcher([], [rf"{re.escape(w)}$" for w in data.get("question_endings", [])])
        cont = data["continuations"]
        self.continuation = self.matcher(cont.get("phrases", []), cont.get("patterns", []), at_start=True)
        self.continuation_length = int(cont.get("max_length", 7))
        self.date_blockers = self.matcher(data.get("date_blockers", []))
        self.not_numbers = self.matcher(data.get("not_numbers", []))
        self.groups = tuple(self._group(name, spec) for name, spec in data["groups"].items())
        self.breaks = self._breaks(split)

    def matcher(self, phrases: Iterable[str], patterns: Iterable[str] = (), *, at_start: bool = False) -> Matcher:
        """Phrases (whole words, or plain text in Chinese) and patterns, as one regular expression."""
        alternatives = [self._phrase(p) for p in sorted({str(p) for p in phrases}, key=len, reverse=True)]
        alternatives += [str(p).replace("<number>", f"(?:{self.number})") for p in patterns]
        if not alternatives:
            return Matcher(None)
        joined = "|".join(f"(?:{a})" for a in alternatives)
        return Matcher(re.compile(f"^(?:{joined})" if at_start else joined))

    def _phrase(self, phrase: str) -> str:
        escaped = re.escape(phrase.strip()) + (r"\s" if phrase.endswith(" ") else "")
        return rf"(?<![\w']){escaped}(?![\w'])" if self.words and not phrase.endswith(" ") else escaped

    def _group(self, name: str, spec: dict[str, Any]) -> Group:
        patterns = list(spec.get("patterns", []))
        if "words" in spec:
            patterns.append(self._self_description(spec))
        return Group(name, tuple(spec["fields"]), str(spec["rule"]), self.matcher(spec.get("cues", []), patterns), spec)

    def _self_description(self, spec: dict[str, Any]) -> str:
        """ "I'm a 62 year old woman", "female": a person's word for themselves, at the start of a clause."""

        def alt(words: Iterable[str]) -> str:
            return "|".join(re.escape(str(w)) if w != "<number>" else w for w in sorted(words, key=len, reverse=True))

        intro, words = alt(spec["intro"]), alt(spec["words"])
        describing = f"(?:<number>|{alt(spec['descriptors'])})"
        after = alt(spec.get("after", []))
        return rf"^(?:(?:{intro})\s+)?(?:{describing}[\s-]*){{0,6}}(?:{words})(?=\s*$|\s+(?:{after})\b)"

    def _breaks(self, split: dict[str, Any]) -> re.Pattern[str]:
        """Where a clause ends: punctuation, a dash, a connective (not "and a half", not "hip and wrist")."""
        keep = [str(w) for w in split.get("keep_after", [])]
        for group in self.groups:
            for sites in (group.data.get("sites") or {}).values():
                keep += [str(s) for s in sites]
        connectives = "|".join(re.escape(str(c)) for c in sorted(split["connectives"], key=len, reverse=True))
        parts = [r"[,;!?\u3001\u3002]", r"\.(?!\d)", r"\s[-\u2013\u2014]\s"]
        if self.words:
            kept = "|".join(re.escape(k) for k in sorted(keep, key=len, reverse=True))
            lookahead = rf"(?!\s+(?:(?:my|the|a|an|left|right)\s+)*(?:{kept})\b)" if kept else ""
            parts.append(rf"\b(?:{connectives})\b{lookahead}")
        else:
            parts += [rf"(?<=[{CJK}])\s+(?=[{CJK}])", connectives, *map(str, split.get("patterns", []))]
        return re.compile("|".join(parts), re.IGNORECASE)

    def group(self, name: str) -> Group:
        return next(g for g in self.groups if g.name == name)

    def find(self, group: Group, key: str) -> Matcher:
        return _group_matcher(self, group.name, key)


@functools.cache
def _group_matcher(book: CueBook, group: str, key: str) -> Matcher:
    """A list under a group ("sites", "small_fall") compiled once; "sites.<field>" for one field's sites."""
    data = book.group(group).data
    if key.startswith("sites."):
        return book.matcher(data["sites"][key[6:]])
    return book.matcher(data.get(key, []))


def book_for(text: str, language: str) -> CueBook:
    """The cues that can read these words: Han text the Chinese ones, in any conversation; Latin text the
    conversation's, or English in a Chinese conversation (as the answer readers choose their lexicon)."""
    if re.search(f"[{CJK}]", text):
        return cue_book("zh")
    book = cue_book(language)
    return book if book.words else cue_book("en")


@functools.cache
def cue_book(language: str) -> CueBook:
    path = CUES_DIR / f"{language}.yml"
    if not path.is_file():
        path = CUES_DIR / "en.yml"
    # BaseLoader keeps every word a string (YAML 1.1 would read "no" or "on" as booleans).
    return CueBook(yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.BaseLoader))


# --- clauses --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Hit:
    """A group named in a clause: where its first cue starts and ends."""

    group: str
    start: int
    end: int


@dataclass
class Segment:
    """A clause, with the short clauses that go on from it: what it names, and whether it states anything."""

    low: str  # lower case, without its opening words; cue positions are in here
    shown: str  # the same words as written
    hits: list[Hit] = field(default_factory=list)
    stated: bool = True
    fall: bool = False  # it says how a bone broke (a small fall, a car crash)

    def extend(self, low: str, shown: str) -> None:
        self.low, self.shown = f"{self.low}, {low}", f"{self.shown}, {shown}"

    def part(self, start: int, end: int) -> tuple[str, str]:
        """The words between two positions, lower case and as written."""
        shown = self.shown if len(self.shown) == len(self.low) else self.low
        return self.low[start:end].strip(" ,"), shown[start:end].strip(" ,")


def _clauses(text: str, book: CueBook) -> list[tuple[str, bool]]:
    """The message cut into clauses, each with whether it asks something (it ends with "?")."""
    text = unicodedata.normalize("NFKC", text).replace("\u2019", "'")
    if not book.words:  # "62 岁", "2 型": one word
        text = re.sub(rf"(?<=\d)\s+(?=[{CJK}])|(?<=[{CJK}])\s+(?=\d)", "", text)
    clauses, position = [], 0
    for match in [*book.breaks.finditer(text), None]:
        end = match.start() if match else len(text)
        piece = text[position:end].strip(" \t\n\"'()[]")
        if piece:
            clauses.append((piece, bool(match and "?" in match.group(0))))
        if match:
            position = match.end()
    return clauses


def _segments(text: str, book: CueBook) -> list[Segment]:
    """The message's clauses, each with the groups it names, whether it states a fact about the person,
    and with the short clauses that go on from it."""
    segments: list[Segment] = []
    about_them = False  # the clauses before spoke of someone else only
    for shown, asked in _clauses(text, book):
        low = shown.lower()
        while (opening := book.openers.first(low)) is not None and opening[1] < len(low):
            low, shown = low[opening[1] :].lstrip(), shown[opening[1] :].lstrip()
        hits = [hit for group in book.groups if (hit := _hit(group, low, book)) is not None]
        mine = book.first_person.found(low)
        others = book.other_people.found(low)
        about_them = (others or about_them) and not mine
        stated = not (asked or _asks(low, book) or others or about_them or book.not_stated.found(low))
        fracture = book.group("fracture")
        fall = book.find(fracture, "small_fall").found(low) or book.find(fracture, "high_energy").found(low)
        if segments and stated and not hits and not fall and _goes_on(low, book):
            segments[-1].extend(low, shown)
            continue
        segments.append(Segment(low, shown, hits, stated, fall))
    return segments


def _asks(low: str, book: CueBook) -> bool:
    return book.question_start.found(low) or book.question_end.found(low)


def _goes_on(low: str, book: CueBook) -> bool:
    """A short clause that continues the one before ("for about 12 years now", "去年三月停的")."""
    length = len(low.split()) if book.words else len(low)
    return length <= book.continuation_length and book.continuation.found(low)


def _hit(group: Group, low: str, book: CueBook) -> Hit | None:
    """Where the clause names the group: its first cue not ruled out (an age "at 50" is not the age now)."""
    not_after = [str(w) for w in group.data.get("not_after", [])]
    spans = [s for s in group.cues.spans(low) if not _after_any(low[: s[0]], not_after, book)]
    if not spans:
        return None
    start, end = min(spans)
    if "sites" in group.data:  # "腰椎骨折": the bone before the word for the break is part of it
        sites = [s for name in group.data["sites"] for s in book.find(group, f"sites.{name}").spans(low)]
        start = min([start, *(s[0] for s in sites)])
    return Hit(group.name, start, end)


def _after_any(before: str, phrases: list[str], book: CueBook) -> bool:
    before = before.rstrip()
    for phrase in phrases:
        if before.endswith(phrase) and (not book.words or not re.search(r"\w$", before[: -len(phrase)])):
            return True
    return False


# --- reading --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Reading:
    field: str
    parsed: Parsed
    source: int = NAMED


@dataclass(frozen=True)
class Context:
    """What every reader of one message needs."""

    as_of: date
    language: str
    age: float | None
    book: CueBook


def read_volunteered(
    text: str,
    *,
    as_of: date,
    language: str,
    age: float | None = None,
    skip: Collection[str] = (),
) -> dict[str, Parsed]:
    """Each screening field (and gate) the message states, as its reader reads it, with ``evidence``
    the words it came from. Only values: no don't-knows, no problems. ``skip``: fields not to read
    (the question just asked, which the form reads itself); an age stated is still used to read
    "since I was 50"."""
    book = book_for(text, language)
    segments = _segments(text, book)
    context = Context(as_of, language, age, book)
    ages = _settle([r for i, _ in enumerate(segments) for r in _read_segment(segments, i, context, only="age")])
    if "age" in ages:
        context = replace(context, age=float(ages["age"].value))
    readings = [r for i, _ in enumerate(segments) for r in _read_segment(segments, i, context)]
    facts = _settle(readings)
    order = [q.name for q in load_questions()]
    return {name: facts[name] for name in order if name in facts and name not in skip}


def _read_segment(segments: list[Segment], index: int, context: Context, only: str | None = None) -> list[Reading]:
    segment = segments[index]
    if not segment.stated:
        return []
    hits = sorted(segment.hits, key=lambda h: (h.start, h.end))
    readings: list[Reading] = []
    for i, hit in enumerate(hits):
        if only is not None and hit.group != only:
            continue
        group = context.book.group(hit.group)
        zone = _Zone(segment, hits, i, context.book.words)
        readings += RULES[group.rule](group, zone, segments, index, context)
    return readings


@dataclass(frozen=True)
class _Zone:
    """The part of a segment about one group: from the end of the group named before it (its
    negation goes with it: "62岁没有糖尿病") to the start of the next; in Chinese, numbers follow
    their cue ("糖尿病12年绝经5年"), so a later group's numbers start at its own cue."""

    segment: Segment
    hits: list[Hit]
    index: int
    words: bool

    @property
    def hit(self) -> Hit:
        return self.hits[self.index]

    def _end(self) -> int:
        later = [h.start for h in self.hits[self.index + 1 :] if h.start > self.hit.start]
        return later[0] if later else len(self.segment.low)

    def _lead(self) -> int:
        before = [h.end for h in self.hits[: self.index] if h.start < self.hit.start]
        return min(max(before), self.hit.start) if before else 0

    def words_about(self) -> tuple[str, str]:
        """For a yes or no: the negation before the cue belongs to it."""
        return self.segment.part(self._lead(), self._end())

    def number_words(self) -> tuple[str, str]:
        """For a number of years."""
        later_in_chinese = not self.words and any(h.start < self.hit.start for h in self.hits[: self.index])
        return self.segment.part(self.hit.start if later_in_chinese else self._lead(), self._end())

    def cue_words(self) -> tuple[str, str]:
        """The words the cue matched ("62 year old", "我是女的")."""
        return self.segment.part(self.hit.start, self.hit.end)


def _said(name: str, zone: _Zone, context: Context) -> tuple[Parsed | None, str]:
    """A yes or no read from the zone, unless the whole clause says otherwise: "never took Fosamax or
    Prolia" must not become a yes to Prolia from its zone "or Prolia". Also the words as written."""
    words, shown = zone.words_about()
    said = _parse(name, words, context)
    whole = zone.segment.low
    if said is None or whole == words:
        return said, shown
    overall = parse_answer(question(name), whole, as_of=context.as_of, language=context.language, age=context.age)
    if overall.problem == AMBIGUOUS or (overall.understood and overall.value not in (None, said.value)):
        return None, shown
    return said, shown


def _parse(name: str, words: str, context: Context) -> Parsed | None:
    """The field's own reader on these words: its value, if it is one to put to the person. Names that hold
    a numeral ("二甲双胍", metformin) are taken out first: they are no number of years."""
    words = context.book.not_numbers.without(words)
    parsed = parse_answer(question(name), words, as_of=context.as_of, language=context.language, age=context.age)
    if not parsed.understood or parsed.dont_know or parsed.value is None or parsed.confirm == IMPLAUSIBLE:
        return None
    return parsed


def _fact(parsed: Parsed, evidence: str, **changes: Any) -> Parsed:
    return replace(parsed, evidence=evidence, also={}, **changes)


def _read_span(group: Group, zone: _Zone, segments: list[Segment], index: int, context: Context) -> list[Reading]:
    """Age and sex: read from the words of the cue alone ("62 year old", "我是62岁的女性")."""
    words, shown = zone.cue_words()
    return [Reading(f, _fact(p, shown)) for f in group.fields if (p := _parse(f, words, context))]


def _read_years(group: Group, zone: _Zone, segments: list[Segment], index: int, context: Context) -> list[Reading]:
    """ "my periods stopped 5 years ago", "绝经五年了": the years from the clause's part about them."""
    words, shown = zone.number_words()
    return [Reading(f, _fact(p, shown)) for f in group.fields if (p := _parse(f, words, context))]


def _read_diabetes(group: Group, zone: _Zone, segments: list[Segment], index: int, context: Context) -> list[Reading]:
    """ "type 2" is read as said; "diabetes" alone is type 2 only to confirm; "type 1" is a no."""
    words, _ = zone.words_about()
    book = context.book
    if book.find(group, "not_this").found(words):
        return []
    type_2, type_1 = book.find(group, "type_2"), book.find(group, "type_1")
    said, shown = _said("type2_diabetes", zone, context)
    if not type_2.found(words) and (one := type_1.first(words)) is not None:
        if _denied(words[: one[0]], group, book):
            return []  # "not type 1": it says what it is not, not what it is
        return [Reading("type2_diabetes", Parsed(False, evidence=shown))]
    if said is None:
        return []
    if said.value is False:
        return [Reading("type2_diabetes", _fact(said, shown))]
    confirm = said.confirm if type_2.found(words) else INFERRED
    readings = [Reading("type2_diabetes", _fact(said, shown, confirm=confirm))]
    if not book.find(group, "not_years").found(words):
        years_words, years_shown = zone.number_words()
        # The type is a label, never a duration ("2型, 一直在吃二甲双胍" is not 2 years).
        years = _parse("diabetes_years", type_1.without(type_2.without(years_words)), context)
        if years is not None:
            readings.append(Reading("diabetes_years", _fact(years, years_shown)))
    return readings


def _denied(before: str, group: Group, book: CueBook) -> bool:
    """A negation just before the words ("not type 1", "不是1型"): within 3 words, or 4 Chinese characters."""
    near = " ".join(before.split()[-3:]) if book.words else before[-4:]
    return book.find(group, "denied").found(near)


def _read_fracture(group: Group, zone: _Zone, segments: list[Segment], index: int, context: Context) -> list[Reading]:
    """A fracture at a bone that counts, from a small fall or less, said in this clause or next to it."""
    words, shown = zone.words_about()
    book = context.book
    if book.find(group, "not_sites").found(words):
        return []
    fields = [f for f in group.fields if book.find(group, f"sites.{f}").found(words)]
    evidence = _how_it_broke(group, words, shown, segments, index, book)
    if not fields or evidence is None:
        return []
    # The reader reads the break itself; how it broke is this module's (its "没摔跤" is no denial of the break).
    return [Reading(f, _fact(p, evidence)) for f in fields if (p := _parse(f, words, context)) and p.value is True]


def _how_it_broke(
    group: Group, words: str, shown: str, segments: list[Segment], index: int, book: CueBook
) -> str | None:
    """The words that say the bone broke in a small fall or less, with the break (the evidence): from this
    clause, else the clause before, else the one after. None when they say nothing, or say more than a
    small fall ("slipped off a ladder")."""
    small, hard = book.find(group, "small_fall"), book.find(group, "high_energy")
    candidates = [(words, shown)]
    if index > 0 and (before := segments[index - 1]).stated:
        candidates.append((before.low, f"{before.shown}, {shown}"))
    if index + 1 < len(segments) and (after := segments[index + 1]).stated:
        candidates.append((after.low, f"{shown}, {after.shown}"))
    for text, evidence in candidates:
        if hard.found(text):
            return None
        if small.found(text):
            return evidence
    return None


def _read_medicine(group: Group, zone: _Zone, segments: list[Segment], index: int, context: Context) -> list[Reading]:
    """ "I took Fosamax, stopped last March": its gate, any bone medicine, and the last dose."""
    gate, last_dose = group.fields
    words, _ = zone.words_about()
    said, shown = _said(gate, zone, context)
    if said is None:
        return []
    if said.value is False:
        return [Reading(gate, _fact(said, shown))]
    readings = [Reading(gate, _fact(said, shown)), Reading("bone_medicine_any", _fact(said, shown))]
    when = said.also.get(last_dose)
    if when is not None and _names_one_end(segments[index], words, context.book):
        readings.append(Reading(last_dose, Parsed(when, evidence=shown)))
    return readings


def _names_one_end(segment: Segment, words: str, book: CueBook) -> bool:
    """The time said is this medicine's last dose: the clause names one medicine and one year at most,
    and not when it started ("started Fosamax in 2020")."""
    medicines = [h for h in segment.hits if book.group(h.group).rule == "medicine"]
    years = set(re.findall(r"(?<!\d)(?:19|20)\d\d(?!\d)", words))
    return len(medicines) == 1 and len(years) <= 1 and not book.date_blockers.found(words)


def _read_bone_medicine(
    group: Group, zone: _Zone, segments: list[Segment], index: int, context: Context
) -> list[Reading]:
    """ "I've never had any bone medicine": the gate itself, below any medicine named."""
    said, shown = _said("bone_medicine_any", zone, context)
    return [Reading("bone_medicine_any", _fact(said, shown), CLASS)] if said is not None else []


RULES = {
    "span": _read_span,
    "years": _read_years,
    "diabetes": _read_diabetes,
    "fracture": _read_fracture,
    "medicine": _read_medicine,
    "bone_medicine": _read_bone_medicine,
}


def _settle(readings: list[Reading]) -> dict[str, Parsed]:
    """One value per field: a medicine named beats a class of medicines; two different values cancel;
    of two equal ones, the one taken as read beats the one to confirm."""
    by_field: dict[str, list[Reading]] = {}
    for reading in readings:
        by_field.setdefault(reading.field, []).append(reading)
    facts: dict[str, Parsed] = {}
    for name, found in by_field.items():
        best = max(r.source for r in found)
        values = [r.parsed for r in found if r.source == best]
        if len({_key(p.value) for p in values}) == 1:
            facts[name] = min(values, key=lambda p: p.confirm is not None)
    return facts


def _key(value: Any) -> Any:
    return round(float(value), 4) if isinstance(value, (int, float)) and not isinstance(value, bool) else value


# --- the confirmation -----------------------------------------------------------------------


def summary(facts: Mapping[str, Parsed], language: str) -> str:
    """The short list of what was read, for "You said: ... Is that right?", in questions.yml order."""
    spec = cue_book(language).data["summary"]
    order = {q.name: i for i, q in enumerate(load_questions())}
    shown: set[str] = set()
    items: list[tuple[int, str]] = []
    for item in spec["items"]:
        wanted: Mapping[str, str] = item["facts"]
        if shown & set(wanted) or not _item_fits(item, facts):
            continue
        values = {name: _people(name, facts[name].value, language) for name in wanted}
        numbers = [facts[n].value for n in wanted if wanted[n] == "value" and isinstance(facts[n].value, float)]
        text = item["one"] if "one" in item and numbers and numbers[0] == 1 else item["text"]
        items.append((order[item.get("at") or next(iter(wanted))], str(text).format(**values)))
        shown |= set(wanted)
    return str(spec["separator"]).join(text for _, text in sorted(items, key=lambda pair: pair[0]))


def _item_fits(item: Mapping[str, Any], facts: Mapping[str, Parsed]) -> bool:
    wanted: Mapping[str, str] = item["facts"]
    for name, value in wanted.items():
        fact = facts.get(name)
        if fact is None or (value != "value" and str(fact.value).lower() != value):
            return False
    if item.get("confirm") == "inferred" and not any(facts[n].confirm == INFERRED for n in wanted):
        return False
    return not any(facts.get(n) is not None and facts[n].value is True for n in item.get("unless", []))


def _people(name: str, value: Any, language: str) -> str:
    if question(name).kind == "date":
        return format_date(date.fromisoformat(str(value)), language)
    return people_value(value, language)
