"""The Rasa side of our NLU: Rasa components over `bot/understanding/` (bot/ never imports Rasa).

Rasa loads these by name from config.yml. The entity extractor adds no training of its
own: the patterns come from data/lexicon.yml through `bot.understanding.nlp`, so the dialogue sees the
same medicines, conditions and devices the pre-screen parser reads. The intent classifier
wraps `bot.understanding.intent_model` and also classifies each question of a message
(`bot.understanding.questions_in_message`), for answers to several questions at once; it also ranks the
trial file's passages against the message (`bot.trial.passages`), for answers from the sources.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any, Dict, List, Optional, Text, Type, TypeVar

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.nlu.extractors.extractor import EntityExtractorMixin
from rasa.shared.nlu.constants import ENTITIES, INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.understanding.intent_model import IntentModel, IntentSettings
from bot.understanding.message_text import bounded
from bot.understanding.nlp import find_entities
from bot.trial.passages import PassageIndex, as_parse_data
from bot.trial.loading import load_trial
from bot.understanding.questions_in_message import questions_in_message
from bot.understanding.topics import PASSAGES, QUESTIONS, Guess, guesses, message_intent
RANKING_LENGTH = 10

Component = TypeVar("Component")


class WithoutSettings:
    """Rasa's GraphComponent boilerplate for a component with no settings and nothing trained
    or stored: an empty default config, and `create` builds it from nothing.

    Mixed in before GraphComponent. Each class still registers itself with
    @DefaultV1Recipe.register: the recipe reads the component type from each decorator.
    """

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {}

    @classmethod
    def create(
        cls: Type[Component],
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> Component:
        return cls()


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.MESSAGE_TOKENIZER], is_trainable=False
)
class MessageLengthCap(WithoutSettings, GraphComponent):
    """Caps and tidies a message (bot.understanding.message_text.bounded) before the tokenizer sees it.

    A pasted book must cost the same as a sentence; the question is always near the start
    of what people type. The channels have already done it (adapters/channels/); this is
    the same function again, for a message that reached NLU another way.
    """

    def _cap(self, message: Message) -> None:
        text = message.get(TEXT)
        if isinstance(text, str):
            message.set(TEXT, bounded(text))

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
class TrialEntityExtractor(WithoutSettings, GraphComponent, EntityExtractorMixin):
    """Adds `medication`, `condition` and `breathing_device` entities, canonical values."""

    def __init__(self) -> None:
        find_entities("warm up")  # build the pipeline at load time, not on the first user

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


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=True
)
class TrialIntentClassifier(GraphComponent, IntentClassifier):
    """Intent and ranking of the message, and of each question in it (`questions`)."""

    MODEL_FILE = "intent_model.pkl"

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        defaults = IntentSettings()
        return {
            "regularisation": defaults.regularisation,
            "vector_weight": defaults.vector_weight,
            "random_seed": defaults.random_seed,
            # Passages are looked for only when the fallback classifier will call the message
            # unsure (the same two thresholds as its own in config.yml): only then are they used.
            "passages_below": 0.3,
            "passages_within": 0.02,
        }

    def __init__(
        self,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        model: Optional[IntentModel] = None,
    ) -> None:
        self._settings = IntentSettings(
            regularisation=float(config["regularisation"]),
            vector_weight=float(config["vector_weight"]),
            random_seed=int(config["random_seed"]),
        )
        self._storage = model_storage
        self._resource = resource
        self._model = model
        self._unsure_below = float(config["passages_below"])
        self._unsure_within = float(config["passages_within"])
        # The trial file's passages, for answers from the sources (bot/trial/passages.py); built
        # once with the model's word vectors, never per message.
        self._passages = PassageIndex.of_trial(load_trial(), model.vectors) if model else None

    def _unsure(self, ranking: List[Dict[Text, Any]]) -> bool:
        top = ranking[0]["confidence"]
        second = ranking[1]["confidence"] if len(ranking) > 1 else 0.0
        return top < self._unsure_below or top - second <= self._unsure_within

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "TrialIntentClassifier":
        return cls(config, model_storage, resource)

    def train(self, training_data: TrainingData) -> Resource:
        examples = [e for e in training_data.intent_examples if e.get(INTENT) and e.get(TEXT)]
        model = IntentModel(self._settings).fit(
            [e.get(TEXT) for e in examples], [e.get(INTENT) for e in examples]
        )
        with self._storage.write_to(self._resource) as directory:
            model.save(Path(directory) / self.MODEL_FILE)
        self._model = model
        self._passages = PassageIndex.of_trial(load_trial(), model.vectors)
        return self._resource

    @classmethod
    def load(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> "TrialIntentClassifier":
        with model_storage.read_from(resource) as directory:
            model = IntentModel.load(Path(directory) / cls.MODEL_FILE)
        model.rank(["warm up"])  # load the word vectors now, not on the first user
        return cls(config, model_storage, resource, model)

    def process(self, messages: List[Message]) -> List[Message]:
        if self._model is None:
            return messages
        for message in messages:
            text = message.get(TEXT) or ""
            if not text.strip():  # an empty message: no intent, so the fallback answers it
                message.set(INTENT, {"name": None, "confidence": 0.0}, add_to_output=True)
                message.set("intent_ranking", [], add_to_output=True)
                message.set(QUESTIONS, [], add_to_output=True)
                continue
            parts = questions_in_message(text)
            # Only parts that ask are ever answered, so only they are classified: a pasted
            # page of context costs one classification, not one per sentence.
            parts = [p for p in parts if p.asks] if len(parts) > 1 else []
            ranked = self._model.rank([text] + [p.text for p in parts])
            ranking = [
                {"name": r.intent, "confidence": r.confidence} for r in ranked[0][:RANKING_LENGTH]
            ]
            questions = [
                {"text": p.text, "start": p.start, "end": p.end, "asks": p.asks,
                 "intent": r[0].intent, "confidence": r[0].confidence}
                for p, r in zip(parts, ranked[1:])
            ]
            intent = message_intent(
                Guess(ranked[0][0].intent, ranked[0][0].confidence), guesses(questions)
            )
            chosen = {"name": intent.intent, "confidence": intent.confidence}
            if intent.intent != ranking[0]["name"]:
                # The questions decided it; the whole's ranking would only make the
                # fallback classifier call two clear questions "ambiguous".
                ranking = [chosen]
            message.set(INTENT, chosen, add_to_output=True)
            message.set("intent_ranking", ranking, add_to_output=True)
            message.set(QUESTIONS, questions, add_to_output=True)
            if self._passages is not None and self._unsure(ranking):
                message.set(PASSAGES, as_parse_data(self._passages.rank(text)), add_to_output=True)
        return messages
