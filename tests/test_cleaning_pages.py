"""Cleaning on real-page shapes: the block walker reads all of trafilatura's tree, a page the
classifier or the extractor finds nothing in is kept and flagged instead of lost, and the WCXB
set reader and metric work on a tiny set written here (never dev text)."""

from __future__ import annotations

import gzip
import json
import os
from pathlib import Path

import pytest
from lxml import etree

from evaluation.clean_pages import evaluate_pages
from evaluation.shingles import macro, page_counts, page_scores, shingles
from evaluation.wcxb import is_wcxb, read_pages
from schemas import EnrichedDocument, RawArticle, StageSettings
from workers.assemble import assemble
from workers.base import WorkItem
from workers.cleaning import CleaningStage
from workers.cleaning.article import _drop_copied_runs, clean_article
from workers.cleaning.blocks import block_lines
from workers.cleaning.html import extract_html
from workers.cleaning.layout import cut_outside_tail
from workers.cleaning.lines import Kind, make_line

PROSE = "The council approved the new harbour budget on Tuesday after a long debate. " * 4
WCXB_DEV = Path(__file__).resolve().parents[2] / "shared" / "dev-data" / "cleaning" / "wcxb-dev"


def _html(body: str) -> RawArticle:
    return RawArticle(id="p", body=f"<html><body>{body}</body></html>", content_type="text/html")


# ------------------------------------------------------------------ the block walker


def test_walker_keeps_tails_line_breaks_and_bare_quotes() -> None:
    tree = etree.fromstring(
        "<body>lead<head rend='h2'>Costs</head>Loose <hi>bold</hi> text"
        "<p>Click here<lb/>Pages 1-5</p><quote>first<lb/>second</quote>"
        "<list><item>one</item><item>two<list><item>inner</item></list></item></list>"
        "<table><row><cell>a</cell><cell>b</cell></row></table></body>"
    )
    lines = block_lines(tree)
    assert [line.text for line in lines] == [
        "lead",
        "Costs",
        "Loose bold text",
        "Click here Pages 1-5",
        "first second",
        "one",
        "two",
        "inner",
        "a | b",
    ]
    assert [line.heading_hint for line in lines][:2] == [False, True]
    assert [line.bullet for line in lines][5:8] == [True, True, True]


def test_numbered_html_heading_keeps_its_number() -> None:
    page = f"<article><p>{PROSE}</p><h2>3. Lower running costs</h2><p>{PROSE}</p></article>"
    article = clean_article(_html(page).model_copy(update={"title": "Harbour budget"}))
    assert "3. Lower running costs" in article.text


# ------------------------------------------------------------------ no page lost


def test_page_the_classifier_empties_is_kept_and_flagged() -> None:
    items = "".join(f"<li>Model {m} harbour ferry</li>" for m in "ABC")
    article = clean_article(_html(f"<h2>Ferry models</h2><ul>{items}</ul><h3>Spare parts</h3>"))
    assert "Model B harbour ferry" in article.text
    assert article.cleaning.low_confidence
    assert article.cleaning.reason and "classifier" in article.cleaning.reason


def test_table_rows_are_article_text_and_never_the_title() -> None:
    """A table closing an article is data, not trailing furniture, and a row is no headline."""
    rows = "".join(
        f"<tr><td>Model {m}</td><td>{w} kg</td><td>${p}</td></tr>"
        for m, w, p in (("A", 12, 300), ("B", 15, 350), ("C", 9, 280))
    )
    article = clean_article(_html(f"<article><p>{PROSE}</p><table>{rows}</table></article>"))
    assert "Model B | 15 kg | $350" in article.text
    assert "Model A | 12 kg | $300" in article.text
    assert not article.cleaning.low_confidence
    alone = clean_article(_html(f"<table>{rows}</table>"))
    assert alone.title is None or "|" not in alone.title
    assert "Model A | 12 kg | $300" in alone.text


def test_page_the_extractor_finds_nothing_in_falls_back_to_its_text() -> None:
    raw = _html(f'<div class="comments"><p>{PROSE}</p></div>')
    assert extract_html(raw.body).fallback is not None
    article = clean_article(raw)
    assert article.text.startswith("The council approved the new harbour budget")
    assert article.cleaning.low_confidence


