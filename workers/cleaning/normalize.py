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
#: Both tables in one, and a scan for their characters: str.translate with a dict costs a look-up
#: per character (~0.3 ms per article for the two), and most text holds none of them.
_TRANSLATION = {**_INVISIBLE, **_DASHES}
_TRANSLATED = re.compile("[" + re.escape("".join(map(chr, _TRANSLATION))) + "]")
#: A double hyphen between spaces is a typewriter em dash.
_DOUBLE_HYPHEN = re.compile(r"(?<=\s)--(?=\s)")
_LINE_BREAKS = re.compile(r"\r\n?|[\u2028\u2029\x0b\x0c\x85]")
#: Typewriter-style quotes from some wire feeds (``like this'') become curly pairs.
_BACKTICK_QUOTES = re.compile(r"``(.+?)''", re.DOTALL)
#: Anything ftfy could change: control characters, '&' (HTML entities) and non-ASCII other than
#: the typographic quotes, dashes and ellipsis news copy is full of. Those map to bytes 0x85 and
#: 0x91-0x97 in Windows-1252, which can never start a UTF-8 sequence, so no mojibake repair can
#: involve them. Text with none of these is returned unchanged by ftfy (checked by a fuzz test),
#: so the call is skipped: ftfy was ~15% of the stage.
_FTFY_NEEDED = re.compile(r"[^\t\n\x20-\x25\x27-\x7e\u2018\u2019\u201c\u201d\u2013\u2014\u2026]")


def repair(text: str) -> str:
    """`ftfy.fix_text(text, _FTFY)`, calling ftfy only for the lines that need it.

    ftfy fixes text in independent segments, one per line (a segment keeps its trailing newline),
    and from the first segment holding a '<' on it stops unescaping HTML entities in the
    remaining ones. This does the same, line by line, so the result is identical (checked by a
    property test) while a crawled body with a few non-ASCII lines pays for those lines only.
    """
    if not _FTFY_NEEDED.search(text):
        return text
    if "\n" not in text:
        return ftfy.fix_text(text, _FTFY)
    config = _FTFY
    out: list[str] = []
    pos = 0
    while pos < len(text):
        end = text.find("\n", pos) + 1 or len(text)
        segment = text[pos:end]
        if config.unescape_html == "auto" and "<" in segment:
            config = config._replace(unescape_html=False)
        out.append(ftfy.fix_text(segment, config) if _FTFY_NEEDED.search(segment) else segment)
        pos = end
    return "".join(out)


def fix_unicode(text: str) -> str:
    """Repair mojibake and HTML escapes (ftfy), then normalise spaces, dashes and line breaks."""
    text = repair(text)
    text = _LINE_BREAKS.sub("\n", text)
    if _TRANSLATED.search(text):
        text = text.translate(_TRANSLATION)
    text = _DOUBLE_HYPHEN.sub("\u2014", text)
    text = _BACKTICK_QUOTES.sub("\u201c\\1\u201d", text)
    return unicodedata.normalize("NFC", text)


def squash_spaces(line: str) -> str:
    """One line of prose: runs of horizontal whitespace become a single space, ends trimmed."""
    return _HSPACE.sub(" ", line).strip()
