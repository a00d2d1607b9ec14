"""What the public-opinion tests and benchmark share: a made-up city that routing finds, and residents' texts
from a seeded generator (topic words in several forms, a long tail of place names, stop words, chat shorthand,
@mentions, numbers and links), with some topics running hotter in one period than another."""

from __future__ import annotations

import itertools
import random
import uuid
from datetime import UTC, datetime

from models import Area, City
from models.enums import AreaLevel
from services.areas import AreaRow, upsert_areas

# Topic words, each a list of forms that share a stem.
TOPICS: list[list[str]] = [
    ["jalan", "jalanan", "jalannya"], ["rusak", "kerusakan"], ["banjir", "kebanjiran", "banjirnya"],
    ["sampah", "sampahnya"], ["lampu", "lampunya"], ["padam"], ["macet", "kemacetan"], ["selokan"], ["mampet"],
    ["pohon", "pohonnya"], ["tumbang"], ["parkir", "perparkiran"], ["liar"], ["trotoar", "trotoarnya"],
    ["lubang", "berlubang"], ["genang", "genangan", "tergenang"], ["nyamuk", "nyamuknya"], ["demam"],
    ["bau", "bauan"], ["asap"], ["kabel", "kabelnya"], ["pedagang", "dagangan"], ["bocor", "kebocoran"],
    ["pipa"], ["air", "airnya"], ["anak"], ["sekolah"], ["pasar"], ["jembatan"], ["licin"], ["gelap"],
    ["berisik", "kebisingan"], ["tawuran"], ["maling", "kemalingan"], ["kotor", "kekotoran"], ["hujan"],
    ["angkot"], ["ojek"], ["polisi"], ["petugas"],
]
STOPS = ["yang", "di", "dan", "sudah", "tidak", "ini", "itu", "ada", "dengan", "untuk", "karena", "sangat",
         "mohon", "tolong", "pak", "yg", "gak", "udah", "dgn", "sdh", "sekali", "masih", "belum", "lagi"]
SYLLABLES = ["ka", "ri", "ma", "su", "to", "ne", "la", "pu", "di", "sa", "wa", "ro", "gi", "ba", "ten", "lin",
             "dar", "mo", "ye", "ha"]


def place_names(rng: random.Random, n: int) -> list[str]:
    """Made-up street and place names (the long tail of words a city's reports use)."""
    names: set[str] = set()
    while len(names) < n:
        names.add("".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))))
    return sorted(names)


class Writer:
    """Writes residents' texts: topics drawn by weight (a topic's weight x its heat), place names Zipf-like."""

    def __init__(self, rng: random.Random, places: int = 400, mentions: list[str] | None = None) -> None:
        self.rng = rng
        self.places = place_names(rng, places)
        self.place_weights = list(itertools.accumulate(1 / (rank + 1) for rank in range(len(self.places))))
        self.topic_weights = [1 / (rank + 1) ** 0.7 for rank in range(len(TOPICS))]
        self.heated: dict[tuple[tuple[int, float], ...], list[float]] = {}
        self.mentions = mentions or []

    def text(self, heat: dict[int, float] | None = None) -> str:
        rng = self.rng
        key = tuple(sorted((heat or {}).items()))
        if key not in self.heated:
            self.heated[key] = list(itertools.accumulate(w * (heat or {}).get(i, 1.0)
                                                         for i, w in enumerate(self.topic_weights)))
        words: list[str] = []
        for topic in rng.choices(range(len(TOPICS)), cum_weights=self.heated[key], k=rng.randint(2, 5)):
            words.append(rng.choice(TOPICS[topic]))
        words += rng.choices(self.places, cum_weights=self.place_weights, k=rng.randint(1, 3))
        words += rng.choices(STOPS, k=rng.randint(1, 6))
        rng.shuffle(words)
        if rng.random() < 0.2:
            words.insert(rng.randrange(len(words) + 1), f"RT {rng.randint(1, 15):02d}")
        if rng.random() < 0.05:
            words.append("https://contoh.example/foto/" + str(rng.randint(1, 999)))
        if self.mentions and rng.random() < 0.1:
            words.insert(0, "@" + rng.choice(self.mentions))
        text = " ".join(words)
        if rng.random() < 0.3:
            text = text.capitalize()
        return text + rng.choice([".", "!", "", " !!", "?"])


def square(lat: float, lng: float, side: float = 0.01) -> dict[str, object]:
    half = side / 2
    ring = [[lng - half, lat - half], [lng + half, lat - half], [lng + half, lat + half], [lng - half, lat + half],
            [lng - half, lat - half]]
    return {"type": "Polygon", "coordinates": [ring]}


async def made_up_city(villages: int = 2, lat: float = -10.5, lng: float = 101.5) -> tuple[Area, list[Area]]:
    """A city in the sea (no other test reports there) with one district and its kelurahan, each a 0.01° square
    that routing finds, 0.02° apart, and an RT in the first; returns the city and the kelurahan."""
    code = f"97.{uuid.uuid4().hex[:6]}"
    rows = [AreaRow(code, "Kota Opini", AreaLevel.CITY, "31"),
            AreaRow(f"{code}.01", "Kecamatan Opini", AreaLevel.DISTRICT, code)]
    for number in range(villages):
        centre = (lat + 0.02 * number, lng)
        rows.append(AreaRow(f"{code}.01.{1001 + number}", f"Kelurahan Opini {number + 1}", AreaLevel.VILLAGE,
                            f"{code}.01", centroid=centre, boundary=square(*centre)))
    rows += [AreaRow(f"{code}.01.1001.RW01", "RW 01", AreaLevel.RW, f"{code}.01.1001"),
             AreaRow(f"{code}.01.1001.RW01.RT001", "RT 001", AreaLevel.RT, f"{code}.01.1001.RW01")]
    await upsert_areas(rows)
    city = await Area.get(code=code)
    await City.filter(area_id=city.id).update(partner_since=datetime(2016, 1, 1, tzinfo=UTC))  # its reports count
    kelurahan = await Area.filter(code__startswith=f"{code}.01.", level=AreaLevel.VILLAGE).order_by("code")
    return city, list(kelurahan)
