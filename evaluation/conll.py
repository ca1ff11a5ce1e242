"""CoNLL-2003 files scored the way `dev-data/eval/score_conll.py` scores them.

The metric (reimplemented here: CI has no `../shared`): only article-like documents (at least five
sentences of 12+ tokens, mostly words) count; each is detokenised to text, its first line being
the headline; per document the bag of (normalised mention text, type) is compared with the
system's, PERSON->PER, ORG->ORG, GPE/LOC/FAC->LOC; MISC and every other type are left out on both
sides. Figures are rounded to three places as the script prints them, so the two can be compared
number for number.

Beside the figures, `error_patterns` sorts what differs into the four kinds a person fixes
differently: missed, spurious, wrong type (same text, other type) and wrong boundary (overlapping
text, the same type).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

#: The scored types: spaCy's labels and CoNLL's tags mapped to PER, ORG, LOC.
TYPE_MAP = {"PERSON": "PER", "PER": "PER", "ORG": "ORG", "GPE": "LOC", "LOC": "LOC", "FAC": "LOC"}
TYPES = ("PER", "ORG", "LOC")

Token = tuple[str, str]  # (word, IOB tag)
Sentence = list[Token]
Bag = Counter[tuple[str, str]]


def is_conll(path: Path) -> bool:
    """A CoNLL file: one token a line with its tag last, `-DOCSTART-` between documents."""
    if not path.is_file():
        return False
    with path.open(encoding="utf-8", errors="replace") as handle:
        head = [line for _, line in zip(range(50), handle, strict=False)]
    return any(line.startswith("-DOCSTART-") for line in head)


def read_documents(path: Path) -> Iterator[list[Sentence]]:
    """Documents as lists of sentences of (word, tag); blank lines end sentences."""
    doc: list[Sentence] = []
    sent: Sentence = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if line.startswith("-DOCSTART-"):
            if sent:
                doc.append(sent)
                sent = []
            if doc:
                yield doc
            doc = []
        elif not line.strip():
            if sent:
                doc.append(sent)
                sent = []
        else:
            fields = line.split()
            tag = fields[-1]
            if len(fields) < 2 or not (tag == "O" or tag[:2] in {"B-", "I-"}):
                raise ValueError(f"{path}:{number}: not a CoNLL token line: {line!r}")
            sent.append((fields[0], tag))
    if sent:
        doc.append(sent)
    if doc:
        yield doc


def detokenise(words: Sequence[str]) -> str:
    """Reuters tokens back to running text: no space before closing punctuation and clitics."""
    text = " ".join(words)
    text = re.sub(r" ([.,;:!?%)\]])", r"\1", text)
    text = re.sub(r"([(\[$]) ", r"\1", text)
    return re.sub(r" ('s|n't|'re|'ve|'ll|'d)\b", r"\1", text)


def article_like(doc: list[Sentence]) -> bool:
    """At least five sentences of 12+ tokens that are mostly words: results tables are not."""
    long_sents = [s for s in doc if len(s) >= 12 and sum(w.isalpha() for w, _ in s) / len(s) > 0.7]
    return len(long_sents) >= 5


def document_text(doc: list[Sentence]) -> str:
    """Sentences joined by blank lines; the first (the headline) is the first line."""
    return "\n\n".join(detokenise([w for w, _ in s]) for s in doc)


def normalise(text: str | None) -> str:
    """Lower case, words and punctuation marks separated by one space."""
    return " ".join(re.findall(r"\w+|[^\w\s]", (text or "").lower()))


def gold_bag(doc: list[Sentence]) -> Bag:
    """The document's gold mentions as a bag of (normalised text, PER/ORG/LOC)."""
    out: Bag = Counter()
    for sent in doc:
        words: list[str] = []
        typ: str | None = None
        for word, tag in [*sent, ("", "O")]:
            if tag.startswith("B-") or tag == "O" or (tag.startswith("I-") and tag[2:] != typ):
                if words and typ in TYPE_MAP:
                    out[(normalise(" ".join(words)), TYPE_MAP[typ])] += 1
                words, typ = ([word], tag[2:]) if tag != "O" else ([], None)
            else:
                words.append(word)
    return out


