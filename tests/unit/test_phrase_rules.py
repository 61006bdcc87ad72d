"""The phrases that steer a reply are rules in data/phrase_rules/, not regexes in code:
each rule's anchor, direction, scope, terminate marks and pseudo phrases decide what a
person's message is read as, and a broken rule file is refused when it loads."""
from __future__ import annotations

import ast
import re
from pathlib import Path
from typing import Any, Callable

import pytest
import yaml

from bot.paths import DATA_DIR, REPO_ROOT
from bot.prescreen.form_requests import Turn, is_emergency, wants_a_person
from bot.understanding.dialogue_words import load_dialogue_words
from bot.understanding.phrase_rules import load_phrase_rules, says
from tests.data_copies import changed_folder


def test_a_pseudo_phrase_is_not_its_phrase() -> None:
    assert says("emergency", "he passed out an hour ago")
    assert not says("emergency", "he passed out of college in 1990")
    assert says("never", "i never took it")
    assert not says("never", "i never stopped taking it")


def test_a_modifier_counts_only_within_its_scope() -> None:
    """`no_breathing_trouble`: a denial, then up to three words, then the breathing trouble."""
    assert says("no_breathing_trouble", "he is not on any kind of breathing machine")
    assert not says("no_breathing_trouble", "no, not really, but he has had some trouble with his breathing machine")
    assert not says("no_breathing_trouble", "breathing machine: no")  # forward only


def test_a_modifier_stops_at_its_terminate_marks() -> None:
    assert says("delete", "please delete all my answers")
    assert not says("delete", "I forget, ask me about my answers later")


def test_an_anchored_rule_reads_the_whole_message() -> None:
    assert says("consent", "ok, I agree")
    assert not says("consent", "I agree it's confusing, but no")
    assert says("stop", "please stop!")
    assert not says("stop", "stop taking riluzole? no")


def test_an_apostrophe_may_be_left_out_or_typed_any_way() -> None:
    for typed in ("he can't breathe", "he cant breathe", "he can\u2019t breathe", "he can\u00b4t breathe"):
        assert is_emergency(Turn(typed)), typed


def test_the_readers_use_the_rules() -> None:
    assert wants_a_person(Turn("can I talk to a real person please"))
    assert not wants_a_person(Turn("my mom is a real trooper"))
    assert not is_emergency(Turn("no breathing machine", intent="emergency", confidence=0.95))


def _copy(tmp_path: Path, change: Callable[[Any], None], name: str = "steering.yml") -> Path:
    """The rule folder copied, one file of it changed by `change`."""
    return changed_folder(tmp_path, DATA_DIR / "phrase_rules", name, change)


@pytest.mark.parametrize("change, where", [
    (lambda raw: raw["context_rules"][0].update({"direction": "forward"}), "direction needs targets"),
    (lambda raw: raw["context_rules"][0].update({"anchor": "end"}), "anchor"),
    (lambda raw: raw["context_rules"][0].update({"scoop": 3}), "scoop"),
    (lambda raw: raw["context_rules"][0]["phrases"].append("<no_such_set> help"), "no_such_set"),
    (lambda raw: raw["words"]["breathe"].append(True), "breathe"),  # an unquoted yes
])
def test_a_broken_rule_file_is_refused(tmp_path: Path, change: Callable, where: str) -> None:
    with pytest.raises(ValueError, match=where):
        load_phrase_rules.__wrapped__(_copy(tmp_path, change))


def _negation(raw: Any) -> Any:
    return next(rule for rule in raw["context_rules"] if rule["category"] == "negation")


@pytest.mark.parametrize("change, where", [
    (lambda raw: _negation(raw)["phrases"].append(False), "phrases"),  # an unquoted `no` in YAML
    (lambda raw: _negation(raw).pop("scope"), "direction needs targets"),  # it would reach the whole message
    (lambda raw: _negation(raw).update({"direction": "backward"}), "forward"),
    (lambda raw: raw["words"].update({"he": ["he"]}), "defined in another file too"),
])
def test_a_broken_assertion_file_is_refused(tmp_path: Path, change: Callable, where: str) -> None:
    with pytest.raises(ValueError, match=where):
        load_phrase_rules.__wrapped__(_copy(tmp_path, change, "assertion.yml"))


def _rule(raw: Any, category: str) -> Any:
    return next(rule for rule in raw["context_rules"] if rule["category"] == category)


