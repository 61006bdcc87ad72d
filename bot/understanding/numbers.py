"""Numbers said as words read as digits ("fifty four", "a year and a half", "twenty twenty
three"), vague amounts as ranges ("a few months" -> "2 to 4 months")."""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Optional
import re

from bot.understanding.lexicon import Lexicon, load_lexicon
from bot.understanding.grammar_words import load_grammar_words
from bot.understanding.plain_text import alternation_of, folded
from bot.understanding.time_units import unit_words


MIXED_HALF_RE = re.compile(r"(?<![\d.])(\d+)\s*(?:\s1/2|\u00bd)(?![\d/])")
LONE_HALF_RE = re.compile(r"(?<![\d/.])(?:1/2|\u00bd)(?![\d/])")


def _format_number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


@dataclass(frozen=True)
class NumberVocabulary:
    """Regexes built from the lexicon's number and month words (data, not code)."""

    phrases_re: re.Pattern[str]
    phrases: dict[str, float]
    run_re: re.Pattern[str]
    run_separator_re: re.Pattern[str]  # between the words of one number: "hundred and five", "fifty-four"
    joins: frozenset[str]  # "and": "one hundred and five" is one number, "fifty and four" two
    and_a_half_re: re.Pattern[str]  # "2 and 0.5" (from "two and a half") -> "2.5"
    words: dict[str, float]
    article_multiplier_re: re.Pattern[str]
    month_alt: str
    months: dict[str, int]
    vague_re: re.Pattern[str]  # "a few" -> "2 to 4"
    vague: dict[str, str]
    year_re: re.Pattern[str]  # "twenty twenty three", "nineteen oh five": a year said in pairs
    plural_unit_re: re.Pattern[str]  # "for months", "years ago": a plural unit with no count
    plural_unit_count: str  # what such a unit is read as ("2+ ")
    plural_unit_not_after: frozenset[str]  # "some months ago": left as said


@lru_cache(maxsize=4)
def number_vocabulary(lexicon: Lexicon) -> NumberVocabulary:
    phrases = {k: v for k, v in lexicon.numbers.items() if " " in k}
    words = {k: v for k, v in lexicon.numbers.items() if " " not in k}
    word_alt = alternation_of(list(words))
    joins = load_grammar_words().numbers.joins
    separator = rf"\s+(?:{alternation_of(joins)})\s+|\s*-\s*|\s+"
    multipliers = [k for k, v in words.items() if v >= 100]
    return NumberVocabulary(
        phrases_re=re.compile(rf"\b(?:{alternation_of(list(phrases))})\b") if phrases else re.compile(r"(?!)"),
        phrases={" ".join(k.split()): v for k, v in phrases.items()},
        run_re=re.compile(rf"\b(?:{word_alt})(?:(?:{separator})(?:{word_alt}))*\b"),
        run_separator_re=re.compile(rf"({separator})"),
        joins=frozenset(joins),
        and_a_half_re=re.compile(rf"(?<![\d.])(\d+) (?:{alternation_of(joins)}) 0\.5\b"),
        words=words,
        article_multiplier_re=(
            re.compile(rf"\ban?\s+(?=(?:{alternation_of(multipliers)})\b)") if multipliers else re.compile(r"(?!)")
        ),
        month_alt=alternation_of(list(lexicon.months)),
        months=dict(lexicon.months),
        vague_re=(
            re.compile(rf"\b(?:{alternation_of(list(lexicon.vague_numbers))})\b") if lexicon.vague_numbers
            else re.compile(r"(?!)")
        ),
        vague={
            " ".join(k.split()): f"{_format_number(low)} to {_format_number(high)}"
            for k, (low, high) in (lexicon.vague_numbers or {}).items()
        },
        year_re=_year_pattern(lexicon, words),
        plural_unit_re=_plural_unit_pattern(lexicon),
        plural_unit_count=(
            f"{_format_number(lexicon.plural_unit.at_least)}+ " if lexicon.plural_unit is not None else ""
        ),
        plural_unit_not_after=frozenset(
            (lexicon.plural_unit.not_after if lexicon.plural_unit is not None else ())
            + tuple(p.split()[-1] for p in (*lexicon.qualifiers.before, *(lexicon.vague_numbers or ())))
        ),
    )