def test_confident_article_is_not_flagged() -> None:
    article = clean_article(_html(f"<article><p>{PROSE}</p><p>{PROSE}</p></article>"))
    assert not article.cleaning.low_confidence and article.cleaning.reason is None


@pytest.mark.parametrize(
    "page",
    [
        "<html><head><script>alert('x')</script></head><body><nav>Home</nav></body></html>",
        "<html><body><div>  </div></body></html>",
    ],
)
def test_page_with_no_text_is_still_a_dead_letter(page: str) -> None:
    with pytest.raises(ValueError, match="no article text left"):
        clean_article(RawArticle(body=page, content_type="text/html"))


def test_flag_reaches_the_enriched_document() -> None:
    item = WorkItem(raw=_html(f'<div class="comments"><p>{PROSE}</p></div>'))
    CleaningStage(StageSettings())([item])
    doc = assemble(item, {"cleaning": "x"})
    assert doc.cleaning.low_confidence
    stored = EnrichedDocument.model_validate_json(doc.model_dump_json())
    assert stored.cleaning.reason == doc.cleaning.reason


# ------------------------------------------------------------------ metric and set reader


def test_shingle_metric_edge_cases() -> None:
    gold = "one two three four five six"
    assert shingles("a b") == {("a", "b"): 1}
    assert page_scores(page_counts(gold, gold)) == {"F1": 1.0, "P": 1.0, "R": 1.0}
    lost = page_counts(gold, "")
    assert lost == (0.0, 0.0, 1.0)
    half = page_counts(gold, "one two three four five")  # 2 of 3 shingles, nothing extra
    assert page_scores(half) == {"F1": 0.8, "P": 1.0, "R": 0.667}
    # a lost page drags recall to zero but has no precision to average
    assert macro([half, lost]) == {"F1": 0.5, "P": 1.0, "R": 0.333}


def _write_set(root: Path) -> None:
    (root / "html").mkdir(parents=True)
    article = f"<html><body><article><h1>Harbour</h1><p>{PROSE}</p></article></body></html>"
    (root / "html" / "a1.html").write_text(article)
    with gzip.open(root / "html" / "a2.html.gz", "wt") as fh:
        fh.write("<html><body><nav>Home</nav></body></html>")
    truth = {
        "a1": {"articleBody": PROSE.strip(), "url": "https://example.org/a1", "title": "Harbour"},
        "a2": {"articleBody": "Nothing extractable here at all", "url": None, "title": None},
    }
    (root / "ground-truth.json").write_text(json.dumps(truth))


def test_wcxb_reader_and_report_on_a_tiny_set(tmp_path: Path) -> None:
    root = tmp_path / "tiny-set"
    _write_set(root)
    assert is_wcxb(root) and not is_wcxb(root / "html")
    pages = list(read_pages(root))
    assert [p.id for p in pages] == ["a1", "a2"] and "Home" in pages[1].html

    report = evaluate_pages(root, StageSettings())
    row = report["row"]
    assert row["stage"] == "cleaning" and row["set"] == "tiny-set" and row["items"] == 2
    assert list(row["figures"]) == ["F1", "P", "R", "lost"]
    assert row["baseline"]["name"] == "trafilatura"
    assert row["figures"]["lost"] == 1  # the nav-only page has no text: a dead letter
    assert [p["id"] for p in report["lost_pages"]] == ["a2"]
    assert row["figures"]["P"] == 1.0 and row["figures"]["R"] == 0.5
    assert report["worst_pages"][0]["id"] == "a2"


@pytest.mark.skipif(
    not WCXB_DEV.exists() and os.environ.get("CI") != "true", reason="../shared is absent"
)
def test_dev_set_is_read_whole() -> None:
    """The dev set's layout is what the reader expects (fails under CI when it is missing)."""
    pages = list(read_pages(WCXB_DEV))
    assert len(pages) == 709
    assert all(page.html and page.gold for page in pages)


