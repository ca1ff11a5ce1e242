"""Any S3-compatible store (AWS, SeaweedFS, MinIO, R2) through boto3's standard settings.

Endpoint, credentials and region come from the standard AWS environment (`AWS_ENDPOINT_URL_S3`,
`AWS_ACCESS_KEY_ID`, ...) or profile, which boto3 reads itself; nothing store-specific here.
A PUT is atomic in S3: an object is either absent or whole, never partial.
"""

from __future__ import annotations

import contextlib
import socket
import urllib.parse
import uuid
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any, TypeVar

import boto3
from botocore.config import Config
from botocore.exceptions import (
    BotoCoreError,
    ClientError,
    NoCredentialsError,
    NoRegionError,
    PartialCredentialsError,
)
from botocore.exceptions import (
    SSLError as BotoSSLError,
)

from flows.failures import (
    Cause,
    Misconfigured,
    ServiceFailure,
    Step,
    Unavailable,
    is_transient_s3,
    short,
    speaks_tls,
)

if TYPE_CHECKING:
    from mypy_boto3_s3 import S3Client


T = TypeVar("T")

#: The store's answers that no retry can change, by S3 error code.
_PERMANENT: dict[str, tuple[Cause, str]] = {
    "NoSuchBucket": (Cause.S3_BUCKET_MISSING, "no such bucket"),
    "InvalidBucketName": (Cause.S3_BUCKET_MISSING, "not a valid bucket name"),
    "InvalidAccessKeyId": (Cause.S3_CREDENTIALS, "unknown access key id"),
    "SignatureDoesNotMatch": (Cause.S3_CREDENTIALS, "signature does not match: wrong secret key"),
    "InvalidToken": (Cause.S3_CREDENTIALS, "invalid session token"),
    "ExpiredToken": (Cause.S3_CREDENTIALS, "expired session token"),
    "AccessDenied": (Cause.S3_DENIED, "access denied"),
    "AllAccessDisabled": (Cause.S3_DENIED, "all access disabled"),
    "AuthorizationHeaderMalformed": (Cause.S3_REGION, "authorization header names another region"),
    "PermanentRedirect": (Cause.S3_REGION, "the bucket is served from another endpoint"),
}


def classify_s3(exc: BaseException, endpoint: str, bucket: str) -> ServiceFailure | None:
    """The permanent failure `exc` stands for, or None when it is transient (or unknown)."""
    where = f"{endpoint}, bucket {bucket}"
    if isinstance(exc, NoCredentialsError | PartialCredentialsError):
        return Misconfigured(Cause.S3_CREDENTIALS, where, "no credentials found")
    if isinstance(exc, BotoSSLError):
        text = str(exc)
        if "CERTIFICATE_VERIFY_FAILED" in text:
            reason = text.rsplit("certificate verify failed:", 1)[-1].split("(")[0].strip()
            return Misconfigured(Cause.S3_TLS_UNTRUSTED, where, reason or "verify failed")
        if "No such file" in text or "Errno 2" in text:
            detail = "the CA bundle file does not exist"
            return Misconfigured(Cause.S3_TLS_UNTRUSTED, where, detail)
        if "WRONG_VERSION_NUMBER" in text or "record layer" in text.lower():
            return Misconfigured(Cause.S3_PROTOCOL, where, "the endpoint does not speak TLS")
        return Misconfigured(Cause.S3_TLS_UNTRUSTED, where, short(text))
    if isinstance(exc, ClientError):
        error = exc.response.get("Error", {})
        code = str(error.get("Code", ""))
        status = exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 0)
        if code in _PERMANENT:
            cause, detail = _PERMANENT[code]
            return Misconfigured(cause, where, detail)
        if code in {"404", "NotFound"}:
            return Misconfigured(Cause.S3_BUCKET_MISSING, where, "no such bucket")
        if status == 400 and "HTTPS" in str(error.get("Message", "")).upper():
            return Misconfigured(Cause.S3_PROTOCOL, where, "plain HTTP sent to an HTTPS endpoint")
    return None


def _raise_permanent(exc: BaseException, endpoint: str, bucket: str) -> None:
    failure = classify_s3(exc, endpoint, bucket)
    if failure is not None:
        raise failure from exc


