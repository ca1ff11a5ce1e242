"""The per-token columns the rule layers read instead of `Token` objects, checked against spaCy's
own `Token` attributes on real parses: a column that drifted from its attribute would change the
stages' output silently, since the rules were written against the attributes."""

from __future__ import annotations

from pathlib import Path

import pytest
from spacy.tokens import Doc

from schemas import StageSettings
from workers.entities import extract_entities
from workers.nlp import Columns, load_nlp, parse, parsed_text, token_starts
from workers.quotes import extract_quotes

ROOT = Path(__file__).resolve().parents[1]
SHARED_SEED = ROOT.parent / "shared" / "seeds" / "000_6732260730b0e6f2.txt"
MODEL = StageSettings().spacy_model

#: Constructions that exercise every column: sentence starts, all-caps acronyms, punctuation and
#: spaces, stop words, hyphenated and accented names, curly quotes, an empty paragraph line.
CONSTRUCTED = (
    "KYIV (AP) — Latvian President Edgars Ringkevics met NATO envoys in São Paulo.\n\n"
    "“We  will not back down,” said al-Assad's spokesman, adding that the U.S. had agreed.\n"
    "Turnout was low.   The EU's 27 members voted; 3 abstained!"
)


def _texts() -> list[str]:
    texts = [CONSTRUCTED, "", "   ", "Hello."]
    if SHARED_SEED.exists():
        texts.append(SHARED_SEED.read_text(encoding="utf-8"))
    texts += [p.read_text(encoding="utf-8") for p in sorted((ROOT / "seeds").glob("*.txt"))]
    return texts


@pytest.fixture(scope="module")
def docs() -> list[Doc]:
    texts = _texts()
    return list(parse(load_nlp(MODEL), texts, batch_size=8))


def test_columns_equal_token_attributes(docs: list[Doc]) -> None:
    checked = 0
    for doc in docs:
        cols = Columns(doc)
        assert cols.n == len(doc)
        for tok in doc:
            i = tok.i
            assert cols.words[i] == tok.text
            assert cols.lower[i] == tok.lower_
            assert cols.pos[i] == tok.pos_
            assert cols.idx[i] == tok.idx
            assert cols.alpha[i] is tok.is_alpha
            assert cols.punct[i] is tok.is_punct
            assert cols.space[i] is tok.is_space
            assert cols.stop[i] is tok.is_stop
            assert cols.upper[i] is tok.is_upper
            assert cols.sent_start[i] is bool(tok.is_sent_start)
            assert cols.token_ending_at(tok.idx + len(tok.text)) == i
            checked += 1
        assert token_starts(doc) == [t.idx for t in doc]
    assert checked > 1_000  # the seeds were parsed, not only the short texts


def test_span_text_is_span_text(docs: list[Doc]) -> None:
    for doc in docs:
        cols = Columns(doc)
        n = len(doc)
        for start in range(0, n, 3):
            for end in (start, start + 1, start + 2, start + 7):
                if end <= n:
                    assert cols.span_text(start, end) == doc[start:end].text


def test_parse_records_the_parsed_string(docs: list[Doc]) -> None:
    for text, doc in zip(_texts(), docs, strict=True):
        assert parsed_text(doc) == doc.text == text
    assert parsed_text(load_nlp(MODEL)("Not from parse.")) == "Not from parse."


def test_the_recorded_text_changes_nothing(docs: list[Doc]) -> None:
    """The entity and quote functions give the same answer whether they are handed the parsed
    string or rebuild it from the doc."""
    nlp = load_nlp(MODEL)
    for text, recorded in zip(_texts(), docs, strict=True):
        plain = nlp(text)
        with_text = extract_entities(recorded, parsed_text(recorded))
        assert with_text == extract_entities(plain)
        assert extract_quotes(text, None, recorded, with_text, parsed_text(recorded)) == (
            extract_quotes(text, None, plain, with_text)
        )


def test_token_range_of_characters_is_char_span_expanded(docs: list[Doc]) -> None:
    """`span_of_chars` stands in for `Doc.char_span(..., alignment_mode="expand")` when the entity
    stage mirrors its mentions onto `doc.ents`: for ranges starting at a token, inside one, or
    ending inside one."""
    checked = 0
    for doc in docs:
        cols = Columns(doc)
        for i, tok in enumerate(doc):
            if tok.is_space:
                continue
            for start in (tok.idx, tok.idx + len(tok.text) // 2):
                for width in (1, len(tok.text), len(tok.text) + 3):
                    end = min(start + width, len(doc.text))
                    span = doc.char_span(start, end, alignment_mode="expand")
                    if span is None or end <= start or doc.text[end - 1].isspace():
                        continue
                    assert cols.span_of_chars(start, end) == (span.start, span.end), (i, start)
                    checked += 1
    assert checked > 1_000


def test_columns_are_read_once_per_doc_and_follow_new_entities(docs: list[Doc]) -> None:
    """The rule components and the entity stage share one set of columns per doc; entities set
    through them are what they report afterwards."""
    from spacy.tokens import Span

    from workers.nlp import columns_of, drop_columns

    doc = load_nlp(MODEL)(CONSTRUCTED)
    cols = columns_of(doc)
    assert columns_of(doc) is cols
    before = cols.entities
    cols.set_entities([Span(doc, 0, 1, label="GPE"), Span(doc, 0, 2, label="ORG")])
    assert cols.entities == [(0, 2, "ORG")] == [(e.start, e.end, e.label_) for e in doc.ents]
    assert before != cols.entities
    drop_columns(doc)
    assert columns_of(doc) is not cols


def test_a_doc_and_its_kept_columns_are_freed_without_the_cycle_collector() -> None:
    """The columns kept on a doc refer back to it weakly: a cycle would keep every parsed doc of
    a worker (its arrays and tensor) alive until a full collection (+110 MB RSS over 96 articles
    in a stage worker before this was found)."""
    import gc
    import weakref

    from workers.entities.pipeline import entity_nlp

    doc = next(parse(entity_nlp(MODEL), [CONSTRUCTED], batch_size=1))
    extract_entities(doc, parsed_text(doc))
    gone = weakref.ref(doc)
    gc.disable()
    try:
        del doc
        assert gone() is None
    finally:
        gc.enable()
