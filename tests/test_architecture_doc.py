"""docs/architecture.md is the contract a reader relies on: its commands, settings, object keys and
document fields are checked here against the code they describe, so the two cannot drift apart."""

from __future__ import annotations

import json
import re
from datetime import datetime

from flows.cli import app
from flows.config import settings_table
from flows.sinks.keys import dead_key, enriched_key, raw_key
from tests.conftest import ROOT

DOC = ROOT / "docs" / "architecture.md"
TEXT = DOC.read_text(encoding="utf-8")


def _between(start_marker: str, end: str) -> str:
    start = TEXT.index(start_marker)
    return TEXT[TEXT.index("\n", start) + 1 : TEXT.index(end, start)]


def test_every_command_is_documented_and_nothing_else() -> None:
    documented = set(re.findall(r"^\| `newsflow ([a-z-]+)", TEXT, flags=re.MULTILINE))
    commands = {c.name or c.callback.__name__ for c in app.registered_commands if c.callback}
    assert documented == commands


def test_the_settings_table_is_the_settings_model() -> None:
    table = _between("<!-- settings-table:", "<!-- settings-table: end -->")
    assert table == settings_table(), (
        "docs/architecture.md's settings table is stale: paste the output of "
        "`python -m flows.config` between its settings-table markers"
    )


def _template(key: str) -> str:
    key = key.replace("1999/12/31", "YYYY/MM/DD").replace("article-1", "<id>")
    return re.sub(r"/[0-9a-f]{24}\.json$", "/<hash>.json", key)


def test_the_key_layout_is_the_sinks() -> None:
    day = datetime(1999, 12, 31, 12)
    keys = _between("<!-- keys:", "\n\n")
    for key in (
        raw_key("article-1", day),
        enriched_key("article-1", day),
        dead_key(b"{}", "origin", day),
    ):
        assert f"`{_template(key)}`" in keys, key


def _schema_fields() -> tuple[set[str], set[str]]:
    """The document's own properties, and the properties of every model inside it."""
    schema = json.loads((ROOT / "schemas/json/EnrichedDocument.schema.json").read_text())
    nested = {
        name for model in schema.get("$defs", {}).values() for name in model.get("properties", {})
    }
    return set(schema["properties"]), nested


def test_the_document_fields_are_the_json_schemas() -> None:
    block = _between("<!-- fields:", "```\n\n").split("```\n", 1)[1]
    listed = {
        name.strip()
        for line in block.splitlines()
        for name in re.split(r"\s{2,}", line, maxsplit=1)[0].split(",")
    }
    top, nested = _schema_fields()
    assert listed == top
    words = set(re.findall(r"[a-z_]+", block))
    assert nested <= words, sorted(nested - words)


def test_nothing_cites_the_old_contract_file() -> None:
    """The contract lives in docs/architecture.md; the first draft of it lived outside the repo."""
    suffixes = {".py", ".md", ".toml", ".yaml", ".yml", ".cfg", ".txt"}
    skip = {".git", ".venv", "node_modules", ".mypy_cache", ".ruff_cache", ".pytest_cache"}
    citing = [
        path.relative_to(ROOT)
        for path in ROOT.rglob("*")
        if path.suffix in suffixes
        and path.is_file()
        and not skip & set(path.relative_to(ROOT).parts)
        and path != DOC
        and "DESIGN" + ".md" in path.read_text(encoding="utf-8", errors="replace")
    ]
    assert citing == []
