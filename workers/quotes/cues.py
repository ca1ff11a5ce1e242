"""The words that introduce speech. Kept as data so that adding a verb is a one-line change.

The verbs are those of Levin's (1993) verb classes of communication (37: transfer of a message,
manner of speaking, say, complain, advise verbs) and of nonverbal expression (40.2) that news
prose uses to attribute a quote, plus the retort phrases ("shot back") handled in code.

Two lists: verbs that can attribute a direct quote ("“…,” she *joked*") and the narrower set whose
clausal complement is reported speech ("she *said* that …"). Verbs of thinking and feeling
(believe, hope, fear) are left out of both: they report states of mind, not speech.
"""

from __future__ import annotations

#: Verbs that news prose most often uses to report speech or writing.
_COMMON: frozenset[str] = frozenset(
    {
        "say",
        "tell",
        "add",
        "warn",
        "write",
        "state",
        "declare",
        "announce",
        "explain",
        "note",
        "claim",
        "argue",
        "insist",
        "assert",
        "acknowledge",
        "admit",
        "concede",
        "confirm",
        "deny",
        "reply",
        "respond",
        "answer",
        "ask",
        "recall",
        "remark",
        "comment",
        "observe",
        "predict",
        "promise",
        "pledge",
        "vow",
        "suggest",
        "tweet",
        "post",
        "testify",
        "caution",
        "complain",
        "boast",
        "joke",
        "quip",
        "shout",
        "whisper",
        "urge",
        "stress",
        "emphasize",
        "emphasise",
        "maintain",
        "contend",
        "report",
        "counter",
        "reiterate",
        "conclude",
        "allege",
        "estimate",
        "agree",
        "continue",
        "recount",
        "inform",
        "assure",
        "lament",
        "muse",
        "concur",
        "exclaim",
        "mutter",
        "proclaim",
        "retort",
        "signal",
        "indicate",
        "disclose",
        "reveal",
        "point",
        "threaten",
        "advise",
        "charge",
    }
)

# Levin (1993), English Verb Classes and Alternations, verbs of communication (37) and of
# nonverbal expression used for speech (40.2): the members news uses as a cue.
#: 37.1 transfer of a message ("the letter reads")
_TRANSFER = frozenset({"read", "quote", "cite", "recite", "dictate"})
#: 37.3 manner of speaking
_MANNER = frozenset(
    {
        "yell",
        "scream",
        "snap",
        "growl",
        "mumble",
        "murmur",
        "grumble",
        "holler",
        "bellow",
        "stammer",
        "sing",
    }
)
#: 37.4 instrument of communication
_INSTRUMENT = frozenset({"email", "text", "phone", "telephone"})
#: 37.7 say verbs
_SAY = frozenset(
    {"mention", "relate", "repeat", "confess", "confide", "hint", "divulge", "articulate", "blurt"}
)
#: 37.8 complain verbs
_COMPLAIN = frozenset({"brag", "gripe", "whine", "moan"})
#: 37.9 advise verbs
_ADVISE = frozenset({"admonish", "alert", "counsel", "instruct"})
#: 60 order verbs that take speech
_ORDER = frozenset({"demand", "order", "command"})
#: 40.2 nonverbal expression
_NONVERBAL = frozenset({"scoff", "sneer", "sigh", "laugh"})

#: Lemmas of verbs that report speech or writing.
REPORTING_LEMMAS: frozenset[str] = (
    _COMMON | _TRANSFER | _MANNER | _INSTRUMENT | _SAY | _COMPLAIN | _ADVISE | _ORDER | _NONVERBAL
)

#: Verbs that characterise with someone's words ('called the plan “a disaster”'): members of
#: Levin's (1993) "dub" (29.3) and "characterize" (29.2) classes. "dub", "nickname", "name",
#: "term" and "christen" are left out: what they introduce is a name, not speech.
NAMING_LEMMAS: frozenset[str] = frozenset(
    {"call", "label", "brand", "describe", "characterize", "characterise", "portray", "decry"}
)

#: Lemmas whose `ccomp` is reported content ("X said (that) …"). Narrower than the above: verbs of
#: transfer, of manner, of an instrument or of nonverbal expression, advice and orders introduce
#: the words themselves, not a reported clause, and so do these of the others in news prose
#: ("continue", "point" and "ask" do not take one at all).
INDIRECT_LEMMAS: frozenset[str] = (
    REPORTING_LEMMAS
    - _TRANSFER
    - _MANNER
    - _INSTRUMENT
    - _ADVISE
    - _ORDER
    - _NONVERBAL
    - {"relate", "repeat", "blurt", "gripe", "whine", "moan"}
    - {
        "continue",
        "point",
        "ask",
        "reply",
        "respond",
        "answer",
        "joke",
        "quip",
        "shout",
        "whisper",
        "mutter",
        "exclaim",
        "agree",
        "concur",
        "urge",
        "threaten",
        "signal",
        "post",
        "tweet",
        "estimate",
        "promise",
        "pledge",
        "vow",
    }
)

#: Speech verbs whose object and infinitive are a reported request ("told them to leave"):
#: Levin's (1993) tell (37.2), advise (37.9) and order (60) verbs, with ask and urge.
DIRECTIVE_LEMMAS: frozenset[str] = frozenset(
    {"tell", "ask", "urge", "advise", "instruct", "order", "command", "warn", "implore", "beg"}
)

#: Personal pronouns that can stand for a named speaker.
PERSON_PRONOUNS: frozenset[str] = frozenset({"he", "she"})
MALE_PRONOUNS: frozenset[str] = frozenset({"he", "him", "his", "himself"})
FEMALE_PRONOUNS: frozenset[str] = frozenset({"she", "her", "hers", "herself"})
MALE_TITLES: frozenset[str] = frozenset({"mr", "mr.", "sir", "king", "prince", "lord"})
FEMALE_TITLES: frozenset[str] = frozenset(
    {"mrs", "mrs.", "ms", "ms.", "miss", "dame", "queen", "princess", "lady"}
)
