"""The quote stage on the real seed article and on the hard cases of quote marks."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from schemas import CleanedArticle, Quote, QuoteKind, RawArticle, StageSettings
from workers.base import WorkItem
from workers.entities import EntityStage
from workers.quotes import QuoteStage, extract_quotes
from workers.quotes.marks import find_marked_spans


def _item(text: str, language: str | None = "en") -> WorkItem:
    paragraphs = []
    pos = 0
    for block in text.split("\n\n"):
        paragraphs.append((pos, pos + len(block)))
        pos += len(block) + 2
    cleaned = CleanedArticle(
        id="t", text=text, paragraphs=paragraphs, content_hash="h", language=language
    )
    return WorkItem(raw=RawArticle(id="t", body=text), cleaned=cleaned)


def _run(text: str, *, entities: bool = True, language: str | None = "en") -> WorkItem:
    settings = StageSettings()
    item = _item(text, language)
    if entities:
        EntityStage(settings)([item])
    QuoteStage(settings)([item])
    return item


def _seed_text(path: Path) -> str:
    """The seed body as the cleaner lays it out: one paragraph per non-empty line."""
    body = path.read_text(encoding="utf-8").split("\n", 1)[1]
    return "\n\n".join(line.strip() for line in body.splitlines() if line.strip())


@pytest.fixture(scope="module")
def seed(shared_seed: Path) -> WorkItem:
    return _run(_seed_text(shared_seed))


def _direct(item: WorkItem) -> list[Quote]:
    return [q for q in item.quotes if q.kind is QuoteKind.DIRECT]


def _entity_name(item: WorkItem, entity_id: str | None) -> str | None:
    return next((e.name for e in item.entities if e.id == entity_id), None)


def test_seed_direct_quotes_and_speakers(seed: WorkItem) -> None:
    direct = _direct(seed)
    assert [q.text for q in direct] == [
        "He's actually willing to stop at the status quo,",
        "He's not willing to back down a meter.",
        "They have never honored any agreements, and have broken them as soon as they found it "
        "convenient.",
        "There will be peace when we achieve our goals,",
    ]
    official, meter, ringkevics, peace = direct
    assert official.speaker is not None and official.speaker.text == "a former Russian official"
    assert official.speaker.entity_id is None
    assert official.cue == "told"
    # The uncued sentence after an attributed quote belongs to the same speaker.
    assert meter.speaker == official.speaker
    assert ringkevics.speaker is not None
    assert _entity_name(seed, ringkevics.speaker.entity_id) == "Edgars Ringkevics"
    # one quote spanning both parts, from the first opening mark to the last closing mark
    text = seed.cleaned.text if seed.cleaned else ""
    assert text[ringkevics.start] == "“" and text[ringkevics.end - 1] == "”"
    assert (
        "Latvian President Edgars Ringkevics told the Times"
        in text[ringkevics.start : ringkevics.end]
    )
    assert peace.speaker is not None and peace.speaker.text == "Putin"
    assert _entity_name(seed, peace.speaker.entity_id) == "Vladimir Putin"


def test_seed_reported_speech(seed: WorkItem) -> None:
    indirect = [q for q in seed.quotes if q.kind is QuoteKind.INDIRECT]
    goals = [q for q in indirect if q.text.startswith("Russia's goals remained the same")]
    assert len(goals) == 1
    assert "no ceasefire until they were achieved" in goals[0].text
    assert goals[0].speaker is not None and goals[0].speaker.text == "Putin"
    assert _entity_name(seed, goals[0].speaker.entity_id) == "Vladimir Putin"
    assert goals[0].cue == "said"


def test_every_span_indexes_the_text(seed: WorkItem) -> None:
    text = seed.cleaned.text if seed.cleaned else ""
    for q in seed.quotes:
        if q.kind is QuoteKind.DIRECT:
            assert text[q.start] in "“\"‘'" and text[q.end - 1] in "”\"’'"
            for part in q.text.split(" "):
                assert part in text[q.start : q.end]
        else:
            assert text[q.start : q.end] == q.text
        if q.speaker is not None:
            assert text[q.speaker.start : q.speaker.end] == q.speaker.text


def test_apostrophes_are_not_quote_marks() -> None:
    text = (
        "Putin's allies don't expect the '90s to return, and the officials' mood is grim. "
        "It's rock 'n' roll, O'Brien's friends say."
    )
    assert find_marked_spans(text) == []
    assert extract_quotes(text, None, None, []) == []


def test_scare_quotes_titles_and_nicknames_are_not_quotes() -> None:
    text = (
        "The minister called the plan a \u201cfarce\u201d during the debate.\n\n"
        "She reviewed the novel \u201cThe Long Winter Road\u201d for the paper.\n\n"
        "Mike \u201cThe Hammer\u201d Doyle won the bout on Saturday."
    )
    item = _run(text)
    assert item.quotes == []


def test_straight_marks_multi_paragraph_and_pronoun_speaker() -> None:
    text = (
        "Maria Keller, the city's budget director, presented the figures on Monday.\n\n"
        '"We have cut where we could," she said. "The rest is up to the council.\n\n'
        '"Nobody wants higher fees, but the pipes are eighty years old."'
    )
    item = _run(text)
    direct = _direct(item)
    assert [q.text for q in direct] == [
        "We have cut where we could,",
        "The rest is up to the council. Nobody wants higher fees, but the pipes are eighty "
        "years old.",
    ]
    for q in direct:
        assert q.speaker is not None
        assert _entity_name(item, q.speaker.entity_id) == "Maria Keller"
        assert q.speaker.name == "Maria Keller"
    # the speaker is the mention that attributes the quote: the pronoun, where it stands
    first = direct[0].speaker
    assert first is not None and first.text == "she"
    assert text[first.start : first.end] == "she" and first.start > direct[0].end
    assert direct[0].cue == "said"
    assert text[direct[1].end - 1] == '"' and direct[1].end == len(text)


def test_quote_inside_quote_stays_one_quote() -> None:
    text = (
        "\u201cWhen he told me \u2018we are not leaving\u2019, I believed him,\u201d "
        "said Tom Reyes, a farmer from the valley."
    )
    item = _run(text)
    [quote] = item.quotes
    assert quote.text == "When he told me \u2018we are not leaving\u2019, I believed him,"
    assert quote.speaker is not None and quote.speaker.text == "Tom Reyes"


def test_non_english_gets_direct_quotes_without_speakers() -> None:
    text = (
        "\u00abNous ne reculerons pas devant cette menace\u00bb, a d\u00e9clar\u00e9 le ministre."
    )
    item = _run(text, entities=False, language="fr")
    [quote] = item.quotes
    assert quote.kind is QuoteKind.DIRECT and quote.speaker is None
    assert quote.text == "Nous ne reculerons pas devant cette menace"


def test_without_entity_stage_the_stage_parses_itself() -> None:
    item = _run("\u201cThe bridge will open in May,\u201d the mayor said.", entities=False)
    [quote] = item.quotes
    assert quote.speaker is not None and quote.speaker.text == "the mayor"


@pytest.mark.parametrize(
    "text",
    [
        "\u201c" * 10_000,
        '"' * 10_000,
        "'" * 10_000,
        ("\u201cunclosed " * 2000) + "\n\n" + ("\u201d stray " * 2000),
        ("He said \u201chi\u201d and " * 2000),
    ],
)
def test_pathological_inputs_return_fast(text: str) -> None:
    started = time.perf_counter()
    quotes = extract_quotes(text, None, None, [])
    assert time.perf_counter() - started < 2.0
    for q in quotes:
        assert 0 <= q.start < q.end <= len(text)


def test_pathological_input_through_the_stage_with_a_parse() -> None:
    """Thousands of unmatched and tiny quotes cost about what ordinary prose of the same length
    does (parse included), measured as a ratio in one run so a loaded machine cannot fail it:
    a quadratic walk over the marks would cost hundreds of times more."""
    text = ('He said "' * 3000) + "\n\n" + ("\u201cok\u201d, she said. " * 1500)
    sentence = "The harbour board met on Monday and said the pier would open in May. "
    prose = (sentence * (len(text) // len(sentence) + 1))[: len(text)]
    _run(prose[:2000], entities=False)  # load the model outside the timing

    started = time.perf_counter()
    _run(prose, entities=False)
    ordinary = time.perf_counter() - started
    started = time.perf_counter()
    item = _run(text, entities=False)
    pathological = time.perf_counter() - started

    assert pathological < 5 * ordinary, f"{pathological:.1f} s against {ordinary:.1f} s"
    for q in item.quotes:
        assert 0 <= q.start < q.end <= len(text)


def test_partial_quotes_inside_a_sentence_are_direct_quotes() -> None:
    """Mixed quotation: a quoted fragment of 3+ words inside a reported clause, after a verb of
    characterising or a participle, is the speaker's words; the reported clause stays too."""
    text = (
        "Councillor Ada Brenner said the new tariff was \u201ca tax on the poorest families\u201d "
        "and would be challenged.\n\n"
        "The union leader, Tomas Varga, called the offer \u201can insult to every driver\u201d on "
        "Tuesday.\n\n"
        "Varga left the room early, saying the talks had become "
        "\u201ca waste of everyone's time.\u201d"
    )
    item = _run(text)
    direct = _direct(item)
    assert [q.text for q in direct] == [
        "a tax on the poorest families",
        "an insult to every driver",
        "a waste of everyone's time.",
    ]
    names = [q.speaker.name if q.speaker else None for q in direct]
    assert names == ["Ada Brenner", "Tomas Varga", "Tomas Varga"]
    # the participle's speaker is the subject of the clause it hangs on, as written there
    assert direct[2].speaker is not None and direct[2].speaker.text == "Varga"
    reported = [q for q in item.quotes if q.kind is QuoteKind.INDIRECT]
    assert any("the new tariff was" in q.text for q in reported)


