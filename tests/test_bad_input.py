"""Issue 9's bad input through the file flow (`newsflow run`): each one is dead-lettered with its
specific reason, or enriched safely, and the run goes on to the good article after it.

The same bytes reach the same decode path as a Kafka message (flows/sources/files.py), so this
is the fast check of everything; tests/reliability/test_bad_input_kafka.py sends a subset through
the real broker."""

from __future__ import annotations

import base64
import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import CliRunner

from flows.cli import app
from flows.sinks.keys import safe_id
from flows.sources.files import read_file_payloads
from schemas import DeadLetter, EnrichedDocument, RawArticle
from schemas.raw import MAX_BODY_CHARS
from workers.decode import MAX_PAYLOAD_BYTES, decode_raw_article

pytestmark = pytest.mark.usefixtures("prefect_server")

GOOD = "The council of Lyon met on Tuesday to vote on the new tram budget, officials said."
XXE_HTML = (
    '<?xml version="1.0"?><!DOCTYPE html [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
    '<html><head><script>alert("pwned")</script><style>p{color:red}</style></head>'
    f'<body onload="steal()"><p>&xxe;</p><p>{GOOD}</p>'
    '<script>document.write("injected text")</script>'
    '<iframe src="http://evil.example/"></iframe></body></html>'
)
BILLION_LAUGHS = (
    '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    + "".join(
        f'<!ENTITY lol{n} "{f"&lol{n - 1};" * 10 if n > 2 else "&lol;" * 10}">'
        for n in range(2, 10)
    )
    + f"]><html><body><p>&lol9;</p><p>{GOOD}</p></body></html>"
)


def _paragraph(i: int) -> str:
    return (
        f"Paragraph {i}: the harbour board of Rotterdam met {i % 17} times with dock workers, "
        f"who said wages of {i * 3} euros were too low."
    )


def _json(obj: object) -> bytes:
    return json.dumps(obj).encode()


#: file name -> its bytes. Names say what each one is; the good article comes last.
BAD_FILES: dict[str, Callable[[], bytes]] = {
    "not_json.json": lambda: b"this is { not json",
    "not_utf8.txt": lambda: "Café owners in Lyon said the rent doubled.".encode("latin-1"),
    "mixed_encodings.txt": lambda: (
        "Zürich news\n".encode() + "Les élus de Genève ont voté.".encode("cp1252")
    ),
    "wrong_shape_list.json": lambda: _json([1, 2, 3]),
    "wrong_shape_types.json": lambda: _json({"body": 5, "title": ["x"]}),
    "extra_field.json": lambda: _json({"body": GOOD, "author": "someone"}),
    "missing_body.json": lambda: _json({"title": "A title and nothing else"}),
    "empty_body.json": lambda: _json({"title": "Empty", "body": "  \n\t "}),
    "empty.txt": lambda: b"",
    "deep_json.json": lambda: b'{"body": ' + b"[" * 100_000 + b"]" * 100_000 + b"}",
    "huge_50mb.json": lambda: _json({"title": "Huge", "body": "a" * 50_000_000}),
    "one_line_10mb.txt": lambda: b"One line\n" + b"The tram budget grew again. " * 360_000,
    "body_over_limit.json": lambda: _json({"body": "b" * (MAX_BODY_CHARS + 1)}),
    "control_title.json": lambda: _json({"title": "Bad\x01title", "body": GOOD}),
    "lone_surrogate.json": lambda: b'{"body": "The mayor \\ud800 said yes."}',
    "escape_id.json": lambda: _json({"id": "../../etc/passwd", "body": GOOD}),
    "escape_id_absolute.json": lambda: _json({"id": "/tmp/x/../../root", "body": GOOD + " Two."}),
    "escape_id_dots.json": lambda: _json({"id": "..", "body": GOOD + " Three."}),
    "escape_url.json": lambda: _json(
        {"url": "https://x.example/../../../etc/passwd?a=%2e%2e%2f", "body": GOOD + " Four."}
    ),
    "control_body.txt": lambda: (
        b'Title\nThe mayor of Lyon\x00 said \x1b[31m "we will build it\x07" on Tuesday.\x7f'
    ),
    "xxe.html": lambda: XXE_HTML.encode(),
    "billion_laughs.html": lambda: BILLION_LAUGHS.encode(),
    "deep_nested.html": lambda: (
        f"<html><body><p>{GOOD}</p>"
        + "<div>" * 100_000
        + "<p>Deep text.</p>"
        + "</div>" * 100_000
        + "</body></html>"
    ).encode(),
    "huge.html": lambda: (
        "<html><body>"
        + "".join(
            f'<div class="wrap"><nav><a href="/s/{i}">Section {i}</a></nav>'
            f'<p data-i="{i}">{_paragraph(i)}</p></div>'
            for i in range(6000)
        )
        + "</body></html>"
    ).encode(),
    "one_line_text.txt": lambda: (
        "Long line\n" + " ".join(_paragraph(i) for i in range(4000))
    ).encode(),
    "zz_good.txt": lambda: f"Tram budget approved\n{GOOD}\n\nThe vote was 31 to 12.".encode(),
}

