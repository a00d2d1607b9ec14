"""Demo data: Jakarta Timur's real areas, the agencies and categories of the brief, people, reports."""

from __future__ import annotations

import csv
import random
from datetime import timedelta
from pathlib import Path

import orjson

from app.resources import Resources
from core import clock
from demo.photos import sample_photo
from media.storage import Storage
from models import Account, Agency, Area, Category, CategoryAgency, OutboxEvent, Poll, Report, ReportEvent
from models.enums import AreaLevel, Role
from services import auth, escalation, polls, workflow
from services.areas import AreaRow, rows_from_geojson, upsert_areas
from services.photos import PhotoPolicy
from services.reports import NewReport, create_report

DEMO_PASSWORD = "warga-demo-2026"
DATA = Path(__file__).with_name("data")

AGENCIES = [  # code, name, serves (area code) or None for the whole province
    ("BINA_MARGA", "Dinas Bina Marga", None),
    ("SUDIN_BM_JT", "Suku Dinas Bina Marga Jakarta Timur", "31.75"),
    ("SUDIN_PE_JT", "Suku Dinas Perindustrian dan Energi Jakarta Timur", "31.75"),
    ("DISHUB", "Dinas Perhubungan", None),
    ("DLH", "Dinas Lingkungan Hidup", None),
    ("SDA", "Dinas Sumber Daya Air", None),
    ("SATPOL_PP", "Satuan Polisi Pamong Praja", None),
    ("PERTAMANAN", "Dinas Pertamanan dan Hutan Kota", None),
    ("DAMKAR", "Dinas Penanggulangan Kebakaran dan Penyelamatan", None),
    ("DINSOS", "Dinas Sosial", None),
    ("DINKES", "Dinas Kesehatan", None),
    ("BPBD", "Badan Penanggulangan Bencana Daerah", None),
    ("POLRES_JT", "Polres Metro Jakarta Timur", "31.75"),
]

CATEGORIES = [  # code, name, default agency, SLA hours, escalation step hours (None: never), further agencies
    ("MACET", "Kemacetan", "DISHUB", 6, None, []),
    ("KRIMINAL", "Kriminalitas", "POLRES_JT", 24, None, []),
    ("KEBAKARAN", "Kebakaran", "DAMKAR", 1, None, []),
    ("KEBERSIHAN", "Kebersihan", "DLH", 48, 24, []),
    ("BENCANA", "Bencana", "BPBD", 6, 6, []),
    ("SAMPAH", "Sampah", "DLH", 24, 24, []),
    ("PELANGGARAN", "Pelanggaran", "SATPOL_PP", 72, 48, []),
    ("JALAN_RUSAK", "Jalan rusak", "BINA_MARGA", 168, 72, ["SUDIN_BM_JT"]),
    ("PENGEMIS", "Pengemis dan gelandangan", "DINSOS", 72, 48, []),
    ("PKL_LIAR", "PKL liar", "SATPOL_PP", 72, 48, []),
    ("POHON_TUMBANG", "Pohon tumbang", "PERTAMANAN", 12, 12, []),
    ("FASUM", "Fasilitas umum", "BINA_MARGA", 168, 72, ["SUDIN_BM_JT"]),
    ("PARKIR_LIAR", "Parkir liar", "DISHUB", 24, None, []),
    ("BANJIR", "Banjir", "SDA", 6, 6, []),
    ("PJU_PADAM", "Lampu PJU padam", "SUDIN_PE_JT", 72, 24, []),
    ("SALURAN_MAMPET", "Selokan mampet", "SDA", 72, 24, []),
    ("RUANG_RAWAT", "Ketersediaan ruang rawat rumah sakit", "DINKES", 2, None, []),
]

# An RW and an RT of Pisangan Baru, so that RT/RW heads have neighbourhoods of their own.
NEIGHBOURHOODS = [
    AreaRow("31.75.01.1001.RW01", "RW 01 Pisangan Baru", AreaLevel.RW, "31.75.01.1001", (-6.2117, 106.8690)),
    AreaRow("31.75.01.1001.RW01.RT001", "RT 001 / RW 01 Pisangan Baru", AreaLevel.RT, "31.75.01.1001.RW01",
            (-6.2116, 106.8691)),
]

