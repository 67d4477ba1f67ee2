"""The seventeenth session's entity rules, case by case on sentences written for the test: laws cited
with their year, ministries named for a list of fields, a state lawmaker's home town, meetings the
model took for places, more kind words (railway lines, plants, regions, compacts, tribes, places of
worship), kind-first names over a person, ranks after a person's name, Korean districts, and the
words that place a town.

Hand-built Docs as in test_entities.py (the model's entities given explicitly).
"""
from __future__ import annotations

import pytest

from test_entities import cfg, found, make_doc, pipelines, run  # noqa: F401 (fixtures)


# --------------------------------------------------------------------------- a law and its year

@pytest.mark.parametrize("text, model, want", [
    ("Ministers amended the Housing and Planning Act 2016 last year.", [("Housing and Planning Act 2016", "ORG")],
     [("Housing and Planning Act 2016", "LAW")]),
    ("The Companies Act 2006 applies here.", [("Companies Act 2006", "ORG")], [("Companies Act 2006", "LAW")]),
    # a year after another kind of name changes nothing
    ("Delegates flew to Expo 2020 in Dubai.", [("Expo 2020", "EVENT"), ("Dubai", "GPE")],
     [("Expo 2020", "EVENT"), ("Dubai", "GPE")]),
    ("Fans of Class 1998 Records queued.", [("Class 1998 Records", "ORG")], [("Class 1998 Records", "ORG")]),
])
def test_a_law_cited_with_its_year_is_a_law(pipelines, text, model, want):
    assert found(run(pipelines, ["heads"], text, model)) == want


# --------------------------------------------------------------------------- fields of a ministry

@pytest.mark.parametrize("text, model, want", [
    # the model cut the name at its first comma, where a known body's name ends
    ("The Department of Justice, Equality and Law Reform objected on Monday.", [("Department of Justice", "ORG")],
     [("Department of Justice, Equality and Law Reform", "ORG")]),
    # ... or at its "and"
    ("A spokesman for the Department of Housing, Local Government and Heritage declined.",
     [("Department of Housing, Local Government", "ORG"), ("Heritage", "ORG")],
     [("Department of Housing, Local Government and Heritage", "ORG")]),
    # companies listed after a bank are no fields
    ("Bank of America, Citi and Wells Fargo rose.", [("Bank of America", "ORG"), ("Citi", "ORG"), ("Wells Fargo", "ORG")],
     [("Bank of America", "ORG"), ("Citi", "ORG"), ("Wells Fargo", "ORG")]),
])
def test_a_body_named_for_a_list_of_fields_is_one_name(pipelines, text, model, want):
    assert found(run(pipelines, ["gazetteer", "outer_names"], text, model)) == want


# --------------------------------------------------------------------------- "D-Tucson"

def test_a_state_lawmakers_home_town_after_the_party_letter_is_a_place(pipelines):
    text = "Rep. Ana Ruiz, D-Tucson, said the bill failed; Sen. Jo Hale, R-Queen Creek, agreed."
    doc = run(pipelines, ["state_abbreviations"], text,
              [("Ana Ruiz", "PERSON"), ("Jo Hale", "PERSON"), ("R-Queen Creek", "LOC")])
    assert found(doc) == [("Ana Ruiz", "PERSON"), ("Tucson", "GPE"), ("Jo Hale", "PERSON"), ("Queen Creek", "GPE")]


@pytest.mark.parametrize("text, model", [
    # a state stays the state rule's; a letter and a word elsewhere are no lawmaker's town
    ("Sen. Amy Lund, D-Minn., said so.", [("Amy Lund", "PERSON"), ("Minn.", "GPE")]),
    ("The vitamin D-Rich Foods list grew.", []),
])
def test_a_party_letter_without_a_town_after_it_names_none(pipelines, text, model):
    assert found(run(pipelines, ["state_abbreviations"], text, model)) == model


# --------------------------------------------------------------------------- meetings

