"""Within-document coreference of names: every mention of one thing under one canonical entity.

Rules, in the order a reader applies them: the same name; a known alias ("U.S." = "United
States"); an acronym of a longer name ("NYT" = "New York Times"); a part of a longer name
("Okafor" = "Ada Okafor", "Times" = "New York Times"). When a short form fits several clusters
("Okafor" with Ada and Ben Okafor in the text) the nearest earlier mention wins, as a reader
would resolve it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from spacy.tokens import Doc

from schemas import Entity, EntityType, Mention
from workers.entities.gazetteer import (
    ALIASES,
    CONTEXT_ONLY_ALIASES,
    CORPORATE_SUFFIXES,
    ORG_WORDS,
    is_given_name,
    normalise,
)
from workers.entities.mentions import Candidate
from workers.nlp import Columns, columns_of

_PLACE = frozenset({"GPE", "LOC"})
_ACRONYM_SKIP = frozenset({"of", "the", "and", "for", "de", "du", "la", "&"})
_LABEL_WEIGHT = {"model": 1.0, "gazetteer": 5.0, "rule": 5.0, "pattern": 2.0}
#: A full personal name the model calls a person outweighs any number of model guesses for the
#: surname alone: a reader who saw "Ana Ortiz" reads every later "Ortiz" as her.
_FULL_NAME_WEIGHT = 15.0
_ORG_HEADS = frozenset(w.lower().rstrip(".") for w in ORG_WORDS)


@dataclass(slots=True)
class _Mention:
    start: int  # char offsets into doc.text
    end: int
    text: str
    norm: str
    label: str
    source: str


@dataclass(slots=True)
class _Cluster:
    """Mentions of one thing. The label vote, the forms and the surnames are kept up to date as
    mentions join (`add`), not recomputed: every later mention is compared with every cluster."""

    mentions: list[_Mention] = field(default_factory=list)
    #: in the order the forms joined: `_matches` returns on the first form that fits, so a set's
    #: hash order (which changes with PYTHONHASHSEED) made the result differ between processes
    forms: dict[str, None] = field(default_factory=dict)
    surnames: set[str] = field(default_factory=set)
    _votes: dict[str, float] = field(default_factory=dict)

    def __post_init__(self) -> None:
        joined, self.mentions = self.mentions, []
        for m in joined:
            self.add(m)

    def add(self, m: _Mention) -> None:
        self.mentions.append(m)
        self.forms.setdefault(m.norm, None)
        words = m.norm.split()
        if len(words) > 1:
            self.surnames.add(words[-1])
        weight = _weight(m) * (1 + 0.1 * len(words))
        self._votes[m.label] = self._votes.get(m.label, 0.0) + weight

    def label(self) -> str:
        votes = self._votes
        return max(votes, key=lambda label: votes[label])


def _weight(m: _Mention) -> float:
    """How much one mention's label counts. The model's PERSON for a full name that starts with a
    known given name ("Ada Okafor") outweighs its ORG guesses for the bare surname later."""
    full_name = m.source == "model" and m.label == "PERSON" and " " in m.text
    if full_name and is_given_name(m.text.split()[0]):
        return _FULL_NAME_WEIGHT
    return _LABEL_WEIGHT.get(m.source, 1.0)


def _group(label: str) -> str:
    return "PLACE" if label in _PLACE else label


@lru_cache(maxsize=65536)
def _resolve(norm: str) -> str:
    return normalise(ALIASES.get(norm, norm))


def _initials(words: list[str]) -> tuple[str, str]:
    """Initials without and with the small words: "bank of england" -> ("be", "boe")."""
    strict = "".join(w[0] for w in words if w not in _ACRONYM_SKIP)
    full = "".join(w[0] for w in words)
    return strict, full


def _is_acronym_of(short: _Mention, long_norm: str) -> bool:
    letters = short.text.replace(".", "")
    if not (2 <= len(letters) <= 6 and letters.isalpha() and letters.isupper()):
        return False
    words = long_norm.split()
    return len(words) >= 2 and letters.lower() in _initials(words)


def _is_part_of(short: _Mention, long_norm: str, cluster_label: str) -> bool:
    """ "putin" of "vladimir putin"; "times" of "new york times"; not "new york" of an ORG."""
    sw, lw = short.norm.split(), long_norm.split()
    if not sw or len(sw) >= len(lw):
        return False
    if lw[: len(sw)] != sw and lw[-len(sw) :] != sw:
        return False
    if cluster_label == "PERSON":
        # a lone surname or first name, whatever the model called it, unless a list made it a place
        return short.label == "PERSON" or short.source == "model"
    if (
        cluster_label == "ORG"
        and short.source == "model"
        and lw[: len(sw)] == sw
        and (lw[-1] in CORPORATE_SUFFIXES or lw[-1] in _ORG_HEADS)
    ):
        return True  # "Magna" of "Magna International Inc", whatever the model called it
    if short.source == "gazetteer" and lw[: len(sw)] == sw and lw[-1] not in CORPORATE_SUFFIXES:
        # "Acme" is not the "Acme Workers Union"; "Acme" is "Acme Co"
        return False
    return _group(short.label) == _group(cluster_label) and cluster_label != "NORP"


def _matches(m: _Mention, cluster: _Cluster) -> bool:
    label = cluster.label()
    # the model's NORP for a surname is not a demonym from the list
    surname_as_norp = m.source == "model" and label == "PERSON" and m.norm in cluster.surnames
    if (m.label == "NORP") != (label == "NORP") and not surname_as_norp:
        return False
    for form in cluster.forms:
        if m.norm == form:
            return _group(m.label) == _group(label) or m.source == "model" or label == "PERSON"
        if _resolve(m.norm) == _resolve(form) and (m.norm in ALIASES or form in ALIASES):
            return True
        if _is_acronym_of(m, form) or _is_part_of(m, form, label):
            return True
    return False


def _nearest(m: _Mention, clusters: list[_Cluster]) -> _Cluster:
    def distance(c: _Cluster) -> tuple[int, int]:
        before = [m.start - x.start for x in c.mentions if x.start < m.start]
        if before:
            return (0, min(before))
        return (1, min(x.start - m.start for x in c.mentions))

    return min(clusters, key=distance)


class _FormIndex:
    """Clusters by the keys under which a mention can match one of their forms, so a mention is
    compared only with clusters it could join, not with all of them.

    `_matches` needs a form that is the same name or the same alias target (resolved form), whose
    initials are the mention's letters (acronym), or whose first or last word starts or ends the
    mention (part of a name); each of those keys is indexed here. Candidates come back in cluster
    order, so the matching clusters are exactly those a scan over all clusters finds.
    """

    def __init__(self) -> None:
        self._by_key: dict[tuple[str, str], set[int]] = {}

    def add(self, form: str, cluster: int) -> None:
        words = form.split()
        keys = [("resolved", _resolve(form)), ("first", words[0]), ("last", words[-1])]
        if len(words) >= 2:
            keys += [("initials", initials) for initials in _initials(words)]
        for key in keys:
            self._by_key.setdefault(key, set()).add(cluster)

    def candidates(self, m: _Mention) -> list[int]:
        words = m.norm.split()
        keys = [
            ("resolved", _resolve(m.norm)),
            ("initials", m.text.replace(".", "").lower()),
            ("first", words[0]),
            ("last", words[-1]),
        ]
        found: set[int] = set()
        for key in keys:
            found |= self._by_key.get(key, set())
        return sorted(found)


def cluster_mentions(
    doc: Doc, candidates: list[Candidate], columns: Columns | None = None
) -> list[list[_Mention]]:
    t = columns if columns is not None else columns_of(doc)
    mentions = []
    for c in candidates:
        if c.start >= c.end:
            continue  # an empty span has no text, so no normal form
        start_char, end_char = t.idx[c.start], t.end_char(c.end - 1)
        if _sentence_final_stop(t, c.end - 1):
            end_char -= 1
        text = t.text[start_char:end_char]
        norm = normalise(text)
        if norm:
            mentions.append(_Mention(start_char, end_char, text, norm, c.label, c.source))
    # longest names first so that short forms find the full name even when they come first
    order = sorted(mentions, key=lambda m: (-len(m.norm.split()), -len(m.norm), m.start))
    clusters: list[_Cluster] = []
    index = _FormIndex()
    for m in order:
        fits = [i for i in index.candidates(m) if _matches(m, clusters[i])]
        if fits:
            target = _nearest(m, [clusters[i] for i in fits])
            if m.norm not in target.forms:
                index.add(m.norm, next(i for i in fits if clusters[i] is target))
            target.add(m)
        else:
            index.add(m.norm, len(clusters))
            clusters.append(_Cluster([m]))
    result = [sorted(c.mentions, key=lambda x: x.start) for c in clusters]
    result.sort(key=lambda ms: ms[0].start)
    return result


def _sentence_final_stop(t: Columns, i: int) -> bool:
    """ "... bought by Lear Corp.": an abbreviation's full stop that also ends the sentence
    belongs to the sentence, not to the name ("Lear Corp"). Not for one-token initialisms
    ("U.S."), whose stops are all the name's."""
    word = t.words[i]
    if not word.endswith(".") or len(word) < 3 or "." in word[:-1]:
        return False
    return i + 1 >= t.n or t.space[i + 1] or t.sent_start[i + 1]


