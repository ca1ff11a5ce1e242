"""Known boilerplate vocabulary. It complements the line features in `lines.py`; it is not the
classifier. Patterns are anchored and case-insensitive, and match what a page *says to the reader*
(calls to action, navigation) rather than topics, so a body sentence about, say, a newsletter
publisher is not dropped for one word.
"""

from __future__ import annotations

import re

#: Photo agencies and credit words whose presence makes a short line a picture credit.
AGENCIES = (
    "getty images",
    "getty",
    "reuters",
    "associated press",
    "ap photo",
    "ap",
    "afp",
    "epa",
    "epa-efe",
    "efe",
    "shutterstock",
    "alamy",
    "bloomberg",
    "anadolu",
    "anadolu agency",
    "xinhua",
    "tass",
    "sipa",
    "zuma press",
    "pa",
    "pa images",
    "pa wire",
    "nurphoto",
    "sopa images",
    "lightrocket",
    "imago",
    "dpa",
    "picture alliance",
    "ansa",
    "kyodo",
    "yonhap",
    "istock",
    "istockphoto",
    "unsplash",
    "wikimedia commons",
    "the washington post",
    "the new york times",
    "handout",
    "pool",
    "file photo",
    "contributor",
    "staff",
)

_AGENCY_ALT = "|".join(re.escape(a) for a in sorted(AGENCIES, key=len, reverse=True))

#: A whole line that is a picture credit: "Contributor/Getty Images", "Photo: Reuters",
#: "(AP Photo/Jane Doe)", "Image credit: NASA", "© EPA-EFE", "John Smith | AFP via Getty Images".
CREDIT_LINE = re.compile(
    rf"""^\s*[\(\[]?\s*(
        (photo(graph)?s?|pictures?|images?|credit|illustration|video|source|foto)
            (\s+(credit|by|courtesy))?\s*[:/|]\s*.{{1,80}}
      | (©|\(c\)|copyright)\s*.{{1,80}}
      | ([\w.'’\- ]{{1,60}}\s*[/|]\s*)?({_AGENCY_ALT})(\s+(photo|images?|via\s+getty\s+images))?
            (\s*[/|]\s*[\w.'’\- ]{{1,60}})?
      | [\w.'’\- ]{{1,60}}\s+(for|via)\s+({_AGENCY_ALT})(\s+images)?
      | (courtesy|handout)\s+(of\s+)?.{{1,60}}
      | (photo(graph)?|image|picture|foto)\s+(by|courtesy\s+of|from)\s+.{{1,80}}
      | (image|photo|picture|video)\s+(source|caption|credit)s?\s*[,:]\s*.{{0,200}}
    )\s*[\)\]]?\.?\s*$""",
    re.IGNORECASE | re.VERBOSE,
)

#: A credit glued to the end of a caption line: "... in Kyiv. (AP Photo/Efrem Lukatsky)".
TRAILING_CREDIT = re.compile(
    rf"""(
        [\(\[]\s*(ap\s+photo|photo|image|credit|pictured)[^\)\]]{{0,80}}[\)\]]
      | \b(photo(graph)?|image|picture|credit)s?\s*[:©]\s*[^.]{{1,60}}
      | ©\s*[^.©]{{1,60}}
      | [\w.'’\- ]{{1,40}}\s*/\s*({_AGENCY_ALT})(\s+images)?
      | \|\s*({_AGENCY_ALT})(\s+images)?
    )\s*\.?\s*$""",
    re.IGNORECASE | re.VERBOSE,
)
#: Every branch of TRAILING_CREDIT contains one of these characters. The pattern is tried at every
#: position of a line (it is anchored only at the end), which made it the costliest check of the
#: classifier; most body lines have none of them and are answered by this one scan.
_TRAILING_CREDIT_MARKS = re.compile(r"[/|©:)\]]")


def has_trailing_credit(text: str) -> bool:
    """TRAILING_CREDIT.search(text), skipped where it cannot match."""
    return bool(_TRAILING_CREDIT_MARKS.search(text)) and bool(TRAILING_CREDIT.search(text))


#: Lines that open with a navigation or cross-promotion label. Multi-word labels may be followed
#: by the linked headline directly ("See also  When Elon Musk visited ..."); one-word labels
#: ("Watch", "Latest") need a delimiter, since body sentences can start with those words.
LINK_PREFIX = re.compile(
    r"""^\s*[\[\(]?\s*(?:
      (?:see\s+also|read\s+(?:more|also|next|the\s+full\s+story)|also\s+read
        |related\s+(?:articles?|stories|content|coverage|reading|links?)
        |more\s+(?:from|on|about)\s+[^:]{1,40}:|more\s+(?:stories|news|coverage)
        |recommended\s+for\s+you|you\s+(?:may|might)\s+(?:also\s+)?like
        |don'?t\s+miss|trending\s+now|most\s+(?:read|popular|viewed)|top\s+stories
        |watch\s+(?:now|video|live)|listen\s+(?:now|to\s+this\s+(?:article|story))|in\s+pictures
        |further\s+reading|explore\s+more|editor'?s\s+picks?|popular\s+now|what\s+to\s+read\s+next
        |click\s+here|continue\s+reading|keep\s+reading|story\s+continues(?:\s+below)?
        |leia\s+(?:também|mais)|lea\s+también|ver\s+también|leggi\s+anche|lees\s+ook
        |lesen\s+sie\s+(?:auch|mehr)|mehr\s+zum\s+thema|(?:à\s+)?lire\s+aussi|voir\s+aussi
        |czytaj\s+(?:też|także)|zobacz\s+(?:też|także)|läs\s+(?:också|mer)|читайте\s+также
      )(?:\s*[\]):—–\-|»›>·•]|\s+(?=[A-Z0-9“"‘'])|\s*$)
      | (?:related|recommended|trending|latest|watch|listen|video|gallery|photos|more|also)
        \s*[\]):—–|»›>]
    )""",
    re.IGNORECASE | re.VERBOSE,
)

