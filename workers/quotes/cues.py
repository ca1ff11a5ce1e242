"""The words that introduce speech. Kept as data so that adding a verb is a one-line change.

Two lists: verbs that can attribute a direct quote ("“…,” she *joked*") and the narrower set whose
clausal complement is reported speech ("she *said* that …"). Verbs of thinking and feeling
(believe, hope, fear) are left out of both: they report states of mind, not speech.
"""

from __future__ import annotations

#: Lemmas of verbs that report speech or writing.
REPORTING_LEMMAS: frozenset[str] = frozenset(
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

#: Verbs that characterise with someone's words ('called the plan “a disaster”'): members of
#: Levin's (1993) "dub" (29.3) and "characterize" (29.2) classes. "dub", "nickname", "name",
#: "term" and "christen" are left out: what they introduce is a name, not speech.
NAMING_LEMMAS: frozenset[str] = frozenset(
    {"call", "label", "brand", "describe", "characterize", "characterise", "portray", "decry"}
)

#: Lemmas whose `ccomp` is reported content ("X said (that) …"). Narrower than the above:
#: "continue", "point" and "ask" do not take a reported clause in news prose.
INDIRECT_LEMMAS: frozenset[str] = REPORTING_LEMMAS - {
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

#: Personal pronouns that can stand for a named speaker.
PERSON_PRONOUNS: frozenset[str] = frozenset({"he", "she"})
MALE_PRONOUNS: frozenset[str] = frozenset({"he", "him", "his", "himself"})
FEMALE_PRONOUNS: frozenset[str] = frozenset({"she", "her", "hers", "herself"})
MALE_TITLES: frozenset[str] = frozenset({"mr", "mr.", "sir", "king", "prince", "lord"})
FEMALE_TITLES: frozenset[str] = frozenset(
    {"mrs", "mrs.", "ms", "ms.", "miss", "dame", "queen", "princess", "lady"}
)