@pytest.mark.parametrize("change, where", [
    (lambda raw: _rule(raw, "pause")["phrases"].append("  "), "at least 1"),
    (lambda raw: _rule(raw, "review_change")["phrases"].append(False), "str"),  # an unquoted "no"
    (lambda raw: _rule(raw, "review_reply").update({"anchor": "whole"}), "anchor"),
    (lambda raw: raw["words"].pop("review_glue"), "review_glue"),
])
def test_a_broken_dialogue_file_is_refused(tmp_path: Path, change: Callable, where: str) -> None:
    with pytest.raises(ValueError, match=where):
        load_phrase_rules.__wrapped__(_copy(tmp_path, change, "dialogue.yml"))


def test_a_whole_reply_of_a_set_s_phrases() -> None:
    """`review_reply`: nothing but agreeing words and the words around them; with
    `review_confirm`, one of them agrees ("thanks" alone does not)."""
    words = load_dialogue_words()
    assert says("review_reply", "yes thats all correct thank you")
    assert not says("review_reply", "yes but my age is wrong")
    assert words.confirms_review("Yes, that's all correct. Thank you!")
    assert words.confirms_review("nothing wrong")  # "nothing" agrees, as it did before the rules
    assert not words.confirms_review("thanks")
    assert not words.confirms_review("no")
    assert words.carries_on("ok I'm ready, carry on where we left off please")
    assert not words.carries_on("ok I'm ready, he is 54")


def test_a_span_is_negated_within_the_scope_of_a_negator_in_its_clause() -> None:
    """`negation`: a forward modifier without targets, 4 words, ended by a clause break."""
    negation = load_phrase_rules()["negation"]
    text = "no ventilator, just bipap"
    assert negation.in_scope(text, text.index("ventilator"))
    assert not negation.in_scope(text, text.index("bipap"))  # the comma ends the clause
    text = "he no longer takes his riluzole"
    assert negation.in_scope(text, text.index("riluzole"))
    text = "no, he has been on a ventilator"
    assert not negation.in_scope(text, text.index("ventilator"))
    text = "not since his diagnosis two years ago has he used riluzole"
    assert not negation.in_scope(text, text.index("riluzole"))  # too far back
    assert says("negation", "he is free of it")
    with pytest.raises(ValueError, match="not a modifier of a span"):
        load_phrase_rules()["delete"].in_scope("delete my answers", 7)


def test_the_longest_phrase_wins() -> None:
    """ConText: "no question about it" is one yes, not "no question" and "about it"."""
    assert load_phrase_rules()["yes_idiom"].replaced("no question about it", "yes") == "yes"


# Log redaction names the fields of Rasa's logs in its patterns, not words said to the bot; the
# grammars (numbers, ages, times, dates, places) read their small words from data/grammar_words.yml.
NOT_PEOPLES_WORDS = {
    "bot/privacy/log_redaction.py",
}
_REGEX_CALLS = {"compile", "search", "match", "fullmatch", "sub", "subn", "findall", "finditer", "split"}
# Regex syntax that is letters but no word: \b \d \s, (?P<name>...), [a-z], {0,3}.
_SYNTAX = re.compile(r"\\[a-zA-Z]|\(\?P<\w+>|\(\?P=\w+\)|\[\^?[^\]]*\]|\{[^}]*\}")


def _literal(node: ast.AST) -> str:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(_literal(value) for value in node.values)
    if isinstance(node, ast.BinOp):
        return _literal(node.left) + " " + _literal(node.right)
    return ""


def _words_in_regexes(source: str) -> list[tuple[int, list[str]]]:
    found = []
    for node in ast.walk(ast.parse(source)):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in _REGEX_CALLS
            and isinstance(node.func.value, ast.Name)
            and node.func.value.id == "re"
            and node.args
        ):
            words = re.findall(r"[a-z]{3,}", _SYNTAX.sub(" ", _literal(node.args[0])), re.I)
            if words:
                found.append((node.lineno, words))
    return found


def test_the_scan_finds_a_phrase_in_a_regex() -> None:
    assert _words_in_regexes('import re\nSTOP = re.compile(r"^\\W*(?:stop|quit)\\W*$", re.I)\n')
    assert not _words_in_regexes('import re\nDIGITS = re.compile(r"(?P<said>\\d+)\\s*[a-z]{2}")\n')


