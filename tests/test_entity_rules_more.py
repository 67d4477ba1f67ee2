"""The later entity rules (model numbers, particle surnames, slash datelines, "X-based" places, a
place's possessive, plural possessives, storms, AP state abbreviations) and the gazetteer entries
added with them, case by case on sentences written for the test.

Hand-built Docs as in test_entities.py (the model's entities given explicitly); the last tests run
the model and every rule.
"""
from __future__ import annotations

import pytest

from test_entities import cfg, found, model_and_rules, pipelines, run  # noqa: F401 (fixtures)


# --------------------------------------------------------------------------- model numbers

@pytest.mark.parametrize("text, ents, want", [
    ("The lessor ordered 20 A321neo jets this year.", [], [("A321neo", "PRODUCT")]),
    ("Lessors ordered 40 A330-900 jetliners, and A330 output will rise.", [],
     [("A330-900", "PRODUCT"), ("A330", "PRODUCT")]),                                      # same family
    ("The carrier leased two Bombardier CRJ900 regional planes.", [("Bombardier", "ORG")],
     [("Bombardier", "ORG"), ("CRJ900", "PRODUCT")]),                                       # a maker before it
    ("Dealers recalled Mazda6 sedans in May.", [], [("Mazda6", "PRODUCT")]),                 # maker glued on
    ("It will add ten 777 MAX 9 jets.", [], [("777 MAX 9", "PRODUCT")]),
    ("The regulator grounded two Embraer E175-E2 planes.", [("Embraer E175-E2", "ORG")],
     [("Embraer", "ORG"), ("E175-E2", "PRODUCT")]),                                         # the model's ORG split
])
def test_a_model_number_with_a_maker_or_a_product_noun_is_a_product(pipelines, text, ents, want):
    assert found(run(pipelines, ["models"], text, ents)) == want


@pytest.mark.parametrize("text, ents", [
    ("G7 leaders met on the A1 road.", []),                 # no maker, no product noun
    ("Samsung Q2 profit rose.", [("Samsung", "ORG")]),      # a quarter after a maker
    ("Traffic on the M25 motorway slowed.", []),
])
def test_a_code_that_is_no_model_stays_as_it_was(pipelines, text, ents):
    assert found(run(pipelines, ["models"], text, ents)) == ents


# --------------------------------------------------------------------------- particles

@pytest.mark.parametrize("text, ents, want", [
    ("The coach said Pieter van den Berg scored.", [("Berg", "PERSON")], [("Pieter van den Berg", "PERSON")]),
    ("The club hired de Jong in May.", [("Jong", "PERSON")], [("de Jong", "PERSON")]),
    ("Later Van den Berg left the pitch.", [("Berg", "PERSON")], [("Van den Berg", "PERSON")]),
    ("The club hired Jong in May.", [("Jong", "PERSON")], [("Jong", "PERSON")]),
])
def test_a_surnames_particles_and_given_name_join_the_person(pipelines, text, ents, want):
    assert found(run(pipelines, ["particle_names"], text, ents, pos={"Later": "ADV"})) == want


# --------------------------------------------------------------------------- places

def test_a_dateline_of_places_joined_by_slashes_is_one_place_each(pipelines):
    doc = run(pipelines, ["dateline_pairs"], "MADRID/LISBON, March 3 (Reuters) - Ministers met.")
    assert found(doc) == [("MADRID", "GPE"), ("LISBON", "GPE")]


def test_capitals_joined_by_a_slash_that_are_no_places_are_no_dateline(pipelines):
    assert found(run(pipelines, ["dateline_pairs"], "KESTREL/TARRAWIN, March 3 - Ministers met.")) == []


@pytest.mark.parametrize("text, want", [
    ("The Lyon-based company grew.", [("Lyon", "GPE")]),
    ("A Hong Kong-headquartered bank lent more.", [("Hong Kong", "GPE")]),
    ("The Kestrel-based fund grew.", []),
    ("The cloud-based tool sold well.", []),
])
def test_a_place_hyphenated_onto_based_is_a_place(pipelines, text, want):
    assert found(run(pipelines, ["based_places"], text)) == want


