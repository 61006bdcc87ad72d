"""The phrases that steer a reply ("stop", "it's for my mom", "I can't breathe"), read from
data/phrase_rules.yml and compiled once, when first used, into one matcher per category.

The rules follow medspaCy's ConText: a phrase, its category, and for a modifier a direction,
a scope, the marks that end it and pseudo phrases that hold it without being it. A phrase is
written as words, with a few slots:

    <name>       any phrase of the word set `name` (the file's `words`)
    word*        the word and any ending ("suicid*")        <name>*  the set, repeated
    word? <name>?  may be left out                           {word}   any one word
    {0,3}        up to three words                          {number} digits
    ,            the next word may follow punctuation too ("me, myself")

An apostrophe in a phrase may be left out ("can't" reads "cant"), and ’ ´ ` are read as '.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Callable, Mapping, Optional, Sequence

from bot.paths import DATA_DIR
from bot.understanding.plain_text import QUOTES
from bot.understanding.vocabulary_files import PhraseRule, PhraseRulesFile, load_as

DEFAULT_PATH = DATA_DIR / "phrase_rules.yml"

# An apostrophe in a phrase: typed any way people type one (plain_text.QUOTES), or left out.
APOSTROPHE = "['" + "".join(re.escape(chr(code)) for code in QUOTES) + "]?"
WORD = r"[a-z][a-z-]*"  # with re.I: a word, not a number ("my 50s" names no one)
_RANGE = re.compile(r"\{(\d+),(\d+)\}")
_SEPARATORS = {"": r"\s+", ",": r"\W+"}


@dataclass(frozen=True)
class PhraseMatcher:
    """One category's rules, compiled: one pattern per anchor, anchored ones first (a pattern
    anchored at the start is tried there only, so it costs next to nothing)."""

    category: str
    patterns: tuple[re.Pattern[str], ...]
    # Pseudo phrases start where the phrase they hold starts (ConText's "no increase" for
    # "no"), so a match is tried against them only where it starts: matches are rare.
    pseudo: Optional[re.Pattern[str]] = None

    def found(self, text: str) -> bool:
        """Whether the text says a phrase of this category (not only inside a pseudo phrase)."""
        for pattern in self.patterns:
            match = pattern.search(text)
            while match is not None and self.pseudo is not None and self.pseudo.match(text, match.start()):
                match = pattern.search(text, match.start() + 1)
            if match is not None:
                return True
        return False

    @property
    def pattern(self) -> re.Pattern[str]:
        """The one pattern of a category whose rules all stand anywhere (to cut or take out)."""
        if len(self.patterns) != 1:
            raise ValueError(f"{self.category}: not one plain pattern")
        return self.patterns[0]

    def removed(self, text: str) -> str:
        """The text with each phrase of this category replaced by a space."""
        return self.pattern.sub(" ", text)

    def split(self, text: str) -> list[str]:
        """The text cut at each phrase of this category (a clause break)."""
        return self.pattern.split(text)


class PhraseRules:
    """Every category of data/phrase_rules.yml, compiled."""

    def __init__(self, matchers: Mapping[str, PhraseMatcher]):
        self._matchers = dict(matchers)

    def __getitem__(self, category: str) -> PhraseMatcher:
        return self._matchers[category]


def _alternation(phrases: Sequence[str], words: Mapping[str, list[str]]) -> str:
    return "(?:" + "|".join(_phrase(p, words) for p in phrases) + ")"


_PART = re.compile(r"<(\w+)>|\{(number|word)\}")
_PART_NAMES = re.compile(r"<(\w+)>")


def _literal(text: str) -> str:
    return re.escape(text).replace("'", APOSTROPHE)


def _word(token: str, words: Mapping[str, list[str]]) -> str:
    """One token: literal letters, word sets and slots, and maybe a `*` ending."""
    ending = r"\w*" if token.endswith("*") else ""
    token = token[:-1] if ending else token
    out, at = "", 0
    for part in _PART.finditer(token):
        out += _literal(token[at:part.start()])
        if part[1]:
            out += _alternation(words[part[1]], words)
        else:
            out += r"\d+" if part[2] == "number" else WORD
        at = part.end()
    return out + _literal(token[at:]) + ending


def _phrase(phrase: str, words: Mapping[str, list[str]]) -> str:
    """One phrase as a regex: its words joined by their separators, optional words with theirs."""
    items: list[tuple[str, str, str]] = []  # (regex, repeat, separator before it)
    separator = ""
    for token in phrase.split():
        if token == ",":
            separator = ","
            continue
        repeat = ""
        if span := _RANGE.fullmatch(token):
            regex, repeat = WORD, "{%s,%s}?" % span.groups()
        elif token.endswith("?"):
            regex, repeat = _word(token[:-1], words), "?"
        elif token.endswith(">*"):
            regex, repeat = _word(token[:-1], words), "*"
        else:
            regex = _word(token, words)
        items.append((regex, repeat, _SEPARATORS[separator]))
        separator = ""
    out, started = "", False
    for i, (regex, repeat, before) in enumerate(items):
        if not repeat:
            out += (before if started else "") + regex
            started = True
        elif started:
            out += f"(?:{before}{regex}){repeat}"
        else:
            after = items[i + 1][2] if i + 1 < len(items) else ""
            out += f"(?:{regex}{after}){repeat}"
    return out


def _gap(rule: PhraseRule) -> str:
    """What may stand between a modifier and its target."""
    if rule.scope is not None:
        return rf"\s+(?:{WORD}\s+){{0,{rule.scope}}}?"
    marks = [t for t in rule.terminate if len(t) == 1 and not t.isalnum()]
    if marks and len(marks) == len(rule.terminate):
        return "[^" + "".join(re.escape(m) for m in marks) + "]*"
    if rule.terminate:
        ends = "|".join(re.escape(t) for t in rule.terminate)
        return rf"(?:(?!{ends}).)*"
    return ".*"


def _rule(rule: PhraseRule, words: Mapping[str, list[str]]) -> str:
    """The rule's phrases as a regex, a modifier with its targets; the anchor is added by its group."""
    said = _alternation(rule.phrases, words)
    if not rule.direction:
        return said
    target, gap = _alternation(rule.targets, words), _gap(rule)
    forward, backward = rf"{said}\b{gap}\b{target}", rf"{target}\b{gap}\b{said}"
    return {"forward": forward, "backward": backward}.get(rule.direction, f"(?:{forward}|{backward})")