def make_s3_client(max_pool: int = 16, fail_fast: bool = False) -> S3Client:
    """boto3's own retries (standard mode: backoff with jitter) cover throttling and 5xx;
    `fail_fast` (the start-up check) tries once, with short timeouts.

    Checksums only where the API requires them: by default botocore adds a CRC32 to every PUT
    and validates it on every GET, CPU spent on each of the thousands of small JSON objects a
    batch writes. Transport integrity is left to TCP/TLS, as for any other HTTP request.
    """
    config = Config(
        retries={"max_attempts": 1 if fail_fast else 5, "mode": "standard"},
        max_pool_connections=max_pool,
        connect_timeout=3 if fail_fast else 5,
        read_timeout=10 if fail_fast else 30,
        request_checksum_calculation="when_required",
        response_checksum_validation="when_required",
    )
    try:
        return boto3.client("s3", config=config)
    except BotoCoreError as exc:  # an empty AWS_CA_BUNDLE, no region, an unknown profile, ...
        cause = Cause.S3_REGION if isinstance(exc, NoRegionError) else Cause.S3_SETTING
        raise Misconfigured(cause, "the S3 client", short(exc)) from exc


class S3Store:
    def __init__(self, bucket: str, client: Any | None = None) -> None:
        self.bucket = bucket
        self.client: S3Client = client or make_s3_client()

    def describe(self) -> str:
        return f"s3://{self.bucket}"

    @property
    def endpoint(self) -> str:
        return str(self.client.meta.endpoint_url)

    def _call(self, call: Callable[[], T]) -> T:
        """`call()`, with a permanent refusal (missing bucket, bad credentials, denied,
        untrusted certificate) raised as `Misconfigured`, which no retry repeats."""
        try:
            return call()
        except Exception as exc:
            _raise_permanent(exc, self.endpoint, self.bucket)
            raise

    def put(self, key: str, data: bytes) -> None:
        self._call(
            lambda: self.client.put_object(
                Bucket=self.bucket, Key=key, Body=data, ContentType="application/json"
            )
        )

    def get(self, key: str) -> bytes:
        return self._call(
            lambda: self.client.get_object(Bucket=self.bucket, Key=key)["Body"].read()
        )

    def list_keys(self, prefix: str = "") -> list[str]:
        keys: list[str] = []
        paginator = self.client.get_paginator("list_objects_v2")
        for page in paginator.paginate(Bucket=self.bucket, Prefix=prefix):
            keys.extend(obj["Key"] for obj in page.get("Contents", []))
        return keys


def probe_store(bucket: str, prefix: str = "") -> Iterator[Step]:
    """The bucket exists (HEAD) and takes a write: a small object under `prefix` is put and
    deleted again. The write matters: a store that creates buckets on first write (SeaweedFS)
    or a key allowed to read but not write would pass a HEAD alone."""
    try:
        client = make_s3_client(max_pool=2, fail_fast=True)
    except Misconfigured as exc:
        yield Step("client", exc)
        return
    endpoint = str(client.meta.endpoint_url)
    where = f"{endpoint}, bucket {bucket}"

    def failed(exc: BaseException) -> ServiceFailure:
        known = classify_s3(exc, endpoint, bucket)
        if known is not None:
            return known
        url = urllib.parse.urlsplit(endpoint)
        if url.scheme == "http" and url.hostname and speaks_tls(url.hostname, url.port or 80):
            detail = "the endpoint speaks HTTPS: use https://, with AWS_CA_BUNDLE for a private CA"
            return Misconfigured(Cause.S3_PROTOCOL, where, detail)
        if is_transient_s3(exc) or not isinstance(exc, ClientError):
            return Unavailable(Cause.S3_UNREACHABLE, where, short(exc))
        return Misconfigured(Cause.S3_DENIED, where, short(exc))

    try:
        client.head_bucket(Bucket=bucket)
    except ClientError as exc:
        if exc.response.get("Error", {}).get("Code") not in {"400", "403"}:
            yield Step("bucket present", failed(exc))
            return
        # HEAD answers carry no body, so a 400 or 403 does not say why: ask again with a GET.
        try:
            client.list_objects_v2(Bucket=bucket, MaxKeys=1)
        except Exception as detailed:
            yield Step("bucket present", failed(detailed))
            return
    except Exception as exc:
        yield Step("bucket present", failed(exc))
        return
    yield Step("bucket present")
    key = f"{prefix.strip('/') + '/' if prefix.strip('/') else ''}.newsflow-check/"
    key += f"{socket.gethostname()}-{uuid.uuid4().hex[:12]}"
    try:
        client.put_object(Bucket=bucket, Key=key, Body=b"newsflow check\n")
    except Exception as exc:
        yield Step("bucket writable", failed(exc))
        return
    # A key allowed to write but not to delete leaves the small probe object behind: harmless.
    with contextlib.suppress(Exception):
        client.delete_object(Bucket=bucket, Key=key)
    yield Step("bucket writable")
