"""`newsflow run` on the embedded default: files in, a folder of documents and dead letters out."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator
from typer.testing import CliRunner

from flows.cli import app
from flows.sources.files import FileSource
from schemas.jsonschema_export import JSON_DIR
from tests.conftest import SEEDS

pytestmark = pytest.mark.usefixtures("prefect_server")

runner = CliRunner()


def _validator(name: str) -> Draft202012Validator:
    return Draft202012Validator(json.loads((JSON_DIR / f"{name}.schema.json").read_text()))


def _count_articles(folder: Path) -> int:
    return sum(1 for _ in FileSource([folder]).envelopes())


@pytest.fixture(scope="module")
def seeds_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("out")
    result = runner.invoke(app, ["run", "--source", str(SEEDS), "--sink", str(out)])
    assert result.exit_code == 0, result.output
    assert "dead-lettered" in result.output
    return out


def test_one_valid_enriched_document_per_valid_seed(seeds_run: Path) -> None:
    invalid = _count_articles(SEEDS / "invalid")
    valid = _count_articles(SEEDS) - invalid
    assert valid >= 12 and invalid >= 5
    documents = sorted((seeds_run / "enriched").rglob("*.json"))
    assert len(documents) == valid
    schema = _validator("EnrichedDocument")
    for path in documents:
        doc = json.loads(path.read_text())
        errors = list(schema.iter_errors(doc))
        assert not errors, f"{path}: {errors[0].message}"
        assert doc["text"].strip() and doc["pipeline"]["stages"].keys() >= {"cleaning"}
    raws = sorted((seeds_run / "raw").rglob("*.json"))
    assert [p.name for p in raws] == [p.name for p in documents]


def test_every_invalid_seed_is_a_dead_letter_with_a_reason(seeds_run: Path) -> None:
    letters = [json.loads(p.read_text()) for p in (seeds_run / "dead").rglob("*.json")]
    schema = _validator("DeadLetter")
    invalid_files = {str(p.resolve()) for p in (SEEDS / "invalid").iterdir() if p.is_file()}
    invalid_files = {p for p in invalid_files if Path(p).suffix in {".json", ".txt", ".html"}}
    origins = {d["origin"]["path"] for d in letters}
    assert invalid_files <= origins
    for letter in letters:
        assert not list(schema.iter_errors(letter))
        assert letter["reason"] and letter["error_type"] and letter["stage"]


def test_rerun_overwrites_instead_of_duplicating(seeds_run: Path) -> None:
    before = sorted(p.relative_to(seeds_run) for p in seeds_run.rglob("*.json"))
    result = runner.invoke(app, ["run", "--source", str(SEEDS), "--sink", str(seeds_run)])
    assert result.exit_code == 0, result.output
    after = sorted(p.relative_to(seeds_run) for p in seeds_run.rglob("*.json"))
    assert after == before


def test_shared_seed_loses_its_noise(shared_seed: Path, tmp_path: Path) -> None:
    result = runner.invoke(app, ["run", "--source", str(shared_seed), "--sink", str(tmp_path)])
    assert result.exit_code == 0, result.output
    (path,) = (tmp_path / "enriched").rglob("*.json")
    text = json.loads(path.read_text())["text"]
    for noise in ("Contributor/Getty Images", "See also", "Leave a Reply", "Your email address"):
        assert noise not in text
    assert "He's not willing to back down a meter." in text


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["run", "--source", "no/such/place"], "no such file or folder"),
        (["run", "--source", "pyproject.toml"], "unsupported file type"),
        (["run", "--sink", "ftp://host/x"], "unsupported sink"),
        (["run", "--max-batch", "0"], "max-batch"),
        (["eval", "nonsense", "--gold", "x"], "unknown stage"),
    ],
)
def test_bad_arguments_end_in_one_clear_line(args: list[str], message: str) -> None:
    result = runner.invoke(app, args)
    assert result.exit_code == 2
    assert message in result.output
    assert "Traceback" not in result.output


def test_a_bad_setting_stops_a_command_in_one_line_but_not_its_help(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NEWSFLOW_WORKERS", "many")
    helped = runner.invoke(app, ["run", "--help"])
    assert helped.exit_code == 0, helped.output
    assert "--workers" in helped.output
    ran = runner.invoke(app, ["run", "--source", str(SEEDS), "--sink", str(tmp_path / "out")])
    assert ran.exit_code == 2
    assert "bad setting in the environment: NEWSFLOW_WORKERS" in ran.output
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(
    ("command", "package"),
    [(["eval", "clean", "--gold", "."], "evaluation.clean"), (["bench"], "bench.cli")],
)
def test_tooling_commands_say_what_a_runtime_only_install_lacks(
    command: list[str], package: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The Docker image installs the runtime only: `eval` and `bench` say so in one line."""
    monkeypatch.setitem(sys.modules, package, None)  # importing it now fails as if not installed
    result = runner.invoke(app, command)
    assert result.exit_code == 2, result.output
    assert "needs the project's tooling" in result.output
    assert "Traceback" not in result.output
