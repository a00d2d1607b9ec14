"""Demo data: the places and catalog (demo/catalog.py), people, and reports in Jakarta Timur and Kota Bogor."""

from __future__ import annotations

import csv
import random
from datetime import timedelta

from app.resources import Resources
from core import clock
from demo.catalog import CATEGORIES, DATA, seed_catalog
from demo.photos import sample_photo
from media.storage import Storage
from models import Account, Area, Asset, AssetReading, OutboxEvent, Poll, Report, ReportEvent
from models.enums import AreaLevel, AssetStatus, Role
from services import auth, escalation, polls, readings, workflow
from services.photos import PhotoPolicy
from services.reports import NewReport, create_report

DEMO_PASSWORD = "warga-demo-2026"

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
    ("admin_bogor", "Admin Kota Bogor", Role.CITY_ADMIN, "32.71", None),
    ("rina", "Rina Marlina", Role.CITIZEN, "32.71.03.1006", None),  # Sempur, Bogor
    ("telemetri_sda", "Gateway telemetri Dinas SDA", Role.OFFICER, None, "SDA"),  # the gauges' and pumps' readings
]

# Kota Bogor is not a partner yet: its residents' reports are public, and wait for nobody.
BOGOR_REPORTS = [  # kelurahan, category, text
    ("32.71.03.1006", "ANGKOT_NGETEM", "Angkot ngetem di depan Kebun Raya sampai dua lajur, macet tiap sore."),
    ("32.71.03.1008", "SAMPAH", "Sampah pasar menumpuk di pinggir jalan sejak kemarin, baunya menyengat."),
    ("32.71.05.1001", "JALAN_RUSAK", "Jalan berlubang dalam di tikungan, sudah dua motor jatuh minggu ini."),
    ("32.71.03.1002", "PJU_PADAM", "Lampu jalan padam di sepanjang jalan dekat stasiun, gelap sekali malam hari."),
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


async def has_data() -> bool:
    return await Area.exists()


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


async def _readings(gateway: Account) -> None:
    """The last four hours of the gauges and pump stations (demo values), oldest first, as the gateway sends them."""
    if await AssetReading.exists():
        return
    with (DATA / "jakarta_timur_asset_readings.csv").open(newline="", encoding="utf-8") as fh:
        rows = sorted(csv.DictReader(fh), key=lambda r: -int(r["minutes_ago"]))
    ids = dict(await Asset.filter(code__in={r["code"] for r in rows}).values_list("code", "id"))
    now = clock.now()
    for r in rows:
        await readings.record(gateway, int(ids[r["code"]]), readings.NewReading(
            status=AssetStatus(r["status"]) if r["status"] else None,
            water_level_cm=int(r["water_level_cm"]) if r["water_level_cm"] else None,
            pumps_running=int(r["pumps_running"]) if r["pumps_running"] else None,
            note=r["note"] or None,
            measured_at=now - timedelta(minutes=int(r["minutes_ago"])),
        ))


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
    villages = [a for a in areas.values() if a.level == AreaLevel.VILLAGE and a.code.startswith("31.75.")]
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
    await _readings(people["telemetri_sda"])
    for number, (code, category, body) in enumerate(BOGOR_REPORTS):
        lat, lng = _centroid(areas[code])
        new = NewReport(body=body, category_code=category, lat=lat, lng=lng, address=f"Kelurahan {areas[code].name}",
                        photos=[sample_photo(50 + number, category)], client_mutation_id=f"demo-bogor-{number}")
        _, fresh = await create_report(people["rina"], new, storage, limits, resources.settings.max_centroid_distance_m)
        created += fresh
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
