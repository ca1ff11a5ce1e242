"""trafilatura's output tree (p, head, list/item, table/row/cell, quote, lb, hi, ref) as classifier
lines, one per block, with no text of the tree left out.

The tree is mixed content: text can sit in an element's tail (`<head>..</head>Loose paragraph`),
in a quote with no child paragraphs, or be split by `<lb/>` line breaks. Joining only the
children's own text loses the first two and glues words across the third ("Click HerePages"),
which cost up to whole pages on real sites. Every text node is therefore read here, once: inline
elements (hi, ref, lb, ...) join their block's line, with a space at a line break; block elements
start a new line; loose text between blocks is a line of its own.
"""

from __future__ import annotations

from lxml import etree

from workers.cleaning.lines import Line, make_line

#: Elements that hold blocks rather than being one: their children are read as separate lines.
_CONTAINERS = frozenset({"body", "div", "quote", "list", "item", "table", "row", "cell", "note"})
_BLOCKS = frozenset({"p", "head", "list", "table", "quote", "div", "code", "note", "item", "row"})


def _inline(el: etree._Element) -> str:
    """An element's text and its inline descendants' (tails included), a space at each <lb/>."""
    parts = [el.text or ""]
    for child in el:
        if child.tag == "lb":
            parts.append(" ")
        else:
            parts.append(_inline(child))
        parts.append(child.tail or "")
    return " ".join("".join(parts).split())


def _has_blocks(el: etree._Element) -> bool:
    return any(child.tag in _BLOCKS for child in el)


class _Walker:
    def __init__(self) -> None:
        self.lines: list[Line] = []

    def add(
        self, text: str, *, bullet: bool = False, heading: bool = False, row: bool = False
    ) -> None:
        text = " ".join(text.split())
        if text:
            line = make_line(text, False, heading, bullet)
            line.table_row = row
            self.lines.append(line)

    def block(self, el: etree._Element) -> None:
        if el.tag == "row":
            self.add(" | ".join(c for c in (_inline(cell) for cell in el) if c), row=True)
        elif el.tag in _CONTAINERS and _has_blocks(el):
            self.container(el)
        else:
            self.add(_inline(el), bullet=el.tag == "item", heading=el.tag == "head")

    def container(self, el: etree._Element) -> None:
        """Loose text before, between and after the child blocks becomes lines of its own;
        inline children in that loose text stay with it."""
        bullet = el.tag == "item"
        pending = [el.text or ""]
        for child in el:
            if child.tag in _BLOCKS:
                self.add("".join(pending), bullet=bullet)
                pending = []
                self.block(child)
            elif child.tag == "lb":
                pending.append(" ")
            else:
                pending.append(_inline(child))
            pending.append(child.tail or "")
        self.add("".join(pending), bullet=bullet)


def block_lines(body: etree._Element) -> list[Line]:
    walker = _Walker()
    walker.container(body)
    return walker.lines