@pytest.mark.parametrize("text, ent, want", [
    ("Chile's National Copper Corporation cut output.", "Chile's National Copper Corporation",
     [("Chile", "GPE"), ("National Copper Corporation", "ORG")]),
    ("McDonald's Corporation cut prices.", "McDonald's Corporation", [("McDonald's Corporation", "ORG")]),
])
def test_a_places_possessive_is_split_from_the_body_after_it(pipelines, text, ent, want):
    assert found(run(pipelines, ["possessive_places"], text, [(ent, "ORG")])) == want


@pytest.mark.parametrize("text, ents, want", [
    ("Ocala, Fla., said the storm passed.", [("Ocala", "GPE")], [("Ocala", "GPE"), ("Fla.", "GPE")]),
    ("Sen. Tina Marsh, D-Minn., voted no.", [("Tina Marsh", "PERSON")], [("Tina Marsh", "PERSON"), ("Minn.", "GPE")]),
    ("Rep. Al Brand, R-Ohio, voted no.", [("Al Brand", "PERSON")], [("Al Brand", "PERSON"), ("Ohio", "GPE")]),
    ("She called it Miss. Jones smiled.", [("Jones", "PERSON")], [("Jones", "PERSON")]),   # no place before
    # a Canadian province; the town before it is a town whatever the model took it for
    ("Crews reached Pine Hollow, Man., on Friday.", [("Pine Hollow", "ORG")], [("Pine Hollow", "GPE"), ("Man.", "GPE")]),
    ("The mill in Rook Falls, Ont., closed.", [("Rook Falls", "PERSON")], [("Rook Falls", "GPE"), ("Ont.", "GPE")]),
])
def test_an_ap_state_abbreviation_where_a_state_stands_is_a_place(pipelines, text, ents, want):
    assert found(run(pipelines, ["state_abbreviations"], text, ents)) == want


# --------------------------------------------------------------------------- names with possessives, storms

@pytest.mark.parametrize("text, ents, want", [
    ("Lawmakers passed the Protect Small Farmers' Income Act on Monday.", [("Income Act", "LAW")],
     [("Protect Small Farmers' Income Act", "LAW")]),
    ("The Dairy Farmers' Union met.", [("Union", "ORG")], [("Dairy Farmers' Union", "ORG")]),
    ("Many farmers' Income Act claims failed.", [("Income Act", "LAW")], [("Income Act", "LAW")]),
])
def test_a_plural_possessive_inside_a_name_keeps_the_name_whole(pipelines, text, ents, want):
    assert found(run(pipelines, ["plural_possessives"], text, ents)) == want


def test_a_storm_called_by_its_given_name_alone_is_the_same_event(pipelines):
    text = "Typhoon Mawar hit Guam. Damage from Mawar was heavy."
    doc = run(pipelines, ["storms"], text, [("Typhoon Mawar", "EVENT"), ("Guam", "GPE"), ("Mawar", "PERSON")])
    assert found(doc) == [("Typhoon Mawar", "EVENT"), ("Guam", "GPE"), ("Mawar", "EVENT")]


def test_a_storms_name_inside_a_persons_name_stays_the_person(pipelines):
    text = "Hurricane Ian hit Naples. Ian Brady said so."
    ents = [("Hurricane Ian", "EVENT"), ("Naples", "GPE"), ("Ian Brady", "PERSON")]
    assert found(run(pipelines, ["storms"], text, ents)) == ents


# --------------------------------------------------------------------------- short forms

@pytest.mark.parametrize("text, want", [
    ("Crystal Palace won at home. The result lifted Palace to fifth.", [("Crystal Palace", "ORG"), ("Palace", "ORG")]),
    ("Nottingham Forest lost. Forest won last week.", [("Nottingham Forest", "ORG"), ("Forest", "ORG")]),
    ("The Palace said nothing.", []),                                                        # no full name
    ("Nottingham Forest lost. Fans of Forest Green cheered.", [("Nottingham Forest", "ORG")]),  # another name
    ("Nottingham Forest lost. Forest fires spread.", [("Nottingham Forest", "ORG")]),       # no verb after it
])
def test_a_short_form_in_an_article_naming_the_thing_in_full_is_that_thing(pipelines, text, want):
    assert found(run(pipelines, ["gazetteer", "short_forms"], text, pos={"won": "VERB", "fires": "NOUN"})) == want


