"""Knowledge the entity rules read from generated data files: the ISO 3166-2 subdivisions
(gazetteer/subdivisions.yaml, scripts/build_subdivisions.py) and the given names of many countries
(given_names.txt, scripts/build_given_names.py), case by case on sentences written for the test.
"""
from __future__ import annotations

import pytest

from pipeline import entities
from test_entities import cfg, found, model_and_rules, pipelines, run  # noqa: F401 (fixtures)


# --------------------------------------------------------------------------- subdivisions

@pytest.mark.parametrize("text, ent, label, want, kb_id", [
    ("Floods cut roads in Badakhshan overnight.", "Badakhshan", "ORG", "Badakhshan", "iso3166-2:AF-BDS"),
    ("Floods cut roads in Badakhshān overnight.", "Badakhshān", "PERSON", "Badakhshān", "iso3166-2:AF-BDS"),
    ("Farmers in Aberdeenshire voted against it.", "Aberdeenshire", "NORP", "Aberdeenshire", "iso3166-2:GB-ABD"),
    ("Tourism in Lapland grew.", "Lapland", "ORG", "Lapland", "iso3166-2:FI-10"),  # iso-codes' English name
    ("Tourism in Lappi grew.", "Lappi", "ORG", "Lappi", "iso3166-2:FI-10"),        # and ISO's own
    ("Voters in Ogun queued.", "Ogun", "WORK_OF_ART", "Ogun", "iso3166-2:NG-OG"),   # four letters, no word
])
def test_a_subdivision_the_model_took_for_something_else_is_a_place(pipelines, text, ent, label, want, kb_id):
    doc = run(pipelines, ["gazetteer", "norms"], text, [(ent, label)])
    assert found(doc) == [(want, "GPE")]
    assert doc.ents[0].kb_id_ == kb_id


def test_a_subdivision_the_model_missed_is_found(pipelines):
    doc = run(pipelines, ["gazetteer"], "Rain is forecast for Cambridgeshire and Nunavut.")
    assert found(doc) == [("Cambridgeshire", "GPE"), ("Nunavut", "GPE")]


@pytest.mark.parametrize("text, ent, label", [
    ("Angus said the vote was close.", "Angus", "PERSON"),          # a Scottish council, and a given name
    ("Brandenburg said the vote was close.", "Brandenburg", "PERSON"),  # a German state, and a surname
    ("Walkers flocked to the Lakes in May.", "Lakes", "LOC"),           # a South Sudan state, and a word
])
def test_a_subdivision_that_is_also_a_persons_name_or_a_word_is_not_imposed(pipelines, cfg, text, ent, label):
    assert entities.load_gazetteer((cfg["subdivisions"],)).lookup(ent).force is False
    assert found(run(pipelines, ["gazetteer"], text, [(ent, label)])) == [(ent, label)]


def test_the_curated_gazetteers_keep_their_names_and_identifiers(cfg):
    curated = entities.load_gazetteer(tuple(cfg["gazetteers"]))
    full = entities.load_gazetteer((*cfg["gazetteers"], cfg["subdivisions"]))
    for name in ("Texas", "Bavaria", "Sichuan", "Punjab"):  # ISO 3166-2 subdivisions too
        assert full.lookup(name) == curated.lookup(name) and full.lookup(name).kb_id == entities.slug(name)
    assert full.lookup("Helmand").kb_id == "iso3166-2:AF-HEL"


# --------------------------------------------------------------------------- international given names

@pytest.mark.parametrize("text, ent, label", [
    ("The minister, Kwabena Asomani, resigned.", "Kwabena Asomani", "ORG"),
    ("Talks led by Siobhan Breathnach ended.", "Siobhan Breathnach", "GPE"),
    ("A report by Tomasz Wieczorkowski was leaked.", "Tomasz Wieczorkowski", "NORP"),
])
def test_a_given_name_of_another_country_opens_a_person(pipelines, text, ent, label):
    doc = run(pipelines, ["people"], text, [(ent, label)])
    assert found(doc) == [(ent, "PERSON")]