def _year_pattern(lexicon: Lexicon, words: dict[str, float]) -> re.Pattern[str]:
    """A year said in pairs: a lead ("nineteen", "twenty") then a number from 10 to 99 said
    in words ("sixty", "twenty three", "ten"), or a zero word and a digit ("oh five")."""
    dictation = lexicon.dictation
    if dictation is None or not dictation.year_leads:
        return re.compile(r"(?!)")
    by_value = lambda test: alternation_of([w for w, v in words.items() if float(v).is_integer() and test(v)])  # noqa: E731
    units, teens, tens = by_value(lambda v: 1 <= v <= 9), by_value(lambda v: 10 <= v <= 19), by_value(
        lambda v: v >= 20 and v < 100 and v % 10 == 0
    )
    zero = alternation_of(list(dictation.year_zero)) or "(?!)"
    return re.compile(
        rf"\b(?P<lead>{alternation_of(list(dictation.year_leads))})\s+"
        rf"(?:(?:{zero})\s+(?P<digit>{units})|(?P<teen>{teens})|(?P<tens>{tens})(?:[\s-]+(?P<unit>{units}))?)\b"
    )


def _plural_unit_pattern(lexicon: Lexicon) -> re.Pattern[str]:
    """A plural unit with no count, where the words around it make it a length of time:
    after a word such as "for" ("for months"), or before one such as "ago" ("years ago");
    the word before a unit said before "ago" is checked by `_plural_unit`."""
    plural = lexicon.plural_unit
    if plural is None:
        return re.compile(r"(?!)")
    units = rf"(?:{unit_words(lexicon).plurals})"
    after = alternation_of(list(plural.after)) or "(?!)"
    before = alternation_of(list(plural.before)) or "(?!)"
    return re.compile(
        rf"(?:\b(?:{after})\s+(?P<counted_after>{units})\b|\b(?P<counted_before>{units})(?=\s+(?:{before})\b))"
    )


def _extends(current: float, value: float, separator: str, joins: frozenset[str]) -> bool:
    """Whether `value` continues the number being read ("fifty" + "four"), grammar-wise."""
    if not (float(current).is_integer() and float(value).is_integer()) or current == 0:
        return False
    with_and = separator.strip() in joins
    if value >= 100:
        return current < 100 and not with_and  # "two hundred", "two thousand"
    if current >= 100 and current % 100 == 0:
        return True  # "one hundred (and) two"
    tens = current % 100 >= 20 and current % 10 == 0
    return tens and value < 10 and not with_and  # "fifty four", "two thousand twenty three"


def _read_number_run(run: str, vocab: NumberVocabulary) -> str:
    words = vocab.words
    parts = vocab.run_separator_re.split(run)
    pieces: list[str] = []
    current = words[parts[0]]
    for separator, word in zip(parts[1::2], parts[2::2]):
        value = words[word]
        if _extends(current, value, separator, vocab.joins):
            current = current * value if value >= 100 else current + value
        else:
            pieces += [_format_number(current), separator]
            current = value
    pieces.append(_format_number(current))
    return "".join(pieces)


def numbers_to_digits(text: str, lexicon: Optional[Lexicon] = None) -> str:
    """Lowercased text with number words as digits: "a year and a half" -> "a year and 0.5".

    A vague amount becomes its range: "a few months" -> "2 to 4 months".
    """
    vocab = number_vocabulary(lexicon or load_lexicon())
    text = " ".join(folded(text).split())
    text = vocab.year_re.sub(lambda m: _spoken_year(m, vocab.words), text)
    text = vocab.vague_re.sub(lambda m: vocab.vague[" ".join(m.group(0).split())], text)
    text = MIXED_HALF_RE.sub(lambda m: f"{m.group(1)}.5", text)
    text = LONE_HALF_RE.sub("0.5", text)
    text = vocab.phrases_re.sub(lambda m: _format_number(vocab.phrases[" ".join(m.group(0).split())]), text)
    text = vocab.article_multiplier_re.sub("one ", text)
    text = vocab.run_re.sub(lambda m: _read_number_run(m.group(0), vocab), text)
    text = vocab.and_a_half_re.sub(lambda m: f"{m.group(1)}.5", text)
    return vocab.plural_unit_re.sub(lambda m: _plural_unit(m, vocab), text)


def _spoken_year(match: re.Match[str], words: dict[str, float]) -> str:
    """ "twenty twenty three" -> "2023", "nineteen oh five" -> "1905"."""
    if match["digit"]:
        rest = words[match["digit"]]
    elif match["teen"]:
        rest = words[match["teen"]]
    else:
        rest = words[match["tens"]] + (words[match["unit"]] if match["unit"] else 0)
    return _format_number(words[match["lead"]] * 100 + rest)


def _plural_unit(match: re.Match[str], vocab: NumberVocabulary) -> str:
    """ "for months" -> "for 2+ months"; "months ago" -> "2+ months ago" unless a count, a
    qualifier or a word such as "the" stands before it."""
    said = match.group(0)
    if match["counted_after"]:
        unit = match["counted_after"]
        return said[: len(said) - len(unit)] + vocab.plural_unit_count + unit
    before = match.string[: match.start()].split()
    if before and (re.search(r"\d", before[-1]) or before[-1] in vocab.plural_unit_not_after):
        return said
    return vocab.plural_unit_count + said
