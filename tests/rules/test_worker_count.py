"""How many processes `serve` runs (WARGA_WORKERS), and when it refuses to run several."""

from __future__ import annotations

import pytest

from cli.commands import worker_count
from core.settings import Settings

POSTGRES = "postgres://postgres@127.0.0.1:5432/warga"
REDIS = "redis://127.0.0.1:6379/0"
SQLITE = "sqlite://./var/warga.sqlite3"


def settings(**values: object) -> Settings:
    fields: dict[str, object] = {"env": "development", "workers": None, "redis_url": None, "database_url": POSTGRES}
    return Settings(**{**fields, **values})  # type: ignore[arg-type]


def test_unset_is_one_in_development_and_a_process_per_core_in_production() -> None:
    assert worker_count(settings(redis_url=REDIS), cores=8) == 1
    assert worker_count(settings(env="production", redis_url=REDIS), cores=8) == 8
    assert worker_count(settings(env="production", redis_url=REDIS)) >= 1  # the cores this process may use


def test_unset_stays_one_where_processes_could_not_share(caplog: pytest.LogCaptureFixture) -> None:
    """Production without Redis (a documented set-up: in-process events and limits) or on SQLite keeps serving,
    from one process, and says why."""
    assert worker_count(settings(env="production"), cores=8) == 1
    assert worker_count(settings(env="production", redis_url=REDIS, database_url=SQLITE), cores=8) == 1
    assert "one process" in caplog.text


def test_asked_for_is_what_runs() -> None:
    assert worker_count(settings(workers=3, redis_url=REDIS), cores=8) == 3
    assert worker_count(settings(env="production", workers=1), cores=8) == 1
    assert worker_count(settings(workers=1, database_url=SQLITE), cores=8) == 1


@pytest.mark.parametrize(("values", "reason"), [
    ({"redis_url": None}, "WARGA_WORKERS=2 needs WARGA_REDIS_URL"),
    ({"redis_url": ""}, "WARGA_WORKERS=2 needs WARGA_REDIS_URL"),
    ({"redis_url": REDIS, "database_url": SQLITE}, "WARGA_WORKERS=2 needs PostgreSQL"),
])
def test_several_without_redis_or_on_sqlite_are_refused(values: dict[str, object], reason: str) -> None:
    with pytest.raises(SystemExit) as refused:
        worker_count(settings(workers=2, **values), cores=8)
    assert reason in str(refused.value.code)


def test_the_setting_refuses_nonsense(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WARGA_WORKERS", "4")
    assert Settings().workers == 4
    for nonsense in ("0", "-1", "many"):
        monkeypatch.setenv("WARGA_WORKERS", nonsense)
        with pytest.raises(ValueError):
            Settings()
