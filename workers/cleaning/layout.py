"""Where the extracted blocks sit in the page, and the article's container they show.

An article's text lives in one container of the page (the post body, the story's column); the
teasers, promotions and widgets a recall extraction keeps after it live elsewhere (a related-posts
box, a sidebar, the site's footer). Each extracted block is found again in the page's text, which
gives its element and that element's ancestors; the deepest element holding most of the kept text
is the article's container, and the kept blocks that close the page outside it are not the article.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence

from lxml import etree, html

from workers.cleaning.lines import Kind, Line

#: Elements whose text is never shown as page text.
_HIDDEN = frozenset({"script", "style", "noscript", "template"})
#: A block is looked up by the text of its first words (whitespace left out on both sides).
_KEY_WORDS = 8


class _PageText:
    """The page's visible text with all whitespace removed, and the element owning each piece."""

    def __init__(self, root: html.HtmlElement) -> None:
        chunks: list[str] = []
        self.starts: list[int] = []
        self.owners: list[etree._Element] = []
        pos = 0
        for event, el in etree.iterwalk(root, events=("start", "end")):
            if event == "start":
                text, owner = (None if el.tag in _HIDDEN else el.text), el
            else:
                text, owner = el.tail, el.getparent()
            if text and owner is not None:
                piece = "".join(text.split())
                if piece:
                    self.starts.append(pos)
                    self.owners.append(owner)
                    chunks.append(piece)
                    pos += len(piece)
        self.text = "".join(chunks)

    def owner(self, key: str, start: int) -> tuple[etree._Element | None, int]:
        """The element whose text holds `key`, searched from `start` first (blocks come in page
        order), then from the top; and where the key was found (or `start`)."""
        at = self.text.find(key, start)
        if at < 0 and start:
            at = self.text.find(key)
        if at < 0:
            return None, start
        return self.owners[bisect.bisect_right(self.starts, at) - 1], at


def locate(root: html.HtmlElement, lines: Sequence[Line]) -> None:
    """Set each line's `path`: the numbers of its element's ancestors, root first, down to the
    element holding its first words. A table row is looked up by its first cell. Lines not found
    in the page's text (text from the page's metadata, words glued or split by the extractor)
    keep `path` None."""
    page = _PageText(root)
    numbers: dict[etree._Element, int] = {}
    cursor = 0
    for line in lines:
        text = line.text.split(" | ", 1)[0] if line.table_row else line.text
        key = "".join(text.split()[:_KEY_WORDS])
        if not key:
            continue
        el, cursor = page.owner(key, cursor)
        if el is None:
            continue
        chain = [el, *el.iterancestors()]
        line.path = tuple(numbers.setdefault(node, len(numbers)) for node in reversed(chain))


#: The article's container is the deepest element holding this share of the kept words ...
CONTAINER_SHARE = 0.8
#: ... in at least this many kept blocks (one long block is a paragraph, not a container).
CONTAINER_MIN_BLOCKS = 3


def _container(kept: Sequence[Line]) -> tuple[int, int] | None:
    """(depth, number) of the deepest element holding CONTAINER_SHARE of the kept words in
    CONTAINER_MIN_BLOCKS kept blocks or more."""
    total = sum(line.n_words for line in kept)
    words: dict[tuple[int, int], int] = {}
    blocks: dict[tuple[int, int], int] = {}
    for line in kept:
        for node in enumerate(line.path or ()):
            words[node] = words.get(node, 0) + line.n_words
            blocks[node] = blocks.get(node, 0) + 1
    holding = [
        node
        for node, n in words.items()
        if n >= CONTAINER_SHARE * total and blocks[node] >= CONTAINER_MIN_BLOCKS
    ]
    return max(holding, default=None)


def cut_outside_tail(lines: Sequence[Line]) -> None:
    """The kept blocks after the last one inside the article's container go, when every one of
    them sits outside it: what closes an extraction outside the article's own element is the
    page around it (teasers of other posts, a promotion, a widget). A block not found in the page
    counts as inside, so it and what comes before it stay."""
    kept = [line for line in lines if line.kind.kept]
    if len(kept) < CONTAINER_MIN_BLOCKS:
        return
    container = _container(kept)
    if container is None:
        return
    depth, number = container

    def inside(line: Line) -> bool:
        return line.path is None or (len(line.path) > depth and line.path[depth] == number)

    last = max(k for k, line in enumerate(kept) if inside(line))
    for line in kept[last + 1 :]:
        line.kind = Kind.BOILERPLATE
