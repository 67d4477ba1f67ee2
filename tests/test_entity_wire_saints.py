"""The tenth session's entity rules, case by case on sentences written for the test: wire credits
and slash bylines, saints' names of hospitals and churches, heads no person bears, a year before a
law, and the word lists they read (languages, "<field> Canada" bodies, product and group nouns).

Hand-built Docs as in test_entities.py (the model's entities given explicitly).
"""
from __future__ import annotations

import pytest

from test_entities import cfg, found, make_doc, pipelines, run  # noqa: F401 (fixtures)


# --------------------------------------------------------------------------- wire credits, slash bylines

@pytest.mark.parametrize("text, ents, want", [
    ("Oil fell.\n(Reporting by Aiko Mori; Editing by Tom Hale)", [("Aiko Mori", "ORG"), ("Tom Hale", "PERSON")],
     [("Aiko Mori", "PERSON"), ("Tom Hale", "PERSON")]),
    ("Oil fell.\n(Reporting by Aiko Mori in Osaka and Raj Kumar Das; Writing by Lena Holt)",
     [("Aiko Mori", "PERSON"), ("Osaka", "GPE"), ("Raj Kumar Das", "GPE"), ("Holt", "PERSON")],
     [("Aiko Mori", "PERSON"), ("Osaka", "GPE"), ("Raj Kumar Das", "PERSON"), ("Lena Holt", "PERSON")]),
])
def test_the_names_of_wire_credits_are_people(pipelines, text, ents, want):
    assert found(run(pipelines, ["credits"], text, ents)) == want


def test_a_wire_credit_keeps_an_agencys_team(pipelines):
    text = "Oil fell.\n(Reporting by Aiko Mori and Reuters OPEC team; Editing by Tom Hale)"
    ents = [("Aiko Mori", "PERSON"), ("Reuters", "ORG"), ("OPEC", "ORG"), ("Tom Hale", "PERSON")]
    assert found(run(pipelines, ["credits"], text, ents)) == ents


def test_a_byline_with_a_slash_is_the_writer_and_the_agency(pipelines):
    text = "Rain stops play\nPriya Nair / TNN\nKOCHI: Rain washed out the day."
    doc = run(pipelines, ["credits"], text, [("Priya Nair / TNN", "ORG")])
    assert found(doc) == [("Priya Nair", "PERSON"), ("TNN", "ORG")]


@pytest.mark.parametrize("text", [
    "Rain stops play\nKochi Road / Ring Road\nTraffic was diverted.",     # a head word: no person
    "Prices rose by 5% in May, figures showed.",                          # no credit line at all
])
def test_other_slashes_and_bys_name_no_one(pipelines, text):
    assert found(run(pipelines, ["credits"], text, [])) == []


# --------------------------------------------------------------------------- saints' names

@pytest.mark.parametrize("text, ents, want", [
    ("Patients were moved to St Anne's General Hospital overnight.",
     [("St Anne", "PERSON"), ("General Hospital", "ORG")], [("St Anne's General Hospital", "FAC")]),
    ("Crowds gathered outside St Giles' Cathedral on Sunday.",
     [("St Giles", "PERSON"), ("Sunday", "DATE")], [("St Giles' Cathedral", "FAC")]),
])
def test_a_saints_name_opens_the_hospital_or_church_named_after_it(pipelines, text, ents, want):
    assert found(run(pipelines, ["outer_names", "heads"], text, ents)) == want


def test_a_persons_possessive_still_ends_a_name(pipelines):
    text = "Officials at Anne Reid's Training College spoke."
    ents = [("Anne Reid", "PERSON")]
    assert found(run(pipelines, ["outer_names", "heads"], text, ents))[0] == ("Anne Reid", "PERSON")


# --------------------------------------------------------------------------- heads

@pytest.mark.parametrize("text, ent, label, want", [
    ("Kerala reached the Deodhar Trophy final.", "Deodhar Trophy", "PERSON", "EVENT"),   # no one's name
    ("Wards at Milltown Royal Infirmary were closed.", "Milltown Royal Infirmary", "ORG", "FAC"),
    ("Both sides signed the Lome Declaration of Intent.", "Lome Declaration of Intent", "WORK_OF_ART", "LAW"),
])
def test_a_head_word_decides_the_kind(pipelines, text, ent, label, want):
    assert found(run(pipelines, ["heads"], text, [(ent, label)])) == [(ent, want)]


def test_a_title_still_keeps_a_person_before_a_head_no_person_bears(pipelines):
    text = "Mr Kevin Trophy resigned."
    assert found(run(pipelines, ["heads"], text, [("Kevin Trophy", "PERSON")])) == [("Kevin Trophy", "PERSON")]


def test_two_hospitals_joined_by_and_stay_two(pipelines):
    text = "The trust also runs Milltown General Infirmary and Oak Vale Hospital, it said."
    doc = run(pipelines, ["outer_names"], text, [("Milltown General Infirmary", "ORG")])
    assert found(doc) == [("Milltown General Infirmary", "ORG"), ("Oak Vale Hospital", "FAC")]