@pytest.mark.parametrize("model_label, want", [("FAC", "EVENT"), ("PERSON", "EVENT"), ("ORG", "ORG")])
def test_a_conference_the_model_took_for_a_place_or_person_is_an_event(pipelines, model_label, want):
    text = "Ministers met at the Harbour Recovery Conference in Rome."
    doc = run(pipelines, ["heads"], text, [("Harbour Recovery Conference", model_label), ("Rome", "GPE")])
    assert found(doc) == [("Harbour Recovery Conference", want), ("Rome", "GPE")]


# --------------------------------------------------------------------------- kind words

@pytest.mark.parametrize("text, name, model_label, want", [
    ("Trains on the Ginza Line were halted.", "Ginza Line", "ORG", "FAC"),
    ("The Sanyo Shinkansen reopened at noon.", "Sanyo Shinkansen", "PERSON", "FAC"),
    ("Sewage from the Kelvin Wastewater Treatment Works reached the river.", "Kelvin Wastewater Treatment Works",
     "ORG", "FAC"),
    ("Graziers in the Channel Country moved cattle.", "Channel Country", "ORG", "LOC"),
    ("States signed the Delaware River Compact long ago.", "Delaware River Compact", "ORG", "LAW"),
    ("Pilgrims crowded the Lotus Pagoda at dawn.", "Lotus Pagoda", "ORG", "FAC"),
])
def test_a_kind_word_at_the_end_gives_the_kind(pipelines, text, name, model_label, want):
    assert found(run(pipelines, ["heads"], text, [(name, model_label)])) == [(name, want)]


@pytest.mark.parametrize("text, name, want", [
    ("Tourists visited Wat Arun at dusk.", "Wat Arun", "FAC"),
    ("Boats crowded Lake Powell all summer.", "Lake Powell", "LOC"),
    # a kind word that is also a surname never turns a person into a place
    ("The actor Nathan Lane arrived.", "Nathan Lane", "PERSON"),
])
def test_a_place_named_kind_first_is_no_person(pipelines, text, name, want):
    assert found(run(pipelines, ["heads"], text, [(name, "PERSON")])) == [(name, want)]


def test_a_person_ending_a_run_of_capitals_keeps_a_surname_that_is_a_kind_word(pipelines):
    text = "Cocobod Chief Executive Dr Randy Abbey said prices would rise."
    doc = run(pipelines, ["outer_names"], text, [("Cocobod", "ORG"), ("Randy Abbey", "PERSON")])
    assert found(doc) == [("Cocobod", "ORG"), ("Randy Abbey", "PERSON")]


def test_the_words_of_a_tribal_nation_make_one_organisation(pipelines):
    text = "Leaders of the Colorado River Indian Tribes objected."
    doc = run(pipelines, ["outer_names"], text, [("Colorado River", "LOC"), ("Indian Tribes", "NORP")])
    assert found(doc) == [("Colorado River Indian Tribes", "ORG")]


# --------------------------------------------------------------------------- ranks after a name

@pytest.mark.parametrize("text, model, want", [
    ("Counsel for the residents, Sipho Ramokgadi SC, told the court.", [("Sipho Ramokgadi SC", "ORG")],
     [("Sipho Ramokgadi", "PERSON")]),
    ("The barrister Jane Doe KC argued otherwise.", [("Jane Doe KC", "PERSON")], [("Jane Doe", "PERSON")]),
    # a club's suffix after a town's name is the club
    ("Fans of Orlando City SC cheered.", [("Orlando City SC", "ORG")], [("Orlando City SC", "ORG")]),
])
def test_a_rank_after_a_persons_name_is_no_part_of_it(pipelines, text, model, want):
    assert found(run(pipelines, ["trim"], text, model)) == want


def test_a_rank_the_model_read_apart_is_no_organisation(pipelines):
    text = "The barrister Jane Doe KC argued otherwise."
    doc = run(pipelines, ["trim", "acronyms"], text, [("Jane Doe", "PERSON"), ("KC", "ORG")])
    assert found(doc) == [("Jane Doe", "PERSON")]


# --------------------------------------------------------------------------- Korean districts

