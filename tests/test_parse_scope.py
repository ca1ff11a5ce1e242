"""A long-running consumer must not keep every word it ever parsed: workers.pipeline.parse_scope.

Each run invents names no vocabulary holds, so the first (scoped) parse is sure to meet new
strings; the unscoped parse afterwards shows that spaCy would otherwise keep them, and that the
scope changes no output.
"""

from __future__ import annotations

import hashlib
import uuid

from schemas import CleanedArticle, RawArticle, StageSettings
from tests.conftest import SHARED_SEED
from workers.base import WorkItem
from workers.entities import EntityStage
from workers.nlp import load_nlp
from workers.pipeline import parse_scope, run_stage
from workers.quotes import QuoteStage

SETTINGS = StageSettings()


def _invented(n: int) -> str:
    """A capitalised word of letters only, new to any vocabulary."""
    letters = "".join(c for c in uuid.uuid4().hex if c.isalpha()) or "q"
    return "Zor" + letters[: 6 + n % 3] + "ak"


def _batch() -> list[WorkItem]:
    people = [f"{_invented(n)} {_invented(n + 1)}" for n in range(4)]
    towns = [_invented(n) for n in range(4)]
    texts = [
        f'{person}, the mayor of {town}, said the bridge would reopen in May. "We have waited '
        f'long enough," {person.split()[1]} told the {town} Gazette on Tuesday.'
        for person, town in zip(people, towns, strict=True)
    ]
    if SHARED_SEED.exists():  # a real article too, where ../shared is beside the clone
        texts.append(SHARED_SEED.read_text(encoding="utf-8").split("\n", 1)[1])
    items = []
    for n, text in enumerate(texts):
        digest = hashlib.sha256(text.encode()).hexdigest()
        items.append(
            WorkItem(
                raw=RawArticle(id=f"scope-{n}", body=text),
                cleaned=CleanedArticle(
                    id=f"scope-{n}", text=text, content_hash=digest, language="en"
                ),
            )
        )
    return items


def _outputs(items: list[WorkItem]) -> list[tuple[str, str]]:
    return [
        (
            "|".join(e.model_dump_json() for e in item.entities or []),
            "|".join(q.model_dump_json() for q in item.quotes or []),
        )
        for item in items
    ]


def test_a_scoped_batch_leaves_the_vocabulary_as_it_found_it_with_the_same_output() -> None:
    stages = (EntityStage(SETTINGS), QuoteStage(SETTINGS))
    strings = load_nlp(SETTINGS.spacy_model).vocab.strings
    scoped = _batch()

    before = len(strings)
    with parse_scope(stages, scoped):
        for stage in stages:
            run_stage(stage, scoped)
        assert all(item.doc is not None for item in scoped)  # the quote stage had the parse
    assert len(strings) == before
    assert all(item.doc is None for item in scoped)  # no Doc outlives its zone

    plain = [WorkItem(raw=item.raw, cleaned=item.cleaned) for item in scoped]  # no scope
    for stage in stages:
        run_stage(stage, plain)
    assert len(strings) > before  # without the scope, the invented names stay
    assert _outputs(plain) == _outputs(scoped)
    assert any("Zor" in e.name for item in scoped for e in item.entities or [])


def test_no_scope_is_opened_for_stages_that_do_not_parse() -> None:
    from workers.cleaning import CleaningStage

    items = _batch()
    with parse_scope((CleaningStage(SETTINGS),), items):
        items[0].doc = load_nlp(SETTINGS.spacy_model)("A short text.")
    assert items[0].doc is not None
