"""The eleventh session's entity rules, case by case on sentences written for the test: AP's party and
state after a lawmaker, storms named in full, units named by their number, councils that act, laws
whose titles list their subjects or end in a year, outlets named for their region, a company's
division, a short form before a title, and the word lists they read.

Hand-built Docs as in test_entities.py (the model's entities given explicitly).
"""
from __future__ import annotations

import pytest

from test_entities import cfg, found, make_doc, pipelines, run  # noqa: F401 (fixtures)


# --------------------------------------------------------------------------- AP's "R-Kan."

def test_a_state_after_a_party_letter_is_no_person_a_who_clause_describes(pipelines):
    text = "The bill passed, said Sen. Ann Ray, R-Kan., who chairs the panel."
    ents = [("Ann Ray", "PERSON"), ("Kan.", "GPE")]
    assert found(run(pipelines, ["descriptors"], text, ents)) == ents


def test_a_state_after_a_party_letter_is_a_place_whatever_the_model_said(pipelines):
    text = "The bill passed, said Sen. Ann Ray, R-Kan., on Monday."
    doc = run(pipelines, ["state_abbreviations"], text, [("Ann Ray", "PERSON"), ("Kan.", "PERSON")])
    assert found(doc) == [("Ann Ray", "PERSON"), ("Kan.", "GPE")]


# --------------------------------------------------------------------------- storms

def test_a_storm_named_in_full_is_an_event_whatever_the_model_said(pipelines):
    text = "Crews cleared roads after Tropical Cyclone Marlo crossed the coast."
    doc = run(pipelines, ["storms"], text, [("Tropical Cyclone Marlo", "ORG")])
    assert found(doc) == [("Tropical Cyclone Marlo", "EVENT")]


def test_a_name_that_only_opens_with_tropical_stays(pipelines):
    text = "Shares of Tropical Fruits rose after the storm."
    doc = run(pipelines, ["storms"], text, [("Tropical Fruits", "ORG")])
    assert found(doc) == [("Tropical Fruits", "ORG")]


# --------------------------------------------------------------------------- units named by their number

def test_a_unit_named_by_its_number_is_an_organisation(pipelines):
    nlp = pipelines("heads")
    doc = make_doc(nlp, "Soldiers from the 9th Brigade arrived.", [("9th", "ORDINAL")])
    assert [(e.text, e.label_) for e in nlp(doc).ents] == [("9th Brigade", "ORG")]


def test_an_ordinal_before_other_words_stays_an_ordinal(pipelines):
    nlp = pipelines("heads")
    doc = make_doc(nlp, "She finished 9th in Brisbane.", [("9th", "ORDINAL"), ("Brisbane", "GPE")])
    assert [(e.text, e.label_) for e in nlp(doc).ents] == [("9th", "ORDINAL"), ("Brisbane", "GPE")]


# --------------------------------------------------------------------------- councils

def test_a_city_of_that_speaks_is_its_council(pipelines):
    text = "The City of Port Carrow said bins would be emptied on Friday."
    doc = run(pipelines, ["context"], text, [("City of Port Carrow", "GPE")])
    assert found(doc) == [("City of Port Carrow", "ORG")]


@pytest.mark.parametrize("text", [
    "Officials in the City of Port Carrow said bins would be emptied.",
    "Residents of the City of Port Carrow were told to boil water.",
])
def test_a_city_of_that_is_only_where_something_is_stays_a_place(pipelines, text):
    doc = run(pipelines, ["context"], text, [("City of Port Carrow", "GPE")])
    assert found(doc) == [("City of Port Carrow", "GPE")]


# --------------------------------------------------------------------------- laws

def test_a_law_whose_title_lists_its_subjects_is_one_law_with_its_year(pipelines):
    text = "The Senate passed the Fish, Forests, and Rural Jobs Act of 2031 on Tuesday."
    ents = [("Senate", "ORG"), ("Fish, Forests", "ORG"), ("Rural Jobs Act", "LAW"), ("2031", "DATE")]
    doc = run(pipelines, ["trim"], text, ents)
    assert found(doc) == [("Senate", "ORG"), ("Fish, Forests, and Rural Jobs Act of 2031", "LAW")]


