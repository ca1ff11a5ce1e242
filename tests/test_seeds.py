"""The sample articles in seeds/ are what demos, `newsflow run` and the stage tests lean on.

These tests keep the seeds honest: every valid file reads as RawArticles through the same file
reader the flow uses, every file in seeds/invalid/ fails validation for its stated reason, and the
features the seeds promise (formats, boilerplate, quote shapes, entities, a non-English article,
a syndicated duplicate) are really in the text.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from pathlib import Path

import pytest
from lxml import html as lxml_html
from pydantic import ValidationError

from flows.sources.files import list_article_files, read_file_payloads
from schemas import ContentType, RawArticle
from tests.conftest import SEEDS

INVALID = SEEDS / "invalid"
VALID_FILES = [p for p in list_article_files(SEEDS) if INVALID not in p.parents]
INVALID_FILES = list_article_files(INVALID)


def _articles(path: Path) -> list[RawArticle]:
    return [RawArticle.model_validate_json(e.payload) for e in read_file_payloads(path)]


ARTICLES: dict[str, RawArticle] = {
    f"{path.name}:{n}": article
    for path in VALID_FILES
    for n, article in enumerate(_articles(path), start=1)
}


def _visible_text(article: RawArticle) -> str:
    """Article prose only: for HTML the story's paragraphs, so page furniture is not counted."""
    if article.content_type is ContentType.TEXT:
        return article.body
    tree = lxml_html.fromstring(article.body)
    paragraphs = tree.xpath(
        "//article//p[not(@class)] | //div[contains(@class, 'article-body')]//p"
    )
    return "\n\n".join(p.text_content().strip() for p in paragraphs)


def _paragraphs(article: RawArticle) -> list[str]:
    return [p.strip() for p in re.split(r"\n\s*\n", _visible_text(article)) if p.strip()]


def _find(pattern: str, flags: int = 0) -> list[str]:
    """Keys of the seed articles whose prose matches `pattern`."""
    return [k for k, a in ARTICLES.items() if re.search(pattern, _visible_text(a), flags)]


# --- validity -------------------------------------------------------------------------------


def test_every_valid_seed_reads_as_raw_articles() -> None:
    assert VALID_FILES, "no seeds found"
    for path in VALID_FILES:
        articles = _articles(path)  # raises ValidationError on a bad seed
        assert articles, path
        for article in articles:
            assert len(article.body.split()) > 100, path


def test_at_least_fourteen_articles_with_distinct_ids() -> None:
    ids = Counter(a.id for a in ARTICLES.values())
    assert len(ARTICLES) >= 14
    assert max(ids.values()) == 1, [i for i, c in ids.items() if c > 1]


def test_article_length_is_news_length() -> None:
    for key, article in ARTICLES.items():
        words = len(_visible_text(article).split())
        assert 250 <= words <= 750, f"{key}: {words} words"


# expected (file, location of the first error or the pydantic error type)
INVALID_REASONS = {
    "empty_body.json": ("body",),
    "pdf_content_type.json": ("content_type",),
    "bad_date.json": ("published_at",),
    "not_json.json": "json_invalid",
    "list_shape.json": "model_type",
    "string_shape.json": "model_type",
    "title_only.txt": ("body",),
}


def test_invalid_folder_holds_the_promised_cases() -> None:
    assert {p.name for p in INVALID_FILES} >= set(INVALID_REASONS)
    assert len(INVALID_FILES) >= 5


@pytest.mark.parametrize("path", INVALID_FILES, ids=lambda p: p.name)
def test_every_invalid_seed_fails_validation_for_its_reason(path: Path) -> None:
    envelopes = list(read_file_payloads(path))
    assert envelopes
    for envelope in envelopes:
        with pytest.raises(ValidationError) as caught:
            RawArticle.model_validate_json(envelope.payload)
        expected = INVALID_REASONS.get(path.name)
        error = caught.value.errors()[0]
        if isinstance(expected, tuple):
            assert error["loc"] == expected, error
        elif expected is not None:
            assert error["type"] == expected, error


# --- formats --------------------------------------------------------------------------------


def test_every_input_format_is_present() -> None:
    suffixes = Counter(p.suffix for p in VALID_FILES)
    assert suffixes[".txt"] >= 4 and suffixes[".html"] >= 2 and suffixes[".json"] >= 2
    (jsonl,) = [p for p in VALID_FILES if p.suffix == ".jsonl"]
    assert len(_articles(jsonl)) == 3
    assert all(a.url and a.published_at for a in _articles(jsonl))


def test_json_seeds_carry_full_metadata_in_both_content_types() -> None:
    full = [
        a
        for p in VALID_FILES
        if p.suffix == ".json"
        for a in _articles(p)
        if a.url and a.source and a.published_at and a.fetched_at and a.metadata
    ]
    assert {a.content_type for a in full} == {ContentType.TEXT, ContentType.HTML}