def test_dash_source_line_attributes_the_quote() -> None:
    """Reader and commentary roundups: the quote, then a dash and the source's name."""
    text = (
        "Readers told us what they think of the new stadium.\n\n"
        "\u201cIt is far too expensive for a town of this size and nobody asked us.\u201d \u2015 "
        "Helen Marsh\n\n"
        "\u201cFinally a place where our children can play on real grass.\u201d \u2014 "
        "Rafael Ortiz, The Valley Courier"
    )
    item = _run(text)
    direct = _direct(item)
    assert len(direct) == 2
    assert [q.speaker.text if q.speaker else None for q in direct] == [
        "Helen Marsh",
        "Rafael Ortiz",
    ]


def test_curly_marks_inside_a_straight_quote_are_a_quote_within_it() -> None:
    text = (
        "Mara Quist spoke after the hearing.\n\n"
        '"They keep telling us \u201cwait until next year\u201d and we are tired of waiting," '
        "Quist said."
    )
    [quote] = _direct(_run(text))
    assert (
        quote.text
        == "They keep telling us \u201cwait until next year\u201d and we are tired of waiting,"
    )
    assert quote.speaker is not None and quote.speaker.name == "Mara Quist"


def test_participle_speaker_is_the_clause_subject_not_its_object() -> None:
    text = (
        "Senator Lena Holt turned to the minister before asking him, "
        "\u201cWho will pay for the new bridge?\u201d"
    )
    [quote] = _direct(_run(text))
    assert quote.speaker is not None and quote.speaker.name == "Lena Holt"


def test_reported_questions_requests_and_split_clauses() -> None:
    text = (
        "Mayor Tom Brandt asked whether the council had read the report.\n\n"
        "He told his staff to prepare a new budget by Friday.\n\n"
        "The old plant was profitable, Brandt said, until the prices of steel collapsed."
    )
    reported = [q.text for q in _run(text).quotes if q.kind is QuoteKind.INDIRECT]
    assert "whether the council had read the report" in reported
    assert "his staff to prepare a new budget by Friday" in reported
    # one span over both parts of the clause, the cue inside it
    assert any(
        r.startswith("The old plant was profitable") and r.endswith("collapsed") for r in reported
    )


def test_show_and_book_titles_with_a_comma_inside_the_marks_are_not_quotes() -> None:
    text = (
        "Senator Ruth Calder said on \u201cThe Sunday Morning Report,\u201d that the bill "
        "would pass.\n\n"
        "\u201cWe have the votes and we will use them,\u201d Calder said."
    )
    assert [q.text for q in _direct(_run(text))] == ["We have the votes and we will use them,"]
