"""The entity stage on the real seed article and on the news constructions it must get right."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from schemas import CleanedArticle, Entity, RawArticle, StageSettings
from workers.base import WorkItem
from workers.entities import EntityStage, entity_key, extract_entities
from workers.entities.pipeline import entity_nlp
from workers.nlp import load_nlp

MODEL = StageSettings().spacy_model


def _item(text: str, language: str | None = "en", article_id: str = "a") -> WorkItem:
    digest = hashlib.sha256(text.encode()).hexdigest()
    return WorkItem(
        raw=RawArticle(id=article_id, body=text),
        cleaned=CleanedArticle(id=article_id, text=text, content_hash=digest, language=language),
    )


def _entities(text: str) -> list[Entity]:
    return extract_entities(load_nlp(MODEL)(text))


def _by_name(entities: list[Entity], name: str) -> Entity:
    found = [e for e in entities if e.name == name]
    assert len(found) == 1, f"{name!r} not one entity in {[e.name for e in entities]}"
    return found[0]


@pytest.fixture(scope="module")
def seed(shared_seed: Path) -> tuple[str, list[Entity]]:
    body = shared_seed.read_text(encoding="utf-8").split("\n", 1)[1]
    item = _item(body)
    EntityStage(StageSettings())([item])
    return body, item.entities


def test_seed_putin_is_one_person_with_every_form(seed: tuple[str, list[Entity]]) -> None:
    text, entities = seed
    putin = _by_name(entities, "Vladimir Putin")
    assert putin.type == "PERSON"
    assert putin.key == "vladimir putin|PERSON"
    assert {m.text for m in putin.mentions} == {"Vladimir Putin", "Putin"}
    # every "Putin" in the text, possessive "Putin's" included, is in this one cluster
    assert putin.count == text.count("Putin")
    possessive = text.index("Putin's")
    assert any(m.start == possessive and m.text == "Putin" for m in putin.mentions)


def test_seed_people_places_and_organisations(seed: tuple[str, list[Entity]]) -> None:
    _, entities = seed
    assert _by_name(entities, "Volodymyr Zelensky").type == "PERSON"
    assert _by_name(entities, "Edgars Ringkevics").type == "PERSON"
    assert not [e for e in entities if "Ringkevics" in e.name and e.type != "PERSON"]
    assert _by_name(entities, "Associated Press").type == "ORG"
    assert _by_name(entities, "Kremlin").type == "ORG"
    for place in ("Russia", "Ukraine", "Kyiv", "Kharkiv"):
        assert _by_name(entities, place).type in {"GPE", "LOC"}, place
    assert _by_name(entities, "Latvian").type == "NORP"


def test_seed_times_acronym_and_short_name_cluster(seed: tuple[str, list[Entity]]) -> None:
    text, entities = seed
    nyt = _by_name(entities, "The New York Times")
    assert nyt.type == "ORG"
    assert {m.text for m in nyt.mentions} == {"NYT", "New York Times", "Times"}
    assert sum(m.text == "Times" for m in nyt.mentions) == text.count("Times") - 1
    us = _by_name(entities, "United States")
    assert {m.text for m in us.mentions} == {"U.S.", "US"}
    assert us.key == "united states|GPE"


def test_seed_offsets_index_the_text(seed: tuple[str, list[Entity]]) -> None:
    text, entities = seed
    assert [e.id for e in entities] == [f"e{i}" for i in range(1, len(entities) + 1)]
    for ent in entities:
        assert ent.count == len(ent.mentions)
        for m in ent.mentions:
            assert text[m.start : m.end] == m.text


def test_titles_possessives_and_articles_are_not_part_of_mentions() -> None:
    entities = _entities(
        "Estonian Prime Minister Kristen Michal met Mr. Delgado in Tallinn. "
        "Michal's spokesman said the Kremlin had not replied. Delgado said nothing."
    )
    michal = _by_name(entities, "Kristen Michal")
    assert michal.type == "PERSON" and {m.text for m in michal.mentions} == {
        "Kristen Michal",
        "Michal",
    }
    assert _by_name(entities, "Delgado").count == 2
    assert _by_name(entities, "Kremlin").mentions[0].text == "Kremlin"
    assert _by_name(entities, "Estonian").type == "NORP"


def test_acronym_of_a_long_name_joins_it() -> None:
    entities = _entities(
        "The European Central Bank lowered rates on Thursday. ECB President Christine Lagarde "
        "said the decision was unanimous."
    )
    ecb = _by_name(entities, "European Central Bank")
    assert {m.text for m in ecb.mentions} == {"European Central Bank", "ECB"}
    assert _by_name(entities, "Christine Lagarde").type == "PERSON"


def test_surname_goes_to_the_nearest_earlier_full_name() -> None:
    entities = _entities(
        "Joe Biden met reporters in Washington. Later, Hunter Biden arrived in Delaware. "
        "Biden declined to comment."
    )
    hunter = _by_name(entities, "Hunter Biden")
    assert "Biden" in {m.text for m in hunter.mentions}
    assert _by_name(entities, "Joe Biden").count == 1


def _types(entities: list[Entity]) -> dict[str, str]:
    return {e.name: e.type.value for e in entities}


def test_context_names_organisations_the_model_calls_people_or_places() -> None:
    types = _types(
        _entities(
            "The ride-hailing firm Bolt and the delivery app Glovo were fined in Spain. "
            "Klarna, the Swedish payments company, filed for a listing. "
            "Nigel Farage's Reform UK party won five seats."
        )
    )
    for org in ("Bolt", "Glovo", "Klarna", "Reform UK"):
        assert types.get(org) == "ORG", (org, types)
    assert types["Spain"] == "GPE"


def test_brand_style_capitals_and_described_brands_are_organisations() -> None:
    types = _types(
        _entities(
            "Regulators said Snapwire, the messaging app, must report how many children use it. "
            "Ola Brandt said ZentaQ would launch again after the social network X was fined."
        )
    )
    for org in ("Snapwire", "ZentaQ", "X"):
        assert types.get(org) == "ORG", (org, types)


def test_last_word_says_law_facility_school_or_competition() -> None:
    types = _types(
        _entities(
            "Ministers cited the Paris Agreement at the talks. The crew docked at the "
            "International Space Station. Pupils moved to Jefferson Elementary. "
            "Arsenal reached the Champions League semi-final."
        )
    )
    assert types["Paris Agreement"] == "LAW"
    assert types["International Space Station"] == "FAC"
    assert types["Jefferson Elementary"] == "ORG"
    assert types.get("Champions League", "EVENT") == "EVENT"


def test_place_in_a_club_name_stands_for_the_club_unless_used_as_a_place() -> None:
    entities = _entities(
        "Athletic Lisbon beat Varnok United 2-1 in the league match on Sunday. Lisbon scored "
        "twice before the break and the striker got the late goal. Fans celebrated in Lisbon "
        "until dawn. Berlin police said the night was calm."
    )
    club = _by_name(entities, "Athletic Lisbon")
    assert club.type == "ORG" and club.count == 2
    city = _by_name(entities, "Lisbon")
    assert city.type == "GPE" and city.count == 1
    assert _by_name(entities, "Berlin").type == "GPE"


def test_a_club_rule_needs_a_sports_report() -> None:
    entities = _entities(
        "Statistics Canada said on Friday that Canada's current account moved into surplus."
    )
    assert _by_name(entities, "Canada").type == "GPE"


def test_products_and_sentence_initial_common_nouns_are_not_organisations() -> None:
    entities = _entities(
        "Airbus grounded 30 A220 jets after 12 MAX planes were inspected. Army officers said "
        "the base was hit. The army later denied it. Nasa praised Boeing's Starliner capsule."
    )
    types = _types(entities)
    assert types.get("Starliner") in {None, "PRODUCT"}
    assert types.get("MAX") in {None, "PRODUCT"}
    assert "Army" not in types
    assert types["Airbus"] == "ORG"


def test_full_name_outvotes_model_org_guesses_for_the_surname() -> None:
    entities = _entities(
        "Claudia Sheinbaum won the vote. Sheinbaum, a former mayor, is the protege of the "
        "president. Biden called Sheinbaum on Monday."
    )
    person = _by_name(entities, "Claudia Sheinbaum")
    assert person.type == "PERSON" and person.count == 3


def test_appositives_and_descriptions_type_unknown_names_as_organisations() -> None:
    types = _types(
        _entities(
            "Investors backed Greyvale Robotics, a start-up from Leeds, on Monday. "
            "Veldra, a state-owned carrier, cut flights. "
            "The ferry operator Tarnwick cancelled sailings."
        )
    )
    for org in ("Greyvale Robotics", "Veldra", "Tarnwick"):
        assert types.get(org) == "ORG", (org, types)


def test_place_frames_make_unknown_names_places() -> None:
    types = _types(
        _entities(
            "Rebels shelled the village of Varnok on Monday. Troops camped near Ostrel, "
            "five km east of Brelina, and Mayor Tomas Kell said the roads were closed."
        )
    )
    for place in ("Varnok", "Ostrel", "Brelina"):
        assert types.get(place) == "GPE", (place, types)
    assert types.get("Tomas Kell") == "PERSON"
    assert "Mayor Tomas Kell" not in types


def test_wire_dateline_names_the_place_it_was_filed_from() -> None:
    types = _types(
        _entities(
            "VARNOK, Estoria 2024-03-02\n\nThe council approved the budget on Friday.\n\n"
            "KELLBURG (Reuters) - is not a dateline here."
        )
    )
    assert types.get("VARNOK") == "GPE" and types.get("Estoria") == "GPE", types


def test_key_is_normalised_name_and_type() -> None:
    assert entity_key("Volodymyr Zelensky", "PERSON") == "volodymyr zelensky|PERSON"
    assert entity_key("The New York Times", "ORG") == "new york times|ORG"
    assert entity_key("São Paulo", "GPE") == "sao paulo|GPE"


class _CountingNlp:
    """The real pipeline, with its `pipe` calls recorded."""

    def __init__(self) -> None:
        self.nlp = entity_nlp(MODEL)
        self.calls: list[tuple[list[str], int]] = []

    def pipe(self, texts: list[str], batch_size: int) -> object:
        texts = list(texts)
        self.calls.append((texts, batch_size))
        return self.nlp.pipe(texts, batch_size=batch_size)


def test_batch_is_parsed_with_one_pipe_call_and_docs_are_kept(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    counting = _CountingNlp()
    monkeypatch.setattr("workers.entities.stage.entity_nlp", lambda model: counting)
    items = [
        _item("Putin spoke in Moscow on Monday.", article_id="1"),
        _item("Angela Merkel visited Paris.", language=None, article_id="2"),
        _item("Olaf Scholz sprach am Montag in Berlin mit Journalisten.", "de", "3"),
        _item("The NATO summit opened in Vilnius.", article_id="4"),
    ]
    settings = StageSettings(nlp_batch_size=7)
    EntityStage(settings)(items)
    assert len(counting.calls) == 1
    texts, batch_size = counting.calls[0]
    assert batch_size == 7
    assert texts == [items[0].raw.body, items[1].raw.body, items[3].raw.body]
    for item in (items[0], items[1], items[3]):
        assert item.doc is not None and item.doc.text == item.raw.body
        assert item.entities
        # doc.ents mirror the corrected entities for the quote stage
        ents = {(e.start_char, e.end_char, e.label_) for e in item.doc.ents}
        for ent in item.entities:
            for m in ent.mentions:
                assert (m.start, m.end, ent.type.value) in ents
    # non-English: the English model is not run on it
    assert items[2].doc is None and items[2].entities == []


def test_long_texts_are_cut_before_parsing() -> None:
    sentence = "Vladimir Putin spoke to reporters in Moscow about the war in Ukraine. "
    text = sentence * 40
    item = _item(text)
    EntityStage(StageSettings(max_nlp_chars=1000))([item])
    assert item.doc is not None
    assert len(item.doc.text) <= 1000 and text.startswith(item.doc.text)
    assert all(m.end <= 1000 for e in item.entities for m in e.mentions)


def test_stage_replaces_earlier_output() -> None:
    item = _item("Emmanuel Macron flew to Berlin.")
    stage = EntityStage(StageSettings())
    stage([item])
    first = [e.model_dump() for e in item.entities]
    stage([item])
    assert [e.model_dump() for e in item.entities] == first


def test_rule_layers_are_pipeline_components_that_can_be_switched_off() -> None:
    from workers.entities.pipeline import STEPS, WRITER, rule_components_off

    nlp = entity_nlp(MODEL)
    names = [name for name, _, _ in STEPS]
    assert [n for n in nlp.pipe_names if n.startswith("newsflow_")] == [*names, WRITER]
    assert nlp.pipe_names.index("ner") < nlp.pipe_names.index(names[0])
    text = "VARNOK, Estoria 2024-03-02\n\nThe council approved the budget on Friday."
    on = {(e.text, e.label_) for e in nlp(text).ents}
    assert ("VARNOK", "GPE") in on
    with rule_components_off(nlp, ["newsflow_dateline"]):
        off = {(e.text, e.label_) for e in nlp(text).ents}
    assert ("VARNOK", "GPE") not in off
    with (
        pytest.raises(ValueError, match="not entity rule components"),
        rule_components_off(nlp, ["ner"]),
    ):
        pass


def test_title_is_never_part_of_a_person_name() -> None:
    entities = _entities(
        "Councillor Mara Lindqvist opened the hall. Chief executive Tomas Orrin spoke after her."
    )
    names = {e.name for e in entities if e.type == "PERSON"}
    assert "Mara Lindqvist" in names, names
    assert not any(n.split()[0].lower() in {"councillor", "chief", "executive"} for n in names)
