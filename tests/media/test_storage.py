"""The S3 backend against a real S3-protocol server on loopback (moto's standalone server)."""

from __future__ import annotations

import json
import socket
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from zoneinfo import ZoneInfo

import boto3
import httpx
import pytest
from moto.server import ThreadedMotoServer

from demo.photos import sample_photo
from media.storage import S3Storage
from services.photos import PhotoPolicy, ingest
from testkit.processes import base_env, run


@pytest.fixture(scope="module")
def s3_endpoint() -> Iterator[str]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    endpoint = f"http://127.0.0.1:{port}"
    admin = boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1", aws_access_key_id="test",
                         aws_secret_access_key="test")
    admin.create_bucket(Bucket="warga-media")
    # Photos are public: the operator lets anyone read the bucket (or puts a CDN in front of it).
    public_read = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": "*",
                   "Action": "s3:GetObject", "Resource": "arn:aws:s3:::warga-media/*"}]}
    admin.put_bucket_policy(Bucket="warga-media", Policy=json.dumps(public_read))
    yield endpoint
    server.stop()


async def test_photos_go_to_the_bucket_with_cache_headers(s3_endpoint: str) -> None:
    options = {"endpoint_url": s3_endpoint, "region_name": "us-east-1", "aws_access_key_id": "test",
               "aws_secret_access_key": "test"}
    async with S3Storage("warga-media", f"{s3_endpoint}/warga-media", **options) as storage:
        policy = PhotoPolicy(10 * 2**20, 40_000_000, 4, ZoneInfo("Asia/Jakarta"))
        [image] = await ingest([sample_photo(5)], storage, policy, "A report")
        url = storage.url(f"{image.digest}.jpg")
    async with httpx.AsyncClient() as http:
        served = await http.get(url)
        thumbnail = await http.get(f"{s3_endpoint}/warga-media/{image.digest}_t.jpg")
    assert served.status_code == 200 and served.content == image.display.data
    assert served.headers["content-type"] == "image/jpeg"
    assert "immutable" in served.headers["cache-control"]
    assert thumbnail.content == image.thumbnail.data


async def test_seed_demo_stores_its_photos_where_the_server_links_them(s3_endpoint: str, tmp_path: Path) -> None:
    """seed-demo with a bucket configured puts the demo photos in the bucket, not in the local folder."""
    env = base_env(f"sqlite://{tmp_path / 'demo.sqlite3'}", "", tmp_path / "media")
    del env["WARGA_REDIS_URL"]
    env.update(WARGA_S3_BUCKET="warga-media", WARGA_S3_ENDPOINT_URL=s3_endpoint, WARGA_S3_ACCESS_KEY="test",
               WARGA_S3_SECRET_KEY="test")
    await run("migrate", env=env)
    await run("seed-demo", env=env)
    with sqlite3.connect(tmp_path / "demo.sqlite3") as db:
        digests = {row[0] for row in db.execute("SELECT digest FROM photo")}
    admin = boto3.client("s3", endpoint_url=s3_endpoint, region_name="us-east-1", aws_access_key_id="test",
                         aws_secret_access_key="test")
    stored = {item["Key"] for page in admin.get_paginator("list_objects_v2").paginate(Bucket="warga-media")
              for item in page.get("Contents", [])}
    assert digests and {f"{digest}.jpg" for digest in digests} <= stored
    assert not any((tmp_path / "media").rglob("*.jpg"))
