"""Stop-word lists per language, from spaCy's language data (shipped with spaCy, no download)."""

from __future__ import annotations

from functools import cache

import spacy.util


@cache
def stop_words(language: str | None) -> frozenset[str]:
    """The language's stop words, falling back to English when spaCy has no list for it."""
    code = language or "en"
    try:
        words = spacy.util.get_lang_class(code).Defaults.stop_words
    except (ImportError, KeyError):
        words = spacy.util.get_lang_class("en").Defaults.stop_words
    return frozenset(w.lower() for w in words)
