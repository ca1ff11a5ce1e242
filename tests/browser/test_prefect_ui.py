"""The operator's view, in a real browser: a Prefect server with its UI on loopback, the
deployments of `newsflow serve`, one run of the files deployment, and its run page and report
artifact opened in headless Chromium. Screenshots land in test-output/browser/.

Debian's chromium and chromedriver only (no browser download). Outside CI the test is skipped
when they are missing; under CI (`CI=true`) that is a failure, so a green CI means it ran.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.conftest import ROOT
from tests.test_reprocess import ARTICLES, write_articles

pytestmark = [pytest.mark.browser, pytest.mark.slow]

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
OUTPUT = ROOT / "test-output" / "browser"
SERVER_START_S = 240
RUN_DONE_S = 300
PAGE_S = 60


def _in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}


def _require_chromium() -> None:
    missing = [str(p) for p in (CHROMIUM, CHROMEDRIVER) if not p.exists()]
    if missing:
        reason = f"{', '.join(missing)} missing (make browser-install installs Debian's chromium)"
        if _in_ci():
            pytest.fail(f"{reason}; under CI the browser test must run", pytrace=False)
        pytest.skip(reason)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Server:
    url: str
    env: dict[str, str]

    @property
    def api(self) -> str:
        return f"{self.url}/api"


def _start(args: list[str], env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    handle = log.open("wb")
    # Own session: the whole tree (server workers, runner subprocesses) is stopped together.
    return subprocess.Popen(
        args, cwd=ROOT, env=env, stdout=handle, stderr=subprocess.STDOUT, start_new_session=True
    )


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)


def _wait(
    what: str, check: Any, timeout: float, process: subprocess.Popen[bytes], log: Path
) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(
                f"{what}: process exited ({process.returncode}):\n{log.read_text()[-3000:]}"
            )
        result = check()
        if result:
            return result
        time.sleep(1)
    pytest.fail(f"{what}: not done after {timeout:.0f} s; log:\n{log.read_text()[-3000:]}")


def _call(client: httpx.Client, method: str, url: str, **kwargs: Any) -> httpx.Response:
    """One API call, retried while the server is briefly busy (SQLite under the scheduler answers
    503 for a moment), as Prefect's own client does."""
    for _ in range(30):
        try:
            reply = client.request(method, url, **kwargs)
        except httpx.TransportError:
            time.sleep(1)
            continue
        if reply.status_code not in {429, 502, 503}:
            return reply
        time.sleep(1)
    return client.request(method, url, **kwargs)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """`prefect server start` with the UI, on a free loopback port and a fresh home."""
    _require_chromium()
    OUTPUT.mkdir(parents=True, exist_ok=True)
    home = tmp_path_factory.mktemp("prefect-home")
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    env = {
        **os.environ,
        "PREFECT_HOME": str(home),
        "PREFECT_API_URL": f"{url}/api",
        "PREFECT_UI_ENABLED": "true",
        "PREFECT_SERVER_UI_ENABLED": "true",
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "PREFECT_SERVER_LOGGING_LEVEL": "WARNING",
        "PREFECT_RUNNER_POLL_FREQUENCY": "2",
        "PREFECT_SERVER_SERVICES_SCHEDULER_LOOP_SECONDS": "5",
        "PREFECT_LOGGING_LEVEL": "INFO",
    }
    env.pop("PREFECT_PROFILE", None)
    log = OUTPUT / "server.log"
    bin_dir = Path(sys.executable).parent
    process = _start(
        [
            str(bin_dir / "prefect"),
            "server",
            "start",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--ui",
        ],
        env,
        log,
    )

    def healthy() -> bool:
        try:
            return httpx.get(f"{url}/api/health", timeout=2).status_code == 200
        except httpx.HTTPError:
            return False

    try:
        _wait("prefect server", healthy, SERVER_START_S, process, log)
        yield Server(url, env)
    finally:
        _stop(process)