# --------------------------------------------------------------------------- acronyms after "or"

def test_an_acronym_after_a_comma_and_or_takes_the_names_label_wherever_it_stands(pipelines):
    text = "The Clean Harbour Waters Act, or CHWA, passed. Critics said CHWA was weak."
    doc = run(pipelines, ["or_acronyms"], text, [("Clean Harbour Waters Act", "LAW"), ("CHWA", "ORG")])
    assert found(doc) == [("Clean Harbour Waters Act", "LAW"), ("CHWA", "LAW"), ("CHWA", "LAW")]


def test_an_acronym_after_or_that_the_name_does_not_spell_is_left_alone(pipelines):
    text = "The Clean Harbour Waters Act, or NATO, passed."
    ents = [("Clean Harbour Waters Act", "LAW"), ("NATO", "ORG")]
    assert found(run(pipelines, ["or_acronyms"], text, ents)) == ents


# --------------------------------------------------------------------------- model and every rule

@pytest.mark.parametrize("text, want", [
    ("Germany's upper house, the Bundesrat, approved the plan, and the Bundeswehr will recruit more.",
     [("Bundesrat", "ORG"), ("Bundeswehr", "ORG")]),
    ("Oil rose after OPEC+ agreed to cut output; Brent gained 2%.", [("OPEC+", "ORG"), ("Brent", "PRODUCT")]),
    ("Delivery Hero owns Foodpanda and Talabat, and a stake in Glovo.",
     [("Delivery Hero", "ORG"), ("Foodpanda", "ORG"), ("Talabat", "ORG"), ("Glovo", "ORG")]),
    ("Shingrix cut the risk of dementia by a fifth, researchers said.", [("Shingrix", "PRODUCT")]),
    ("Norwegian Air Shuttle and Widerøe flew more passengers.",
     [("Norwegian Air Shuttle", "ORG"), ("Widerøe", "ORG")]),
    ("Scotland beat Wales at Murrayfield on Saturday.", [("Murrayfield", "FAC")]),
    ("Trains from Ghent to Bruges were cancelled.", [("Ghent", "GPE"), ("Bruges", "GPE")]),
    ("The storm surge flooded the Big Bend coast.", [("Big Bend", "LOC")]),
    ("The Scot joined Nordic rivals last year.", [("Scot", "NORP"), ("Nordic", "NORP")]),
    ("Lessors want more A330-900 jets and A220 planes.", [("A330-900", "PRODUCT"), ("A220", "PRODUCT")]),
])
def test_the_gazetteer_and_rules_find_names_the_model_misses(model_and_rules, text, want):
    got = model_and_rules(text)
    assert all(name in got for name in want), got


# --------------------------------------------------------------------------- laws after a person, legal forms, heads

@pytest.mark.parametrize("text, ents, want", [
    ("Campaigners pushed for Orla's Law to pass.", [("Orla", "ORG")], [("Orla's Law", "LAW")]),
    ("Under Tomasz's Law, venues must plan.", [("Tomasz's Law", "PERSON")], [("Tomasz's Law", "LAW")]),
    ("Britain's Law Society objected.", [("Britain", "GPE"), ("Law Society", "ORG")],
     [("Britain", "GPE"), ("Law Society", "ORG")]),                      # a longer name goes on after "Law"
    ("Kenya's Law was amended.", [("Kenya", "GPE")], [("Kenya", "GPE")]),  # a place's laws are not named after it
])
def test_a_law_named_after_a_person_is_one_law(pipelines, text, ents, want):
    assert found(run(pipelines, ["heads"], text, ents)) == want


@pytest.mark.parametrize("text, ents, want", [
    ("Shares of Tindra Kraft ASA fell.", [("Tindra Kraft", "ORG")], [("Tindra Kraft ASA", "ORG")]),
    ("Brova Wind A/S won the tender.", [("Brova Wind", "PERSON")], [("Brova Wind A/S", "ORG")]),
    ("It signed with Kelana Bhd on Friday.", [("Kelana Bhd", "PERSON")], [("Kelana Bhd", "ORG")]),
    ("Tindra Kraft said AG Smith agreed.", [("Tindra Kraft", "ORG")], [("Tindra Kraft", "ORG")]),  # no legal form after it
])
def test_a_company_takes_in_its_legal_form(pipelines, text, ents, want):
    assert found(run(pipelines, ["heads"], text, ents)) == want


