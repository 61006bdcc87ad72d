"""The person the pre-screen's answers are about, and the words the questions use for them:
"you", or "your husband" with he / him / his (and the sex "husband" implies).

Relation words a caregiver uses ("my husband") are data: data/lexicon.yml `relations`; the
pronouns' forms are data/grammar_words.yml `people`.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Optional

from bot.messages import WORDS
from bot.understanding.grammar_words import load_grammar_words
from bot.understanding.lexicon import load_lexicon


@dataclass(frozen=True)
class Subject:
    """The person the answers are about: the one typing, or someone they care for."""

    is_self: bool
    name: str  # "you", "your husband", "this person"
    they: str
    them: str
    their: str
    implied_sex: Optional[str] = None  # 'male' | 'female' | None: lets the dialogue skip the sex question

    @classmethod
    def self(cls) -> "Subject":
        """The person typing answers for themselves."""
        forms = load_grammar_words().people.self
        return cls(is_self=True, name=forms.name, they=forms.they, them=forms.them, their=forms.their)

    @classmethod
    def from_relation(cls, relation: Optional[str]) -> "Subject":
        """A caregiver's subject from how they name the person ("my husband", "Mom", None)."""
        text = " ".join(re.findall(r"[a-z]+(?:-[a-z]+)*", (relation or "").lower().replace("'", "")))
        relations, people = load_lexicon().relations, load_grammar_words().people
        if text and set(text.split()) <= set(relations["self"]) | set(people.around_self):
            return cls.self()
        if text in people.pronouns:
            return cls._other(WORDS["this_person"], text)  # named only as "he" or "she"
        for pronoun in people.pronouns:
            for word in sorted(relations[pronoun], key=len, reverse=True):
                if re.search(rf"(?<![\w-]){re.escape(word)}s?(?![\w-])", text):
                    return cls._other(WORDS["your_relation"].format(relation=word), pronoun)
        return cls._other(WORDS["this_person"], "they")

    @classmethod
    def _other(cls, name: str, pronoun: str) -> "Subject":
        forms = load_grammar_words().people.pronouns[pronoun]
        return cls(is_self=False, name=name, they=forms.they, them=forms.them, their=forms.their, implied_sex=forms.sex)

    @property
    def named(self) -> bool:
        """Someone else, named by how they are related ("your husband"), not only "this person"."""
        return not self.is_self and self.name != WORDS["this_person"]

    def placeholders(self) -> dict[str, str]:
        """Values for the {name} / {they} ... placeholders of a question's `other` wording."""
        return {
            "name": self.name,
            "Name": capitalise(self.name),
            "they": self.they,
            "They": capitalise(self.they),
            "them": self.them,
            "their": self.their,
            "Their": capitalise(self.their),
        }


def capitalise(text: str) -> str:
    return text[:1].upper() + text[1:]
