"""Language helpers the stages share: the one spaCy pipeline a process loads, what goes into a
parse (`cut`, `is_english`), a parse read as plain columns, and the table of given names."""

from __future__ import annotations

import weakref
from bisect import bisect_right
from collections.abc import Iterator, Sequence
from functools import lru_cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc, Span


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


def is_english(language: str | None) -> bool:
    """Unknown language counts as English: the cleaning stage leaves it None when unsure."""
    return language is None or language.lower().split("-")[0] == "en"


def cut(text: str, limit: int) -> str:
    """At most `limit` characters, ending on whitespace so no word is cut in half. A prefix, so
    offsets into it are offsets into the full text."""
    if len(text) <= limit:
        return text
    head = text[:limit]
    space = max(head.rfind(" "), head.rfind("\n"))
    return head[:space] if space > limit // 2 else head


#: `Doc.user_data` key under which `parse` records the string a Doc was made from.
_PARSED_TEXT = "newsflow.parsed_text"


def parse(nlp: Language, texts: Sequence[str], batch_size: int) -> Iterator[Doc]:
    """`nlp.pipe` over `texts`, each Doc carrying the string it was made from (`parsed_text`),
    so later stages need not rebuild `Doc.text`, which spaCy joins from every token on each
    access. spaCy's tokenizer is non-destructive: `doc.text` equals that string."""
    for text, doc in zip(texts, nlp.pipe(texts, batch_size=batch_size), strict=True):
        doc.user_data[_PARSED_TEXT] = text
        yield doc


def parsed_text(doc: Doc) -> str:
    """`doc.text`, from the record `parse` left when there is one."""
    text = doc.user_data.get(_PARSED_TEXT)
    return text if isinstance(text, str) else doc.text


#: `Doc.user_data` key under which `columns_of` keeps a doc's columns.
_COLUMNS = "newsflow.columns"


def columns_of(doc: Doc, text: str | None = None) -> Columns:
    """The doc's token columns, read once and kept on the doc for every rule layer and stage
    that reads the same parse: building them (one `to_array`, a string look-up per token) costs
    about as much as the entity stage's clustering, and the rule components and the entity
    stage read the same doc one after the other. They live as long as the doc; they are not
    serialisable, so `drop_columns` before `Doc.to_bytes`. `text` is `doc.text` when the caller
    has it (otherwise the string `parse` recorded, or the columns join it when asked)."""
    found = doc.user_data.get(_COLUMNS)
    if isinstance(found, Columns):
        return found
    if text is None:
        recorded = doc.user_data.get(_PARSED_TEXT)
        text = recorded if isinstance(recorded, str) else None
    columns = Columns(doc, text)
    doc.user_data[_COLUMNS] = columns
    return columns


def drop_columns(doc: Doc) -> None:
    """Forget the columns `columns_of` kept on the doc."""
    doc.user_data.pop(_COLUMNS, None)


