"""The phrases that steer a reply ("stop", "it's for my mom", "I can't breathe") and say what
it asserts ("yes", "not sure", "not on a ventilator"), read from the files of data/phrase_rules/
and compiled once, when first used, into one matcher per category.

The rules follow medspaCy's ConText: a phrase, its category, and for a modifier a direction,
a scope, the marks that end it and pseudo phrases that hold it without being it. A modifier
with targets counts only with one of them; one without targets marks a span a reader asks
about (a name said "not on a ventilator"): `PhraseMatcher.in_scope`. A phrase is written as
words, with a few slots:

    <name>       any phrase of the word set `name` (the file's `words`)
    word*        the word and any ending ("suicid*")        <name>*  the set, repeated
    word? <name>?  may be left out                           {word}   any one word
    {0,3}        up to three words                          {number} digits
    ,            the next word may follow punctuation too ("me, myself")

An apostrophe in a phrase may be left out ("can't" reads "cant"), and ’ ´ ` are read as '.
Of the phrases of one rule or word set, a longer one is tried first (ConText: the longest
match wins), so "no question about it" is taken out whole, not as "no question".
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Callable, Mapping, Optional, Sequence

from bot.paths import DATA_DIR
from bot.understanding.plain_text import QUOTES, WORD_RE, light
from bot.understanding.vocabulary_files import PhraseRule, PhraseRulesFile, load_as

# Every file of this folder is read, in the order of their names, as one table.
DEFAULT_PATH = DATA_DIR / "phrase_rules"

# An apostrophe in a phrase: typed any way people type one (plain_text.QUOTES), or left out.
APOSTROPHE = "['" + "".join(re.escape(chr(code)) for code in QUOTES) + "]?"
WORD = r"[a-z][a-z-]*"  # with re.I: a word, not a number ("my 50s" names no one)
_RANGE = re.compile(r"\{(\d+),(\d+)\}")
_SEPARATORS = {"": r"\s+", ",": r"\W+"}


@dataclass(frozen=True)
class Reach:
    """How far a modifier without targets reaches forward: `scope` words, counted from its
    first word up to the span, not across a `terminate` mark or word (a clause break)."""

    scope: int
    terminate: re.Pattern[str]


@dataclass(frozen=True)
class PhraseMatcher:
    """One category's rules, compiled: one pattern per anchor, anchored ones first (a pattern
    anchored at the start is tried there only, so it costs next to nothing)."""

    category: str
    patterns: tuple[re.Pattern[str], ...]
    # Pseudo phrases start where the phrase they hold starts (ConText's "no increase" for
    # "no"), so a match is tried against them only where it starts: matches are rare.
    pseudo: Optional[re.Pattern[str]] = None
    # A modifier of a span (negation): how far it reaches. Its phrases alone are `patterns`.
    reach: Optional[Reach] = None
    # A whole message made of one set's phrases ("<set> <set>*"): one phrase of the set.
    whole_of: Optional[re.Pattern[str]] = None

    def found(self, text: str) -> bool:
        """Whether the text says a phrase of this category (not only inside a pseudo phrase)."""
        if self.whole_of is not None:
            return _made_of(self.whole_of, text)
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

    def replaced(self, text: str, by: str) -> str:
        """The text with each phrase of this category replaced by `by` ("no problem" -> "yes")."""
        return self.pattern.sub(by, text)

    def in_scope(self, text: str, start: int) -> bool:
        """Whether the span starting at `start` lies in the scope of a modifier of this category:
        one starts within the `scope` words before it, in its clause. "not on a ventilator",
        "no longer takes riluzole"; in "no ventilator, just bipap" the BiPAP is not in scope.

        Read over `light(text)`: apostrophes dropped, punctuation (a clause break) kept."""
        if self.reach is None:
            raise ValueError(f"{self.category}: not a modifier of a span (no scope without targets)")
        clause = self.reach.terminate.split(light(text[:start]))[-1]
        words = WORD_RE.findall(clause)[-self.reach.scope:] if self.reach.scope else []
        return bool(self.patterns[0].search(" ".join(words)))

    def split(self, text: str) -> list[str]:
        """The text cut at each phrase of this category (a clause break)."""
        return self.pattern.split(text)


_NON_WORD = re.compile(r"\W*")
_MARK = re.compile(r"\W")
_SPACES = re.compile(r"\s+")
_END = re.compile(r"\W*\Z")


def _made_of(unit: re.Pattern[str], text: str) -> bool:
    """Whether the text, but for non-word marks at its ends, is phrases of `unit` one after
    another with spaces between: what `^\\W*(?:U(?:\\s+U)*)\\W*$` says, read by remembering
    where a phrase may start instead of trying every way to cut the text. Tried every way, a
    message of many short agreeing words that fails at its end ("all right all right ... x")
    took exponential time: one such message held a server for minutes. Here each place is
    tried once: at most (words x ends) short matches."""
    ends = [mark.start() for mark in _MARK.finditer(text)] + [len(text)]
    starts, tried = [_NON_WORD.match(text).end()], set()
    while starts:
        start = starts.pop()
        if start in tried:
            continue
        tried.add(start)
        for end in ends:
            if end <= start or not unit.fullmatch(text, start, end):
                continue
            if _END.match(text, end):
                return True
            gap = _SPACES.match(text, end)
            if gap is not None and gap.end() < len(text):
                starts.append(gap.end())
    return False


class PhraseRules:
    """Every category of data/phrase_rules/, compiled."""

    def __init__(self, matchers: Mapping[str, PhraseMatcher], phrases: Mapping[str, tuple[str, ...]]):
        self._matchers = dict(matchers)
        self._phrases = dict(phrases)

    def __getitem__(self, category: str) -> PhraseMatcher:
        return self._matchers[category]

    def phrases(self, category: str) -> tuple[str, ...]:
        """The phrases of a category as written, for a grammar that reads them among its own
        words (bot/understanding/ages.py: "maybe about 58" is an age with a hedge). Only words:
        a slot would be read as its letters there."""
        found = self._phrases[category]
        slotted = [phrase for phrase in found if _SLOT.search(phrase)]
        if slotted:
            raise ValueError(f"{category}: phrases with slots are not plain words: {slotted}")
        return found


def _alternation(phrases: Sequence[str], words: Mapping[str, list[str]]) -> str:
    """Any of the phrases, a longer one tried first (ConText: the longest match wins)."""
    ordered = sorted(dict.fromkeys(phrases), key=len, reverse=True)
    return "(?:" + "|".join(_phrase(p, words) for p in ordered) + ")"


_PART = re.compile(r"<(\w+)>|\{(number|word)\}")
_SLOT = re.compile(r"[<>{}*?]|(?:^|\s),(?:\s|$)")
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


def _reach(category: str, rules: Sequence[PhraseRule], words: Mapping[str, list[str]], flags: int) -> Optional[Reach]:
    """A modifier of a span: one rule, forward, standing anywhere, with a scope; its terminate
    marks and words are where a clause ends."""
    spans = [rule for rule in rules if rule.direction and not rule.targets]
    if not spans:
        return None
    rule = spans[0]
    if len(rules) != 1 or rule.direction != "forward" or rule.anchor != "anywhere" or rule.pseudo:
        raise ValueError(f"{category}: a modifier of a span is one rule, forward, anywhere, without pseudo phrases")
    marks = [t for t in rule.terminate if len(t) == 1 and not t.isalnum()]
    ends = [t for t in rule.terminate if t not in marks]
    parts = (["[" + "".join(re.escape(m) for m in marks) + "]"] if marks else []) + (
        [_ANCHORED["anywhere"].format(_alternation(ends, words))] if ends else []
    )
    return Reach(rule.scope or 0, re.compile("|".join(parts) or r"(?!)", flags))


def _matcher(
    category: str, rules: Sequence[PhraseRule], words: Mapping[str, list[str]], plain: bool = False
) -> PhraseMatcher:
    """The category's rules as patterns. Rules read over plain text (lowercase already) are
    compiled case-sensitive: the same matches, and a search several times faster."""
    flags = 0 if plain else re.I
    reach = _reach(category, rules, words, flags)
    bodies: dict[str, list[str]] = {anchor: [] for anchor in _ANCHORED}
    for rule in rules:
        bodies[rule.anchor].append(_alternation(rule.phrases, words) if reach else _rule(rule, words))
    pseudo = [phrase for rule in rules for phrase in rule.pseudo]
    if pseudo and any(rule.anchor != "anywhere" for rule in rules):
        raise ValueError(f"{category}: pseudo phrases are for rules that stand anywhere")
    patterns = [re.compile(_ANCHORED[anchor].format("|".join(said)), flags) for anchor, said in bodies.items() if said]
    whole = _WHOLE_OF_ONE_SET.fullmatch(rules[0].phrases[0]) if len(rules) == 1 and len(rules[0].phrases) == 1 else None
    if whole is not None and rules[0].anchor == "message" and whole[1] == whole[2]:
        return PhraseMatcher(category, (), None, None, re.compile(_word(f"<{whole[1]}>", words), flags))
    return PhraseMatcher(
        category, tuple(patterns), re.compile(rf"{_alternation(pseudo, words)}\b", flags) if pseudo else None, reach
    )


# "<review_word> <review_word>*": a whole message of one word set's phrases (PhraseMatcher.whole_of).
_WHOLE_OF_ONE_SET = re.compile(r"<(\w+)> <(\w+)>\*")


def compile_rules(
    rules: Sequence[PhraseRule], words: Mapping[str, list[str]], plain: frozenset[str] = frozenset()
) -> PhraseRules:
    """One matcher per category, its rules in the file's order; the `plain` categories are read
    over plain text (bot/understanding/plain_text.py), lowercase."""
    by_category: dict[str, list[PhraseRule]] = {}
    for rule in rules:
        by_category.setdefault(rule.category, []).append(rule)
    return PhraseRules(
        {category: _matcher(category, group, words, category in plain) for category, group in by_category.items()},
        {category: tuple(p for rule in group for p in rule.phrases) for category, group in by_category.items()},
    )


def _tables(path: Path) -> list[tuple[Path, PhraseRulesFile]]:
    """The rule files at `path`: the one file, or every .yml file of the folder by name."""
    files = sorted(path.glob("*.yml")) if path.is_dir() else [path]
    if not files:
        raise ValueError(f"{path}: no rule files")
    return [(file, load_as(file, PhraseRulesFile)) for file in files]


@lru_cache(maxsize=4)
def load_phrase_rules(path: Path = DEFAULT_PATH) -> PhraseRules:
    """The phrase rules of every file at `path`, checked against their schema and compiled once.

    The files are one table: a word set is defined once, in any of them, and used in all."""
    words: dict[str, list[str]] = {}
    rules: list[PhraseRule] = []
    read_over: dict[str, str] = {}  # category -> how its text is made ("typed" or "plain")
    for file, table in _tables(path):
        twice = sorted(set(words) & set(table.words))
        if twice:
            raise ValueError(f"{file}: word sets defined in another file too: {twice}")
        if table.read_over == "plain":
            _check_lowercase(file, table)
        for rule in table.context_rules:
            if read_over.setdefault(rule.category, table.read_over) != table.read_over:
                raise ValueError(f"{file}: {rule.category} is read over typed text in one file, plain in another")
        words.update(table.words)
        rules += table.context_rules
    phrases = [p for rule in rules for p in [*rule.phrases, *rule.targets, *rule.pseudo, *rule.terminate]]
    phrases += [p for entries in words.values() for p in entries]
    unknown = {name for phrase in phrases for name in _PART_NAMES.findall(phrase) if name not in words}
    if unknown:
        raise ValueError(f"{path}: word sets used but not defined: {sorted(unknown)}")
    return compile_rules(rules, words, frozenset(c for c, over in read_over.items() if over == "plain"))


def _check_lowercase(file: Path, table: PhraseRulesFile) -> None:
    """Plain text is lowercase, so a phrase read over it must be too, or it never matches."""
    said = [p for rule in table.context_rules for p in [*rule.phrases, *rule.targets, *rule.pseudo, *rule.terminate]]
    said += [p for entries in table.words.values() for p in entries]
    upper = [p for p in said if _PART_NAMES.sub("", p) != _PART_NAMES.sub("", p).lower()]
    if upper:
        raise ValueError(f"{file}: read over plain text, so written in lowercase: {upper}")


_SEARCHES: dict[str, tuple[Callable[[str], object], ...]] = {}


def says_any(categories: tuple[str, ...], text: str) -> bool:
    """Whether `text` says a phrase of any of `categories` ("not sure": a hedge, a result
    still pending or one inconclusive). Categories of one pattern each, read over the same
    text, are searched as one pattern, so asking for three costs about one search."""
    search = _ANY.get(categories)
    if search is None:
        search = _ANY[categories] = _any_search(categories)
    return bool(search(text))


_ANY: dict[tuple[str, ...], Callable[[str], object]] = {}


def _any_search(categories: tuple[str, ...]) -> Callable[[str], object]:
    """One search for categories whose rules all stand anywhere, without pseudo phrases: their
    phrases in one alternation, as one category's would be; else each category in turn."""
    matchers = [load_phrase_rules()[category] for category in categories]
    start, end = _ANCHORED["anywhere"].split("{}")
    patterns = [m.patterns[0] for m in matchers if len(m.patterns) == 1 and m.pseudo is None]
    flags = {p.flags for p in patterns}
    if len(patterns) == len(matchers) and len(flags) == 1:
        bodies = [p.pattern[len(start):-len(end)] for p in patterns if p.pattern.startswith(start) and p.pattern.endswith(end)]
        if len(bodies) == len(patterns):
            return re.compile(start + "|".join(bodies) + end, flags.pop()).search
    return lambda text: any(says(category, text) for category in categories)


def says(category: str, text: str) -> bool:
    """Whether `text` says a phrase of `category` (data/phrase_rules/).

    Called several times for every reply, so the compiled searches are kept at hand."""
    searches = _SEARCHES.get(category)
    if searches is None:
        matcher = load_phrase_rules()[category]
        plain_patterns = matcher.pseudo is None and matcher.whole_of is None
        found = tuple(p.search for p in matcher.patterns) if plain_patterns else (matcher.found,)
        searches = _SEARCHES[category] = found
    for search in searches:
        if search(text):
            return True
    return False