def test_a_statutes_cited_year_is_part_of_it_before_a_comma(pipelines):
    text = "Compensation is due under the Coastal Land Acquisition, Relief and Resettlement Act, 2019, the court said."
    doc = run(pipelines, ["trim"], text, [("Relief and Resettlement Act", "LAW"), ("2019", "DATE")])
    assert found(doc) == [("Coastal Land Acquisition, Relief and Resettlement Act, 2019", "LAW")]


@pytest.mark.parametrize("text, ents", [
    ("Lawmakers from Texas, Florida and the Clean Water Act debate met.",
     [("Texas", "GPE"), ("Florida", "GPE"), ("Clean Water Act", "LAW")]),
    ("In Kansas, Farm Act payments rose.", [("Kansas", "GPE"), ("Farm Act", "LAW")]),
])
def test_a_law_after_a_list_of_places_stays_as_it_is(pipelines, text, ents):
    assert found(run(pipelines, ["trim"], text, ents)) == ents


def test_a_cited_year_before_more_numbers_is_left_out(pipelines):
    text = "The Water Act, 2019, 2020 and 2021 amendments passed."
    doc = run(pipelines, ["trim"], text, [("Water Act", "LAW")])
    assert found(doc) == [("Water Act", "LAW")]


# --------------------------------------------------------------------------- head words and outlets

@pytest.mark.parametrize("text, ents, want", [
    ("Leaders backed the Pact on Asylum and Return.", [("Pact on Asylum and Return", "ORG")],
     [("Pact on Asylum and Return", "LAW")]),
    ("Farmers across the Wheat Belt planted early.", [("Wheat Belt", "FAC")], [("Wheat Belt", "LOC")]),
])
def test_pact_and_belt_are_head_words(pipelines, text, ents, want):
    assert found(run(pipelines, ["heads"], text, ents)) == want


def test_an_outlet_named_for_its_region_stays_an_organisation(pipelines):
    text = "PHOTO: Floodwater entered the home. (ABC Sunshine Coast: Lee Tran)"
    ents = [("ABC Sunshine Coast", "ORG"), ("Lee Tran", "PERSON")]
    assert found(run(pipelines, ["heads"], text, ents)) == ents


def test_a_region_the_model_took_for_an_organisation_is_still_a_place(pipelines):
    text = "Floodwater reached the Sunshine Coast on Monday."
    doc = run(pipelines, ["heads"], text, [("Sunshine Coast", "ORG")])
    assert found(doc) == [("Sunshine Coast", "LOC")]


# --------------------------------------------------------------------------- a company's division

def test_a_known_company_and_a_common_word_is_its_division(pipelines):
    text = "Profits at Lufthansa Freight rose, the group said."
    doc = run(pipelines, ["context"], text, [("Lufthansa Freight", "PERSON")])
    assert found(doc) == [("Lufthansa Freight", "ORG")]


def test_a_known_company_before_a_given_name_stays_a_person(pipelines):
    text = "Apple Martin arrived at the premiere."
    doc = run(pipelines, ["context"], text, [("Apple Martin", "PERSON")])
    assert found(doc) == [("Apple Martin", "PERSON")]


# --------------------------------------------------------------------------- a short form before a title

def test_a_short_form_before_a_title_and_a_name_is_the_body(pipelines):
    text = ("Kyiv met every condition set by the European Commission. "
            "Commission President Ursula von der Leyen said talks would go on.")
    ents = [("Kyiv", "GPE"), ("European Commission", "ORG"), ("Ursula von der Leyen", "PERSON")]
    doc = run(pipelines, ["short_forms"], text, ents)
    assert ("Commission", "ORG") in found(doc)


def test_a_short_form_before_a_capitalised_word_that_is_no_title_stays_out(pipelines):
    text = "Kyiv met every condition set by the European Commission. Commission Headquarters stayed shut."
    ents = [("Kyiv", "GPE"), ("European Commission", "ORG")]
    assert found(run(pipelines, ["short_forms"], text, ents)) == ents


# --------------------------------------------------------------------------- word lists

@pytest.mark.parametrize("text, ents, want", [
    ("Flooding cut roads in NSW and Qld overnight.", [], [("NSW", "GPE"), ("Qld", "GPE")]),
    ("Boston leads the Eastern Conference.", [("Boston", "GPE"), ("Eastern Conference", "FAC")],
     [("Boston", "GPE"), ("Eastern Conference", "ORG")]),
])
def test_the_gazetteer_knows_australian_states_and_league_conferences(pipelines, text, ents, want):
    assert found(run(pipelines, ["gazetteer"], text, ents)) == want