@pytest.fixture
def finished_run(
    server: Server, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[dict[str, Any]]:
    """`newsflow serve` registers the deployments; one enrich-files run is requested and served."""
    work = tmp_path_factory.mktemp("ui-run")
    articles = write_articles(work / "in")
    log = OUTPUT / "serve.log"
    serve = _start(
        [sys.executable, "-m", "flows.cli", "serve", "--paused", "--sink", str(work / "bucket")],
        server.env,
        log,
    )
    client = httpx.Client(base_url=server.api, timeout=10)
    try:

        def deployment() -> dict[str, Any] | None:
            reply = _call(client, "GET", "/deployments/name/enrich-files/enrich-files")
            return reply.json() if reply.status_code == 200 else None

        deployed = _wait("deployments of newsflow serve", deployment, 120, serve, log)
        created = _call(
            client,
            "POST",
            f"/deployments/{deployed['id']}/create_flow_run",
            json={"parameters": {"sources": [str(articles)], "sink": str(work / "out")}},
        )
        assert created.status_code == 201, created.text
        run_id = created.json()["id"]

        def done() -> dict[str, Any] | None:
            run = _call(client, "GET", f"/flow_runs/{run_id}").json()
            state = run["state"]["type"] if run.get("state") else None
            if state in {"FAILED", "CRASHED", "CANCELLED"}:
                pytest.fail(f"the run ended {state}: {run['state'].get('message')}")
            return run if state == "COMPLETED" else None

        run = _wait("the served enrich-files run", done, RUN_DONE_S, serve, log)
        artifacts = _call(
            client,
            "POST",
            "/artifacts/filter",
            json={"artifacts": {"flow_run_id": {"any_": [run_id]}}},
        ).json()
        assert [a["key"] for a in artifacts] == ["enrich-files-report"]
        # The runner is kept until the test ends: stopping it while the run's process is still
        # exiting would make it cancel the run it just completed.
        yield {"run": run, "artifact": artifacts[0], "ui": server.url}
    finally:
        client.close()
        _stop(serve)


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    _require_chromium()
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--window-size=1600,1300",
        f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}",
    ):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    driver.set_page_load_timeout(PAGE_S)
    try:
        yield driver
    finally:
        driver.quit()


def _page_text(driver: Any) -> str:
    return str(driver.execute_script("return document.body ? document.body.innerText : ''"))


def _wait_for_text(driver: Any, texts: list[str], shot: str) -> str:
    from selenium.webdriver.support.ui import WebDriverWait

    try:
        WebDriverWait(driver, PAGE_S, poll_frequency=0.5).until(
            lambda d: all(t in _page_text(d) for t in texts)
        )
    except Exception:
        driver.save_screenshot(str(OUTPUT / f"{shot}-timeout.png"))
        missing = [t for t in texts if t not in _page_text(driver)]
        pytest.fail(
            f"{driver.current_url} never showed {missing}; page:\n{_page_text(driver)[:2000]}"
        )
    return _page_text(driver)


def _click(driver: Any, xpath: str, what: str) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait

    locator = (By.XPATH, xpath)
    try:
        element = WebDriverWait(driver, PAGE_S, poll_frequency=0.5).until(
            ec.element_to_be_clickable(locator)
        )
    except Exception:
        driver.save_screenshot(str(OUTPUT / "click-timeout.png"))
        (OUTPUT / "click-timeout.html").write_text(driver.page_source, encoding="utf-8")
        pytest.fail(f"{driver.current_url}: no {what} to click")
    element.click()


def test_run_page_and_report_artifact_in_chromium(
    finished_run: dict[str, Any], browser: Any
) -> None:
    run, artifact, ui = finished_run["run"], finished_run["artifact"], finished_run["ui"]
    received, enriched = len(ARTICLES) + 1, len(ARTICLES)
    assert run["name"].startswith("files:in -> ") and run["name"].endswith(f"[{received} articles]")

    browser.get(f"{ui}/runs/flow-run/{run['id']}")
    # The run's name, state, and its per-batch log line (INFO, one per batch, not per article).
    _wait_for_text(browser, [run["name"], "Completed", "batch 1: 5 in, 4 enriched"], "flow-run")
    browser.save_screenshot(str(OUTPUT / "flow-run.png"))

    # From the run page to its report, as an operator would: the Artifacts tab, then the report.
    _click(browser, "//*[@role='tablist']/*[normalize-space(.)='Artifacts']", "tab")
    _wait_for_text(browser, [artifact["key"]], "artifacts-tab")
    browser.save_screenshot(str(OUTPUT / "flow-run-artifacts.png"))
    _click(browser, f"//*[normalize-space(text())='{artifact['key']}']", "report link")
    page = _wait_for_text(
        browser,
        ["articles in", "dead-lettered", "Seconds per stage", "Top 10 speakers"],
        "artifact",
    )
    assert artifact["id"] in browser.current_url
    browser.set_window_size(1600, 2400)  # the whole report in one screenshot
    browser.save_screenshot(str(OUTPUT / "artifact.png"))
    (OUTPUT / "artifact.txt").write_text(page, encoding="utf-8")
    # The rendered table holds the counts: in, enriched, dead-lettered.
    assert f"{received}\t{enriched}\t1\t" in page
    assert artifact["data"].startswith("## enrich-files")


