"""The ninth session's entity rules, case by case on sentences written for the test: credits and
bylines (a slash between a photographer and an agency, names in capitals in a byline or a picture
credit), a member's title inside one name, and towns of several words or in a list.

Hand-built Docs as in test_entities.py (the model's entities given explicitly).
"""
from __future__ import annotations

import pytest

from test_entities import cfg, found, make_doc, pipelines, run  # noqa: F401 (fixtures)


# --------------------------------------------------------------------------- a slash in a name

@pytest.mark.parametrize("text, ent, label, want", [
    ("Homes burn near the coast. [Ana Ruiz/AFP]", "Ana Ruiz/AFP", "PERSON",
     [("Ana Ruiz", "PERSON"), ("AFP", "ORG")]),                                   # photographer/agency
    ("Fans cheer. (AP Photo/Mark Olsen-Reid)", "AP Photo/Mark Olsen-Reid", "ORG",
     [("AP", "ORG"), ("Mark Olsen-Reid", "PERSON")]),                              # "Photo" is no name
    ("2. Tom Baker (Nor/Uno-X Mobility) same time", "Nor/Uno-X Mobility", "ORG",
     [("Uno-X Mobility", "ORG")]),                                                 # a nation's code goes
])
def test_a_name_with_a_slash_is_its_sides(pipelines, text, ent, label, want):
    assert found(run(pipelines, ["trim"], text, [(ent, label)])) == want


@pytest.mark.parametrize("text, ent", [
    ("The band AC/DC toured Europe.", "AC/DC"),          # capitals only: one name
    ("The CDU/CSU bloc voted no.", "CDU/CSU"),           # two parties' acronyms, split by their own rule
])
def test_capitals_around_a_slash_are_left_to_the_acronym_rules(pipelines, text, ent):
    out = found(run(pipelines, ["trim"], text, [(ent, "ORG")]))
    assert all("/" not in name or name == "AC/DC" for name, _ in out) and out


# --------------------------------------------------------------------------- a member's title inside

@pytest.mark.parametrize("text, ent, want", [
    ("The panel, chaired by Kibwezi MP Ruth Otieno, met.", "Kibwezi MP Ruth Otieno",
     [("Kibwezi", "GPE"), ("Ruth Otieno", "PERSON")]),
    ("Ohio Senator Dan Marsh voted no.", "Ohio Senator Dan Marsh", [("Ohio", "GPE"), ("Dan Marsh", "PERSON")]),
])
def test_a_members_title_inside_a_name_splits_the_seat_from_the_member(pipelines, text, ent, want):
    assert found(run(pipelines, ["trim"], text, [(ent, "ORG")])) == want


def test_a_title_before_a_common_noun_is_no_member(pipelines):
    text = "The Kibwezi MP Constituency Office opened."
    ent = [("Kibwezi MP Constituency Office", "ORG")]
    assert found(run(pipelines, ["trim"], text, ent)) == ent


# --------------------------------------------------------------------------- bylines and credits

def test_names_in_capitals_in_a_byline_are_people(pipelines):
    text = "Rates held\n\nBy MARA OKELLO and LEE SOO-JIN\n\nThe bank held rates."
    doc = run(pipelines, ["credits"], text, [("MARA OKELLO and LEE", "ORG")])
    assert found(doc) == [("MARA OKELLO", "PERSON"), ("LEE SOO-JIN", "PERSON")]


def test_a_bylines_agency_is_no_part_of_the_writer(pipelines):
    text = "Hawks win\n\nBy TED ARNOLD AP Sports Writer\n\nATLANTA (AP) - The Hawks won."
    doc = run(pipelines, ["credits"], text, [("AP Sports Writer", "ORG")])
    assert found(doc)[:2] == [("TED ARNOLD", "PERSON"), ("AP", "ORG")]


def test_a_picture_credit_in_capitals_has_people_and_organisations(pipelines):
    text = "Nurses march in Kisumu on Monday. PHOTO | JOAN ATIENO | STANDARD MEDIA GROUP\n\nThe strike went on."
    doc = run(pipelines, ["credits"], text, [("Kisumu", "GPE"), ("JOAN", "ORG")])
    assert found(doc) == [("Kisumu", "GPE"), ("JOAN ATIENO", "PERSON"), ("STANDARD MEDIA GROUP", "ORG")]