def test_back_matter_ends_an_extracted_article() -> None:
    refs = "".join(
        f"<p>Author {n}. A study of harbours. Journal of Ports, 20{n:02d}.</p>" for n in range(4)
    )
    page = f"<article><p>{PROSE}</p><h2>References</h2>{refs}</article>"
    article = clean_article(_html(page).model_copy(update={"title": "Harbour budget"}))
    assert article.text.startswith("The council approved")
    assert "Journal of Ports" not in article.text and "References" not in article.text


def test_long_run_on_block_closing_an_extraction_is_content_not_a_heading() -> None:
    """A trailing block too long for a heading (an index flattened into one paragraph) stays."""
    index = " - ".join(f"Part {n} harbour ferry timetables pages {n}0-{n}9" for n in range(1, 7))
    page = f"<article><p>{PROSE}</p><p>{index}</p></article>"
    article = clean_article(_html(page).model_copy(update={"title": "Harbour budget"}))
    assert "Part 6 harbour ferry timetables" in article.text
    short = f"<article><p>{PROSE}</p><p>Harbour ferry timetables</p></article>"
    assert "timetables" not in clean_article(_html(short)).text


@pytest.mark.parametrize("suffix", [" | Harbour Gazette", " - Local news - Harbour Gazette"])
def test_headline_under_a_site_suffixed_page_title_is_the_title(suffix: str) -> None:
    page = (
        f"<html><head><title>Council approves harbour budget{suffix}</title></head><body>"
        f"<article><h1>Council approves harbour budget</h1><p>{PROSE}</p></article></body></html>"
    )
    raw = RawArticle(id="p", body=page, content_type="text/html")
    article = clean_article(raw)
    assert not article.text.startswith("Council approves")
    assert article.text.startswith("The council approved")


def test_author_box_closing_an_extracted_article_goes() -> None:
    bio = (
        "Jane Roe is a freelance writer based in the north who covers transport, ports and local "
        "government. Her work has appeared in several regional papers over the past ten years, "
        "and she has reported on harbour budgets since the first ferry strike. " * 2
    )
    page = f"<article><p>{PROSE}</p><p>{bio}</p></article>"
    article = clean_article(_html(page).model_copy(update={"title": "Harbour budget"}))
    assert article.text.startswith("The council approved")
    assert "freelance writer" not in article.text
    # the same sentence form opening the article is about its subject, and stays
    about = "Jane Roe is the owner of the harbour ferry company that won the contract. "
    paragraphs = "".join(f"<p>Paragraph {n}. {PROSE}</p>" for n in range(4))
    page = f"<article><p>{about * 3}</p>{paragraphs}</article>"
    article = clean_article(_html(page).model_copy(update={"title": "Harbour budget"}))
    assert "owner of the harbour ferry company" in article.text


def _bylined(author: str, paragraphs: list[str]) -> RawArticle:
    body = "".join(f"<p>{text}</p>" for text in paragraphs)
    page = (
        f'<html><head><meta name="author" content="{author}"></head>'
        f"<body><article>{body}</article></body></html>"
    )
    return RawArticle(id="p", title="Harbour budget", body=page, content_type="text/html")


def test_box_about_the_bylined_author_closing_a_page_goes() -> None:
    body = [f"Paragraph {n}. {PROSE}" for n in range(4)]
    box = [
        "Jane Roe has covered transport and local government for a decade and lives by the sea.",
        "Jane holds a degree in economics and sails on weekends when the ferries allow.",
    ]
    article = clean_article(_bylined("Jane Roe", body + box))
    assert "Paragraph 3." in article.text
    assert "Jane" not in article.text
    # a desk's or a team's byline names no person; the last paragraph opening with it is kept
    closing = "The Harbour Desk has followed the port since the city sold it to the council."
    article = clean_article(_bylined("The Harbour Desk", [*body, closing]))
    assert "followed the port" in article.text