def test_a_financial_measure_is_no_organisation(pipelines):
    doc = run(pipelines, ["trim"], "Adjusted EBIT rose 4% in the quarter.", [("EBIT", "ORG")])
    assert found(doc) == []


# --------------------------------------------------------------------------- sides named after their town

def test_a_place_a_named_club_is_named_after_is_that_club_where_it_plays(pipelines):
    text = ("The Boston Celtics beat the New York Knicks 112-108 in the final quarter of the season. "
            "The Heat lost to New York on Friday, and New York trailed all night.")
    ents = [("Boston Celtics", "ORG"), ("New York Knicks", "ORG"), ("Heat", "ORG"), ("New York", "GPE"),
            ("New York", "GPE")]
    doc = run(pipelines, ["sports"], text, ents)
    assert [label for text, label in found(doc) if text == "New York"] == ["ORG", "ORG"]


def test_the_town_after_in_stays_the_place_in_a_match_report(pipelines):
    text = ("The Boston Celtics beat the New York Knicks 112-108 in the final quarter of the season. "
            "The Knicks lost to Boston for the second time, at TD Garden in Boston.")
    ents = [("Boston Celtics", "ORG"), ("New York Knicks", "ORG"), ("Knicks", "ORG"), ("Boston", "GPE"),
            ("TD Garden", "FAC"), ("Boston", "GPE")]
    doc = run(pipelines, ["gazetteer", "sports", "discourse"], text, ents)
    assert [label for text, label in found(doc) if text == "Boston"] == ["ORG", "GPE"]


def test_a_law_the_model_missed_takes_its_listed_subjects_and_year_too(pipelines):
    text = "The judge said the Coastal Land Acquisition, Relief and Resettlement Act, 2019 required a new award."
    doc = run(pipelines, ["outer_names"], text, [("Relief", "ORG"), ("2019", "DATE")])
    assert found(doc) == [("Coastal Land Acquisition, Relief and Resettlement Act, 2019", "LAW")]


@pytest.mark.parametrize("text, ents, want", [
    ("Forecasters at the Regional Climate Prediction and Applications Centre warned of rain.",
     [("Regional Climate Prediction and Applications Centre", "FAC")],
     [("Regional Climate Prediction and Applications Centre", "ORG")]),
    ("Rain fell on the Kaffa Highlands overnight.", [("Kaffa Highlands", "ORG")], [("Kaffa Highlands", "LOC")]),
])
def test_a_research_centre_is_a_body_and_highlands_a_region(pipelines, text, ents, want):
    assert found(run(pipelines, ["heads"], text, ents)) == want


def test_a_centre_without_a_field_of_study_stays_a_building(pipelines):
    text = "Evacuees slept at the Harbour Convention and Exhibition Centre."
    ents = [("Harbour Convention and Exhibition Centre", "FAC")]
    assert found(run(pipelines, ["heads"], text, ents)) == ents


def test_an_acronym_opening_a_sentence_stays_when_the_article_uses_it_elsewhere(pipelines):
    text = "The court ordered KMRL to pay. KMRL sources said the line would open."
    nlp = pipelines("junk")
    doc = make_doc(nlp, text, [("KMRL", "ORG"), ("KMRL", "ORG")], pos={"KMRL": "NOUN"})
    assert found(nlp(doc)) == [("KMRL", "ORG"), ("KMRL", "ORG")]


def test_a_common_word_opening_a_sentence_is_still_dropped(pipelines):
    nlp = pipelines("junk")
    doc = make_doc(nlp, "Volunteer service is growing.", [("Volunteer", "ORG")], pos={"Volunteer": "NOUN"})
    assert found(nlp(doc)) == []


def test_a_known_place_before_a_region_the_model_took_for_a_body_is_the_place_and_the_region(pipelines):
    doc = run(pipelines, ["trim"], "Rain hit the NSW Mid North Coast overnight.", [("NSW Mid North Coast", "ORG")])
    assert found(doc) == [("NSW", "GPE"), ("Mid North Coast", "LOC")]


def test_a_known_place_before_a_body_stays_one_name(pipelines):
    doc = run(pipelines, ["trim"], "The UK Parliament voted.", [("UK Parliament", "ORG")])
    assert found(doc) == [("UK Parliament", "ORG")]