def test_a_captions_credit_in_brackets_is_an_organisation(pipelines):
    text = "The president waves to citizens in Seoul. [POOL PRESS CORPS]\n\nHe took office."
    doc = run(pipelines, ["credits"], text, [("Seoul", "GPE")])
    assert ("POOL PRESS CORPS", "ORG") in found(doc)


def test_capitals_outside_bylines_and_credits_are_left_to_the_model(pipelines):
    text = "Rates held\n\nTHE BANK OF KENYA HELD RATES ON MONDAY.\n\nBy Mara Okello"
    assert found(run(pipelines, ["credits"], text, [("Mara Okello", "PERSON")])) == [("Mara Okello", "PERSON")]


# --------------------------------------------------------------------------- towns

@pytest.mark.parametrize("text, ents, want", [
    ("A curfew was set in Santa Rosa de Copán after the fire.", [("Santa Rosa", "GPE")],
     [("Santa Rosa de Copán", "GPE")]),                                            # the model cut it short
    ("Most damage was in Viña del Mar, officials said.", [], [("Viña del Mar", "GPE")]),   # missed, placed
    ("At Port Macquarie, the river peaked.", [("Port Macquarie", "FAC")], [("Port Macquarie", "GPE")]),
])
def test_a_town_of_several_words_is_the_whole_place(pipelines, text, ents, want):
    assert found(run(pipelines, ["cities"], text, ents)) == want


@pytest.mark.parametrize("text, ents", [
    ("The Viña del Mar Festival opened.", [("Viña del Mar Festival", "EVENT")]),   # part of a longer name
    ("Viña del Mar beat the visitors.", []),                                       # no word places it
    ("Santa Rosa Hospital said so.", [("Santa Rosa Hospital", "ORG")]),
])
def test_a_town_inside_another_name_or_unplaced_is_left_alone(pipelines, text, ents):
    assert found(run(pipelines, ["cities"], text, ents)) == ents


def test_towns_in_a_list_that_ends_with_a_place_are_places(pipelines):
    text = "Orders remain for the town centre, Smithtown, Gladstone and Frederickton, police said."
    doc = run(pipelines, ["cities"], text, [("Frederickton", "GPE")])
    assert found(doc) == [("Smithtown", "GPE"), ("Gladstone", "GPE"), ("Frederickton", "GPE")]


def test_a_list_that_ends_with_no_place_makes_no_towns(pipelines):
    text = "The tour visits Smithtown, Gladstone and Hamlet Records, its label said."
    doc = run(pipelines, ["cities"], text, [("Hamlet Records", "ORG")])
    assert found(doc) == [("Hamlet Records", "ORG")]


def test_a_town_the_model_took_for_a_person_makes_no_people_of_a_list(pipelines):
    text = "The plants at Tula, Hidalgo, and Salina Cruz, Oaxaca, will be rebuilt."
    ents = [("Tula", "GPE"), ("Hidalgo", "GPE"), ("Salina Cruz", "PERSON"), ("Oaxaca", "GPE")]
    labels = dict(found(run(pipelines, ["context"], text, ents)))
    assert labels["Oaxaca"] == "GPE" and labels["Hidalgo"] == "GPE"


# --------------------------------------------------------------------------- acronyms written as names

def test_an_acronym_written_as_a_name_after_an_organisation_is_defined_by_it(pipelines):
    text = "The National Water Commission (Conagua) said rivers rose. Conagua crews left."
    doc = run(pipelines, ["trim", "acronyms"], text, [("National Water Commission (Conagua)", "ORG"),
                                                       ("Conagua", "PERSON")])
    assert found(doc) == [("National Water Commission", "ORG"), ("Conagua", "ORG"), ("Conagua", "ORG")]


