"""The words of a report or comment that say what it is about: Indonesian stems, each with the form written.

What counts as a term (trending topics count terms, services/trends.py):
- a run of letters (digits split words and are dropped: house numbers, RT/RW codes, dates, plates);
- not an @mention (a person, not a topic) and not part of a link;
- 3 to 40 letters;
- neither the word nor its stem in STOP_WORDS;
- grouped by its stem under Snowball's Indonesian stemmer (the one full-text search uses), so that "jalanan",
  "jalannya" and "jalan" are one term.
"""

from __future__ import annotations

import functools
import re
from collections import Counter

import snowballstemmer

from plumbing.text_search import Stemmer

# Written by hand for Warga: the Indonesian function words that carry no topic (pronouns, prepositions,
# conjunctions, particles, auxiliaries, quantifiers, question words), the forms of address and courtesy a
# message opens with, and the chat shorthand residents type (yg, dgn, gak, udh…). The published lists
# (Tala 2003; the ranks.nl list that stopwords-iso ships) also drop content words that matter in complaints
# ("jalan", "baru", "dekat", "lama", "kecil", "hari"), so neither is used as it is.
STOP_WORDS = frozenset([
    # function words
    "ada", "adalah", "adanya", "agak", "agar", "akan", "aku", "anda", "antara", "apa", "apakah", "apalagi",
    "apabila", "atas", "atau", "ataupun", "bagaimana", "bagi", "bahkan", "bahwa", "banget", "belum", "berapa",
    "bersama", "beserta", "bila", "bisa", "boleh", "buat", "bukan", "cuma", "dalam", "dan", "dari", "daripada",
    "demi", "demikian", "dengan", "di", "dia", "diri", "dong", "dulu", "engkau", "entah", "gimana", "hanya",
    "harus", "hingga", "ia", "ialah", "ini", "itu", "iya", "jadi", "jangan", "jika", "juga", "justru", "kalau",
    "kalian", "kami", "kamu", "kan", "kapan", "karena", "ke", "kenapa", "kepada", "ketika", "kini", "kita", "kok",
    "lagi", "lah", "lalu", "maka", "makin", "malah", "mana", "masih", "mau", "maupun", "melalui", "memang",
    "mengapa", "mereka", "meski", "meskipun", "mungkin", "namun", "nanti", "nih", "nya", "oleh", "pada", "padahal",
    "para", "per", "pernah", "pula", "pun", "saat", "saja", "sambil", "sampai", "sangat", "saya", "sebab",
    "sebagai", "sebelum", "sedang", "sehingga", "sejak", "sekali", "selalu", "selama", "semua", "sementara",
    "seperti", "serta", "setelah", "setiap", "siapa", "sini", "situ", "sudah", "supaya", "sih", "tadi", "tak",
    "tapi", "telah", "tentang", "terhadap", "tersebut", "tetapi", "tiap", "tidak", "toh", "untuk", "walau",
    "walaupun", "yaitu", "yakni", "yang",
    # address and courtesy
    "mohon", "tolong", "terima", "kasih", "bapak", "ibu", "pak", "bu", "mas", "mbak", "kak", "bang", "min", "admin",
    # chat shorthand
    "aja", "ajah", "blm", "bgt", "dgn", "dlm", "dll", "gak", "ga", "gk", "ngga", "nggak", "enggak", "jg", "krn",
    "kalo", "klo", "sdh", "sm", "spt", "tdk", "tp", "trs", "udah", "udh", "utk", "yg", "sy", "gue", "gua", "lu",
    "lo", "deh", "kah", "tuh",
])

LETTERS = re.compile(r"[^\W\d_]+")
# @handles (as services/mentions.py reads them) and links are taken out before the words are read.
NOT_WORDS = re.compile(r"(?<![\w@])@[A-Za-z0-9_]+|\b(?:https?://|www\.)\S+", re.IGNORECASE)
MIN_LETTERS = 3
MAX_LETTERS = 40  # the longest term stored (models.TermUse); longer runs are not words

_stemmer: Stemmer = snowballstemmer.stemmer("indonesian")


@functools.lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """A lower-case word's Indonesian stem (cached: people use few words many times)."""
    return _stemmer.stemWords([word])[0]


def terms(text: str) -> dict[str, str]:
    """The terms a text uses: each stem with the form the text wrote most (the first of equals)."""
    forms: dict[str, Counter[str]] = {}
    for word in LETTERS.findall(NOT_WORDS.sub(" ", text).lower()):
        if not MIN_LETTERS <= len(word) <= MAX_LETTERS or word in STOP_WORDS:
            continue
        root = stem(word)
        if root in STOP_WORDS or len(root) < MIN_LETTERS:
            continue
        forms.setdefault(root, Counter())[word] += 1
    # Counter keeps first-seen order and max() returns the first of equals.
    return {root: max(counts, key=lambda form: counts[form]) for root, counts in forms.items()}