@pytest.mark.parametrize("text, ent, want", [
    ("The Saskatoon Legislative Building was closed.", ("Saskatoon Legislative Building", "ORG"), "FAC"),
    ("Crowds filled Nehru Maidan on Sunday.", ("Nehru Maidan", "PERSON"), "FAC"),
    ("Fish returned to Miller's Creek.", ("Miller's Creek", "ORG"), "LOC"),
])
def test_more_head_words_name_facilities_and_places(pipelines, text, ent, want):
    assert found(run(pipelines, ["heads"], text, [ent])) == [(ent[0], want)]


@pytest.mark.parametrize("text, want", [
    ("Tuvalu and Kiribati asked for more climate finance.", [("Tuvalu", "GPE"), ("Kiribati", "GPE")]),
    ("Houthi fighters attacked a ship off Hodeidah.", [("Houthi", "ORG")]),
    ("Google must share data but need not sell Chrome, the judge ruled.", [("Chrome", "PRODUCT")]),
    ("He won the Masters at Augusta in April.", [("Masters", "EVENT")]),
    ("The Rashtriya Janata Dal and NZ First both lost seats.", [("Rashtriya Janata Dal", "ORG"), ("NZ First", "ORG")]),
    ("Many Māori voters backed the party.", [("Māori", "NORP")]),
])
def test_the_gazetteer_knows_more_countries_groups_products_and_events(model_and_rules, text, want):
    got = model_and_rules(text)
    assert all(name in got for name in want), got


@pytest.mark.parametrize("text, ent", [
    ("Speaking for the islands, delegate Tala Moana said the talks failed.", ("Tala Moana", "ORG")),
    ("He homered off reliever Kade Ostrowski in the seventh.", ("Kade Ostrowski", "ORG")),
    ("The court heard from detective Aoife Brennan.", ("Aoife Brennan", "GPE")),
])
def test_a_role_before_a_name_makes_it_a_person(pipelines, text, ent):
    assert found(run(pipelines, ["descriptors"], text, [ent])) == [(ent[0], "PERSON")]


def test_a_pitchers_or_batters_tally_makes_a_player(pipelines):
    text = ("Hawks 5-2 Owls. Luis Ferrante allowed one run over seven innings and Tobin Reyes had two hits in "
            "the season opener.")
    ents = [("Luis Ferrante", "NORP"), ("Tobin Reyes", "ORG")]
    doc = run(pipelines, ["sports"], text, ents, pos={"allowed": "VERB", "had": "VERB"})
    assert found(doc) == [("Luis Ferrante", "PERSON"), ("Tobin Reyes", "PERSON")]


# --------------------------------------------------------------------------- locative splits

@pytest.mark.parametrize("text, ent, want", [
    ("Fans queued outside the Kelvin Stadium in Wigan on Friday.", ("Kelvin Stadium in Wigan", "EVENT"),
     [("Kelvin Stadium", "FAC"), ("Wigan", "GPE")]),                                     # a known town after "in"
    ("Protesters gathered at Town Hall on North Fifth Avenue.", ("Town Hall on North Fifth Avenue", "FAC"),
     [("Town Hall", "FAC"), ("North Fifth Avenue", "FAC")]),                             # a street after "on"
    ("Roads from Ballarat to Geelong were cut.", ("Ballarat to Geelong", "ORG"),
     [("Ballarat", "GPE"), ("Geelong", "GPE")]),                                        # a known town after "to"
    ("Mayors flew to Lisbon for the Harbour Cities Summit.", ("Lisbon for the Harbour Cities Summit", "EVENT"),
     [("Lisbon", "GPE"), ("Harbour Cities Summit", "EVENT")]),                           # a known place before "for"
])
def test_a_place_joined_to_another_name_is_split_off(pipelines, text, ent, want):
    assert found(run(pipelines, ["locative_splits"], text, [ent])) == want