#: file -> (stage, error type, words the reason must contain)
DEAD: dict[str, tuple[str, str, str]] = {
    "not_json.json": ("decode", "JSONDecodeError", "payload is not JSON"),
    "not_utf8.txt": ("decode", "UnicodeDecodeError", "payload is not UTF-8"),
    "mixed_encodings.txt": ("decode", "UnicodeDecodeError", "payload is not UTF-8"),
    "wrong_shape_list.json": ("validate", "ValidationError", "must be a JSON object"),
    "wrong_shape_types.json": (
        "validate",
        "ValidationError",
        "body: Input should be a valid string",
    ),
    "extra_field.json": ("validate", "ValidationError", "author: Extra inputs are not permitted"),
    "missing_body.json": ("validate", "ValidationError", "body: Field required"),
    "empty_body.json": ("validate", "ValidationError", "body is empty"),
    "empty.txt": ("validate", "ValidationError", "body is empty"),
    "deep_json.json": ("decode", "JSONDecodeError", "payload is not JSON"),
    "huge_50mb.json": ("decode", "PayloadTooLarge", f"the limit is {MAX_PAYLOAD_BYTES}"),
    "one_line_10mb.txt": ("decode", "PayloadTooLarge", f"the limit is {MAX_PAYLOAD_BYTES}"),
    "body_over_limit.json": (
        "validate",
        "ValidationError",
        f"body: String should have at most {MAX_BODY_CHARS} characters",
    ),
    "control_title.json": ("validate", "ValidationError", "title contains control characters"),
    "lone_surrogate.json": ("validate", "ValidationError", "body: Input should be a valid string"),
}

ENRICHED = set(BAD_FILES) - set(DEAD)


@dataclass
class BadRun:
    sink: Path
    seconds: float
    ids: dict[str, str]  # file name -> article id, for the files that decode

    def letters(self) -> dict[str, DeadLetter]:
        paths = self.sink.glob("dead/**/*.json")
        letters = [DeadLetter.model_validate_json(p.read_bytes()) for p in paths]
        return {Path(d.origin.path or "").name: d for d in letters}

    def documents(self) -> dict[str, EnrichedDocument]:
        """File name -> its enriched document (each parsed and validated, offsets included)."""
        paths = self.sink.glob("enriched/**/*.json")
        docs = {
            d.id: d for d in (EnrichedDocument.model_validate_json(p.read_bytes()) for p in paths)
        }
        return {name: docs[i] for name, i in self.ids.items() if i in docs}


@pytest.fixture(scope="module")
def bad_run(tmp_path_factory: pytest.TempPathFactory) -> BadRun:
    root = tmp_path_factory.mktemp("bad")
    source, sink = root / "in", root / "sandbox" / "out"
    source.mkdir()
    ids: dict[str, str] = {}
    for name, make in BAD_FILES.items():
        (source / name).write_bytes(make())
        (envelope,) = read_file_payloads(source / name)
        decoded = decode_raw_article(envelope.payload)
        if isinstance(decoded, RawArticle):
            ids[name] = decoded.id
    started = time.perf_counter()
    result = CliRunner().invoke(
        app, ["run", "--source", str(source), "--sink", str(sink), "--no-progress"]
    )
    seconds = time.perf_counter() - started
    assert result.exit_code == 0, result.output
    assert f"processed {len(BAD_FILES)} articles" in result.output
    return BadRun(sink, seconds, ids)


@pytest.mark.parametrize("name", sorted(DEAD))
def test_bad_input_is_dead_lettered_with_its_reason(bad_run: BadRun, name: str) -> None:
    letters = bad_run.letters()
    assert name in letters, f"{name} was not dead-lettered"
    letter = letters[name]
    stage, error_type, words = DEAD[name]
    assert (letter.stage.value, letter.error_type) == (stage, error_type), letter.reason
    assert words in letter.reason


