"""The entity rule layers as registered spaCy pipeline components, after the model's `ner`.

`nlp.pipe_names` shows what runs and in what order; each layer can be switched off
(`nlp.select_pipes(disable=...)`, or `rule_components_off` here) to measure what it brings. The
layers pass a list of candidate mentions from one to the next in `doc.user_data`; the last one,
`newsflow_entity_spans`, writes them to `doc.ents`, so any reader of the parse (the quote stage,
a user's own code) sees the corrected entities. A layer switched off leaves the list as it found
it; with every layer off the result is the model's own entities of the kept labels.

The pipeline object is the shared, cached one of `workers.nlp.load_nlp`: the components are
added once (`add_rule_components`) and the quote stage reuses the same parse.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING

from spacy.language import Language
from spacy.tokens import Doc, Span

from workers.entities import context
from workers.entities import mentions as m
from workers.nlp import Columns, columns_of, load_nlp

if TYPE_CHECKING:
    from workers.entities.mentions import Candidate

Step = Callable[[Columns, "list[Candidate]"], "list[Candidate]"]

_CANDIDATES = "newsflow.entity_candidates"
_WORK = "newsflow.entity_work"

#: The rule layers in the order they run: (component name, step, what it does).
STEPS: tuple[tuple[str, Step, str], ...] = (
    ("newsflow_model_spans", m.step_model_spans, "trim, split titles off, relabel by context"),
    ("newsflow_gazetteer", m.step_gazetteer, "places and names from lists win over the model"),
    ("newsflow_cleanup", m.cleanup, "drop implausible spans, join split person names"),
    ("newsflow_dateline", context.step_dateline, "the place a wire story was filed from"),
    ("newsflow_org_patterns", m.step_org_patterns, "organisations from heads and cues"),
    ("newsflow_place_frames", context.step_place_frames, "near X, the town of X: a place"),
    ("newsflow_acronyms", context.step_acronyms, "Long Name (ACR); capitals after a number"),
    ("newsflow_facility_heads", context.step_facility_heads, "X Street, X Airport: a place"),
    ("newsflow_given_names", context.step_given_names, "a known given name + surname"),
    ("newsflow_propagate", m.propagate, "find again names tagged once"),
    ("newsflow_products", m.step_products, "maker + name + device noun is a product"),
    ("newsflow_clubs", m.step_clubs, "a club named after its city"),
    ("newsflow_team_frames", context.step_team_frames, "a side in a contest is a team"),
    ("newsflow_team_nicknames", context.step_team_nicknames, "the All Xs: a team"),
)
#: Writes the candidates to `doc.ents`; not a rule layer, never switched off.
WRITER = "newsflow_entity_spans"


class _Work:
    """What the layers pass along one doc while it goes through them: its token columns and the
    candidates so far (None until the first layer). Kept apart from the plain tuples the writer
    leaves in `doc.user_data`, so no layer rebuilds the candidates from tuples."""

    __slots__ = ("cands", "t")

    def __init__(self, t: Columns) -> None:
        self.t = t
        self.cands: list[Candidate] | None = None

    def current(self) -> list[Candidate]:
        if self.cands is None:
            self.cands = m.initial_candidates(self.t)
        return self.cands


def _work(doc: Doc) -> _Work:
    work = doc.user_data.get(_WORK)
    if not isinstance(work, _Work):
        work = _Work(columns_of(doc))
        doc.user_data[_WORK] = work
    return work


def _component(step: Step) -> Callable[[Doc], Doc]:
    def component(doc: Doc) -> Doc:
        work = _work(doc)
        work.cands = step(work.t, work.current())
        return doc

    component.__doc__ = step.__doc__
    return component


for _name, _step, _ in STEPS:
    Language.component(_name, func=_component(_step))


@Language.component(WRITER)
def write_entity_spans(doc: Doc) -> Doc:
    """The candidates as `doc.ents` (overlaps resolved longest first), and as plain tuples in
    `doc.user_data` for `candidates_of`; drops the layers' working record (the doc's columns
    stay, for the entity stage: `workers.nlp.columns_of`)."""
    work = _work(doc)
    cands = work.current()
    doc.user_data[_CANDIDATES] = [(c.start, c.end, c.label, c.source) for c in cands]
    work.t.set_entities([Span(doc, c.start, c.end, label=c.label) for c in cands])
    doc.user_data.pop(_WORK, None)
    return doc


def rule_component_names(nlp: Language) -> tuple[str, ...]:
    """The rule layers present in `nlp`, in pipeline order."""
    ours = {name for name, _, _ in STEPS}
    return tuple(name for name in nlp.pipe_names if name in ours)


@contextmanager
def bare(nlp: Language) -> Iterator[None]:
    """Every newsflow component off, the writer included: the model's own `doc.ents`. A pipeline
    the components were never added to is left as it is."""
    writer = [WRITER] if WRITER in nlp.pipe_names else []
    with nlp.select_pipes(disable=[*rule_component_names(nlp), *writer]):
        yield


def add_rule_components(nlp: Language) -> Language:
    """Add the rule layers and the writer after the model's components (once)."""
    for name, _, _ in STEPS:
        if name not in nlp.component_names:
            nlp.add_pipe(name, last=True)
    if WRITER not in nlp.component_names:
        nlp.add_pipe(WRITER, last=True)
    return nlp


def entity_nlp(model: str) -> Language:
    """The shared pipeline of `model` with the entity rule layers in it."""
    return add_rule_components(load_nlp(model))


@contextmanager
def rule_components_off(nlp: Language, names: Sequence[str]) -> Iterator[None]:
    """Switch the named rule layers off for the `with` block (an ablation)."""
    unknown = set(names) - {name for name, _, _ in STEPS}
    if unknown:
        raise ValueError(f"not entity rule components: {sorted(unknown)}")
    if not names:
        yield
        return
    with nlp.select_pipes(disable=list(names)):
        yield


def candidates_of(doc: Doc) -> list[Candidate] | None:
    """The mentions the rule components left on `doc`, or None when they did not run."""
    found = doc.user_data.get(_CANDIDATES)
    if found is None:
        return None
    return [m.Candidate(*c) for c in found]


def run_steps(t: Columns) -> list[Candidate]:
    """Every rule layer over a doc parsed without them (a bare pipeline)."""
    cands = m.initial_candidates(t)
    for _, step, _ in STEPS:
        cands = step(t, cands)
    return cands