PEOPLE = [  # handle, display name, role, area code, agency code
    ("admin", "Jakarta Smart City", Role.ADMIN, None, None),
    ("lurah_pisanganbaru", "Lurah Pisangan Baru", Role.AREA_HEAD, "31.75.01.1001", None),
    ("camat_matraman", "Camat Matraman", Role.AREA_HEAD, "31.75.01", None),
    ("ppsu_pisanganbaru", "PPSU Pisangan Baru", Role.OFFICER, "31.75.01.1001", None),
    ("sudin_bm_jt", "Kepala Sudin Bina Marga Jakarta Timur", Role.AGENCY_HEAD, None, "SUDIN_BM_JT"),
    ("petugas_pju", "Petugas PJU Jakarta Timur", Role.OFFICER, None, "SUDIN_PE_JT"),
    ("sekel_pisanganbaru", "Sekel Pisangan Baru", Role.VERIFIER, "31.75.01.1001", None),
    ("ketua_rw01", "Ketua RW 01 Pisangan Baru", Role.RT_RW, "31.75.01.1001.RW01", None),
    ("ketua_rt001", "Ketua RT 001 Pisangan Baru", Role.RT_RW, "31.75.01.1001.RW01.RT001", None),
    ("budi", "Budi Santoso", Role.CITIZEN, "31.75.01.1001", None),  # residents: where they live
    ("siti", "Siti Rahmawati", Role.CITIZEN, "31.75.01.1001", None),
    ("andi", "Andi Wijaya", Role.CITIZEN, "31.75.01.1002", None),
]

BODIES = {
    "JALAN_RUSAK": "Jalanan yang rusak parah, banyak lubang besar di depan sekolah. @lurah_pisanganbaru",
    "PJU_PADAM": "Lampu PJU padam sudah tiga malam, jalan jadi gelap dan rawan. @petugas_pju",
    "SAMPAH": "Tumpukan sampah di pinggir kali belum diangkut sejak minggu lalu.",
    "BANJIR": "Genangan air setinggi lutut setelah hujan deras, motor tidak bisa lewat.",
    "SALURAN_MAMPET": "Selokan mampet dan berbau, airnya meluap ke jalan.",
    "PKL_LIAR": "PKL liar berjualan di atas trotoar, pejalan kaki terpaksa turun ke jalan.",
    "PARKIR_LIAR": "Parkir liar di bahu jalan bikin macet tiap sore.",
    "POHON_TUMBANG": "Pohon tumbang menutup separuh jalan setelah angin kencang.",
}


def jakarta_timur_rows() -> list[AreaRow]:
    """DKI Jakarta › Jakarta Timur › 10 kecamatan › 65 kelurahan, with Kemendagri codes and centroids."""
    with (DATA / "jakarta_timur_areas.csv").open(newline="", encoding="utf-8") as fh:
        return [
            AreaRow(
                code=r["code"],
                name=r["name"],
                level=AreaLevel(r["level"]),
                parent_code=r["parent_code"] or None,
                centroid=(float(r["centroid_lat"]), float(r["centroid_lng"])) if r["centroid_lat"] else None,
            )
            for r in csv.DictReader(fh)
        ]


def kelurahan_boundaries() -> list[AreaRow]:
    """The 65 kelurahan's real polygons (demo/data/SOURCES.md), as a city loads its GIS file."""
    return rows_from_geojson(orjson.loads((DATA / "jakarta-timur-kelurahan.geojson").read_bytes()))


async def has_data() -> bool:
    return await Area.exists()


async def seed_catalog() -> tuple[dict[str, Area], dict[str, Agency]]:
    """The areas, agencies and categories: what every deployment in Jakarta Timur starts from."""
    await upsert_areas([*jakarta_timur_rows(), *NEIGHBOURHOODS])
    await upsert_areas(kelurahan_boundaries())  # routing by the real polygons, not the nearest centroid
    areas = {a.code: a for a in await Area.all()}
    agencies = {}
    for code, name, serves in AGENCIES:
        agency, _ = await Agency.update_or_create(
            code=code, defaults={"name": name, "area": areas.get(serves) if serves else None}
        )
        agencies[code] = agency
    for code, name, agency_code, sla, every, extra in CATEGORIES:
        category, _ = await Category.update_or_create(
            code=code,
            defaults={"name": name, "agency": agencies[agency_code], "sla_hours": sla, "escalate_every_hours": every},
        )
        await escalation.schedule_waiting(category)  # a database seeded before escalation existed
        for extra_code in extra:
            await CategoryAgency.get_or_create(category=category, agency=agencies[extra_code])
    return areas, agencies


