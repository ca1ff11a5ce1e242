"""The one spaCy pipeline a process loads, shared by every stage that needs a parse."""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.language import Language


@lru_cache(maxsize=4)
def load_nlp(model: str) -> Language:
    """Load a spaCy pipeline installed as a package (never downloaded at run time).

    Cached per process: loading costs about a second and the model is read-only afterwards.
    """
    import spacy

    try:
        return spacy.load(model)
    except OSError as exc:
        raise RuntimeError(
            f"spaCy model {model!r} is not installed; install its package "
            f"(the default ships in requirements.lock) or set NEWSFLOW_SPACY_MODEL"
        ) from exc