@pytest.mark.parametrize("text, ent, want", [
    ("Both states cite the 2016 Kigali Accord today.", "the 2016 Kigali Accord", ("Kigali Accord", "LAW")),
    ("Fans recall the 1998 World Cup fondly.", "the 1998 World Cup", ("1998 World Cup", "EVENT")),  # dates it
])
def test_a_year_before_a_law_is_no_part_of_its_name(pipelines, text, ent, want):
    assert found(run(pipelines, ["trim", "heads"], text, [(ent, "EVENT")])) == [want]


# --------------------------------------------------------------------------- word lists

@pytest.mark.parametrize("text, ents, want", [
    ("She answered in Marathi and Kannada.", [("Marathi", "ORG"), ("Kannada", "GPE")],
     [("Marathi", "LANGUAGE"), ("Kannada", "LANGUAGE")]),
    ("Statistics Canada said jobs rose.", [("Canada", "GPE")], [("Statistics Canada", "ORG")]),
    ("Environment and Climate Change Canada issued a warning.", [("Canada", "GPE")],
     [("Environment and Climate Change Canada", "ORG")]),
])
def test_the_gazetteer_knows_languages_and_canadian_bodies(pipelines, text, ents, want):
    assert found(run(pipelines, ["gazetteer"], text, ents)) == want


@pytest.mark.parametrize("text, ents, want", [
    ("Farmers sued over the Verdix weedkiller last year.", [("Verdix", "PERSON")], [("Verdix", "PRODUCT")]),
    ("Carers spoke to the advocacy group Fair Care Leeds on Monday.", [("Fair Care Leeds", "PERSON")],
     [("Fair Care Leeds", "ORG")]),
])
def test_product_and_group_nouns_say_what_a_name_names(pipelines, text, ents, want):
    assert found(run(pipelines, ["descriptors"], text, ents)) == want


def test_a_town_the_model_missed_after_through_is_a_place(pipelines):
    text = "Drivers were told to go through Kumasi instead."
    assert found(run(pipelines, ["cities"], text, [])) == [("Kumasi", "GPE")]


# --------------------------------------------------------------------------- found after entity_check10

def test_a_title_before_a_known_surname_is_no_part_of_the_name(pipelines):
    text = "The rules will help, Mrs Okafor said on Monday."
    assert found(run(pipelines, ["people"], text, [])) == [("Okafor", "PERSON")]


def test_a_seat_title_between_two_people_the_model_found_splits_seat_from_member(pipelines):
    text = "Dale County Sheriff Ray Mills said roads were shut."
    doc = run(pipelines, ["trim"], text, [("Dale County Sheriff", "PERSON"), ("Ray Mills", "PERSON")])
    assert found(doc) == [("Dale County", "GPE"), ("Ray Mills", "PERSON")]


@pytest.mark.parametrize("text, ent, want", [
    ("Raids spread to Ekiti State on Friday.", "Ekiti State", "GPE"),        # no person ends in "State"
    ("Cargo piled up at Tema Port overnight.", "Tema Port", "FAC"),
    ("Crews closed the Blue Ridge Parkway today.", "Blue Ridge Parkway", "FAC"),
])
def test_a_person_or_region_the_model_guessed_takes_its_last_words_kind(pipelines, text, ent, want):
    label = "PERSON" if "State" in ent else "LOC"
    assert found(run(pipelines, ["heads"], text, [(ent, label)])) == [(ent, want)]


def test_a_title_keeps_a_person_whose_name_ends_like_a_place(pipelines):
    text = "Mr Kevin County resigned."
    assert found(run(pipelines, ["heads"], text, [("Kevin County", "PERSON")])) == [("Kevin County", "PERSON")]


def test_a_town_of_two_words_wins_over_the_known_place_it_starts_with(pipelines):
    text = "Buses to Johor Bahru were full."                  # the gazetteer knows the state, Johor
    doc = run(pipelines, ["gazetteer", "cities"], text, [("Johor", "GPE")])
    assert found(doc) == [("Johor Bahru", "GPE")]


@pytest.mark.parametrize("text, want", [
    ("The Welsh Government and Plaid Cymru disagreed.", [("Welsh Government", "ORG"), ("Plaid Cymru", "ORG")]),
    ("He told BBC Sport Scotland after the game.", [("BBC Sport Scotland", "ORG")]),
])
def test_the_gazetteer_knows_devolved_bodies_and_broadcasters_outlets(pipelines, text, want):
    assert found(run(pipelines, ["gazetteer"], text, [])) == want


@pytest.mark.parametrize("text, ent, want", [
    ("Man of the match: Tom Hartley (Rovers)", "Tom Hartley (Rovers)", [("Tom Hartley", "PERSON"), ("Rovers", "ORG")]),
    ("The motion was moved by Emma Clarke (Labour) on Monday.", "Emma Clarke (Labour)",
     [("Emma Clarke", "PERSON"), ("Labour", "ORG")]),
])
def test_a_person_and_the_side_in_brackets_after_the_name_are_two_names(pipelines, text, ent, want):
    assert found(run(pipelines, ["people"], text, [(ent, "ORG")])) == want


def test_a_partys_bracketed_qualifier_stays_part_of_its_name(pipelines):
    text = "The Lok Janshakti Party (Ram Vilas) won two seats."
    ent = [("Lok Janshakti Party (Ram Vilas)", "ORG")]
    assert found(run(pipelines, ["people"], text, ent)) == ent
