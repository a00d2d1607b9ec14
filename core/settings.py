"""Typed settings, read once from `WARGA_*` environment variables and passed in."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, IPvAnyNetwork, SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

VAR = Path(__file__).resolve().parents[1] / "var"  # beside the project: ./var


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="WARGA_", extra="ignore")

    env: Literal["development", "production"] = "development"
    host: str = "127.0.0.1"
    port: int = 8000
    # Processes `serve` runs on the one port (unset: one; in production with Redis and PostgreSQL, one per core).
    workers: int | None = Field(default=None, ge=1)
    # Peers whose X-Forwarded-For / Forwarded are believed: addresses or networks, comma-separated.
    trusted_proxies: Annotated[tuple[IPvAnyNetwork, ...], NoDecode] = ()
    # Queries and live events from compiled plans (docs/compiled.md); false: graphql-core's executor alone.
    compiled_reads: bool = True
    database_url: str = f"sqlite://{VAR / 'warga.sqlite3'}"
    db_pool_max: int = 10
    redis_url: str | None = None
    media_root: Path = VAR / "media"
    media_url: str = "/media/"
    # An S3-compatible object store instead of the local folder, when a bucket is named.
    s3_bucket: str | None = None
    s3_endpoint_url: str | None = None
    s3_region: str = "us-east-1"
    s3_access_key: str | None = None
    s3_secret_key: SecretStr | None = None
    # Where clients fetch the objects (a CDN or the bucket's public address).
    s3_public_url: str | None = None
    token_ttl_hours: int = 24 * 30
    city_timezone: str = "Asia/Jakarta"
    # RT/RW operational payments per valid duty report (rupiah) and the monthly cap (Pergub 2016).
    duty_rate_rt: int = 10_000
    duty_rate_rw: int = 12_500
    duty_monthly_cap: int = 90
    # Photos (the pipeline refuses anything bigger).
    max_upload_bytes: int = 10 * 1024 * 1024
    max_image_pixels: int = 40_000_000
    max_photos_per_report: int = 4
    # How often the server closes reports followed up 7 days ago (seconds; 0 turns it off).
    auto_close_interval_s: float = 600.0
    # How often the server looks for category surges and tells the area heads (seconds; 0 turns it off).
    surge_interval_s: float = 600.0
    # How often the server escalates reports past their deadline without a follow-up (seconds; 0 turns it off).
    escalation_interval_s: float = 60.0
    asset_offline_interval_s: float = 60.0
    # Units with fewer reports than this in a performance period are listed unranked, after the ranked ones.
    ranking_min_reports: int = 10
    # Multiplies every rate limit (plumbing/ratelimit.py); 0 turns them off.
    rate_limit_scale: float = 1.0
    # Live subscriptions one WebSocket may hold.
    max_subscriptions_per_socket: int = 100
    # Browser origins allowed to open a WebSocket ("*" allows any; clients without Origin always may).
    allowed_origins: list[str] = ["*"]
    # The transparency page's map tiles ({z}/{x}/{y}); empty draws markers on a plain background.
    map_tile_url: str = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
    map_attribution: str = "© OpenStreetMap contributors"
    # A point this far from every kelurahan centroid is outside the city.
    max_centroid_distance_m: float = 5000.0

    @field_validator("trusted_proxies", mode="before")
    @classmethod
    def _comma_separated(cls, value: object) -> object:
        return [part.strip() for part in value.split(",") if part.strip()] if isinstance(value, str) else value

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process's settings, read from the environment once."""
    return Settings()
