"""The classifier's fast paths answer exactly what the plain regular expressions answer."""

from __future__ import annotations

import re
import string

from hypothesis import given, settings
from hypothesis import strategies as st

from workers.cleaning import phrases

_WORD = re.compile(r"\w")
_SPACE = re.compile(r"\s")
_LETTER = re.compile("[a-z]", re.IGNORECASE)


def test_fold_is_what_case_insensitive_ascii_matching_sees() -> None:
    """For every code point: fold keeps one character, keeps word-ness and space-ness, and gives
    an ASCII letter exactly when re.IGNORECASE matches the character with that letter."""
    problems = []
    for cp in range(0x110000):
        char = chr(cp)
        folded = phrases.fold(char)
        if len(folded) != 1:
            problems.append((hex(cp), "length"))
            continue
        if bool(_WORD.match(char)) != bool(_WORD.match(folded)):
            problems.append((hex(cp), r"\w"))
        if bool(_SPACE.match(char)) != bool(_SPACE.match(folded)):
            problems.append((hex(cp), r"\s"))
        if folded.isascii() and folded != char and folded not in string.ascii_lowercase:
            problems.append((hex(cp), "becomes ASCII punctuation"))
        if _LETTER.match(char):
            if folded not in string.ascii_lowercase or not re.fullmatch(folded, char, re.I):
                problems.append((hex(cp), "letter"))
        elif folded in string.ascii_lowercase:
            problems.append((hex(cp), "folds onto a letter it does not match"))
    assert problems == []
    assert phrases.CALL_TO_ACTION.pattern.isascii() and phrases.DECISIVE.pattern.isascii()


_PIECES = (
    "Subscribe",
    "SIGN  UP",
    "log in",
    "ſign in",  # long s: matches "s" case-insensitively
    "\u212aeep",  # Kelvin sign
    "L\u0130KE us on",
    "cookies",
    "Get the NewsFlow app",
    "download our free news app",
    "All rights reserved",
    "may not be reproduced",
    "Reporting by",
    "we use cookies",
    "Save my name, email",
    "comments are closed",
    "newsletter",
    "subscribers only",
    "(AP Photo/Jane Doe)",
    "| Reuters",
    "Photo: Getty",
    "© EPA",
    "Staff/AFP",
    "said on Tuesday.",
    "“quoted words here”",
    "x",
    " ",
    ":",
    "/",
    ")",
)


@settings(max_examples=600, deadline=None)
@given(st.lists(st.sampled_from(_PIECES) | st.text(max_size=6), max_size=10).map(" ".join))
def test_fast_phrase_checks_equal_the_patterns(text: str) -> None:
    folded = phrases.fold(text)
    assert phrases.count_calls_to_action(folded) == len(phrases.CALL_TO_ACTION.findall(text))
    assert phrases.is_decisive(folded) == bool(phrases.DECISIVE.search(text))
    assert phrases.has_trailing_credit(text) == bool(phrases.TRAILING_CREDIT.search(text))
