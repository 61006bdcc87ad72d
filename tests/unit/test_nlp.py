"""The spaCy entity finder and the lexicon it is built from."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from bot.paths import REPO_ROOT
from bot.understanding.lexicon import (
    DEFAULT_LEXICON_PATH,
    group_of_breathing_device,
    group_of_condition,
    group_of_medication,
    load_lexicon,
    parse_lexicon,
)
from bot.understanding.nlp import Mention, build_pipeline, find_entities, name_variants



def found(text: str) -> list[tuple[str, str, str, str]]:
    return [(m.label, m.value, m.group, m.text) for m in find_entities(text)]


# What people type -> (label, canonical value, group, the words as typed).
ENTITY_CASES = [
    ("I take Rilutek twice a day", [("medication", "riluzole", "riluzole", "Rilutek")]),
    ("riluzole 50mg", [("medication", "riluzole", "riluzole", "riluzole")]),
    ("RILUZOLE", [("medication", "riluzole", "riluzole", "RILUZOLE")]),
    ("rilutek, since march", [("medication", "riluzole", "riluzole", "rilutek")]),
    ("Tiglutik, the liquid one", [("medication", "riluzole", "riluzole", "Tiglutik")]),
    ("exservan film", [("medication", "riluzole", "riluzole", "exservan")]),
    ("riluzol", [("medication", "riluzole", "riluzole", "riluzol")]),
    ("rilutec", [("medication", "riluzole", "riluzole", "rilutec")]),
    ("rilizol i think", [("medication", "riluzole", "riluzole", "rilizol")]),
    ("stopped Radicava 2 weeks ago", [("medication", "edaravone", "edaravone", "Radicava")]),
    ("Radicava?", [("medication", "edaravone", "edaravone", "Radicava")]),
    ("on Radicava ORS now", [("medication", "edaravone", "edaravone", "Radicava ORS")]),
    ("radicave infusions", [("medication", "edaravone", "edaravone", "radicave")]),
    ("edaravon", [("medication", "edaravone", "edaravone", "edaravon")]),
    (
        "on prednisone for my RA",
        [
            ("medication", "prednisone", "immunosuppressant", "prednisone"),
            ("condition", "rheumatoid arthritis", "autoimmune", "RA"),
        ],
    ),
    ("prednizone", [("medication", "prednisone", "immunosuppressant", "prednizone")]),
    # Exact names beat typo matches: prednisolone is not a typo of prednisone.
    ("prednisolone drops", [("medication", "prednisolone", "immunosuppressant", "prednisolone")]),
    ("prednisolon", [("medication", "prednisolone", "immunosuppressant", "prednisolon")]),
    ("Humira shots every other week", [("medication", "adalimumab", "immunosuppressant", "Humira")]),
    ("was on methotrexete years ago", [("medication", "methotrexate", "immunosuppressant", "methotrexete")]),
    (
        "cellcept/humira",
        [
            ("medication", "mycophenolate", "immunosuppressant", "cellcept"),
            ("medication", "adalimumab", "immunosuppressant", "humira"),
        ],
    ),
    ("a course of steroids last fall", [("medication", "steroids", "immunosuppressant", "steroids")]),
    ("plaquenil for my joints", [("medication", "hydroxychloroquine", "immunosuppressant", "plaquenil")]),
    ("remicade infusions", [("medication", "infliximab", "immunosuppressant", "remicade")]),
    ("any immunosuppressants?", [("medication", "immunosuppressants", "immunosuppressant", "immunosuppressants")]),
    (
        "takes vitamin D, CoQ10 and fish oil",
        [
            ("medication", "vitamin d", "supplement", "vitamin D"),
            ("medication", "coenzyme q10", "supplement", "CoQ10"),
            ("medication", "fish oil", "supplement", "fish oil"),
        ],
    ),
    ("b12 shots", [("medication", "vitamin b12", "supplement", "b12")]),
    ("just some supplements", [("medication", "supplements", "supplement", "supplements")]),
    ("creatine powder", [("medication", "creatine", "supplement", "creatine")]),
    ("Nuedexta for the crying", [("medication", "nuedexta", "other", "Nuedexta")]),
    ("baclofen for cramps", [("medication", "baclofen", "other", "baclofen")]),
    ("Qalsody", [("medication", "tofersen", "other", "Qalsody")]),
    ("relyvrio", [("medication", "relyvrio", "other", "relyvrio")]),
    ("he has chrons", [("condition", "crohn's disease", "autoimmune", "chrons")]),
    ("Crohn's disease", [("condition", "crohn's disease", "autoimmune", "Crohn's disease")]),
    ("crohns", [("condition", "crohn's disease", "autoimmune", "crohns")]),
    ("rheumatiod arthritis", [("condition", "rheumatoid arthritis", "autoimmune", "rheumatiod arthritis")]),
    ("i have ms.", [("condition", "multiple sclerosis", "autoimmune", "ms")]),
    ("MS since 2010", [("condition", "multiple sclerosis", "autoimmune", "MS")]),
    (
        "lupus and hashimoto\u2019s",
        [
            ("condition", "lupus", "autoimmune", "lupus"),
            ("condition", "hashimoto's thyroiditis", "autoimmune", "hashimoto\u2019s"),
        ],
    ),
    ("sjogrens", [("condition", "sjogren's syndrome", "autoimmune", "sjogrens")]),
    ("type 1 diabetes since childhood", [("condition", "type 1 diabetes", "autoimmune", "type 1 diabetes")]),
    ("psoriatic arthritis", [("condition", "psoriatic arthritis", "autoimmune", "psoriatic arthritis")]),
    ("celiac", [("condition", "celiac disease", "autoimmune", "celiac")]),
    ("my dad uses bipap at night", [("breathing_device", "bipap", "noninvasive", "bipap")]),
    ("Bi-PAP", [("breathing_device", "bipap", "noninvasive", "Bi-PAP")]),
    ("bi pap", [("breathing_device", "bipap", "noninvasive", "bi pap")]),
    ("trilogy at night", [("breathing_device", "bipap", "noninvasive", "trilogy")]),
    ("non invasive ventilation", [("breathing_device", "bipap", "noninvasive", "non invasive ventilation")]),
    ("uses a c-pap", [("breathing_device", "cpap", "noninvasive", "c-pap")]),
    (
        "he's on a vent with a trach",
        [
            ("breathing_device", "ventilator", "ventilator", "vent"),
            ("breathing_device", "ventilator", "ventilator", "trach"),
        ],
    ),
    ("ventalator", [("breathing_device", "ventilator", "ventilator", "ventalator")]),
    ("diaphram pacer", [("breathing_device", "diaphragm pacer", "pacer", "diaphram pacer")]),
]


@pytest.mark.parametrize(("text", "expected"), ENTITY_CASES)
def test_finds_names_as_people_type_them(text: str, expected: list[tuple[str, str, str, str]]) -> None:
    assert found(text) == expected


# Short or common words must not be read as names.
NO_ENTITY_CASES = [
    "blue",
    "asdf",
    "",
    "   ",
    "<script>alert(1)</script>",
    "ra ra sis boom bah",
    "Ms. Jones is his aide",
    "the respiratory therapist came by",
    "creating a new program",
    "he takes 50 mg twice a day",
    "I'm not on any medication",
    "we march on",
    "neural pathways",
    "vitality",
    "he needs to prevent falls",
]


@pytest.mark.parametrize("text", NO_ENTITY_CASES)
def test_no_false_hits(text: str) -> None:
    assert find_entities(text) == []


def test_offsets_point_into_the_original_text() -> None:
    text = "Mom takes Rilutek\u2019s generic, and hashimoto\u2019s meds."
    mentions = find_entities(text)
    assert [m.value for m in mentions] == ["riluzole", "hashimoto's thyroiditis"]
    for mention in mentions:
        assert text[mention.start : mention.end] == mention.text


def test_mention_is_a_frozen_value() -> None:
    mention = find_entities("riluzole")[0]
    assert mention == Mention("medication", "riluzole", "riluzole", 0, 8, "riluzole")
    with pytest.raises(AttributeError):
        mention.value = "x"  # type: ignore[misc]


def test_long_text_without_names_finds_nothing() -> None:
    text = ("my mom has been very tired lately and walks slowly. " * 100)[:5000]
    assert find_entities(text) == []


def test_pipeline_is_built_once_per_lexicon() -> None:
    lexicon = load_lexicon()
    assert build_pipeline(lexicon) is build_pipeline(lexicon)
    assert build_pipeline(lexicon).pipe_names == ["lexicon_exact", "lexicon_fuzzy"]


def test_name_variants_cover_hyphens_and_apostrophes() -> None:
    assert name_variants("bi-pap") == {"bi-pap", "bi pap", "bipap"}
    assert {"crohn's disease", "crohns disease", "crohn disease"} <= name_variants("crohn's disease")


def test_pipeline_comes_from_the_data_not_the_code() -> None:
    lexicon = parse_lexicon(
        {
            "medications": {"zorblatin": {"group": "other", "names": ["zorblatin", "zorb"]}},
            "conditions": {"gloop": {"group": "autoimmune", "names": ["gloop"]}},
            "breathing_devices": {"puffer": {"group": "noninvasive", "names": ["puffer"]}},
        }
    )
    mentions = find_entities("zorb and zorblatn, no gloop", lexicon)
    assert [(m.label, m.value, m.text) for m in mentions] == [
        ("medication", "zorblatin", "zorb"),
        ("medication", "zorblatin", "zorblatn"),
        ("condition", "gloop", "gloop"),
    ]


def test_default_lexicon_groups() -> None:
    assert DEFAULT_LEXICON_PATH == REPO_ROOT / "data" / "lexicon.yml"
    lexicon = load_lexicon()
    assert lexicon is load_lexicon(DEFAULT_LEXICON_PATH)
    assert group_of_medication("riluzole") == "riluzole"
    assert group_of_medication("edaravone") == "edaravone"
    assert group_of_medication("prednisone") == "immunosuppressant"
    assert group_of_medication("coenzyme q10") == "supplement"
    assert group_of_medication("baclofen") == "other"
    assert group_of_condition("crohn's disease") == "autoimmune"
    assert group_of_breathing_device("ventilator") == "ventilator"
    assert group_of_breathing_device("cpap") == "noninvasive"
    assert group_of_breathing_device("diaphragm pacer") == "pacer"
    assert lexicon.numbers["fifty"] == 50
    assert lexicon.months["sept"] == 9
    with pytest.raises(KeyError, match="aspirin"):
        group_of_medication("aspirin")


def test_every_medication_group_is_one_the_trial_knows() -> None:
    groups = {t.group for t in load_lexicon().terms["medication"].values()}
    assert groups == {"riluzole", "edaravone", "immunosuppressant", "supplement", "other"}


def test_lexicon_loads_from_another_file(tmp_path: Path) -> None:
    path = tmp_path / "lexicon.yml"
    path.write_text(
        "medications:\n  aspirin: {group: other, names: [aspirin]}\n"
        "conditions:\n  lupus: {group: autoimmune, names: [lupus]}\n"
        "breathing_devices:\n  cpap: {group: noninvasive, names: [cpap]}\n"
        "numbers: {one: 1}\n",
        encoding="utf-8",
    )
    assert load_lexicon(path).group_of_medication("aspirin") == "other"


def test_malformed_lexicon_is_refused() -> None:
    with pytest.raises(ValueError, match="group"):
        parse_lexicon({"medications": {"x": {"names": ["x"]}}, "conditions": {}, "breathing_devices": {}})


def test_no_module_of_bot_imports_rasa() -> None:
    code = (
        "import importlib, pkgutil, sys, bot\n"
        "for found in pkgutil.walk_packages(bot.__path__, 'bot.'):\n"
        "    importlib.import_module(found.name)\n"
        "assert not [m for m in sys.modules if m == 'rasa' or m.startswith('rasa.')], 'rasa imported'\n"
    )
    subprocess.run([sys.executable, "-c", code], cwd=REPO_ROOT, check=True)
