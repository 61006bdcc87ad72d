"""Finds medicines, conditions and breathing devices in what people type.

No trained spaCy model can be downloaded here, and a model would not know
"Tiglutik" or "chrons" anyway, so the pipeline is `spacy.blank("en")` plus
two matchers built from data/lexicon.yml:

1. an EntityRuler with every name, whole-token and case-insensitive (a few
   short names such as "RA" only in their exact case);
2. a typo matcher (spaCy's FUZZY operator) for names with a word of 6+
   letters, which only fills gaps the exact ruler left, so "prednisolone" is
   never read as a typo of "prednisone".
"""
# No `from __future__ import annotations`: spaCy reads the factory's type hints at run time.
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Iterable, Optional

import spacy
from spacy.language import Language
from spacy.matcher import Matcher
from spacy.matcher.levenshtein import levenshtein
from spacy.tokens import Doc, Span
from spacy.vocab import Vocab

from bot.understanding.lexicon import Lexicon, Term, load_lexicon
from bot.understanding.message_text import bounded
from bot.understanding.plain_text import QUOTES

EXACT_RULER = "lexicon_exact"
FUZZY_MATCHER = "lexicon_fuzzy"



@dataclass(frozen=True)
class Mention:
    """One name found in a message, resolved to its canonical lexicon entry."""

    label: str  # 'medication' | 'condition' | 'breathing_device'
    value: str  # canonical name, e.g. 'riluzole' for "Rilutek"
    group: str  # lexicon group, e.g. 'riluzole', 'immunosuppressant', 'noninvasive'
    start: int  # character offsets into the original text
    end: int
    text: str  # the words as typed


def name_variants(name: str) -> set[str]:
    """Spellings people use for one lexicon name: with or without hyphens and apostrophes."""
    variants = {name}
    if "-" in name:
        variants |= {name.replace("-", " "), name.replace("-", "")}
    for variant in list(variants):
        if "'" in variant:
            variants |= {variant.replace("'s", "s"), variant.replace("'s", ""), variant.replace("'", "")}
    return {" ".join(v.split()) for v in variants if v.strip()}


def _entity_id(term: Term) -> str:
    return f"{term.label}|{term.canonical}"


def _tokens(nlp: Language, text: str) -> list[str]:
    return [t.text for t in nlp.make_doc(text)]


def exact_patterns(nlp: Language, lexicon: Lexicon) -> list[dict[str, Any]]:
    """EntityRuler patterns for every name, tokenised by the same tokenizer as messages."""
    patterns: list[dict[str, Any]] = []
    for term in lexicon.all_terms():
        for name in sorted({v for n in term.names for v in name_variants(n)}):
            tokens = [{"LOWER": t.lower()} for t in _tokens(nlp, name)]
            patterns.append({"label": term.label, "id": _entity_id(term), "pattern": tokens})
        for name in term.exact_case:
            tokens = [{"ORTH": t} for t in _tokens(nlp, name)]
            patterns.append({"label": term.label, "id": _entity_id(term), "pattern": tokens})
    return patterns


class FuzzyLexiconMatcher:
    """Adds typo matches of lexicon names where the exact ruler found nothing.

    When two names both match within their typo budget, the closer one (fewer
    edits) wins, then the longer span.
    """

    def __init__(self, vocab: Vocab) -> None:
        self.matcher = Matcher(vocab, validate=True)
        self._targets: dict[int, tuple[Term, tuple[str, ...]]] = {}
        self._shortest_typo = 0  # shortest word that can be a typo of a long name

    def add_lexicon(self, nlp: Language, lexicon: Lexicon) -> None:
        rules = lexicon.matching
        guard = sorted(rules.guard_words)
        self._shortest_typo = max(1, rules.fuzzy_min_length - 1)
        for term in lexicon.all_terms():
            if not term.fuzzy or term.group in rules.no_fuzzy_groups:
                continue
            for name in sorted({v for n in term.names for v in name_variants(n)}):
                words = tuple(t.lower() for t in _tokens(nlp, name))
                if not any(w.isalpha() and len(w) >= rules.fuzzy_min_length for w in words):
                    continue
                pattern: list[dict[str, Any]] = []
                for word in words:
                    if word.isalpha() and len(word) >= rules.fuzzy_min_length:
                        edits = 2 if len(word) >= rules.fuzzy_two_edit_length else 1
                        spec: dict[str, Any] = {f"FUZZY{edits}": word}
                        if guard:
                            spec["NOT_IN"] = guard
                        pattern.append({"LOWER": spec})
                    else:
                        pattern.append({"LOWER": word})
                key = f"{_entity_id(term)}|{name}"
                self.matcher.add(key, [pattern])
                self._targets[nlp.vocab.strings[key]] = (term, words)

    def __call__(self, doc: Doc) -> Doc:
        # Typo matching costs one Python call per word and name; skip texts
        # with no word long enough to be a typo of any name.
        if not any(t.is_alpha and len(t) >= self._shortest_typo for t in doc):
            return doc
        taken = {i for ent in doc.ents for i in range(ent.start, ent.end)}
        candidates: list[tuple[int, int, int, int, Term]] = []
        for match_id, start, end in self.matcher(doc):
            if taken.intersection(range(start, end)):
                continue
            term, words = self._targets[match_id]
            distance = sum(levenshtein(tok.lower_, word) for tok, word in zip(doc[start:end], words))
            candidates.append((distance, -(end - start), start, end, term))
        chosen: list[Span] = []
        for _distance, _length, start, end, term in sorted(candidates, key=lambda c: c[:3]):
            if taken.intersection(range(start, end)):
                continue
            taken.update(range(start, end))
            chosen.append(Span(doc, start, end, label=term.label, span_id=_entity_id(term)))
        if chosen:
            doc.ents = sorted([*doc.ents, *chosen], key=lambda span: span.start)
        return doc


