"""Our NLU components (adapters/nlu_component.py) as Rasa builds them, without training a model.

`rasa train` first checks the pipeline's graph (registration, the signatures and types of the
methods each step calls); then a component that is trained is made with `create(config,
model_storage, resource, execution_context)`, and one that is not (the cap, the extractor) with
`load`, which for them is GraphComponent's own: it calls `create`. Both are done here, so a
component Rasa would refuse fails here in seconds rather than in a colleague's training run.
"""
from __future__ import annotations

from typing import Any

import rasa.shared.utils.io
from rasa.engine import validation
from rasa.engine.recipes.recipe import Recipe
from rasa.shared.data import TrainingType
from rasa.shared.nlu.training_data.message import Message

from adapters.nlu_component import MessageLengthCap, TrialEntityExtractor, TrialIntentClassifier
from bot.paths import REPO_ROOT
from bot.understanding.message_text import MAX_CHARACTERS


def loaded(component: Any) -> Any:
    """An untrained component as Rasa makes it for a pipeline step with no settings of its own."""
    return component.load(component.get_default_config(), None, None, None)


def test_the_pipeline_of_config_yml_is_a_graph_rasa_accepts() -> None:
    config = rasa.shared.utils.io.read_config_file(str(REPO_ROOT / "config.yml"))
    recipe = Recipe.recipe_for_name(config.get("recipe"))
    graph = recipe.graph_config_for_recipe(config, {}, training_type=TrainingType.BOTH)
    validation.validate(graph)  # raises GraphSchemaValidationException on a component Rasa refuses
    # The graph that answers messages holds all three (training skips the untrained extractor).
    used = {node.uses for node in graph.predict_schema.nodes.values()}
    assert {MessageLengthCap, TrialEntityExtractor, TrialIntentClassifier} <= used


def test_made_as_rasa_makes_them_the_components_cap_and_find_entities() -> None:
    message = Message(data={"text": "I take riluzole " + "!" * 5_000})
    loaded(TrialEntityExtractor).process(loaded(MessageLengthCap).process([message]))
    assert len(message.get("text")) <= MAX_CHARACTERS
    assert [(e["entity"], e["value"], e["extractor"]) for e in message.get("entities")] == [
        ("medication", "riluzole", "TrialEntityExtractor")]
    # Created for training (no model stored yet), the classifier leaves a message as it was.
    untrained = TrialIntentClassifier.create(TrialIntentClassifier.get_default_config(), None, None, None)
    assert untrained.process([Message(data={"text": "hi"})])[0].get("intent") is None
