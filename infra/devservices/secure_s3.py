"""An S3 endpoint over HTTPS with a certificate from the test CA, for the tests of AWS_CA_BUNDLE.

A second SeaweedFS S3 gateway (`weed s3`) on its own port, in front of the filer of the running
local store: the buckets and objects are the same, only the transport differs. It never stops or
restarts the shared store; it is stopped by the test session that started it.
"""

from __future__ import annotations

import os
import ssl
import urllib.request
from pathlib import Path

from .config import LAYOUT, START_TIMEOUT_S, WEED_FILER_PORT, Layout
from .process import Managed, wait_until
from .tls import TestPki, make_pki

HTTPS_PORT = int(os.environ.get("NEWSFLOW_SECURE_S3_PORT", "8443"))


def _state(layout: Layout) -> Path:
    return layout.state / "secure-s3"


def secure_s3_process(layout: Layout = LAYOUT) -> Managed:
    state = _state(layout)
    return Managed("secure-s3", state / "weed-s3.pid", f"-port={HTTPS_PORT}", state / "weed-s3.log")


def secure_s3_endpoint() -> str:
    return f"https://127.0.0.1:{HTTPS_PORT}"


def secure_s3_answers(pki: TestPki) -> bool:
    """True when the gateway completes a TLS handshake with our CA and answers HTTP."""
    context = ssl.create_default_context(cafile=str(pki.ca.cert))
    try:
        urllib.request.urlopen(secure_s3_endpoint(), context=context, timeout=2)
    except urllib.error.HTTPError:
        return True  # an S3 error answer (anonymous request refused): it is up
    except OSError:
        return False
    return True


def start_secure_s3(layout: Layout = LAYOUT) -> tuple[TestPki, bool]:
    """Start the HTTPS gateway unless it answers. Returns the PKI (the CA is what AWS_CA_BUNDLE
    names) and whether this call started it. The shared store must be running."""
    pki = make_pki(layout.state / "secure-kafka" / "tls")
    proc = secure_s3_process(layout)
    if secure_s3_answers(pki):
        return pki, False
    started = False
    if proc.pid() is None:
        _state(layout).mkdir(parents=True, exist_ok=True)
        cmd = [
            str(layout.weed_bin),
            "s3",
            f"-filer=127.0.0.1:{WEED_FILER_PORT}",
            "-ip.bind=127.0.0.1",
            f"-port={HTTPS_PORT}",
            f"-port.grpc={HTTPS_PORT + 10000}",
            "-port.iceberg=0",
            "-port.lance=0",
            f"-cert.file={pki.server.cert}",
            f"-key.file={pki.server.key}",
            f"-config={layout.s3_config}",
        ]
        proc.start(cmd, cwd=_state(layout))
        started = True
    wait_until("HTTPS S3 gateway", lambda: secure_s3_answers(pki), proc, START_TIMEOUT_S)
    return pki, started


def stop_secure_s3(layout: Layout = LAYOUT) -> bool:
    return secure_s3_process(layout).stop(timeout_s=6.0)