def test_a_korean_district_with_its_kind_glued_on_is_a_place(pipelines):
    text = "The fab in Wonsam-myeon, Cheoin-gu, lies near Namsa-eup in Gyeonggi-do."
    doc = run(pipelines, ["heads"], text, [("Wonsam-myeon", "PERSON"), ("Cheoin-gu", "PERSON"), ("Namsa", "PERSON"),
                                           ("Gyeonggi", "GPE")])
    assert found(doc) == [("Wonsam-myeon", "GPE"), ("Cheoin-gu", "GPE"), ("Namsa-eup", "GPE"), ("Gyeonggi-do", "GPE")]


def test_a_korean_district_inside_a_longer_name_leaves_it_whole(pipelines):
    text = "The Gyeonggi-do Office said so."
    doc = run(pipelines, ["heads"], text, [("Gyeonggi-do Office", "ORG")])
    assert found(doc) == [("Gyeonggi-do Office", "ORG")]


# --------------------------------------------------------------------------- words that place a town

@pytest.mark.parametrize("text, town", [
    ("Lorries now go through Kisumu to reach the port.", "Kisumu"),
    ("The people of Kilcoole are being asked to absorb more traffic.", "Kilcoole"),
    ("Residents of Kisumu queued for water.", "Kisumu"),
])
def test_a_town_the_model_took_for_a_body_is_placed_by_the_words_before_it(pipelines, text, town):
    assert found(run(pipelines, ["cities"], text, [(town, "ORG")])) == [(town, "GPE")]


def test_a_town_named_body_after_of_stays_a_body(pipelines):
    text = "Shares of Kisumu rose after the results."
    assert found(run(pipelines, ["cities"], text, [("Kisumu", "ORG")])) == [("Kisumu", "ORG")]


# --------------------------------------------------------------------------- what a river is not named

def test_a_river_and_what_its_water_is_for_stay_two_names(pipelines):
    text = "Pipes will draw water from the Nam River for the Hanbit complex next year."
    doc = run(pipelines, ["outer_names"], text, [("Nam River", "LOC"), ("Hanbit", "ORG")])
    assert found(doc) == [("Nam River", "LOC"), ("Hanbit", "ORG")]


# --------------------------------------------------------------------------- languages in a list

def test_known_peoples_listed_with_a_language_and_no_noun_after_are_languages(pipelines):
    text = "Signs are printed in English, Chinese and Korean at every station."
    doc = run(pipelines, ["gazetteer", "demonyms"], text, [("English", "LANGUAGE"), ("Chinese", "NORP"), ("Korean", "NORP")],
              pos={"at": "ADP"})
    assert found(doc) == [("English", "LANGUAGE"), ("Chinese", "LANGUAGE"), ("Korean", "LANGUAGE")]


def test_known_peoples_listed_before_a_noun_stay_peoples(pipelines):
    text = "Officials met English, French and German officials."
    doc = run(pipelines, ["gazetteer", "demonyms"], text, [("English", "LANGUAGE"), ("French", "NORP"), ("German", "NORP")])
    assert found(doc) == [("English", "LANGUAGE"), ("French", "NORP"), ("German", "NORP")]


def test_a_town_after_in_is_no_language(pipelines):
    text = "Strikes hit facilities in Odesa and Mykolaiv oblasts."
    doc = run(pipelines, ["demonyms"], text, [("Odesa", "NORP")], pos={"and": "CCONJ"})
    assert found(doc) == [("Odesa", "NORP")]


# --------------------------------------------------------------------------- a plural verb after a list

def test_a_plural_verb_after_a_list_leaves_its_last_person_a_person(pipelines):
    text = "Sarah Hale and her husband Tom have spent four days moving cattle."
    doc = run(pipelines, ["context"], text, [("Sarah Hale", "PERSON"), ("Tom", "PERSON")], pos={"have": "AUX"})
    assert found(doc) == [("Sarah Hale", "PERSON"), ("Tom", "PERSON")]


def test_a_plural_verb_after_one_name_still_makes_it_a_side(pipelines):
    text = "Yesterday McLaren have won again."
    doc = run(pipelines, ["context"], text, [("McLaren", "PERSON")], pos={"have": "AUX"})
    assert found(doc) == [("McLaren", "ORG")]


# --------------------------------------------------------------------------- a capital inside one word