@pytest.mark.parametrize("text, ent", [
    ("Delegates met at the National Forum on Reform in Rural Counties.",
     ("National Forum on Reform in Rural Counties", "EVENT")),                           # no place, no street after
    ("She read the Essay on Freedom in Wigan.", ("Essay on Freedom in Wigan", "WORK_OF_ART")),  # a title keeps its words
    ("The Society for the Protection of Birds met.", ("Society for the Protection of Birds", "ORG")),  # no place before "for"
])
def test_a_name_with_in_on_or_for_but_no_place_stays_whole(pipelines, text, ent):
    assert found(run(pipelines, ["locative_splits"], text, [ent])) == [ent]


# --------------------------------------------------------------------------- lists, places and surnames

def test_a_one_word_organisation_guess_says_nothing_of_the_names_listed_with_it(pipelines):
    text = "Tarnby and Lystrup voted on Sunday."
    doc = run(pipelines, ["context"], text, [("Tarnby", "PERSON"), ("Lystrup", "ORG")], pos={"voted": "VERB"})
    assert found(doc) == [("Tarnby", "PERSON"), ("Lystrup", "ORG")]
    doc = run(pipelines, ["context"], "Tarnby and Lystrup Holdings voted on Sunday.",
              [("Tarnby", "PERSON"), ("Lystrup Holdings", "ORG")], pos={"voted": "VERB"})
    assert found(doc) == [("Tarnby", "ORG"), ("Lystrup Holdings", "ORG")]


def test_a_place_the_model_found_stays_a_place_beside_an_organisation_named_after_it(pipelines):
    text = "Kivara River Alliance fighters entered Kivara. Talks in Kivara resumed."
    ents = [("Kivara River Alliance", "ORG"), ("Kivara", "GPE"), ("Kivara", "GPE")]
    assert found(run(pipelines, ["discourse"], text, ents)) == ents


@pytest.mark.parametrize("text, ents, want", [
    ("Ana Paula Ortega Serrano spoke. Ortega Serrano said the plan works.",
     [("Ana Paula Ortega Serrano", "PERSON"), ("Ortega Serrano", "ORG")],
     [("Ana Paula Ortega Serrano", "PERSON"), ("Ortega Serrano", "PERSON")]),            # both family names
    ("Kojo Mensah-Bonsu spoke. Mensah-Bonsu said the plan works.",
     [("Kojo Mensah-Bonsu", "PERSON"), ("Mensah-Bonsu", "ORG")],
     [("Kojo Mensah-Bonsu", "PERSON"), ("Mensah-Bonsu", "PERSON")]),                     # a hyphenated one
    ("Luis Ortega Serrano spoke. Later, Ortega said the plan works.",
     [("Luis Ortega Serrano", "PERSON"), ("Ortega", "ORG")],
     [("Luis Ortega Serrano", "PERSON"), ("Ortega", "PERSON")]),                         # the first family name alone
])
def test_a_family_name_of_several_words_or_the_first_of_two_is_the_person(pipelines, text, ents, want):
    assert found(run(pipelines, ["surnames"], text, ents, pos={"Later": "ADV"})) == want


def test_a_wire_storys_credits_are_no_names(pipelines):
    text = "Talks resumed.\n(Reporting by Lima newsroom; Writing by Ana Ruiz)"
    doc = run(pipelines, ["junk"], text, [("Reporting", "ORG"), ("Lima", "GPE"), ("Writing", "ORG"), ("Ana Ruiz", "PERSON")])
    assert found(doc) == [("Lima", "GPE"), ("Ana Ruiz", "PERSON")]


def test_what_lies_north_or_west_of_a_name_is_a_place(pipelines):
    doc = run(pipelines, ["context"], "The car was found four kilometres west of Tallong on Monday.", [("Tallong", "PERSON")])
    assert found(doc) == [("Tallong", "GPE")]


@pytest.mark.parametrize("text, want", [
    ("Hutu and Tutsi leaders signed the accord.", [("Hutu", "NORP"), ("Tutsi", "NORP")]),
    ("The Proteas beat the Black Caps by five wickets.", [("Proteas", "ORG"), ("Black Caps", "ORG")]),
    ("Werder Bremen drew with Eintracht Frankfurt.", [("Werder Bremen", "ORG"), ("Eintracht Frankfurt", "ORG")]),
    ("The Aussies lost the toss.", [("Aussies", "NORP")]),
])
def test_the_gazetteer_knows_peoples_national_teams_and_clubs(model_and_rules, text, want):
    got = model_and_rules(text)
    assert all(name in got for name in want), got