async def _walk(reports: list[tuple[int, Account]], officer: Account, storage: Storage, limits: PhotoPolicy) -> None:
    """Moves the first kelurahan's reports along, so that the page shows every badge and what accountability
    sees: acknowledged, a fix rated well, one accepted, one reopened by a low rating, one escalated twice, and a
    fix whose proof photo was taken 2 km away."""
    steps = ["ack", "rated", "close", "reopen", "escalate", "far_proof"]
    for (report_id, reporter), step in zip(reports, steps, strict=False):
        if step == "escalate":
            await _overdue(report_id)
            continue
        await workflow.acknowledge(officer, report_id, "Diterima, segera dicek ke lokasi.")
        if step == "ack":
            continue
        report = await Report.get(id=report_id)
        where = (report.lat + 0.018, report.lng) if step == "far_proof" else (report.lat, report.lng)
        proof = [sample_photo(100 + report_id, "Sudah dikerjakan", gps=where)]
        await workflow.follow_up(officer, report_id, "Sudah dibersihkan dan diperbaiki.", proof, storage, limits)
        if step == "rated":
            await workflow.rate_fix(reporter, report_id, 5, "Cepat sekali, terima kasih.")
        elif step == "close":
            await workflow.close(reporter, report_id, "Terima kasih, sudah beres.")
            await workflow.rate_fix(reporter, report_id, 4, None)
        elif step == "reopen":
            await workflow.rate_fix(reporter, report_id, 2, "Belum tuntas, masih ada sisa.")


async def _overdue(report_id: int) -> None:
    """A report that waited past its deadline two escalation steps ago: its history is moved back in time (the
    demo cannot wait), then the escalation duty takes both steps."""
    report = await Report.get(id=report_id).select_related("category")
    every = report.category.escalate_every_hours or 24
    due = clock.now() - timedelta(hours=every + 1)
    created = due - timedelta(hours=report.category.sla_hours)
    await Report.filter(id=report_id).update(created_at=created, updated_at=created, due_at=due, escalate_at=due)
    await ReportEvent.filter(report_id=report_id).update(created_at=created)
    while await escalation.run():
        pass


def _centroid(area: Area) -> tuple[float, float]:
    """Every kelurahan of the demo data has one (jakarta_timur_areas.csv)."""
    if area.centroid_lat is None or area.centroid_lng is None:
        raise ValueError(f"The demo kelurahan {area.code} has no centroid.")
    return area.centroid_lat, area.centroid_lng


async def seed(resources: Resources) -> str:
    before = await OutboxEvent.all().order_by("-id").first()
    areas, agencies = await seed_catalog()
    people = {}
    for handle, display, role, area_code, agency_code in PEOPLE:
        people[handle] = await Account.get_or_none(handle=handle) or await auth.create_account(
            None,
            handle=handle,
            display_name=display,
            password=DEMO_PASSWORD,
            role=role,
            area=areas.get(area_code) if area_code else None,
            agency=agencies.get(agency_code) if agency_code else None,
            email=f"{handle}@demo.warga.id",
        )
    rng = random.Random(7)
    villages = [a for a in areas.values() if a.level == AreaLevel.VILLAGE]
    reporters = [people["budi"], people["siti"], people["andi"]]
    storage, limits = resources.storage, resources.photo_policy
    created = 0
    fresh_in_first_village = []
    for number in range(36):
        village = villages[0] if number < 6 else rng.choice(villages)
        category = rng.choice(list(BODIES))
        centre_lat, centre_lng = _centroid(village)
        new = NewReport(
            body=BODIES[category],
            category_code=category,
            lat=centre_lat + rng.uniform(-0.0015, 0.0015),
            lng=centre_lng + rng.uniform(-0.0015, 0.0015),
            photos=[sample_photo(number, f"{category} #{number}")],
            address=f"Kelurahan {village.name}",
            anonymous=number % 7 == 3,
            client_mutation_id=f"demo-{number}",
        )
        report, fresh = await create_report(
            reporters[number % 3], new, storage, limits, resources.settings.max_centroid_distance_m
        )
        created += fresh
        if fresh and number < 6:
            fresh_in_first_village.append((report.id, reporters[number % 3]))
    await _walk(fresh_in_first_village, people["ppsu_pisanganbaru"], storage, limits)
    # The demo's people have lived here a while: old enough to vote in the demo poll.
    await Account.filter(id__in=[p.id for p in people.values()]).update(created_at=clock.now() - timedelta(days=30))
    if not await Poll.exists():
        await polls.create_poll(people["lurah_pisanganbaru"], polls.NewPoll(
            question="Di mana sebaiknya depo sampah baru Pisangan Baru dibangun?",
            options=["Dekat pasar", "Di ujung Jalan Kayu Manis", "Di lahan kosong RW 05"],
            closes_at=clock.now() + timedelta(days=14),
            area_id=areas["31.75.01.1001"].id,
        ))
    # The demo is history, not news: a server started afterwards must not announce these reports to
    # its first subscribers as new (its relay would publish whatever the outbox holds unpublished).
    await OutboxEvent.filter(id__gt=before.id if before else 0, published_at=None).update(published_at=clock.now())
    return f"Demo data: {len(areas)} areas, {len(agencies)} agencies, {len(CATEGORIES)} categories, " \
        f"{len(people)} accounts (password {DEMO_PASSWORD!r}), {created} new reports."