@Language.factory(FUZZY_MATCHER)
def make_fuzzy_lexicon_matcher(nlp: Language, name: str) -> FuzzyLexiconMatcher:
    """Registered so the pipeline lists it by name; patterns come via add_lexicon."""
    return FuzzyLexiconMatcher(nlp.vocab)


# spaCy keeps every string it has read in the pipeline's vocabulary for as long as the pipeline
# lives, so a server reading new words for months grows without end (about 0.5 KB a new word).
# spaCy 3.8's `memory_zone` frees them; the 3.7 that Rasa 3.6 runs with has none. So the pipeline
# is built again (0.2 s) once it has learnt this many strings: about 10 MB at most.
MAX_NEW_STRINGS = 20_000
_STRINGS_AT_BUILD: dict[int, int] = {}


@lru_cache(maxsize=4)
def build_pipeline(lexicon: Lexicon) -> Language:
    """The spaCy pipeline for one lexicon; cached because it is used on every message."""
    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("entity_ruler", name=EXACT_RULER, config={"validate": True})
    ruler.add_patterns(exact_patterns(nlp, lexicon))  # type: ignore[attr-defined]
    fuzzy = nlp.add_pipe(FUZZY_MATCHER)
    fuzzy.add_lexicon(nlp, lexicon)  # type: ignore[attr-defined]
    _STRINGS_AT_BUILD[id(nlp)] = len(nlp.vocab.strings)
    return nlp


def new_strings(nlp: Language) -> int:
    """How many strings the pipeline's vocabulary has learnt from messages since it was built."""
    return len(nlp.vocab.strings) - _STRINGS_AT_BUILD.get(id(nlp), 0)


def read_names(text: str, lexicon: Lexicon) -> Doc:
    """The pipeline's Doc of `text` (bot.understanding.message_text.bounded: callers pass a bounded text, so
    offsets point into it): its entities are the names found (bot/understanding/reading.py keeps it)."""
    nlp = build_pipeline(lexicon)
    doc = nlp(bounded(text).translate(QUOTES))
    if new_strings(nlp) > MAX_NEW_STRINGS:  # the next message gets a new pipeline
        _STRINGS_AT_BUILD.pop(id(nlp), None)
        build_pipeline.cache_clear()
    return doc


def mentions_in(doc: Doc, text: str, lexicon: Lexicon) -> list[Mention]:
    """The names of a Doc made by `read_names(text)`, resolved to their lexicon entries."""
    return list(_mentions(doc, text, lexicon))


def _mentions(doc: Doc, text: str, lexicon: Lexicon) -> Iterable[Mention]:
    for ent in doc.ents:
        label, canonical = ent.ent_id_.split("|", 1)
        term = lexicon.term(label, canonical)
        yield Mention(
            label=label,
            value=canonical,
            group=term.group,
            start=ent.start_char,
            end=ent.end_char,
            text=text[ent.start_char : ent.end_char],
        )


def find_entities(text: str, lexicon: Optional[Lexicon] = None) -> list[Mention]:
    """Every medicine, condition and breathing device named in `text`, in order (offsets into
    `bounded(text)`, which is `text` for any message a channel has received)."""
    text = bounded(text)
    if not text.strip():
        return []
    lexicon = lexicon or load_lexicon()
    return mentions_in(read_names(text, lexicon), text, lexicon)


def _mentions_labelled(text: Optional[str], label: str) -> list[Mention]:
    return [m for m in find_entities(text or "") if m.label == label]


def find_medications(text: Optional[str]) -> list[Mention]:
    """Medicines and supplements named in the answer, canonical name and group each."""
    return _mentions_labelled(text, "medication")


def find_conditions(text: Optional[str]) -> list[Mention]:
    """Conditions (autoimmune diseases) named in the answer."""
    return _mentions_labelled(text, "condition")


def find_breathing_devices(text: Optional[str]) -> list[Mention]:
    """Ventilators, BiPAP/CPAP and diaphragm pacers named in the answer."""
    return _mentions_labelled(text, "breathing_device")