#: Calls to action and page furniture. Matched anywhere in a *short* line only (see lines.py).
CALL_TO_ACTION = re.compile(
    r"""\b(
        subscribe|subscription|subscribers?\s+only|sign\s+up|sign\s+in|log\s+in|login|register\s+(now|here|for\s+free)
      | newsletters?|inbox|unsubscribe|follow\s+us|like\s+us\s+on|share\s+(this|on|via)|tweet\s+this
      | click\s+here|tap\s+here|(download|get)\s+(our|the)\s+(\w+\s+){0,3}app
      | turn\s+on\s+notifications
      | cookies?|privacy\s+policy|terms\s+of\s+(use|service)|accept\s+all
      | manage\s+(preferences|settings)
      | advertisement|advertising|sponsored(\s+content)?|promoted|paid\s+partner|affiliate\s+links?
      | all\s+rights\s+reserved|copyright|reproduction\s+(is\s+)?prohibited
      | leave\s+a\s+(reply|comment)|post\s+(a\s+)?comment|add\s+a\s+comment
      | comments?\s+(are\s+)?(closed|disabled)
      | required\s+fields|email\s+address\s+will\s+not\s+be\s+published|notify\s+me\s+of
      | save\s+my\s+name|join\s+the\s+(conversation|discussion)|show\s+comments|view\s+comments
      | report\s+an?\s+(error|typo|correction)|print\s+this|email\s+this|copy\s+link|link\s+copied
      | support\s+(our|independent)\s+journalism|donate|become\s+a\s+(member|subscriber)
      | we\s+use\s+cookies|this\s+site\s+uses|by\s+continuing\s+to\s+(use|browse)
      | originally\s+(appeared|published)
      | this\s+(article|story)\s+(was\s+)?(first\s+)?(appeared|published)
      | skip\s+to\s+(main\s+)?content|back\s+to\s+top|scroll\s+to\s+continue|loading
    )\b""",
    re.IGNORECASE | re.VERBOSE,
)

#: Exact-ish short furniture lines (after lower-casing and stripping punctuation).
FURNITURE = frozenset(
    {
        "advertisement",
        "ad",
        "ads",
        "sponsored",
        "share",
        "share this",
        "share this article",
        "share this story",
        "facebook",
        "twitter",
        "x",
        "linkedin",
        "whatsapp",
        "email",
        "print",
        "comments",
        "comment",
        "reply",
        "name",
        "website",
        "submit",
        "post comment",
        "menu",
        "search",
        "home",
        "close",
        "open",
        "next",
        "previous",
        "more",
        "top",
        "accept",
        "reject",
        "ok",
        "got it",
        "save",
        "follow",
        "copy link",
        "related",
        "tags",
        "topics",
        "trending",
        "loading",
        "live",
        "breaking",
        "exclusive",
        "key points",
        "highlights",
        "summary",
        "at a glance",
        "continue reading",
        "read more",
        "see more",
        "show more",
        "load more",
        "story continues below advertisement",
        "article continues below",
        "scroll to continue with content",
    }
)

#: Form-field labels of a comment form: "Name *", "Email *", "Comment *".
FORM_FIELD = re.compile(r"^\s*(name|e-?mail|website|url|comment|message)\s*\*?\s*:?\s*$", re.I)

#: Headers that introduce a list of links to other stories; what follows them is a link list.
LINK_LIST_HEADER = re.compile(
    r"""^\s*(related(\s+\w+)?|more\s+(from|on|about|stories|news)\b.*|recommended(\s+for\s+you)?
      | read\s+(more|next)|you\s+(may|might)\s+(also\s+)?like|most\s+(read|popular|viewed)
      | top\s+stories|trending(\s+now)?|latest(\s+news)?|editor'?s\s+picks?|popular\s+now|see\s+also
      | further\s+reading|what\s+to\s+read\s+next|also\s+in\s+the\s+news|in\s+other\s+news
    )\s*:?\s*$""",
    re.IGNORECASE | re.VERBOSE,
)