def test_an_amount_with_a_dollar_currency_glued_on_is_no_name(pipelines):
    doc = run(pipelines, ["junk"], "Spending was cut by R$12.1bn this year.", [("R$12.1bn", "PERSON")])
    assert found(doc) == []


def test_an_acronym_inside_a_defined_name_gives_its_first_letter(pipelines):
    text = "Forecasters at the AGRA Rainfall Prediction Centre (ARPC) warned of floods. ARPC said rain would go on."
    doc = run(pipelines, ["acronyms"], text, [("AGRA", "ORG")])
    assert found(doc) == [("AGRA Rainfall Prediction Centre", "ORG"), ("ARPC", "ORG"), ("ARPC", "ORG")]


def test_an_acronym_in_mixed_case_in_brackets_is_split_from_the_name(pipelines):
    text = "The Department for Transport (DfT) said trains would run."
    doc = run(pipelines, ["trim"], text, [("Department for Transport (DfT)", "ORG")])
    assert found(doc) == [("Department for Transport", "ORG"), ("DfT", "ORG")]


def test_a_hyphenated_town_after_in_is_a_place(pipelines):
    text = "Parents in Stoke-on-Trent were told to wait."
    assert found(run(pipelines, ["cities"], text, [])) == [("Stoke-on-Trent", "GPE")]


def test_a_captions_photograph_credit_is_the_photographer_and_the_agency(pipelines):
    text = "Flooded fields near York on Monday. Photograph: Amy Bolt/PA\nRain fell again."
    doc = run(pipelines, ["credits"], text, [("York", "GPE"), ("Monday", "DATE"), ("Amy Bolt", "ORG"), ("PA", "ORG")])
    assert found(doc) == [("York", "GPE"), ("Amy Bolt", "PERSON"), ("PA", "ORG")]


@pytest.mark.parametrize("text, ent, want", [
    ("Bath moved to the top of their Investec Champions Cup pool.", "their Investec Champions Cup",
     "Investec Champions Cup"),
    ("Officials of His Majesty's Treasury met.", "His Majesty's Treasury", "His Majesty's Treasury"),
])
def test_a_lower_case_possessive_pronoun_is_no_part_of_a_name(pipelines, text, ent, want):
    assert found(run(pipelines, ["trim"], text, [(ent, "EVENT" if "Cup" in ent else "ORG")]))[0][0] == want


@pytest.mark.parametrize("text, ents, want", [
    ("Ng Wei Ling, Transport Correspondent\nBuses will run.", [("Wei Ling", "PERSON")], [("Ng Wei Ling", "PERSON")]),
    ("Mr Goh Chee Meng, 61, said buses were late.", [("Goh", "PERSON"), ("Chee Meng", "PERSON")],
     [("Goh Chee Meng", "PERSON")]),
])
def test_a_family_name_written_first_is_part_of_the_persons_name(pipelines, text, ents, want):
    assert found(run(pipelines, ["particle_names"], text, ents)) == want


def test_a_word_before_a_longer_name_stays_out(pipelines):
    text = "Officials in Tan Tock Seng Hospital said beds were full."
    ents = [("Tock Seng Hospital", "ORG")]
    assert found(run(pipelines, ["particle_names"], text, ents)) == ents


SCORELINE = ("Kestrel 27-20 Harrowgate: Hosts hold on\nKestrel moved top of the pool after a late try. "
             "Harrowgate had led at the break of the match, and fans in Kestrel cheered.")


def test_the_names_either_side_of_a_scoreline_are_the_sides_wherever_the_model_missed_them(pipelines):
    doc = run(pipelines, ["sports"], SCORELINE, [])
    assert found(doc) == [("Kestrel", "ORG"), ("Harrowgate", "ORG"), ("Kestrel", "ORG"), ("Harrowgate", "ORG")]


def test_a_scorelines_town_after_in_is_left_to_the_other_rules(pipelines):
    doc = run(pipelines, ["sports"], SCORELINE, [])
    assert "Kestrel cheered" not in {doc[e.start:e.end + 1].text for e in doc.ents}


def test_a_centre_cut_at_and_before_fields_of_study_is_one_name(pipelines):
    text = "said the Gulf Center for Political and Strategic Studies in a report."
    doc = run(pipelines, ["outer_names"], text, [("Gulf Center for Political", "ORG")])
    assert found(doc) == [("Gulf Center for Political and Strategic Studies", "ORG")]