@pytest.mark.parametrize("text, ents", [
    ("MANILA (Rappler) - The court met.", [("MANILA", "GPE")]),              # a dateline's credit, one word before
    ("The Janata Dal (United) won.", [("Janata Dal (United)", "ORG")]),      # an English word in brackets
])
def test_a_capitalised_word_in_brackets_is_no_acronym_otherwise(pipelines, text, ents):
    assert found(run(pipelines, ["trim", "acronyms"], text, ents)) == ents


# --------------------------------------------------------------------------- names the model cut

def test_a_body_named_a_and_b_with_a_head_word_is_one_name(pipelines):
    text = "A ruling from the Employment and Labour Relations Court stands."
    doc = run(pipelines, ["outer_names"], text, [("Labour Relations Court", "ORG")])
    assert found(doc) == [("Employment and Labour Relations Court", "ORG")]


def test_a_place_before_a_speech_verb_is_no_speaker(pipelines):
    text = "Union officials in Kilifi said the strike would go on."
    assert found(run(pipelines, ["context"], text, [("Kilifi", "GPE")])) == [("Kilifi", "GPE")]
    assert found(run(pipelines, ["context"], "Kilifi said the strike would go on.", [("Kilifi", "GPE")])) == \
        [("Kilifi", "PERSON")]


# --------------------------------------------------------------------------- head words

@pytest.mark.parametrize("text, ents, want", [
    ("Ministers took the oath at Raj Bhavan on Monday.", [("Raj Bhavan", "PERSON")], [("Raj Bhavan", "FAC")]),
    ("Crowds gathered at the Agra Fort before dawn.", [("Agra Fort", "ORG")], [("Agra Fort", "FAC")]),
    ("Bayern won the Franz Beckenbauer Supercup in August.", [("Franz Beckenbauer Supercup", "ORG")],
     [("Franz Beckenbauer Supercup", "EVENT")]),
])
def test_a_head_word_gives_a_building_or_a_match_its_kind(pipelines, text, ents, want):
    assert found(run(pipelines, ["heads"], text, ents)) == want


def test_a_ballot_measure_is_a_law(pipelines):
    doc = run(pipelines, ["outer_names"], "Voters rejected Proposition Q in November.", [("November", "DATE")])
    assert found(doc) == [("Proposition Q", "LAW")]


def test_a_known_place_in_capitals_on_a_line_of_its_own_is_a_dateline(pipelines):
    text = "Minister sworn in\n\nPATNA\n\nThe minister took the oath.\n\nWATCH\n\nThe video shows it."
    assert found(run(pipelines, ["datelines"], text)) == [("PATNA", "GPE")]


# --------------------------------------------------------------------------- names cut or joined

@pytest.mark.parametrize("text, ents, want", [
    ("The court, led by Judge Abual Hasnat Muhammad Zulqarnain, sat.",
     [("Abual Hasnat", "PERSON"), ("Muhammad Zulqarnain", "PERSON")], [("Abual Hasnat Muhammad Zulqarnain", "PERSON")]),
    ("Minister Christianne van der Wal voted no.", [("Christianne van der", "PERSON"), ("Wal", "ORG")],
     [("Christianne van der Wal", "PERSON")]),
])
def test_a_person_the_model_cut_in_two_is_one(pipelines, text, ents, want):
    assert found(run(pipelines, ["trim"], text, ents)) == want


def test_two_people_apart_stay_two(pipelines):
    ents = [("Ruth Otieno", "PERSON"), ("Dan Marsh", "PERSON")]
    assert found(run(pipelines, ["trim"], "Ruth Otieno, Dan Marsh and others met.", ents)) == ents


def test_a_peoples_name_before_a_known_sea_is_two_names(pipelines):
    doc = run(pipelines, ["trim", "gazetteer", "outer_names"], "Exports from Russian Black Sea ports rose.",
              [("Russian Black Sea", "LOC")])
    assert found(doc) == [("Russian", "NORP"), ("Black Sea", "LOC")]


