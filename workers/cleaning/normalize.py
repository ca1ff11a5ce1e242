"""Unicode repair and normalisation, applied before any offset exists.

Everything here runs on the raw text *before* the cleaned `text` is assembled, so no mapping is
needed: the offsets later stages use are computed on the final string. Quote marks are kept as
they are (curly or straight): the quote stage reads both, and rewriting them could change where a
quotation starts or ends.
"""

from __future__ import annotations

import re
import unicodedata

import ftfy

_FTFY = ftfy.TextFixerConfig(uncurl_quotes=False, explain=False, normalization="NFC")

#: Zero-width and invisible format characters that crawlers leave inside words.
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad\u180e"), None)
#: Horizontal whitespace variants (NBSP, thin spaces, ideographic space, tabs) become one space.
_HSPACE = re.compile(r"[ \t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]+")
#: Dash look-alikes are mapped onto the two dashes news text uses: en dash and em dash.
_DASHES = str.maketrans({"\u2012": "\u2013", "\u2015": "\u2014", "\ufe58": "\u2014"})
#: A double hyphen between spaces is a typewriter em dash.
_DOUBLE_HYPHEN = re.compile(r"(?<=\s)--(?=\s)")
_LINE_BREAKS = re.compile(r"\r\n?|[\u2028\u2029\x0b\x0c\x85]")
#: Typewriter-style quotes from some wire feeds (``like this'') become curly pairs.
_BACKTICK_QUOTES = re.compile(r"``(.+?)''", re.DOTALL)
#: Anything ftfy could change: non-ASCII, control characters, and '&' (HTML entities). Text with
#: none of these is returned unchanged by ftfy (checked by a fuzz test), so the call is skipped:
#: most lines of an HTML page are plain ASCII and ftfy was ~15% of the stage.
_FTFY_NEEDED = re.compile(r"[^\t\n\x20-\x25\x27-\x7e]")


def fix_unicode(text: str) -> str:
    """Repair mojibake and HTML escapes (ftfy), then normalise spaces, dashes and line breaks."""
    if _FTFY_NEEDED.search(text):
        text = ftfy.fix_text(text, _FTFY)
    text = _LINE_BREAKS.sub("\n", text)
    text = text.translate(_INVISIBLE).translate(_DASHES)
    text = _DOUBLE_HYPHEN.sub("\u2014", text)
    text = _BACKTICK_QUOTES.sub("\u201c\\1\u201d", text)
    return unicodedata.normalize("NFC", text)


def squash_spaces(line: str) -> str:
    """One line of prose: runs of horizontal whitespace become a single space, ends trimmed."""
    return _HSPACE.sub(" ", line).strip()
