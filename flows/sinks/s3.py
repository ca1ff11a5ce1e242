"""Any S3-compatible store (AWS, SeaweedFS, MinIO, R2) through boto3's standard settings.

Endpoint, credentials and region come from the standard AWS environment (`AWS_ENDPOINT_URL_S3`,
`AWS_ACCESS_KEY_ID`, ...) or profile, which boto3 reads itself; nothing store-specific here.
A PUT is atomic in S3: an object is either absent or whole, never partial.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import boto3
from botocore.config import Config

if TYPE_CHECKING:
    from mypy_boto3_s3 import S3Client


def make_s3_client(max_pool: int = 16) -> S3Client:
    """boto3's own retries (standard mode: backoff with jitter) cover throttling and 5xx.

    Checksums only where the API requires them: by default botocore adds a CRC32 to every PUT
    and validates it on every GET, CPU spent on each of the thousands of small JSON objects a
    batch writes. Transport integrity is left to TCP/TLS, as for any other HTTP request.
    """
    config = Config(
        retries={"max_attempts": 5, "mode": "standard"},
        max_pool_connections=max_pool,
        connect_timeout=5,
        read_timeout=30,
        request_checksum_calculation="when_required",
        response_checksum_validation="when_required",
    )
    return boto3.client("s3", config=config)


class S3Store:
    def __init__(self, bucket: str, client: Any | None = None) -> None:
        self.bucket = bucket
        self.client: S3Client = client or make_s3_client()

    def describe(self) -> str:
        return f"s3://{self.bucket}"

    def put(self, key: str, data: bytes) -> None:
        self.client.put_object(
            Bucket=self.bucket, Key=key, Body=data, ContentType="application/json"
        )

    def get(self, key: str) -> bytes:
        return self.client.get_object(Bucket=self.bucket, Key=key)["Body"].read()

    def list_keys(self, prefix: str = "") -> list[str]:
        keys: list[str] = []
        paginator = self.client.get_paginator("list_objects_v2")
        for page in paginator.paginate(Bucket=self.bucket, Prefix=prefix):
            keys.extend(obj["Key"] for obj in page.get("Contents", []))
        return keys