def test_a_tie_between_the_models_guess_and_a_rules_label_goes_to_the_rule(pipelines):
    text = "Rivas of Movistar was second. 2. Rivas (Col/Movistar) same time"
    doc = run(pipelines, ["trim", "discourse"], text,
              [("Rivas", "PERSON"), ("Movistar", "PERSON"), ("Rivas", "PERSON"), ("Col/Movistar", "ORG")])
    assert [label for name, label in found(doc) if name == "Movistar"] == ["ORG", "ORG"]


# --------------------------------------------------------------------------- family names

@pytest.mark.parametrize("text, ents, want", [
    ("The report was written by Shaktikanta Das for the bank.", [("Shaktikanta Das", "ORG")],
     [("Shaktikanta Das", "PERSON")]),
    ("Deputy Ram Kripal Yadav took the oath.", [("Ram Kripal Yadav", "GPE")], [("Ram Kripal Yadav", "PERSON")]),
    ("The economist Nagesh Kumar agreed with the board.", [], [("Nagesh Kumar", "PERSON")]),   # missed
])
def test_words_ending_in_a_known_family_name_are_a_person(pipelines, text, ents, want):
    assert found(run(pipelines, ["people"], text, ents)) == want


@pytest.mark.parametrize("text, ents", [
    ("Crowds filled the Olympic Park at noon.", [("Olympic Park", "FAC")]),        # an English word, no surname
    ("Fans met at Kumar Stadium on Sunday.", [("Kumar Stadium", "FAC")]),         # a kind word in it
    ("Exports to India Yadav rose.", [("India Yadav", "ORG")]),                    # a country opens it
])
def test_a_name_with_a_place_or_kind_word_is_no_family_name(pipelines, text, ents):
    assert found(run(pipelines, ["people"], text, ents)) == ents


# --------------------------------------------------------------------------- bodies named for fields

@pytest.mark.parametrize("text, ents, want", [
    ("The Office for Science, Skills and Training wrote to schools.",
     [("Office for Science", "ORG"), ("Skills", "ORG"), ("Training", "ORG")],
     [("Office for Science, Skills and Training", "ORG")]),
    ("A board of Trade, Industry, and Energy met.",                                     # the Oxford comma
     [("board of Trade", "ORG"), ("Industry", "ORG")], [("board of Trade, Industry, and Energy", "ORG")]),
    ("The Tribunal for Housing, Rent and Land ruled on Monday.",
     [("Tribunal for Housing", "ORG"), ("Rent and Land", "ORG")], [("Tribunal for Housing, Rent and Land", "ORG")]),
])
def test_a_body_named_for_a_list_of_fields_is_one_name(pipelines, text, ents, want):
    assert found(run(pipelines, ["outer_names"], text, ents)) == want


@pytest.mark.parametrize("text, ents", [
    ("Lenders such as Bank of Lisbon, Novabanco and Caixa Geral cut rates.",            # names, no fields
     [("Bank of Lisbon", "ORG"), ("Novabanco", "ORG"), ("Caixa Geral", "ORG")]),
    ("The Ministry of Health, Finance and Kenya Power signed the deal.",                # the list goes on in names
     [("Ministry of Health", "ORG"), ("Kenya Power", "ORG")]),
    ("The Institute for Housing, its partners and Trade unions met.",                  # no list of fields
     [("Institute for Housing", "ORG")]),
])
def test_a_list_of_names_after_an_organisation_stays_apart(pipelines, text, ents):
    assert found(run(pipelines, ["outer_names"], text, ents)) == ents


# --------------------------------------------------------------------------- a member after a title

@pytest.mark.parametrize("text, ents, want", [
    ("Opposition MLA Prakash Venkatadri visited the ward.", [("Venkatadri", "ORG")],
     [("Prakash Venkatadri", "PERSON")]),
    ("Yesterday Councillor Maren Obuya Tallis objected.", [], [("Maren Obuya Tallis", "PERSON")]),   # missed
])
def test_the_words_after_a_members_title_are_the_member(pipelines, text, ents, want):
    assert found(run(pipelines, ["people"], text, ents)) == want


