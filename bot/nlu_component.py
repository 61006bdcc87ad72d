"""The Rasa side of our spaCy parser: the one module in `bot/` that imports Rasa.

Rasa loads these by name from config.yml. They add no training of their own:
the patterns come from data/lexicon.yml through `bot.nlp`, so the dialogue sees
the same medicines, conditions and devices the pre-screen parser reads.
"""
from __future__ import annotations

from typing import Any, Dict, List, Optional, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.extractors.extractor import EntityExtractorMixin
from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.nlp import find_entities


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.MESSAGE_TOKENIZER], is_trainable=False
)
class MessageLengthCap(GraphComponent):
    """Cuts a message to `max_characters` before the tokenizer sees it.

    A pasted book must cost the same as a sentence; the question is always
    near the start of what people type.
    """

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {"max_characters": 600}

    def __init__(self, config: Dict[Text, Any]) -> None:
        self._max = int(config["max_characters"])

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "MessageLengthCap":
        return cls(config)

    def _cap(self, message: Message) -> None:
        text = message.get(TEXT)
        if isinstance(text, str) and len(text) > self._max:
            message.set(TEXT, text[: self._max])

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        for message in training_data.training_examples:
            self._cap(message)
        return training_data

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            self._cap(message)
        return messages


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR], is_trainable=False
)
class TrialEntityExtractor(GraphComponent, EntityExtractorMixin):
    """Adds `medication`, `condition` and `breathing_device` entities, canonical values."""

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {}

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "TrialEntityExtractor":
        find_entities("warm up")  # build the pipeline at load time, not on the first user
        return cls()

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            text: Optional[str] = message.get(TEXT)
            if not text:
                continue
            found = [
                {
                    "entity": m.label,
                    "value": m.value,
                    "start": m.start,
                    "end": m.end,
                    "confidence": 1.0,
                }
                for m in find_entities(text)
            ]
            if found:
                found = self.add_extractor_name(found)
                message.set(ENTITIES, message.get(ENTITIES, []) + found, add_to_output=True)
        return messages