def canonical_name(mentions: list[_Mention]) -> str:
    """The longest proper form in the document; a known alias gives the set form ("US" ->
    "United States", "New York Times" -> "The New York Times")."""
    best = max(mentions, key=lambda m: (len(m.norm.split()), len(m.text), -m.start))
    norm = best.norm
    if norm in ALIASES and norm not in CONTEXT_ONLY_ALIASES:
        return ALIASES[norm]
    if norm in CONTEXT_ONLY_ALIASES and any(
        _resolve(m.norm) != m.norm for m in mentions if m.norm not in CONTEXT_ONLY_ALIASES
    ):
        return ALIASES[norm]
    return " ".join(best.text.split())


def entity_key(name: str, label: str) -> str:
    """Normalised name + type: the same thing in two articles gets the same key."""
    return f"{normalise(name)}|{label}"


def build_entities(
    doc: Doc, candidates: list[Candidate], columns: Columns | None = None
) -> list[Entity]:
    entities: list[Entity] = []
    for i, mentions in enumerate(cluster_mentions(doc, candidates, columns), start=1):
        label = _Cluster(mentions).label()
        name = canonical_name(mentions)
        entities.append(
            Entity(
                id=f"e{i}",
                name=name,
                type=EntityType(label),
                key=entity_key(name, label),
                mentions=[Mention(text=m.text, start=m.start, end=m.end) for m in mentions],
                count=len(mentions),
            )
        )
    return entities