def test_an_international_given_name_does_not_make_a_company_a_person(pipelines):
    text = "Shares of Kwabena Holdings rose after Kwabena Asomani resigned."
    ents = [("Kwabena Holdings", "ORG"), ("Kwabena Asomani", "ORG")]
    assert found(run(pipelines, ["people"], text, ents)) == [("Kwabena Holdings", "ORG"), ("Kwabena Asomani", "PERSON")]


def test_the_international_given_names_leave_out_the_us_lists(cfg):
    names = entities.load_name_list(cfg["international_given_names"])
    assert {"Kwabena", "Siobhan", "Tomasz", "Joaquín", "Joaquin", "Bjørn", "Bjorn"} <= names
    # only in Faker's en_US list ("Diamond", "Autumn": words as often as names), and no letters lost
    assert not {"Diamond", "Autumn", "Dakota", "Golden", "Bjrn", "Aalheiur"} & names



# --------------------------------------------------------------------------- with the model

def test_the_model_and_the_rules_find_subdivisions_and_people_of_other_countries(model_and_rules):
    text = ("Flash floods cut the road to Faryab on Friday. Wanjiru Kamau, a county official, said "
            "crews from Ogun had arrived. Mining output in Sonora rose.")
    got = model_and_rules(text)
    assert {("Faryab", "GPE"), ("Wanjiru Kamau", "PERSON"), ("Ogun", "GPE"), ("Sonora", "GPE")} <= set(got)


@pytest.mark.parametrize("text, model, want", [
    ("Snow closed passes across the Sierra Nevada overnight.", [], [("Sierra Nevada", "LOC")]),
    ("Floods swept the Brahmaputra valley.", [("Brahmaputra", "ORG")], [("Brahmaputra", "LOC")]),
    ("Barges idled on the Vistula River.", [("Vistula River", "GPE")], [("Vistula River", "LOC")]),
])
def test_a_great_mountain_range_or_river_is_a_natural_place(pipelines, text, model, want):
    assert found(run(pipelines, ["gazetteer"], text, model)) == want


# --------------------------------------------------------------------------- peoples, islands, exchanges, railways

@pytest.mark.parametrize("text, model, want", [
    ("Yoruba leaders in Lagos objected.", [("Yoruba", "GPE"), ("Lagos", "GPE")], [("Yoruba", "NORP"), ("Lagos", "GPE")]),
    ("Luhya elders met on Friday.", [("Luhya", "PERSON")], [("Luhya", "NORP")]),
    ("Ferries to Kyushu and Shikoku were cancelled.", [("Kyushu", "ORG"), ("Shikoku", "PERSON")],
     [("Kyushu", "LOC"), ("Shikoku", "LOC")]),
    ("Shares listed on Euronext Dublin fell.", [("Euronext Dublin", "PERSON")], [("Euronext Dublin", "ORG")]),
    ("JR Shikoku suspended limited express services.", [("JR Shikoku", "PERSON")], [("JR Shikoku", "ORG")]),
    ("An Bord Pleanála refused permission.", [("Bord Pleanála", "PERSON")], [("An Bord Pleanála", "ORG")]),
    # the people's language stays the model's
    ("The notice was read in Yoruba.", [("Yoruba", "LANGUAGE")], [("Yoruba", "LANGUAGE")]),
])
def test_a_known_people_island_exchange_railway_or_state_body_takes_its_kind(pipelines, text, model, want):
    assert found(run(pipelines, ["trim", "gazetteer"], text, model)) == want


@pytest.mark.parametrize("text, ent", [
    ("The report by Maya Castellanos was leaked.", "Maya Castellanos"),
    ("Counsel Ana Flores objected.", "Ana Flores"),
])
def test_a_people_or_island_named_like_a_persons_name_is_left_out(pipelines, cfg, text, ent):
    gazetteer = entities.load_gazetteer(tuple(cfg["gazetteers"]))
    assert all(gazetteer.lookup(word) is None for word in ent.split())
    assert found(run(pipelines, ["gazetteer", "people"], text, [(ent, "ORG")])) == [(ent, "PERSON")]