# "Anywhere" starts after a non-word character: as \b before a word, and faster to search for.
_ANCHORED = {"message": r"^\W*(?:{})\W*$", "start": r"^\W*(?:{})\b", "anywhere": r"(?<!\w)(?:{})\b"}


def _matcher(category: str, rules: Sequence[PhraseRule], words: Mapping[str, list[str]]) -> PhraseMatcher:
    bodies: dict[str, list[str]] = {anchor: [] for anchor in _ANCHORED}
    for rule in rules:
        bodies[rule.anchor].append(_rule(rule, words))
    pseudo = [phrase for rule in rules for phrase in rule.pseudo]
    if pseudo and any(rule.anchor != "anywhere" for rule in rules):
        raise ValueError(f"{category}: pseudo phrases are for rules that stand anywhere")
    patterns = [re.compile(_ANCHORED[anchor].format("|".join(said)), re.I) for anchor, said in bodies.items() if said]
    return PhraseMatcher(
        category, tuple(patterns), re.compile(rf"{_alternation(pseudo, words)}\b", re.I) if pseudo else None
    )


def compile_rules(rules: Sequence[PhraseRule], words: Mapping[str, list[str]]) -> PhraseRules:
    """One matcher per category, its rules in the file's order."""
    by_category: dict[str, list[PhraseRule]] = {}
    for rule in rules:
        by_category.setdefault(rule.category, []).append(rule)
    return PhraseRules({category: _matcher(category, group, words) for category, group in by_category.items()})


@lru_cache(maxsize=4)
def load_phrase_rules(path: Path = DEFAULT_PATH) -> PhraseRules:
    """The phrase rules, checked against their schema and compiled once."""
    table = load_as(path, PhraseRulesFile)
    phrases = [p for rule in table.context_rules for p in [*rule.phrases, *rule.targets, *rule.pseudo]]
    phrases += [p for entries in table.words.values() for p in entries]
    unknown = {name for phrase in phrases for name in _PART_NAMES.findall(phrase) if name not in table.words}
    if unknown:
        raise ValueError(f"{path}: word sets used but not defined: {sorted(unknown)}")
    return compile_rules(table.context_rules, table.words)


_SEARCHES: dict[str, tuple[Callable[[str], object], ...]] = {}


def says(category: str, text: str) -> bool:
    """Whether `text` says a phrase of `category` (data/phrase_rules.yml).

    Called several times for every reply, so the compiled searches are kept at hand."""
    searches = _SEARCHES.get(category)
    if searches is None:
        matcher = load_phrase_rules()[category]
        found = tuple(p.search for p in matcher.patterns) if matcher.pseudo is None else (matcher.found,)
        searches = _SEARCHES[category] = found
    for search in searches:
        if search(text):
            return True
    return False