def test_html_pages_carry_the_usual_page_furniture() -> None:
    pages = [a for a in ARTICLES.values() if a.content_type is ContentType.HTML]
    assert len(pages) >= 3
    for page in pages:
        tree = lxml_html.fromstring(page.body)
        assert tree.xpath("//title/text()")
        assert tree.xpath("//meta[@property='article:published_time']/@content")
        assert tree.xpath("//nav") and tree.xpath("//script") and tree.xpath("//style")
        assert re.search(r"cookie", page.body, re.I)
        assert re.search(r"\bBy [A-Z]\w+ [A-Z]\w+", tree.text_content())  # byline
    full_pages = [
        p
        for p in pages
        if all(
            lxml_html.fromstring(p.body).xpath(f"//{tag}") for tag in ("header", "footer", "aside")
        )
    ]
    assert full_pages and any(re.search(r"comments", p.body, re.I) for p in full_pages)
    assert any(re.search(r"share", p.body, re.I) for p in full_pages)


def test_one_page_is_mostly_boilerplate() -> None:
    ratios = [
        len(_visible_text(a)) / len(a.body)
        for a in ARTICLES.values()
        if a.content_type is ContentType.HTML
    ]
    assert min(ratios) < 0.15, ratios


def test_plain_text_seeds_carry_boilerplate() -> None:
    plain = "\n".join(a.body for a in ARTICLES.values() if a.content_type is ContentType.TEXT)
    for marker in (
        r"^Photo: ",
        r"^See also",
        r"^Read more",
        r"^Share (this|on)",
        r"newsletter",
        r"^Leave a Reply$",
        r"cookies",
        r"^Advertisement$",
    ):
        assert re.search(marker, plain, re.M), marker


# --- quotes ---------------------------------------------------------------------------------


def test_quote_shapes_are_covered() -> None:
    assert _find("\u201c[^\u201d]+\u201d")  # curly
    assert _find(r'(^|\s)"[A-Z][^"]+[.,?!]"')  # straight
    assert _find(r"(^|\s)'[A-Z][^']+[.,?!]' [A-Z]", re.M)  # single, British style
    split_quote = r"[,\u201d\"] [A-Z][\w ]+ said, [\u201c\"][a-z]"  # "...," X said, "and ..."
    assert _find(split_quote)
    assert _find(r"[\u201c\"][^\u201d\"\n]*, '[A-Z][^'\n]+[.,?!]'")  # quote inside a quote
    assert _find(r"a senior European diplomat said")
    assert _find(r"told Reuters that") and _find(r"\b[Aa]ccording to\b") and _find(r"\bsaid that\b")
    assert _find(r"\b(she|he) said\b")


def test_a_quote_runs_over_two_paragraphs() -> None:
    """A paragraph opens a quote without closing it, and the next paragraph reopens it."""
    found = []
    for key, article in ARTICLES.items():
        paras = _paragraphs(article)
        for first, second in itertools.pairwise(paras):
            unclosed = first.startswith(('"', "\u201c")) and (
                first.count('"') % 2 == 1 or first.count("\u201c") > first.count("\u201d")
            )
            if unclosed and second.startswith(('"', "\u201c")):
                found.append(key)
    assert found


def test_scare_quotes_and_titles_are_present() -> None:
    """Quoted single words and titles of works are not quotes: the seeds must tempt a finder."""
    assert _find(r'described as "[a-z]+"')  # one-word scare quote
    assert _find(r'^"[A-Z][\w ]+", by ', re.M)  # a book title opening a paragraph


# --- entities -------------------------------------------------------------------------------


def test_surnames_follow_full_names() -> None:
    """In most articles someone is introduced by full name and then called by surname alone."""
    with_cluster = []
    for key, article in ARTICLES.items():
        text = _visible_text(article)
        names = re.findall(r"\b(?=([A-Z]\w+) ([A-Z]\w+)\b)", text)  # overlapping pairs
        if any(re.search(rf"(?<!{first} ){last} said", text) for first, last in names):
            with_cluster.append(key)
    assert len(with_cluster) >= 8, with_cluster


def test_acronyms_titles_and_places() -> None:
    assert _find(r"European Central Bank[\s\S]+\bECB\b")
    assert _find(r"\bU\.S\.[\s\S]*\bUS\b|\bUS\b[\s\S]*\bU\.S\.")
    for title in ("President", "Minister", "Chief Executive", "Director General", "Dr\\."):
        assert _find(rf"\b{title} [A-Z][a-z]+ [A-Z]"), title
    for place in ("Frankfurt", "Brussels", "Lyon", "Berlin"):
        assert _find(rf"\b{place}\b"), place


# --- language and duplicates ----------------------------------------------------------------


def test_one_article_is_german_with_no_language_field() -> None:
    def german(text: str) -> bool:
        words = re.findall(r"\w+", text.lower())
        counts = Counter(words)
        return sum(counts[w] for w in ("der", "die", "und", "das", "nicht")) > 3 * counts["the"]

    found = [k for k, a in ARTICLES.items() if a.language is None and german(a.body)]
    assert found


def test_a_syndicated_story_appears_twice_with_different_boilerplate() -> None:
    """Dedup demo: the same paragraphs under two sources, wrapped in different furniture."""
    pairs = []
    items = list(ARTICLES.items())
    for i, (key_a, a) in enumerate(items):
        for key_b, b in items[i + 1 :]:
            long_a = {p for p in _paragraphs(a) if len(p.split()) >= 15}
            long_b = {p for p in _paragraphs(b) if len(p.split()) >= 15}
            same_story = long_a <= long_b or long_b <= long_a
            if len(long_a & long_b) >= 5 and same_story and a.body != b.body:
                pairs.append((key_a, key_b))
                assert a.id != b.id
                assert a.title == b.title
    assert pairs
