"""The CoNLL evaluation: reading, the metric, the error patterns, and the rule components.

The metric must equal the shared scorer's (`dev-data/eval/score_conll.py`) number for number; where
`../shared` is present that is checked against the scorer itself, on the whole dev file.
"""

from __future__ import annotations

import os
import runpy
from collections import Counter
from pathlib import Path

import pytest

from evaluation.conll import (
    article_like,
    document_errors,
    document_text,
    gold_bag,
    is_conll,
    normalise,
    predicted_bag,
    read_documents,
    score_bags,
)

DEV = Path(__file__).resolve().parents[2] / "shared" / "dev-data"
CONLL_DEV = DEV / "entities" / "conll2003-dev.txt"
SCORER = DEV / "eval" / "score_conll.py"

# an invented two-document file in the CoNLL-2003 layout (word, POS, chunk, tag)
SAMPLE = """-DOCSTART- -X- -X- O

Talvik NNP B-NP B-PER
Oran NNP I-NP I-PER
joined VBD B-VP O
Brelco NNP B-NP B-ORG
Holdings NNP I-NP I-ORG
in IN B-PP O
Varnok NNP B-NP B-LOC
. . O O

Oran NNP B-NP B-PER
's POS B-NP O
German JJ I-NP B-MISC
rival NN I-NP O
said VBD B-VP O
so RB B-ADVP O
. . O O

-DOCSTART- -X- -X- O

Estoria NNP B-NP B-LOC
won VBD B-VP O
. . O O
"""


@pytest.fixture
def sample(tmp_path: Path) -> Path:
    path = tmp_path / "sample.txt"
    path.write_text(SAMPLE, encoding="utf-8")
    return path


def test_reads_documents_sentences_and_gold_mentions(sample: Path) -> None:
    assert is_conll(sample)
    docs = list(read_documents(sample))
    assert [len(d) for d in docs] == [2, 1]
    assert document_text(docs[0]).split("\n\n") == [
        "Talvik Oran joined Brelco Holdings in Varnok.",
        "Oran's German rival said so.",
    ]
    assert gold_bag(docs[0]) == Counter(
        {
            ("talvik oran", "PER"): 1,
            ("brelco holdings", "ORG"): 1,
            ("varnok", "LOC"): 1,
            ("oran", "PER"): 1,
        }
    )  # MISC is left out


def test_a_line_that_is_not_conll_is_a_clear_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_text("-DOCSTART- -X- -X- O\n\nword NNP B-NP X-PER\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"bad\.txt:3"):
        list(read_documents(bad))
    prose = tmp_path / "prose.txt"
    prose.write_text("An article.\n\nNot one token a line.\n", encoding="utf-8")
    assert not is_conll(prose)


def test_short_documents_are_not_article_like(sample: Path) -> None:
    assert not any(article_like(d) for d in read_documents(sample))


def test_scores_per_type_and_error_kinds() -> None:
    gold = Counter({("ana ruiz", "PER"): 1, ("varnok", "LOC"): 2, ("brelco holdings", "ORG"): 1})
    pred = predicted_bag(
        [
            ("Ana Ruiz", "PERSON"),
            ("Varnok", "GPE"),
            ("Varnok", "ORG"),
            ("Brelco", "ORG"),
            ("Monday", "DATE"),
            ("Estoria", "LOC"),
        ]
    )
    scores = score_bags([gold], [pred])
    assert (scores["P"], scores["R"]) == (0.4, 0.5)
    assert scores["types"]["PER"]["F1"] == 1.0
    kinds = sorted(k for k, _, _ in document_errors(gold, pred))
    assert kinds == ["spurious", "wrong boundary", "wrong type"]
    assert normalise("U.S. Steel's") == "u . s . steel ' s"


@pytest.mark.skipif(
    not SCORER.exists() and os.environ.get("CI") != "true", reason="no ../shared dev data"
)
def test_metric_equals_the_shared_scorer_on_the_dev_file() -> None:
    """Same documents, texts, gold bags and figures as score_conll.py (its functions, run from
    the file itself, on a prediction that keeps every other gold mention and adds noise)."""
    assert SCORER.exists() and CONLL_DEV.exists(), "../shared/dev-data is missing"
    ref = runpy.run_path(str(SCORER))
    ours = [d for d in read_documents(CONLL_DEV) if article_like(d)]
    theirs = [d for d in ref["docs"](str(CONLL_DEV)) if ref["article_like"](d)]
    assert len(ours) == len(theirs) > 100
    golds, preds, ref_pairs = [], [], []
    for mine, other in zip(ours, theirs, strict=True):
        text = document_text(mine)
        assert text == "\n\n".join(ref["detok"]([t for t, _ in s]) for s in other)
        g = gold_bag(mine)
        ref_g = Counter(
            {(ref["norm"](k[0]), k[1]): v for k, v in ref["gold_mentions"](other).items()}
        )
        assert g == ref_g
        p = Counter(dict(list(g.items())[::2])) + Counter({(text.split()[0].lower(), "ORG"): 1})
        golds.append(g)
        preds.append(p)
        ref_pairs.append((ref_g, p))
    mine_scores = score_bags(golds, preds)
    ref_scores = ref["prf"](ref_pairs)
    assert (mine_scores["P"], mine_scores["R"], mine_scores["F1"]) == (
        ref_scores["P"],
        ref_scores["R"],
        ref_scores["F1"],
    )