def test_every_bad_file_is_accounted_for_and_the_run_goes_on(bad_run: BadRun) -> None:
    assert set(bad_run.letters()) == set(DEAD)
    assert set(bad_run.documents()) == ENRICHED
    assert GOOD in bad_run.documents()["zz_good.txt"].text
    assert bad_run.seconds < 300, f"the bad-input run took {bad_run.seconds:.0f} s"


def test_oversized_payloads_are_kept_only_in_part(bad_run: BadRun) -> None:
    """A 50 MB message must not become a 50 MB dead letter: its head is kept and flagged."""
    letter = bad_run.letters()["huge_50mb.json"]
    assert letter.payload_truncated and len(letter.payload) <= 1_000_000
    assert "payload is 50000" in letter.reason  # the real size is reported


def test_undecodable_bytes_are_kept_as_base64(bad_run: BadRun) -> None:
    letter = bad_run.letters()["not_utf8.txt"]
    assert letter.payload_encoding == "base64"
    assert base64.b64decode(letter.payload) == BAD_FILES["not_utf8.txt"]()


def test_ids_and_urls_cannot_escape_the_key_prefix(bad_run: BadRun) -> None:
    sink = bad_run.sink
    assert [p.name for p in sink.parent.iterdir()] == ["out"], "something was written beside"
    for path in sink.rglob("*"):
        assert path.resolve().is_relative_to(sink.resolve())
    docs = bad_run.documents()
    names = ("escape_id.json", "escape_id_absolute.json", "escape_id_dots.json", "escape_url.json")
    keys = {p.relative_to(sink).as_posix() for p in sink.glob("enriched/**/*.json")}
    for name in names:
        doc = docs[name]  # enriched, under a key of the form enriched/YYYY/MM/DD/<safe id>.json
        (key,) = [k for k in keys if k.endswith(f"/{safe_id(doc.id)}.json")]
        assert len(key.split("/")) == 5 and ".." not in key.split("/"), key
    assert docs["escape_id.json"].id == "../../etc/passwd"  # the id itself is kept in the document
    assert safe_id("../../etc/passwd").startswith("etc_passwd-")


def test_scripts_and_external_entities_never_reach_the_text(bad_run: BadRun) -> None:
    docs = bad_run.documents()
    for name in ("xxe.html", "billion_laughs.html"):
        text = docs[name].text
        assert GOOD in text
        for banned in ("root:", "/bin/", "pwned", "alert(", "injected", "<script", "steal()"):
            assert banned not in text, (name, banned, text[:200])
        assert len(text) < 2_000, f"{name}: entities were expanded into {len(text)} characters"


def test_control_characters_do_not_reach_the_text(bad_run: BadRun) -> None:
    text = bad_run.documents()["control_body.txt"].text
    assert "The mayor of Lyon" in text and "we will build it" in text
    assert not [c for c in text if ord(c) < 32 and c not in "\n\t"], repr(text)


def test_huge_and_deeply_nested_html_are_enriched_in_bounded_time(bad_run: BadRun) -> None:
    docs = bad_run.documents()
    assert GOOD in docs["deep_nested.html"].text
    assert _paragraph(5999) in docs["huge.html"].text
    assert _paragraph(1999) in docs["one_line_text.txt"].text
    for name in ("deep_nested.html", "huge.html", "one_line_text.txt"):
        seconds = docs[name].pipeline.seconds
        assert sum(seconds.values()) < 120, (name, seconds)


def test_producer_refuses_oversized_and_bad_files_with_the_reason(tmp_path: Path) -> None:
    """`newsflow produce` validates before it connects: nothing here reaches a broker."""
    for name in ("huge_50mb.json", "not_json.json", "escape_id.json"):
        (tmp_path / name).write_bytes(BAD_FILES[name]())
    result = CliRunner().invoke(
        app, ["produce", str(tmp_path / "huge_50mb.json"), str(tmp_path / "not_json.json")]
    )
    assert result.exit_code == 1
    assert "huge_50mb.json: PayloadTooLarge: payload is 50000" in result.output
    assert f"the limit is {MAX_PAYLOAD_BYTES}" in result.output
    assert "not_json.json: JSONDecodeError: payload is not JSON" in result.output
    assert "sent 0 articles" in result.output