@pytest.mark.parametrize("text, ents", [
    ("The MLA Hostel Annex was closed.", [("MLA Hostel Annex", "FAC")]),                # the title opens a name
    ("Senator Nuria Vance Brook Kellerman spoke.", []),                                 # four words: unsure
    ("An MP Grace Hospital visitor said so.", [("Grace Hospital", "FAC")]),              # a kind word in it
])
def test_a_members_title_before_no_name_changes_nothing(pipelines, text, ents):
    assert found(run(pipelines, ["people"], text, ents)) == ents


def test_a_members_title_in_capitals_is_no_organisation(pipelines):
    assert found(run(pipelines, ["acronyms"], "The MLA said the MPP agreed.", [])) == []


# --------------------------------------------------------------------------- a name after a sentence's first word

def test_a_name_after_a_common_word_opening_the_sentence_is_found(pipelines):
    assert found(run(pipelines, ["people"], "Referee Angus Kerrigan sent him off.", [])) == [
        ("Angus Kerrigan", "PERSON")]


def test_a_name_after_a_capitalised_name_is_not_cut_from_it(pipelines):
    assert found(run(pipelines, ["people"], "Stockport Angus Kerrigan sent him off.", [])) == []


def test_a_members_title_alone_is_no_name(pipelines):
    assert found(run(pipelines, ["junk"], "Priya Menon, the MLA from Kotdwar, spoke.",
                     [("Priya Menon", "PERSON"), ("MLA", "PERSON"), ("Kotdwar", "GPE")])) == [
        ("Priya Menon", "PERSON"), ("Kotdwar", "GPE")]


def test_a_name_ending_in_sound_is_a_body_of_water(pipelines):
    assert found(run(pipelines, ["outer_names", "heads"], "Ferries cross Tallow Sound daily.", [])) == [
        ("Tallow Sound", "LOC")]


def test_a_writer_and_where_they_write_from_stay_a_person_and_a_place(pipelines):
    doc = run(pipelines, ["gazetteer", "context"], "Rates fall\nBy Tamsin Achebe-Holt, Ohio\nThe bank cut rates.",
              [("Tamsin Achebe-Holt", "PERSON"), ("Ohio", "GPE")])
    assert found(doc) == [("Tamsin Achebe-Holt", "PERSON"), ("Ohio", "GPE")]


@pytest.mark.parametrize("text, ents, want", [
    ("The Federation of Lifeboat and Coastguard Associations met in Cork.",
     [("Federation of Lifeboat", "ORG"), ("Coastguard Associations", "ORG"), ("Cork", "GPE")],
     [("Federation of Lifeboat and Coastguard Associations", "ORG"), ("Cork", "GPE")]),
    ("The Ministry of Finance and Bank of Ghana agreed.",                               # a singular head: two bodies
     [("Ministry of Finance", "ORG"), ("Bank of Ghana", "ORG")], [("Ministry of Finance", "ORG"), ("Bank of Ghana", "ORG")]),
])
def test_a_plural_head_after_and_completes_an_of(pipelines, text, ents, want):
    assert found(run(pipelines, ["outer_names"], text, ents)) == want


# --------------------------------------------------------------------------- a party's member

@pytest.mark.parametrize("text, want", [
    ("The seat went to a Conservative for the first time.", [("Conservative", "NORP")]),
    ("She beat the Liberal Democrat candidate by 300 votes.", [("Liberal Democrat", "NORP")]),
    ("Conservative councillor Ann Lee objected.", [("Conservative", "NORP")]),          # a member, first word
])
def test_a_partys_member_is_a_group(pipelines, text, want):
    assert [e for e in found(run(pipelines, ["gazetteer"], text, [])) if e[1] == "NORP"] == want


@pytest.mark.parametrize("tag, want", [("NNS", []), ("NN", [("Conservative", "NORP")])])
def test_a_party_word_opening_a_sentence_before_a_plural_noun_is_a_common_word(pipelines, tag, want):
    nlp = pipelines("gazetteer")
    doc = make_doc(nlp, "Conservative estimates put the cost at two million.")
    doc[1].tag_ = tag                                     # "estimates": a plural noun, or read as one thing
    assert found(nlp(doc)) == want
