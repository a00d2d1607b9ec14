"""Indonesian word forms: "jalanan yang rusak" and "jalan rusak" share their stems."""

from __future__ import annotations

import re

import snowballstemmer

_stemmer = snowballstemmer.stemmer("indonesian")
WORD = re.compile(r"\w+", re.UNICODE)


def stems(text: str) -> list[str]:
    return _stemmer.stemWords(WORD.findall(text.lower()))


def index_text(text: str) -> str:
    """What a report stores for full-text search: its words, stemmed, space-separated."""
    return " ".join(stems(text))