class Columns:
    """Per-token attributes of a parsed Doc as plain Python lists, read once with
    `Doc.to_array`.

    Rule code that walks a document token by token through `doc[i]` makes a new `Token` object
    on every access (and `Doc.text` joins every token anew): beside the parse that was most of
    the rule layers' cost. The lists hold exactly what the `Token` attributes of the same names
    return (`is_sent_start` as a plain bool: spaCy's None for "unset" reads as False).
    """

    __slots__ = (
        "_doc",
        "_ends",
        "_entities",
        "_text",
        "alpha",
        "idx",
        "lower",
        "n",
        "pos",
        "punct",
        "sent_start",
        "space",
        "stop",
        "trailing_space",
        "upper",
        "words",
    )

    def __init__(self, doc: Doc, text: str | None = None) -> None:
        """`text` is `doc.text` when the caller has it (the string it parsed)."""
        from spacy.attrs import (
            IDX,
            IS_ALPHA,
            IS_PUNCT,
            IS_SPACE,
            IS_STOP,
            IS_UPPER,
            LOWER,
            ORTH,
            POS,
            SENT_START,
            SPACY,
        )

        # The doc keeps its columns (`columns_of`): a strong reference back would make a cycle,
        # and a cycle keeps a parsed doc (its arrays, its tensor) alive until a full collection.
        self._doc = weakref.ref(doc)
        self.n = n = len(doc)
        self._text = text
        self._ends: dict[int, int] | None = None
        self._entities: list[tuple[int, int, str]] | None = None
        if n == 0:
            cols: list[list[int]] = [[] for _ in range(4)]
            flags: list[list[bool]] = [[] for _ in range(7)]
        else:
            attrs = [ORTH, LOWER, POS, IDX, IS_ALPHA, IS_PUNCT, IS_SPACE, IS_STOP, IS_UPPER, SPACY]
            array = doc.to_array([*attrs, SENT_START])
            # column-wise lists: a list per token would feed the garbage collector
            cols = array[:, :4].T.tolist()
            flags = (array[:, 4:] == 1).T.tolist()  # SENT_START is 1, 0 (unset) or -1
        strings = doc.vocab.strings
        names = _pos_names()
        self.words: list[str] = [strings[h] for h in cols[0]]
        self.lower: list[str] = [strings[h] for h in cols[1]]
        self.pos: list[str] = [names[p] for p in cols[2]]
        self.idx: list[int] = cols[3]
        self.alpha, self.punct, self.space, self.stop, self.upper = flags[:5]
        self.trailing_space, self.sent_start = flags[5:]

    @property
    def doc(self) -> Doc:
        """The doc these columns were read from (held weakly: see `__init__`)."""
        doc = self._doc()
        if doc is None:
            raise ReferenceError("the doc these columns were read from is gone")
        return doc

    @property
    def text(self) -> str:
        """`doc.text`, built at most once, from the columns: `Doc.text` would make a `Token` for
        every token to join their `text_with_ws`, which is each word and its trailing space."""
        if self._text is None:
            spaced = zip(self.words, self.trailing_space, strict=True)
            self._text = "".join([w + " " if sp else w for w, sp in spaced])
        return self._text

    @property
    def entities(self) -> list[tuple[int, int, str]]:
        """The doc's entities as (start, end, label), read once: `doc.ents` builds a Span per
        entity, and reads every token, on each access. As they were when first asked for, or
        last given to `set_entities`."""
        if self._entities is None:
            self._entities = [(ent.start, ent.end, ent.label_) for ent in self.doc.ents]
        return self._entities

    def set_entities(self, spans: list[Span]) -> None:
        """`doc.set_ents` with the longest of overlapping spans kept (`filter_spans`), every
        other token outside an entity; `entities` then reads the new ones. Entities of a doc
        whose columns are shared are set here, so no reader sees stale ones."""
        from spacy.util import filter_spans

        kept = filter_spans(spans)
        self.doc.set_ents(kept, default="outside")
        self._entities = [(span.start, span.end, span.label_) for span in kept]

    def span_of_chars(self, start: int, end: int) -> tuple[int, int]:
        """Tokens (start, end) covering the characters start..end (`Doc.char_span`'s "expand"
        for a non-empty range that starts in a token), without making a `Span`."""
        first = bisect_right(self.idx, start) - 1
        last = bisect_right(self.idx, end - 1) - 1
        return max(first, 0), last + 1

    def span_text(self, start: int, end: int) -> str:
        """`doc[start:end].text` for 0 <= start, end <= n."""
        if start >= end:
            return ""
        return self.text[self.idx[start] : self.idx[end - 1] + len(self.words[end - 1])]

    def end_char(self, i: int) -> int:
        """Character offset just past token i."""
        return self.idx[i] + len(self.words[i])

    def token_ending_at(self, char: int) -> int | None:
        """The token whose last character is just before `char`, if any."""
        if self._ends is None:
            self._ends = {
                i_ + len(w): k for k, (i_, w) in enumerate(zip(self.idx, self.words, strict=True))
            }
        return self._ends.get(char)


@lru_cache(maxsize=1)
def _pos_names() -> dict[int, str]:
    from spacy.parts_of_speech import NAMES

    return {int(k): v for k, v in NAMES.items()}


def token_starts(doc: Doc) -> list[int]:
    """`[t.idx for t in doc]` without making a `Token` object per token."""
    from spacy.attrs import IDX

    return doc.to_array(IDX).tolist() if len(doc) else []


@lru_cache(maxsize=1)
def _given_names() -> Any:
    """gender-guesser's table: ~40,000 given names from many countries, each with its genders.
    Looked up case-insensitively, so a name in a headline's capitals is found too."""
    import gender_guesser.detector as gender

    return gender.Detector(case_sensitive=False)


@lru_cache(maxsize=65536)
def given_name_gender(word: str) -> str:
    """The table's answer for one first name: male, mostly_male, female, mostly_female, andy
    (either) or unknown. Cached: the look-up scans a large table and stages ask again and again."""
    return str(_given_names().get_gender(word))


def is_given_name(word: str) -> bool:
    """True for a word written as a name ("Claudia", "AbdulHakim") that the table knows as a first
    name. A lower-case or all-capital word is not taken for one: "may", "will" and "MAY" are
    words before they are names."""
    return word[:1].isupper() and not word.isupper() and given_name_gender(word) != "unknown"