def test_teasers_under_a_read_next_header_at_the_end_go() -> None:
    teasers = "".join(
        f"<h3>Ferry route {n} reopens</h3><p>The route to the island reopened this week after "
        f"repairs to the pier.</p>"
        for n in range(2)
    )
    body = "".join(f"<p>{PROSE}Paragraph {n}.</p>" for n in range(4))
    page = f"<article>{body}<h2>Read next</h2>{teasers}</article>"
    article = clean_article(_html(page).model_copy(update={"title": "Harbour budget"}))
    assert article.text.startswith("The council approved")
    assert "pier" not in article.text and "Read next" not in article.text
    # a header followed by most of the text is a section of the article: nothing is cut
    page = f"<article><p>{PROSE}</p><h2>Related reading</h2>{body}</article>"
    article = clean_article(_html(page).model_copy(update={"title": "Harbour budget"}))
    assert "Paragraph 3." in article.text and article.text.count("The council approved") == 20


def test_blocks_closing_a_page_outside_the_articles_container_go() -> None:
    """The deepest element holding most of the kept text is the article's; kept blocks after it
    that sit outside it (a promotion, teasers of other posts) are the page around it."""
    body = "".join(f"<p>Paragraph {n}. {PROSE}</p>" for n in range(4))
    promo = "".join(
        f"<p>Our ferry guide {n} tells visitors where the island boats leave from each morning "
        "and what the crossing costs.</p>"
        for n in range(2)
    )
    page = f"<div><div>{body}</div><div>{promo}</div></div>"
    lines = extract_html(_html(page).body).lines
    assert [line.path is not None for line in lines] == [True] * 6
    assert lines[0].path and lines[4].path and lines[0].path[:3] == lines[4].path[:3]
    assert lines[0].path[3] != lines[4].path[3]
    article = clean_article(_html(page).model_copy(update={"title": "Harbour budget"}))
    assert "Paragraph 3." in article.text and "ferry guide" not in article.text
    # the same paragraphs inside the article's container are its text
    page = f"<div><div>{body}{promo}</div></div>"
    article = clean_article(_html(page).model_copy(update={"title": "Harbour budget"}))
    assert "ferry guide 1" in article.text


def test_a_block_not_found_in_the_page_counts_as_inside_the_container() -> None:
    lines = [make_line(f"Paragraph {n}. {PROSE}", False) for n in range(5)]
    for line in lines[:4]:
        line.path = (0, 1, 2)  # four fifths of the words in element 2
    lines[4].path = (0, 9, 10)
    cut_outside_tail(lines)
    assert [line.kind for line in lines] == [Kind.BODY] * 4 + [Kind.BOILERPLATE]
    lines[4].kind = Kind.BODY
    lines[4].path = None  # not found in the page's text: kept
    cut_outside_tail(lines)
    assert all(line.kind is Kind.BODY for line in lines)


def test_control_characters_in_a_page_are_dropped_not_a_dead_letter() -> None:
    """C0 control characters (as broken CMS exports and mis-decoded feeds carry) are legal in
    the HTML parser's tree but not in the XML trafilatura writes back: the page is cleaned, its
    words kept apart where a vertical tab or form feed stood."""
    body = (
        "<html><body><article><p>The harbour board\x01 met on Monday to vote\x0bon the new"
        " pier, and the vote passed by a wide margin after a long debate.</p>"
        "<p>Work starts\x0cin spring\x00 and should end within two years, the board said"
        " in a statement to reporters.</p></article></body></html>"
    )
    cleaned = clean_article(RawArticle(body=body, content_type="text/html", title="Pier vote"))
    assert "vote on the new pier" in cleaned.text
    assert "starts in spring and" in cleaned.text
    assert not any(ord(ch) < 32 and ch not in "\n\t" for ch in cleaned.text)


def test_a_stray_end_of_document_tag_does_not_end_the_page() -> None:
    """A `</body></html>` left early in a page (a header template closing its own snippet) is
    ignored by browsers, which read on; the article after it is the page's text."""
    body = (
        "<html><head><title>Pier vote</title></head><body><header><nav>Home</nav>"
        "</body></html></header><main><article>"
        "<p>The harbour board met on Monday to vote on the new pier, and the vote passed by a"
        " wide margin after a long and lively debate.</p>"
        "<p>Work starts in spring and should end within two years, the board said in a"
        " statement to reporters after the meeting.</p></article></main></body></html>"
    )
    cleaned = clean_article(RawArticle(body=body, content_type="text/html"))
    assert "vote on the new pier" in cleaned.text
    assert "Work starts in spring" in cleaned.text