#: Headers that open a comment section or form. Everything after one (once the article has
#: begun) is readers' comments or the form, not the article.
COMMENTS_HEADER = re.compile(
    r"""^\s*(?:\d+\s+)?(?:
        comments?|responses?|replies|reader\s+comments|discussion|conversation
      | \d*\s*thoughts?\s+on\b.{0,200}|\d*\s*responses?\s+to\b.{0,200}
      | join\s+the\s+(?:conversation|discussion)|leave\s+a\s+(?:reply|comment)|post\s+a\s+comment
      | add\s+(?:a|your)\s+comment|what\s+do\s+you\s+think\??|have\s+your\s+say
    )\s*:?\s*$""",
    re.IGNORECASE | re.VERBOSE,
)

#: Headers of a document's back matter (the reference apparatus and the author box that close
#: web articles). In extracted HTML, once the article has begun, what follows one is not the
#: article's text.
BACK_MATTER_HEADER = re.compile(
    r"""^\s*(?:
        references?(?:\s*(?:&|and)\s*(?:citations?|notes|sources))?|citations?|bibliography
      | footnotes?|endnotes?|works\s+cited|sources?(?:\s+cited)?|article\s+sources?
      | about\s+the\s+authors?|about\s+\w+\s+author|author\s+bio(?:graphy)?
    )\s*:?\s*$""",
    re.IGNORECASE | re.VERBOSE,
)

#: Headers under which a page lists *other* pages to read next. In extracted HTML, once the
#: article has begun, what follows one is teasers of other articles (see lines.py: only when it is
#: the short end of the page). The labels are the navigation labels LINK_PREFIX and
#: LINK_LIST_HEADER already name ("Read next", "You may also like", "More from <site>", "Related
#: stories", "Most read") and the default titles of the post-list widgets of common blog software
#: ("Recent Posts", "Related Posts", "Popular Posts"), not phrases of any evaluation page.
NEXT_READS_HEADER = re.compile(
    r"""^\s*(?:
        read\s+(?:more|next|also)|also\s+read|up\s+next|keep\s+reading
      | you\s+(?:may|might)\s+(?:also\s+)?like\b.{0,40}
      | more\s+from\b.{0,40}|more\s+(?:stories|news|articles|posts)\b.{0,40}
      | related\s+(?:articles?|posts?|stories|content|reads?|reading|links?)\b.{0,40}
      | (?:other|recent|latest|similar|popular)\s+(?:articles|posts|stories|news)
      | what\s+to\s+read\s+next|most\s+(?:read|popular|viewed)
    )\s*[:.…!]*\s*$""",
    re.IGNORECASE | re.VERBOSE,
)

#: Phrases that never occur in reported prose, so they decide a line on their own whatever its
#: length: rights notices, comment-form notes, cookie consent, contributor credits.
DECISIVE = re.compile(
    r"""all\s+rights\s+reserved|may\s+not\s+be\s+(?:published|reproduced|redistributed)
      | your\s+email\s+address\s+will\s+not\s+be\s+published|required\s+fields\s+are\s+marked
      | we\s+use\s+cookies|this\s+(?:site|website)\s+uses\s+cookies|skip\s+to\s+(?:main\s+)?content
      | contributed\s+(?:reporting\s+)?to\s+this\s+(?:report|story|article)
      | ^\s*(?:additional\s+)?(?:reporting|writing|editing)\s+by\b
      | save\s+my\s+name,?\s+email""",
    re.IGNORECASE | re.VERBOSE,
)

# ------------------------------------------------------------------ fast case-insensitive search
#
# CALL_TO_ACTION runs on nearly every line and DECISIVE on most. Case-insensitive matching makes
# Python's regex engine compare each alternative character by character with case folding; the
# same (ASCII) patterns compiled case-sensitively skip a non-matching alternative on its first
# character, about 3x faster, when they run on the text as case-insensitive matching sees it.

#: Characters that case-insensitive matching equates with an ASCII letter although str.lower()
#: does not map them to it (found by scanning every code point; a test re-checks that).
_CASE_EQUIVALENTS = str.maketrans({"\u0130": "i", "\u0131": "i", "\u017f": "s", "\u212a": "k"})
_HAS_CASE_EQUIVALENT = re.compile("[\u0130\u0131\u017f\u212a]")


def fold(text: str) -> str:
    """The text as an ASCII pattern under re.IGNORECASE sees it: every character that matches
    an ASCII letter case-insensitively becomes that lower-case letter, nothing else changes
    length, word-ness or space-ness."""
    if _HAS_CASE_EQUIVALENT.search(text):
        text = text.translate(_CASE_EQUIVALENTS)
    return text.lower()


_CALL_TO_ACTION_FOLDED = re.compile(CALL_TO_ACTION.pattern, re.VERBOSE)
_DECISIVE_FOLDED = re.compile(DECISIVE.pattern, re.VERBOSE)


def count_calls_to_action(folded: str) -> int:
    """len(CALL_TO_ACTION.findall(text)) for folded = fold(text)."""
    return len(_CALL_TO_ACTION_FOLDED.findall(folded))


def is_decisive(folded: str) -> bool:
    """DECISIVE.search(text) for folded = fold(text)."""
    return _DECISIVE_FOLDED.search(folded) is not None
