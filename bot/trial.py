"""The trial as data: one YAML file per trial under data/trials/.

Answers, the topic menu and the pre-screen all read this model, so a second
trial is a second file, not new code.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Optional

import yaml

REPO_ROOT = Path(__file__).resolve().parent.parent
TRIALS_DIR = REPO_ROOT / "data" / "trials"


@dataclass(frozen=True)
class Source:
    key: str
    title: str
    url: Optional[str]


@dataclass(frozen=True)
class Topic:
    """A question the assistant answers, with the sources that back the answer."""

    id: str
    title: str
    answer: str
    sources: tuple[str, ...]
    menu: bool = False
    mentions_status: bool = False


@dataclass(frozen=True)
class MedicationRule:
    """What the trial says about one group of medicines (riluzole, edaravone...)."""

    group: str
    answer: str
    sources: tuple[str, ...]


@dataclass(frozen=True)
class Criterion:
    id: str
    kind: str  # "inclusion" | "exclusion"
    summary: str
    source: str
    known: bool = True


@dataclass(frozen=True)
class Trial:
    id: str
    short_title: str
    official_title: str
    recruiting: bool
    status_summary: str
    sources: dict[str, Source]
    topics: dict[str, Topic]
    medications: dict[str, MedicationRule]
    criteria: tuple[Criterion, ...] = field(default_factory=tuple)

    def topic(self, topic_id: str) -> Optional[Topic]:
        return self.topics.get(topic_id)

    def menu_topics(self) -> list[Topic]:
        return [t for t in self.topics.values() if t.menu]

    def medication_rule(self, group: str) -> MedicationRule:
        """The rule for a medicine group; medicines the trial does not name fall to 'other'."""
        return self.medications.get(group) or self.medications["other"]

    def cite(self, keys: tuple[str, ...]) -> list[Source]:
        return [self.sources[k] for k in keys]


def _parse(raw: dict) -> Trial:
    sources = {
        key: Source(key=key, title=s["title"], url=s.get("url"))
        for key, s in raw["sources"].items()
    }
    topics = {
        key: Topic(
            id=key,
            title=t["title"],
            answer=" ".join(t["answer"].split()),
            sources=tuple(t["sources"]),
            menu=bool(t.get("menu", False)),
            mentions_status=bool(t.get("mentions_status", False)),
        )
        for key, t in raw["topics"].items()
    }
    medications = {
        group: MedicationRule(
            group=group, answer=" ".join(m["answer"].split()), sources=tuple(m["sources"])
        )
        for group, m in raw["medications"].items()
    }
    criteria = tuple(
        Criterion(
            id=c["id"],
            kind=c["kind"],
            summary=c["summary"],
            source=c["source"],
            known=bool(c.get("known", True)),
        )
        for c in raw.get("criteria", [])
    )
    trial = Trial(
        id=str(raw["id"]),
        short_title=raw["short_title"],
        official_title=raw["official_title"],
        recruiting=bool(raw["status"]["recruiting"]),
        status_summary=" ".join(raw["status"]["summary"].split()),
        sources=sources,
        topics=topics,
        medications=medications,
        criteria=criteria,
    )
    _check_references(trial)
    return trial


def _check_references(trial: Trial) -> None:
    """Fail at load time, not mid-conversation, when a citation points nowhere."""
    cited = [k for t in trial.topics.values() for k in t.sources]
    cited += [k for m in trial.medications.values() for k in m.sources]
    cited += [c.source for c in trial.criteria]
    missing = sorted(set(cited) - set(trial.sources))
    if missing:
        raise ValueError(f"trial {trial.id} cites unknown sources: {missing}")
    if "other" not in trial.medications:
        raise ValueError(f"trial {trial.id} needs a medications.other rule")


def load_trial_file(path: Path) -> Trial:
    with open(path, encoding="utf-8") as f:
        return _parse(yaml.safe_load(f))


@lru_cache(maxsize=None)
def load_trial(trial_id: Optional[str] = None) -> Trial:
    """The trial this deployment speaks for: TRIAL_ID, or the only file in data/trials."""
    trial_id = trial_id or os.environ.get("TRIAL_ID")
    if trial_id:
        return load_trial_file(TRIALS_DIR / f"{trial_id}.yml")
    files = sorted(TRIALS_DIR.glob("*.yml"))
    if len(files) != 1:
        raise RuntimeError(
            f"{len(files)} trial files in {TRIALS_DIR}: set TRIAL_ID to choose one"
        )
    return load_trial_file(files[0])
