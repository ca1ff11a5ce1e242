"""Plain-text input (what feeds and crawlers deliver) turned into classifier lines."""

from __future__ import annotations

import re

from workers.cleaning.lines import Line, make_line

_BULLET_START = re.compile(r"^\s*(?:[•●▪◦‣∙·■□►▶✓✔➤\-–—*]|\d{1,2}[.)])\s+")
_TERMINAL = re.compile(r"[.!?…:;\"”’»)]\s*$")


def _continues(previous: str, nxt: str) -> bool:
    """A hard-wrapped paragraph: the line breaks mid-sentence and the next line goes on in
    lower case. Lines of a caption and its credit, or bullets, stay apart."""
    if _BULLET_START.match(nxt) or _TERMINAL.search(previous):
        return False
    stripped = nxt.lstrip()
    return bool(stripped) and stripped[0].islower() and len(previous.split()) >= 6


def split_lines(text: str) -> list[Line]:
    """Non-empty lines with whether a blank line precedes them; hard wraps are re-joined."""
    lines: list[Line] = []
    pending: str | None = None
    pending_gap = True
    gap = True
    for raw in text.split("\n"):
        if not raw.strip():
            if pending is not None:
                lines.append(make_line(pending, pending_gap))
                pending = None
            gap = True
            continue
        if pending is not None and _continues(pending, raw):
            pending = pending.rstrip() + " " + raw.strip()
            continue
        if pending is not None:
            lines.append(make_line(pending, pending_gap))
        pending, pending_gap, gap = raw, gap, False
    if pending is not None:
        lines.append(make_line(pending, pending_gap))
    return [line for line in lines if line.text]
