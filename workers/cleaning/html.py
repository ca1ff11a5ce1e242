"""Main-text extraction from HTML with trafilatura, on a tree we parse ourselves.

We parse the page with our own lxml HTML parser (no network access, no huge-tree mode, comments
and processing instructions dropped) after cutting any DOCTYPE internal subset and ENTITY
declarations out of the string. trafilatura then receives the *tree*, never a URL or a string it
could fetch or parse with other settings, so nothing leaves the process and no entity is expanded.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime

import trafilatura
from lxml import etree, html
from trafilatura.settings import DEFAULT_CONFIG, Document, set_date_params

from workers.cleaning.blocks import block_lines
from workers.cleaning.layout import locate
from workers.cleaning.lines import Line, make_line

#: `<!DOCTYPE x [ ... ]>` with an internal subset, `<!ENTITY ...>`, and XML declarations: none of
#: them carry article text, and all of them are ways to make a parser expand or fetch entities.
_DTD_SUBSET = re.compile(r"<!DOCTYPE[^>\[]*\[.*?\]\s*>", re.IGNORECASE | re.DOTALL)
_DECLARATIONS = re.compile(r"<!(?:ENTITY|ELEMENT|ATTLIST|NOTATION)\b[^>]*>|<\?xml[^>]*\?>", re.I)
#: C0 control characters XML forbids (tab, newline and carriage return are allowed). The HTML
#: parser keeps them in the tree, and trafilatura, which writes text back into lxml elements,
#: then fails on the page: they carry no text, so they go before parsing (vertical tab and form
#: feed become spaces, since they separate words).
_CONTROL_SPACES = str.maketrans({"\x0b": " ", "\x0c": " "})
_XML_FORBIDDEN = re.compile("[\x00-\x08\x0e-\x1f]")
#: End tags of <body> and <html>. A browser reads on after a stray one (HTML5 puts what follows
#: back in the body), while libxml2 drops the rest of the page: an early `</body></html>` left
#: in a header template then cut the whole article away. The parser closes both at the end.
_DOCUMENT_END_TAGS = re.compile(r"</(?:body|html)\s*>", re.IGNORECASE)

_PARSER = html.HTMLParser(
    no_network=True,
    huge_tree=False,
    remove_comments=True,
    remove_pis=True,
    collect_ids=False,
    default_doctype=False,
    encoding="utf-8",
)

#: Pages with more nodes than this are refused by trafilatura rather than walked in full.
MAX_TREE_SIZE = 50_000
_CONFIG = copy.deepcopy(DEFAULT_CONFIG)
_CONFIG.set("DEFAULT", "MAX_TREE_SIZE", str(MAX_TREE_SIZE))


#: class/id of the boxes news sites put their key points in ("Key points", "Story highlights").
_KEY_POINTS = re.compile(
    r"key[-_ ]?(?:points?|takeaways|facts)|highlights|takeaways|tl-?dr|summary-?(?:list|bullets)"
    r"|article-?summary|bullet-?points|at-?a-?glance",
    re.IGNORECASE,
)


@dataclass(slots=True)
class HtmlExtraction:
    lines: list[Line] = field(default_factory=list)
    key_points: list[str] = field(default_factory=list)
    title: str | None = None
    byline: str | None = None
    published: datetime | None = None
    #: Why the lines are not the extractor's main text, when they are a fallback.
    fallback: str | None = None


def _baseline_lines(text: str) -> list[Line]:
    return [make_line(block, False, bullet=False) for block in text.split("\n") if block.strip()]


def _fallback_lines(tree: html.HtmlElement) -> list[Line]:
    """The best text a page has when the extractor finds no main text: trafilatura's baseline
    (a JSON-LD articleBody, else the <article>, else the paragraphs, else the body's text), one
    line per block."""
    _, text, _ = trafilatura.baseline(tree)
    return _baseline_lines(text)


def parse_html(markup: str) -> html.HtmlElement | None:
    """A tree from untrusted markup, or None when nothing parseable is there."""
    markup = _DECLARATIONS.sub("", _DTD_SUBSET.sub("", markup))
    markup = _XML_FORBIDDEN.sub("", markup.translate(_CONTROL_SPACES))
    markup = _DOCUMENT_END_TAGS.sub("", markup)
    if not markup.strip():
        return None
    try:
        tree = html.document_fromstring(markup.encode("utf-8", "replace"), parser=_PARSER)
    except (etree.ParserError, ValueError):
        return None
    return tree


def _marked_key_points(tree: html.HtmlElement) -> list[str]:
    """Items of the first list marked as key points by its own or an ancestor's class or id.
    Extractors often drop these boxes as page furniture; for news they are the summary."""
    for lst in tree.iter("ul", "ol"):
        node: etree._Element | None = lst
        for _ in range(3):
            if node is None:
                break
            marks = f"{node.get('class', '')} {node.get('id', '')}"
            if _KEY_POINTS.search(marks):
                items = [" ".join("".join(li.itertext()).split()) for li in lst.iter("li")]
                return [item for item in items if len(item.split()) >= 3]
            node = node.getparent()
    return []


def _parse_date(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)


#: The balanced extraction replaces the recall one when it holds this many times its text.
BALANCED_WINS = 2.0
#: When both cover little of the page, trafilatura's baseline (the page's JSON-LD articleBody,
#: else its <article>, else its paragraphs) replaces them when it holds this many times their
#: text: the extractors then stopped at the first of several containers, or took a teaser box.
BASELINE_WINS = 2.5


def _extraction(
    tree: html.HtmlElement,
    url: str | None,
    date_params: dict[str, object] | None,
    *,
    recall: bool,
    with_metadata: bool,
) -> Document | None:
    doc = trafilatura.bare_extraction(
        tree,
        url=url,
        with_metadata=with_metadata,
        include_comments=False,
        include_tables=True,
        include_images=False,
        include_links=False,
        favor_recall=recall,
        date_extraction_params=date_params,
        config=_CONFIG,
    )
    return doc if isinstance(doc, Document) else None


def _body_chars(doc: Document) -> int:
    return len(" ".join("".join(doc.body.itertext()).split())) if doc.body is not None else 0


#: Block elements whose text is what a reader sees of a page, for the share below.
_PAGE_BLOCKS = ("p", "li", "td", "th", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre")
#: Below this share of the page's block text, the recall extraction asks for a second opinion.
SECOND_OPINION_SHARE = 0.3


def _page_chars(tree: html.HtmlElement) -> int:
    """Characters of the page's block text; a block nested in another (a p in a td) counts in
    both, as it did when the share below was measured."""
    return sum(len(" ".join(el.text_content().split())) for el in tree.iter(*_PAGE_BLOCKS))


def _second_opinion_wanted(tree: html.HtmlElement, body_chars: int) -> bool:
    """Whether the recall extraction covers so little of the page that the balanced one may
    have found the article. trafilatura's recall focus sometimes stops at the first block of a
    page that is split into several containers (a recipe's intro without its steps, a guide's
    first section): on the dev pages it kept under a third of the text on every such page, so
    the second, balanced extraction runs only below that share (a quarter of pages) instead of
    doubling the cost of all of them. `body_chars`: the recall extraction's `_body_chars`."""
    return body_chars < SECOND_OPINION_SHARE * _page_chars(tree)


def extract_html(
    markup: str, url: str | None = None, *, search_date: bool = True
) -> HtmlExtraction:
    """Main text blocks and metadata of a page. Empty when the page has no article text.

    `search_date=False` when the feed already gives the publication time: htmldate then reads
    only the page's metadata instead of searching the whole page (its extensive search was
    ~1.1 ms of ~2.8 ms per bench page), and `published` may come back empty.
    """
    tree = parse_html(markup)
    if tree is None:
        return HtmlExtraction()
    key_points = _marked_key_points(tree)
    date_params = None if search_date else set_date_params(extensive=False)
    doc = _extraction(tree, url, date_params, recall=True, with_metadata=True)
    recall_chars = _body_chars(doc) if doc is not None else 0
    lines = block_lines(doc.body) if doc is not None and doc.body is not None else []
    if doc is not None and _second_opinion_wanted(tree, recall_chars):
        balanced = _extraction(tree, url, date_params, recall=False, with_metadata=False)
        if balanced is not None and _body_chars(balanced) > BALANCED_WINS * recall_chars:
            recall_chars = _body_chars(balanced)
            lines = block_lines(balanced.body) if balanced.body is not None else []
        _, text, _ = trafilatura.baseline(tree)
        if len(" ".join(text.split())) > BASELINE_WINS * recall_chars:
            lines = _baseline_lines(text)
    if not lines:
        lines = _fallback_lines(tree)
        reason = "the extractor found no main text; the page's visible text is kept"
        return HtmlExtraction(lines=lines, key_points=key_points, fallback=reason)
    body = tree.find("body")
    locate(tree if body is None else body, lines)
    assert doc is not None
    return HtmlExtraction(
        lines=lines,
        key_points=key_points,
        title=doc.title or None,
        byline=doc.author or None,
        published=_parse_date(doc.date),
    )


def baseline_text(markup: str, include_comments: bool = True) -> str:
    """trafilatura alone on the same safely parsed tree: the yardstick for the evaluation."""
    tree = parse_html(markup)
    if tree is None:
        return ""
    return trafilatura.extract(tree, config=_CONFIG, include_comments=include_comments) or ""
