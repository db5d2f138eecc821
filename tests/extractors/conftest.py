"""The extraction tests' one pipeline builder: each test module names the components it
depends on, and a set of components is built once per session."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from spacy.language import Language

from extractors.build import load_model, model_name


@pytest.fixture(scope="session")
def nlp_with() -> Callable[..., Language]:
    """``nlp_with("postwatch_entities", "postwatch_posts")``: the model plus those components,
    in that order (a component sees only what the ones before it set)."""
    built: dict[tuple[str, ...], Language] = {}

    def make(*components: str) -> Language:
        if components not in built:
            nlp = load_model(model_name())
            for component in components:
                nlp.add_pipe(component)
            built[components] = nlp
        return built[components]

    return make