@pytest.mark.parametrize("text, ent, want", [
    ("Storms hit the Queensland Sunshine Coast.", ("Queensland Sunshine Coast", "LOC"),
     [("Queensland", "GPE"), ("Sunshine Coast", "LOC")]),
    ("Storms hit the Sunshine Coast.", ("Sunshine Coast", "LOC"), [("Sunshine Coast", "LOC")]),
    ("Storms hit the Queensland Parliament.", ("Queensland Parliament", "ORG"), [("Queensland Parliament", "ORG")]),
])
def test_a_known_state_before_a_region_of_it_is_split_off(pipelines, text, ent, want):
    assert found(run(pipelines, ["locative_splits"], text, [ent])) == want


def test_who_after_a_name_taken_for_a_title_makes_a_person(pipelines):
    doc = run(pipelines, ["descriptors"], "He named Arjun Mehra Rao, who represents the city.", [("Arjun Mehra Rao", "WORK_OF_ART")])
    assert found(doc) == [("Arjun Mehra Rao", "PERSON")]


@pytest.mark.parametrize("text, ents, want", [
    ("Fighters of M27 seized the town.", [("M27", "GPE")], [("M27", "ORG")]),
    ("Kano and Kaduna voted.", [("Kano", "GPE"), ("Kaduna", "GPE")], [("Kano", "GPE"), ("Kaduna", "GPE")]),
    ("Sales of B40 chips rose.", [("B40", "GPE")], [("B40", "PRODUCT")]),                 # the noun after it says
])
def test_a_code_with_a_number_the_model_took_for_a_place_is_a_group(pipelines, text, ents, want):
    assert found(run(pipelines, ["descriptors", "acronyms", "models"], text, ents)) == want


def test_a_surname_the_model_took_for_a_people_is_the_person(pipelines):
    text = "Premier Chris Delane toured the town. Delane said help was coming."
    doc = run(pipelines, ["surnames"], text, [("Chris Delane", "PERSON"), ("Delane", "NORP")])
    assert found(doc) == [("Chris Delane", "PERSON"), ("Delane", "PERSON")]


def test_the_tories_are_the_conservative_party(model_and_rules):
    got = model_and_rules("The Conservatives lost the seat and the Lib Dems came third.")
    assert ("Conservatives", "ORG") in got and ("Lib Dems", "ORG") in got, got


@pytest.mark.parametrize("text, ents, want", [
    ("By Dana Morin \u00b7 CBC News\nThe band played.", [("Dana Morin \u00b7 CBC News", "PERSON")],
     [("Dana Morin", "PERSON"), ("CBC News", "ORG")]),                                   # the gazetteer's broadcaster
    ("By Ana Cruz - Reporter\nThe band played.", [("Ana Cruz - Reporter", "PERSON")], [("Ana Cruz", "PERSON")]),
    ("The Musee Branly \u2013 Jacques Chirac opened.", [("Musee Branly \u2013 Jacques Chirac", "FAC")],
     [("Musee Branly \u2013 Jacques Chirac", "FAC")]),                                   # no role after the dash
])
def test_a_byline_read_as_one_name_is_cut_at_its_separator_and_loses_its_role(pipelines, text, ents, want):
    assert found(run(pipelines, ["trim"], text, ents)) == want


def test_a_given_name_and_a_hyphenated_surname_make_a_person(pipelines):
    doc = run(pipelines, ["people"], "The rapporteur Marta Vidal-Lindqvist spoke.", [("Marta Vidal-Lindqvist", "ORG")])
    assert found(doc) == [("Marta Vidal-Lindqvist", "PERSON")]


@pytest.mark.parametrize("text, ent", [
    ("Deputy leader Tejashwi Mahato spoke first.", ("Tejashwi Mahato", "ORG")),
    ("The striker Kwabena Asamoah-Boateng scored.", ("Kwabena Asamoah-Boateng", "GPE")),
])
def test_a_curated_given_name_of_south_asia_or_africa_opens_a_person(pipelines, text, ent):
    assert found(run(pipelines, ["people"], text, [ent])) == [(ent[0], "PERSON")]