def test_no_phrase_people_say_is_a_regex_in_the_code() -> None:
    """A phrase goes in data/phrase_rules/ (or the lexicon), so the rule cannot come back."""
    found = {}
    for path in sorted(p for folder in ("bot", "adapters", "actions") for p in (REPO_ROOT / folder).rglob("*.py")):
        name = path.relative_to(REPO_ROOT).as_posix()
        if name not in NOT_PEOPLES_WORDS:
            found.update({f"{name}:{line}": words for line, words in _words_in_regexes(path.read_text("utf-8"))})
    assert found == {}


# Modules that may still join phrases from data into a pattern, and why: the lexicon's word
# sets (names, units, dictation, how a medicine is used) and a trial question's own words.
# Everything else a reply is read for (what it steers, yes / no / not sure, negation, the
# dialogue words) is a rule of data/phrase_rules/, compiled by phrase_rules.py alone.
PHRASE_COMPILERS = {
    "bot/understanding/phrase_rules.py": "the rule tables",
    "bot/understanding/plain_text.py": "phrase_pattern and alternation_of, for the word sets of the lexicon and data/grammar_words.yml",
    "bot/understanding/descriptions.py": "the lexicon's `descriptions`, over a reply's plain words",
    "bot/understanding/ages.py": "the `hedge` rule's phrases, read among the age grammar's own words",
    "bot/understanding/dictation.py": "the lexicon's `dictation` words",
    "bot/understanding/time_units.py": "the lexicon's `units`",
    "bot/understanding/reading.py": "the lexicon's `medicine_use.ended`",
    "bot/prescreen/kinds/medicine_use.py": "the lexicon's `medicine_use`",
    "bot/prescreen/kinds/sex.py": "the lexicon's `sex_words`",
    "bot/prescreen/kinds/yes_no.py": "a trial question's `changed_by` words",
}


def _compiles_phrases(source: str) -> list[int]:
    """Lines that call phrase_pattern or join strings with "|" (an alternation built in code)."""
    lines = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        if isinstance(func, ast.Name) and func.id == "phrase_pattern":
            lines.append(node.lineno)
        elif (isinstance(func, ast.Attribute) and func.attr == "join"
              and isinstance(func.value, ast.Constant) and func.value.value == "|"):
            lines.append(node.lineno)
    return lines


def test_the_scan_finds_a_word_list_compiled_in_code() -> None:
    assert _compiles_phrases('import re\nNO = re.compile("|".join(words))\n')
    assert _compiles_phrases("NO = phrase_pattern(lexicon.assertion['no'])\n")
    assert not _compiles_phrases('TEXT = " ".join(words)\n')


def test_phrases_are_compiled_in_one_place() -> None:
    """The yes / no, negation and dialogue readers once compiled their own lists (data/lexicon.yml
    `assertion` and `negation`, data/dialogue_words.yml): no module does that again."""
    found = {}
    for path in sorted((REPO_ROOT / "bot").rglob("*.py")):
        name = path.relative_to(REPO_ROOT).as_posix()
        if name not in NOT_PEOPLES_WORDS and name not in PHRASE_COMPILERS:
            lines = _compiles_phrases(path.read_text("utf-8"))
            if lines:
                found[name] = lines
    assert found == {}
    assert not (DATA_DIR / "dialogue_words.yml").exists()
    lexicon = yaml.safe_load((DATA_DIR / "lexicon.yml").read_text(encoding="utf-8"))
    assert not {"assertion", "negation"} & set(lexicon)


def test_a_plain_file_is_read_case_sensitive_and_written_in_lowercase(tmp_path: Path) -> None:
    """`read_over: plain`: its readers make the text plain (lowercase) first, so its patterns
    need no case folding, which makes each search several times cheaper."""
    rules = load_phrase_rules()
    assert not rules["hedge"].patterns[0].flags & re.I
    assert rules["emergency"].patterns[0].flags & re.I  # read over the text as typed
    with pytest.raises(ValueError, match="lowercase"):
        load_phrase_rules.__wrapped__(_copy(tmp_path, lambda raw: _rule(raw, "hedge")["phrases"].append("Not Sure"),
                                            "assertion.yml"))


def test_several_categories_are_asked_as_one() -> None:
    from bot.understanding.phrase_rules import says_any

    assert says_any(("hedge", "pending", "inconclusive"), "results not back yet")
    assert not says_any(("hedge", "pending", "inconclusive"), "yes he does")