@pytest.mark.parametrize("word, want", [("AgForce", "ORG"), ("AgriWest", "ORG"), ("McKenzie", "PERSON"),
                                        ("DeShawn", "PERSON"), ("LaToya", "PERSON")])
def test_one_word_with_a_capital_inside_is_a_body_unless_a_name_opens_so(pipelines, word, want):
    text = f"Yesterday {word} said the losses were heavy."
    assert found(run(pipelines, ["context"], text, [(word, "PERSON")])) == [(word, want)]


# --------------------------------------------------------------------------- bodies named kind first

@pytest.mark.parametrize("text, model, want", [
    ("Hundreds of farmers from the Federación Agraria Pampeana protested in the streets.", [("Pampeana", "GPE")],
     [("Federación Agraria Pampeana", "ORG")]),
    ("Crews from Voltra Lviv Electric Networks restored power.", [("Voltra", "ORG"), ("Lviv Electric Networks", "ORG")],
     [("Voltra Lviv Electric Networks", "ORG")]),
])
def test_a_body_named_kind_first_or_by_its_networks_is_one_organisation(pipelines, text, model, want):
    assert found(run(pipelines, ["outer_names"], text, model)) == want


# --------------------------------------------------------------------------- more kind words

@pytest.mark.parametrize("text, name, model_label, want", [
    ("Crowds filled Wexford Field for the final.", "Wexford Field", "ORG", "FAC"),
    ("Fans of Burton Albion sang.", "Burton Albion", "PERSON", "ORG"),
    ("Residents of Chevy Court Estate were trapped.", "Chevy Court Estate", "ORG", "FAC"),
    ("Ships docked at Khalifa Port overnight.", "Khalifa Port", "PERSON", "FAC"),
    ("Flights on Calm Air resumed.", "Calm Air", "PERSON", "ORG"),
    ("The Lunar Gateway Telescope reached orbit.", "Lunar Gateway Telescope", "PERSON", "PRODUCT"),
    ("Its Wide Field Instrument passed tests.", "Wide Field Instrument", "ORG", "PRODUCT"),
    # a surname that is a kind word stays a person's
    ("The actor Sally Field arrived.", "Sally Field", "PERSON", "PERSON"),
])
def test_more_kind_words_give_the_kind(pipelines, text, name, model_label, want):
    assert found(run(pipelines, ["heads"], text, [(name, model_label)])) == [(name, want)]


def test_a_utility_named_for_its_power_is_a_company(pipelines):
    text = "Crews from Prairie Hydro restored power."
    assert found(run(pipelines, ["context"], text, [("Prairie Hydro", "PERSON")])) == [("Prairie Hydro", "ORG")]


# --------------------------------------------------------------------------- a byline

def test_a_title_case_name_in_a_byline_is_the_writer(pipelines):
    text = "Fires spread\n2026-05-21\nBy Shannon Flett\nCrews fought the fire."
    doc = run(pipelines, ["credits"], text, [("Shannon Flett", "FAC")])
    assert found(doc) == [("Shannon Flett", "PERSON")]


def test_a_known_agency_in_a_byline_stays_the_agency(pipelines):
    text = "Fires spread\n2026-05-21\nBy Canadian Press\nCrews fought the fire."
    doc = run(pipelines, ["gazetteer", "credits"], text, [("Canadian Press", "ORG")])
    assert found(doc) == [("Canadian Press", "ORG")]


# --------------------------------------------------------------------------- towns in a list

def test_two_towns_the_model_read_as_one_name_are_two_places(pipelines):
    text = "Warnings were issued for Thompson, Flin Flon and nearby areas."
    doc = run(pipelines, ["place_pairs"], text, [("Thompson, Flin Flon", "ORG")])
    assert found(doc) == [("Thompson", "GPE"), ("Flin Flon", "GPE")]


def test_a_town_named_like_a_lake_in_a_list_of_towns_is_a_town(pipelines):
    text = "Warnings were issued for Thompson, Flin Flon, Snow Lake and other towns."
    doc = run(pipelines, ["outer_names", "cities"], text, [("Thompson", "GPE"), ("Flin Flon", "GPE")])
    assert found(doc) == [("Thompson", "GPE"), ("Flin Flon", "GPE"), ("Snow Lake", "GPE")]
