"""When two names are a near miss a person would call one: the same words up to typos.

"Cheltenham Strategic Partnershp" is "Cheltenham Strategic Partnership" mistyped: each word
that differs is one edit from a word of the other. "Dartford Council for Voluntary Service" is
not "Ashford Council for Voluntary Service", although the two strings are 90% alike: the word
that differs is another word (a place), and that word is what tells the bodies apart. Within
one area (the same district's or dataset's own names) the loader stays wary of any close name;
between areas only typos count, and people are never matched across areas (namesakes are).
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter

from rapidfuzz.distance import OSA

TYPO = 1  # edits (a transposition counts one) that make a mistyped word
SHORT = 3  # a word this short ("of", "the", "and") that differs tells nothing apart


def words(name: str, lookalikes: dict[int, str] | None = None) -> list[str]:
    """A name's words, NFKC, case-folded, lookalike letters read as Latin."""
    text = unicodedata.normalize("NFKC", name).casefold().translate(lookalikes or {})
    return [w for w in re.split(r"[\W_]+", text) if w]


def only_typos_apart(a: list[str], b: list[str]) -> bool:
    """Whether every word of one name not in the other is a typo of one of the other's (or
    a short word): no word is replaced by another word."""
    common = Counter(a) & Counter(b)
    left = list((Counter(a) - common).elements())
    right = list((Counter(b) - common).elements())
    for word in list(left):
        twin = next((other for other in right if OSA.distance(word, other) <= TYPO), None)
        if twin is not None:
            left.remove(word)
            right.remove(twin)
    return all(len(word) <= SHORT for word in [*left, *right])