def test_a_body_and_another_after_and_stay_two(pipelines):
    text = "The Ministry of Defence and Foreign Office agreed on Monday."
    ents = [("Ministry of Defence", "ORG"), ("Foreign Office", "ORG")]
    assert found(run(pipelines, ["outer_names"], text, ents)) == ents


@pytest.mark.parametrize("text, ents, want", [
    ("Shipments by Andes Copper Ltd resumed.", [("Andes Copper", "ORG")], [("Andes Copper Ltd", "ORG")]),
    ("Crowds filled the Bukit Tinggi Bus Interchange.", [("Bukit Tinggi Bus Interchange", "ORG")],
     [("Bukit Tinggi Bus Interchange", "FAC")]),
])
def test_legal_forms_and_interchanges(pipelines, text, ents, want):
    assert found(run(pipelines, ["heads"], text, ents)) == want


@pytest.mark.parametrize("text, model, want", [
    ("The Protection of Children Law was passed in 2015.", [("Protection of Children Law", "ORG")],
     [("Protection of Children Law", "LAW")]),
    ("Firms claim grants under the Encouragement of Industrial Research Law.",
     [("Encouragement of Industrial Research Law", "ORG")], [("Encouragement of Industrial Research Law", "LAW")]),
    # a school of law, and a body whose head word names its kind, stay what they are
    ("She studied at the University of Law in Guildford.", [("University of Law", "ORG"), ("Guildford", "GPE")],
     [("University of Law", "ORG"), ("Guildford", "GPE")]),
    ("The Islamic Law Society met on Tuesday.", [("Islamic Law Society", "ORG")], [("Islamic Law Society", "ORG")]),
])
def test_a_name_ending_in_law_is_a_law_where_its_head_names_no_other_kind(pipelines, text, model, want):
    assert found(run(pipelines, ["heads"], text, model)) == want


@pytest.mark.parametrize("text, model, want", [
    ("Relief funds flow under Republic Act No. 10121, officials said.", [("10121", "DATE")],
     [("Republic Act No. 10121", "LAW")]),
    ("Officials cited the Fisheries Decree No 47 on Monday.", [("47", "CARDINAL")], [("Fisheries Decree No 47", "LAW")]),
    # a shirt's number or an address is no law
    ("He wore No. 9 for the club.", [("9", "CARDINAL")], []),
    ("Protesters gathered outside No. 10 Downing Street.", [("No. 10 Downing Street", "FAC")],
     [("No. 10 Downing Street", "FAC")]),
])
def test_a_law_cited_by_its_kind_and_number_is_one_law(pipelines, text, model, want):
    assert [e for e in found(run(pipelines, ["heads"], text, model)) if e[1] != "CARDINAL"] == want


@pytest.mark.parametrize("text, model, want", [
    ("The family drove a Toyota LandCruiser through the water.", [("Toyota", "ORG"), ("LandCruiser", "PRODUCT")],
     [("Toyota LandCruiser", "PRODUCT")]),
    # a maker listed beside a product, and a company that makes no such things, stay apart
    ("Sales rose at Toyota, LandCruiser buyers said.", [("Toyota", "ORG"), ("LandCruiser", "PRODUCT")],
     [("Toyota", "ORG"), ("LandCruiser", "PRODUCT")]),
    ("Staff at Acme Roadrunner sold fewer units.", [("Acme", "ORG"), ("Roadrunner", "PRODUCT")],
     [("Acme", "ORG"), ("Roadrunner", "PRODUCT")]),
])
def test_a_product_right_after_its_makers_name_takes_the_maker_in(pipelines, text, model, want):
    assert found(run(pipelines, ["models"], text, model)) == want


@pytest.mark.parametrize("text, model, want", [
    ("Buyers such as Primark and Walmart paid more.", [("Primark and Walmart", "WORK_OF_ART")],
     [("Primark", "ORG"), ("Walmart", "ORG")]),
    # one known name with "and" in it, and names the gazetteer knows only as ambiguous words, stay whole
    ("Leaders of Bosnia and Herzegovina met.", [("Bosnia and Herzegovina", "GPE")], [("Bosnia and Herzegovina", "GPE")]),
    ("Shoppers at Target and Gap queued.", [("Target and Gap", "ORG")], [("Target and Gap", "ORG")]),
])
def test_two_known_names_the_model_joined_with_and_are_two_names(pipelines, text, model, want):
    assert found(run(pipelines, ["trim"], text, model)) == want
