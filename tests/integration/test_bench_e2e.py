"""The bench's end-to-end harness against the real broker and store, on a small corpus: every
article produced is consumed and stored once, and the store probe sees the local server's CPU."""

from __future__ import annotations

import pytest

from bench.corpus import generate
from bench.e2e import Scenario, run_scenario
from bench.store_ceiling import measure_store_ceiling
from flows.config import KafkaSettings

pytestmark = pytest.mark.integration


def test_transport_scenario_stores_every_article_once(services_env) -> None:
    corpus = generate(24, words=200, seed=5)
    scenario = Scenario(processes=1, stages="cleaning", max_batch=8)
    result = run_scenario(corpus, scenario, KafkaSettings())
    assert result["consumed"] == result["stored_documents"] == len(corpus)
    assert result["per_process_articles"] == [len(corpus)]
    assert result["batches"] >= 3
    assert result["articles_per_s"] > 0
    assert set(result["stage_seconds"]) >= {"decode", "cleaning", "store"}


def test_store_probe_measures_the_local_server(services_env) -> None:
    probe = measure_store_ceiling(generate(8, words=200, seed=5), puts=200)
    assert probe["puts_per_s"] > 0
    # The dev store listens on this machine, so its own CPU per PUT is read, and it is not free.
    assert probe["store_server_cpu_ms_per_put"] is not None
    assert probe["store_server_cpu_ms_per_put"] > 0
    assert probe["articles_per_s_cpu_ceiling"] > 0


def test_a_scenario_with_a_stage_worker_counts_the_worker(services_env) -> None:
    """`--workers 1`: the stages run in a worker process the RSS sampler finds and times."""
    corpus = generate(16, words=200, seed=6)
    scenario = Scenario(processes=1, stages="cleaning,entities,quotes", max_batch=8, workers=1)
    result = run_scenario(corpus, scenario, KafkaSettings())
    assert result["consumed"] == result["stored_documents"] == len(corpus)
    assert result["workers"] == 1
    assert result["worker_peak_rss_mb"] > 100  # a worker holds the spaCy model
    assert result["cpu_seconds"]["workers"] > 0
    # The run alone (first message to last commit) used less than go-to-exit, which adds the
    # group join and the idle wait; the local broker and store are followed beside it.
    in_run = result["cpu_seconds_in_run"]
    assert 0 < in_run["workers"] <= result["cpu_seconds"]["workers"]
    assert 0 < in_run["consumer"] < result["cpu_seconds"]["consumer"]
    assert in_run["broker"] > 0 and in_run["store"] > 0
    assert set(result["stage_seconds"]) >= {"decode", "cleaning", "entities", "quotes", "store"}
