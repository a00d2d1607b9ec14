"""Full-text search that understands Indonesian word forms ("jalanan yang rusak" and "jalan rusak" share
their stems), on either database."""

from __future__ import annotations

import re
from typing import Protocol

import snowballstemmer
from tortoise.expressions import RawSQL
from tortoise.queryset import QuerySet

from models import Report
from plumbing.dialect import is_postgres


class Stemmer(Protocol):
    """The part of snowballstemmer's stemmer used here (the package ships no type information)."""

    def stemWords(self, words: list[str]) -> list[str]: ...


_stemmer: Stemmer = snowballstemmer.stemmer("indonesian")
WORD = re.compile(r"\w+", re.UNICODE)


def stems(text: str) -> list[str]:
    return _stemmer.stemWords(WORD.findall(text.lower()))


def index_text(text: str) -> str:
    """What a report stores for full-text search: its words, stemmed, space-separated."""
    return " ".join(stems(text))


def apply(query: QuerySet[Report], text: str) -> QuerySet[Report]:
    """Reports whose text holds every word of the query, in any of its forms.

    Only \\w characters reach the SQL (never a quote or a backslash), so inlining them is safe.
    """
    words = WORD.findall(text.lower())[:20]
    if not words:
        return query
    if is_postgres():
        phrase = " ".join(words)
        sql = f"to_tsvector('indonesian', \"report\".\"body\") @@ plainto_tsquery('indonesian', '{phrase}')"
    else:
        terms = " ".join(f'"{stem}"' for stem in stems(" ".join(words)))
        sql = f"\"report\".\"id\" IN (SELECT rowid FROM report_fts WHERE report_fts MATCH '{terms}')"
    return query.annotate(text_match=RawSQL(sql)).filter(text_match=True)


def with_stem(query: QuerySet[Report], stem: str) -> QuerySet[Report]:
    """Reports with a word of this Indonesian stem, through the full-text index of either database (PostgreSQL's
    `indonesian` configuration stems as snowballstemmer does; SQLite's index holds search_text's stems).

    A stem of anything but word characters is refused, so only \\w characters reach the SQL.
    """
    if not WORD.fullmatch(stem):
        raise ValueError(f"not a stem: {stem!r}")
    if is_postgres():
        sql = f"to_tsvector('indonesian', \"report\".\"body\") @@ to_tsquery('simple', '{stem}')"
    else:
        sql = f"\"report\".\"id\" IN (SELECT rowid FROM report_fts WHERE report_fts MATCH '\"{stem}\"')"
    return query.annotate(stem_match=RawSQL(sql)).filter(stem_match=True)