def test_a_second_copy_of_the_article_body_goes_but_short_repeats_stay() -> None:
    """A page that renders its post body twice (a hidden tab, a mobile variant) is read once;
    a short passage the article itself repeats (a few repeated steps) stays."""
    paragraphs = [
        f"Step {n} of the harbour plan moves the ferry berth {n} metres east, the board said"
        " on Monday, and the work is paid from the port's own budget this year."
        for n in range(1, 13)
    ]
    closing = ["Questions about the berth can be sent to the port office until the end of May."]
    lines = [make_line(text, False) for text in [*paragraphs, *closing, *paragraphs]]
    for line in lines:
        line.kind = Kind.BODY
    _drop_copied_runs(lines)
    assert [line.text for line in lines if line.kind.kept] == [*paragraphs, *closing]

    short = [make_line(text, False) for text in [*paragraphs[:3], *paragraphs[:3]]]
    for line in short:
        line.kind = Kind.BODY
    _drop_copied_runs(short)
    assert all(line.kind is Kind.BODY for line in short)


def test_a_recall_extraction_covering_little_of_the_page_asks_for_a_second_opinion() -> None:
    """The balanced extraction is consulted only when the recall one holds under a third of
    the page's block text: a full extraction is trusted, a cut-down one is not."""
    import copy

    import trafilatura
    from trafilatura.settings import Document

    from workers.cleaning.html import _body_chars, _second_opinion_wanted, parse_html

    paragraphs = "".join(
        f"<p>Paragraph {n}: the harbour board met again to weigh the ferry timetable.</p>"
        for n in range(12)
    )
    tree = parse_html(f"<html><body><article>{paragraphs}</article></body></html>")
    assert tree is not None
    doc = trafilatura.bare_extraction(copy.deepcopy(tree), favor_recall=True)
    assert isinstance(doc, Document) and doc.body is not None
    assert not _second_opinion_wanted(tree, _body_chars(doc))
    for child in list(doc.body)[1:]:
        doc.body.remove(child)
    assert _second_opinion_wanted(tree, _body_chars(doc))


def test_page_whose_extraction_is_a_sliver_of_its_article_body_takes_the_baseline() -> None:
    """When the extractors keep a small block of a page whose embedded articleBody (or
    <article>, or paragraphs) holds several times more, that larger text is the article."""
    body = " ".join(f"Paragraph {n}. {PROSE}" for n in range(8))
    data = {"@context": "https://schema.org", "@type": "NewsArticle", "articleBody": body}
    links = "".join(
        f"<li><a href='/s{n}'>Section number {n} of the harbour site directory</a></li>"
        for n in range(60)
    )
    page = (
        f"<html><head><script type='application/ld+json'>{json.dumps(data)}</script></head>"
        f"<body><nav><ul>{links}</ul></nav><article><p>Lead. {PROSE}</p><p>Second. {PROSE}</p>"
        f"</article><footer><ul>{links}</ul></footer></body></html>"
    )
    raw = RawArticle(id="p", title="Harbour budget", body=page, content_type="text/html")
    article = clean_article(raw)
    assert "Paragraph 7." in article.text
    assert "site directory" not in article.text


@pytest.mark.parametrize(
    ("line", "label"),
    [
        ("4 min read", True),
        ("3 MIN. READ", True),
        ("Reading time: 6 minutes", True),
        ("Estimated reading time:", True),
        ("March 2, 2025 · 8 min read", True),
        ("March 2, 2025 // 8 minute read", True),
        ("The ferry crossing takes 40 minutes.", False),
        ("The meeting ran 10 min", False),
        ("Harbour | Ferries", False),
    ],
)
def test_reading_time_labels(line: str, label: bool) -> None:
    from workers.cleaning.lines import Kind, classify, make_line

    lines = classify([make_line(line, False), make_line(PROSE, False)], frozenset(), False)
    assert (lines[0].kind is Kind.BOILERPLATE) is label
