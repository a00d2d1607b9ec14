"""`make run` on a fresh clone: seed-demo loads Jakarta Timur with the real kelurahan polygons, and the demo
reports are routed by them."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from shapely.geometry import Point, shape

from testkit.processes import base_env, run


async def test_seed_demo_routes_its_reports_by_the_real_polygons(tmp_path: Path) -> None:
    env = base_env(f"sqlite://{tmp_path / 'demo.sqlite3'}", "", tmp_path / "media")
    del env["WARGA_REDIS_URL"]
    await run("migrate", env=env)
    await run("seed-demo", "--if-empty", env=env)
    assert "already holds data" in await run("seed-demo", "--if-empty", env=env)
    with sqlite3.connect(tmp_path / "demo.sqlite3") as db:
        boundaries = {code: shape(json.loads(raw)) for code, raw in
                      db.execute("SELECT code, boundary FROM area WHERE level = 'VILLAGE' AND boundary IS NOT NULL")}
        reports = db.execute("SELECT r.lat, r.lng, a.code FROM report r JOIN area a ON a.id = r.area_id").fetchall()
        polls = db.execute("SELECT a.code FROM poll p JOIN area a ON a.id = p.area_id").fetchall()
        voters = db.execute("SELECT count(*) FROM account a JOIN area h ON h.id = a.area_id "
                            "WHERE a.role = 'CITIZEN' AND h.code LIKE '31.75.%'").fetchone()
        by_city = db.execute("SELECT a.code, c.partner_since IS NOT NULL, r.handled, count(*) FROM report r "
                             "JOIN city c ON c.id = r.city_id JOIN area a ON a.id = c.area_id "
                             "GROUP BY 1, 2, 3").fetchall()
        # What accountability shows (issue "Fair accountability"): (status, stars, reopens, level, proof)
        walked = set(db.execute(
            "SELECT r.status, fr.stars, r.reopen_count, r.escalation_level, f.proof_consistent FROM report r "
            "LEFT JOIN follow_up f ON f.report_id = r.id LEFT JOIN fix_rating fr ON fr.follow_up_id = f.id "
            "WHERE r.escalation_level > 0 OR f.id IS NOT NULL"))
    assert len(boundaries) == 65 + 19  # Jakarta Timur's kelurahan and part of Kota Bogor's
    assert len(reports) == 36 + 4
    assert sorted(by_city) == [("31.75", 1, 1, 36), ("32.71", 0, 0, 4)]  # Kota Bogor's wait for a partnership
    assert polls == [("31.75.01.1001",)] and voters == (3,)  # a poll to try, and residents who may answer it
    assert walked == {
        ("FOLLOWED_UP", 5, 0, 0, 1),  # a fix rated well
        ("CLOSED", 4, 0, 0, 1),  # accepted
        ("REOPENED", 2, 1, 0, 1),  # reopened by a low rating with a reason
        ("WAITING", None, 0, 2, None),  # escalated to the kecamatan, then the kota
        ("FOLLOWED_UP", None, 0, 0, 0),  # a proof photo taken 2 km away
    }
    for lat, lng, code in reports:
        point = Point(lng, lat)
        containing = [c for c, boundary in boundaries.items() if boundary.contains(point)]
        # The kelurahan that contains the point; in a sliver between polygons, one within 300 m of it.
        assert containing == [code] if containing else boundaries[code].distance(point) < 0.003, (lat, lng, code)