def _open_report(browser: Any, ui: str, run: dict[str, Any], key: str, shot: str) -> str:
    """The run page, then its Artifacts tab, then the report: screenshots of each; the report's
    text is returned."""
    browser.set_window_size(1600, 1300)
    browser.get(f"{ui}/runs/flow-run/{run['id']}")
    _wait_for_text(browser, [run["name"], "Completed"], shot)
    browser.save_screenshot(str(OUTPUT / f"{shot}.png"))
    _click(browser, "//*[@role='tablist']/*[normalize-space(.)='Artifacts']", "tab")
    _click(browser, f"//*[normalize-space(text())='{key}']", "report link")
    page = _wait_for_text(browser, ["articles in", "Top 10 speakers"], f"{shot}-artifact")
    browser.set_window_size(1600, 2400)
    browser.save_screenshot(str(OUTPUT / f"{shot}-artifact.png"))
    return page


@pytest.mark.integration
def test_scheduled_ingest_drains_the_topic_and_reports_offsets(
    server: Server, browser: Any, services: Any, s3_bucket: str, tmp_path: Path
) -> None:
    """`newsflow serve` on a short interval: a scheduled ingest run drains a fresh topic into a
    fresh bucket, and its page shows the report with the Kafka offsets and lag."""
    from kafka import KafkaProducer

    topic = services.create_topic(prefix="ui")
    dlq = services.create_topic(prefix="ui-dlq")
    env = {
        **server.env,
        **services.env(
            NEWSFLOW_TOPIC=topic,
            NEWSFLOW_DLQ_TOPIC=dlq,
            NEWSFLOW_CONSUMER_GROUP=f"ui-{uuid.uuid4().hex[:8]}",
            # One run at a time: this page shows one run that drained the whole topic. Runs
            # sharing a topic (the default allows one per partition) are tested in
            # tests/reliability; here a second tick would join the group mid-run.
            NEWSFLOW_INGEST_CONCURRENCY="1",
        ),
    }
    producer = KafkaProducer(bootstrap_servers=services.bootstrap_servers, acks="all")
    for article in ARTICLES:
        producer.send(topic, value=json.dumps(article).encode())
    producer.send(topic, value=b"not an article")
    producer.flush()
    producer.close()
    last = len(ARTICLES)  # offsets 0..last

    log = OUTPUT / "serve-ingest.log"
    serve = _start(
        [
            sys.executable,
            "-m",
            "flows.cli",
            "serve",
            "--interval",
            "10",
            "--max-batches",
            "5",
            "--sink",
            f"s3://{s3_bucket}/",
        ],
        env,
        log,
    )
    client = httpx.Client(base_url=server.api, timeout=10)
    try:

        def deployment() -> dict[str, Any] | None:
            reply = _call(client, "GET", "/deployments/name/ingest/ingest")
            ok = reply.status_code == 200 and reply.json()["parameters"]["sink"].endswith(
                s3_bucket + "/"
            )
            return reply.json() if ok else None

        deployed = _wait("the ingest deployment", deployment, 120, serve, log)

        def drained() -> dict[str, Any] | None:
            runs = _call(
                client,
                "POST",
                "/flow_runs/filter",
                json={"flow_runs": {"deployment_id": {"any_": [deployed["id"]]}}},
            ).json()
            for run in runs:
                state = (run.get("state") or {}).get("type")
                if state in {"FAILED", "CRASHED"}:
                    pytest.fail(f"ingest run {run['name']} {state}: {run['state'].get('message')}")
                if state == "COMPLETED" and f"{topic}[0]@0-{last}" in run["name"]:
                    return dict(run)
            return None

        run = _wait("a scheduled ingest run that drains the topic", drained, RUN_DONE_S, serve, log)
        assert run["auto_scheduled"] is True  # the schedule started it, not the test
        keys = services.s3_client().list_objects_v2(Bucket=s3_bucket, Prefix="enriched/")
        assert keys.get("KeyCount") == len(ARTICLES)

        page = _open_report(browser, server.url, run, "ingest-report", "ingest-run")
        assert "Kafka offsets and lag" in page
        assert f"{topic}[0]\t0\t{last}\t0" in page  # first, last offset, no lag left
        assert f"{last + 1}\t{len(ARTICLES)}\t1\t" in page  # in, enriched, dead-lettered
    finally:
        client.close()
        _stop(serve)
        for name in (topic, dlq):
            services.delete_topic(name)