def predicted_bag(mentions: Iterable[tuple[str, str]]) -> Bag:
    """(surface text, spaCy or CoNLL label) pairs as a bag; unscored labels are dropped."""
    return Counter(
        (normalise(text), TYPE_MAP[label]) for text, label in mentions if label in TYPE_MAP
    )


def _prf(pairs: Sequence[tuple[Bag, Bag]]) -> dict[str, Any]:
    tp = sum(sum((g & p).values()) for g, p in pairs)
    n_pred = sum(sum(p.values()) for _, p in pairs)
    n_gold = sum(sum(g.values()) for g, _ in pairs)
    precision = tp / n_pred if n_pred else 0.0
    recall = tp / n_gold if n_gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "F1": round(f1, 3),
        "P": round(precision, 3),
        "R": round(recall, 3),
        "gold": n_gold,
        "predicted": n_pred,
    }


def _of_type(bag: Bag, typ: str) -> Bag:
    return Counter({k: v for k, v in bag.items() if k[1] == typ})


def score_bags(golds: Sequence[Bag], preds: Sequence[Bag]) -> dict[str, Any]:
    """Micro P/R/F1 over all documents and per type, as the shared script computes them."""
    pairs = list(zip(golds, preds, strict=True))
    result = _prf(pairs)
    result["types"] = {
        typ: _prf([(_of_type(g, typ), _of_type(p, typ)) for g, p in pairs]) for typ in TYPES
    }
    return result


def _overlap(a: str, b: str) -> bool:
    """Mentions that share a word, one inside the other ("new york" / "new york city")."""
    return a != b and (f" {a} " in f" {b} " or f" {b} " in f" {a} ")


def document_errors(gold: Bag, pred: Bag) -> list[tuple[str, str, str]]:
    """What one document's prediction got wrong, as (kind, text, detail) triples.

    Kinds: `wrong type` (the text is in both bags under other types), `wrong boundary` (an
    unmatched prediction overlaps an unmatched gold mention of the same type), `missed`,
    `spurious`. Each unmatched mention is counted once, in the first kind that explains it."""
    missing = gold - pred
    extra = pred - gold
    errors: list[tuple[str, str, str]] = []
    for (text, typ), count in list(missing.items()):
        for other in TYPES:
            if other == typ:
                continue
            n = min(count, extra[(text, other)])
            if n:
                errors += [("wrong type", text, f"{typ} as {other}")] * n
                missing[(text, typ)] -= n
                extra[(text, other)] -= n
                count -= n
    for (text, typ), count in list(missing.items()):
        for p_text, p_typ in list(extra):
            if count <= 0:
                break
            if p_typ == typ and extra[(p_text, p_typ)] > 0 and _overlap(text, p_text):
                n = min(count, extra[(p_text, p_typ)])
                errors += [("wrong boundary", text, f"{typ} as {p_text!r}")] * n
                missing[(text, typ)] -= n
                extra[(p_text, p_typ)] -= n
                count -= n
    errors += [("missed", text, typ) for (text, typ), n in (+missing).items() for _ in range(n)]
    errors += [("spurious", text, typ) for (text, typ), n in (+extra).items() for _ in range(n)]
    return errors


def error_patterns(
    golds: Sequence[Bag], preds: Sequence[Bag], top: int = 15
) -> dict[str, dict[str, Any]]:
    """Per kind of error: how many, how many per type, and the most frequent instances."""
    found: dict[str, list[tuple[str, str]]] = {
        k: [] for k in ("missed", "spurious", "wrong type", "wrong boundary")
    }
    for gold, pred in zip(golds, preds, strict=True):
        for kind, text, detail in document_errors(gold, pred):
            found[kind].append((text, detail))
    out: dict[str, dict[str, Any]] = {}
    for kind, items in found.items():
        by_type = Counter(detail.split()[0] for _, detail in items)
        out[kind] = {
            "count": len(items),
            "by_type": dict(by_type.most_common()),
            "top": [
                f"{text} ({detail}) x{n}" for (text, detail), n in Counter(items).most_common(top)
            ],
        }
    return out
