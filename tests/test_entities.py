"""Entity post-processing, rule by rule, on sentences written for the test.

Unit tests build Docs by hand (tokens from the blank English tokenizer, the model's entities given
explicitly, a crude part of speech), so each rule is checked against exactly the input it is meant
for. The last tests run the model and all rules on short news articles written for these tests
(tests/fixtures/entities: US economy, European politics, football, space science, Chinese politics).
"""
from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd
import pytest
import spacy
import yaml
from spacy.tokens import Doc

from pipeline import entities
from pipeline.entities import COMPONENTS, build_pipeline, entity_rows, load_gazetteer
from pipeline.parse import load_model

from conftest import REPO, run_pipeline

FIXTURES = Path(__file__).parent / "fixtures" / "entities"
_POS = {"the": "DET", "a": "DET", "an": "DET", "of": "ADP", "on": "ADP", "in": "ADP", "for": "ADP", "with": "ADP",
        "at": "ADP", "to": "ADP", "and": "CCONJ", "said": "VERB", "is": "AUX", "was": "AUX", "met": "VERB"}


@pytest.fixture(scope="module")
def cfg(params) -> dict:
    return params["entities"]


@pytest.fixture(scope="module")
def pipelines(cfg):
    """One pipeline per tuple of rules, built once."""
    cache: dict[tuple[str, ...], spacy.language.Language] = {}

    def get(*rules: str):
        if rules not in cache:
            cache[rules] = build_pipeline({**cfg, "rules": list(rules)})
        return cache[rules]
    return get


def make_doc(nlp, text: str, ents=(), pos=None) -> Doc:
    """``text`` tokenised; ``ents`` are (substring, label) in reading order, as the model would give them."""
    doc = nlp.make_doc(text)
    for t in doc:
        t.pos_ = (pos or {}).get(t.text) or _POS.get(t.text) or (
            "PUNCT" if t.is_punct else "NUM" if t.like_num else "PROPN" if t.text[:1].isupper() else "NOUN")
        t.is_sent_start = t.i == 0 or doc[t.i - 1].text == "." or "\n" in doc[t.i - 1].text
    spans, offset = [], 0
    for sub, label in ents:
        start = text.index(sub, offset)
        span = doc.char_span(start, start + len(sub), label=label)
        assert span is not None, f"{sub!r} is not on token boundaries"
        spans.append(span)
        offset = start + len(sub)
    doc.ents = spans
    doc.user_data["doc_id"] = "test"
    return doc


def found(doc: Doc) -> list[tuple[str, str]]:
    return [(e.text, e.label_) for e in doc.ents if e.label_ in entities.ENTITY_LABELS]


def run(pipelines, rules, text, ents=(), pos=None) -> Doc:
    nlp = pipelines(*rules)
    return nlp(make_doc(nlp, text, ents, pos))


# --------------------------------------------------------------------------- trim

@pytest.mark.parametrize("text, ent, want", [
    ("Investors watched the Federal Reserve's decision.", "the Federal Reserve's", "Federal Reserve"),
    ('Officials praised the "Green Harbour Plan" on Monday.', 'the "Green Harbour Plan', "Green Harbour Plan"),
    ("Rescuers reached Dolakha district on Friday.", "Dolakha district", "Dolakha"),
    ("He joined the Labour party in 1990.", "the Labour party", "Labour"),
    ("The Janata Dal (United) won seats.", "The Janata Dal (United)", "Janata Dal (United)"),
])
def test_trim_keeps_only_the_name(pipelines, text, ent, want):
    doc = run(pipelines, ["trim"], text, [(ent, "ORG")])
    assert found(doc) == [(want, "ORG")]


@pytest.mark.parametrize("text, ent, label, want", [
    ("City beat Leeds 5-1 at home.", "Leeds 5-1", "FAC", ("Leeds", "ORG")),
    ("Spurs lost to Leeds United 2\u20130 on Sunday.", "Leeds United 2\u20130", "ORG", ("Leeds United", "ORG")),
    ("She beat Anna Lind 6-4 in the final.", "Anna Lind 6-4", "PERSON", ("Anna Lind", "PERSON")),
])
def test_trim_drops_a_match_score_and_a_scoring_side_is_no_place(pipelines, text, ent, label, want):
    doc = run(pipelines, ["trim"], text, [(ent, label)])
    assert found(doc) == [want]


def test_trim_keeps_a_model_number_that_is_no_score(pipelines):
    doc = run(pipelines, ["trim"], "The airline flies the Boeing 737-800 to Oslo.", [("Boeing 737-800", "PRODUCT")])
    assert found(doc) == [("Boeing 737-800", "PRODUCT")]


@pytest.mark.parametrize("text, ent, want", [
    ("President Lai Ching-te spoke.", "Lai Ching-te", "Lai Ching-te"),
    ("Voters weighed Joe Biden-era rules.", "Joe Biden-era", "Joe Biden"),
    ("Mary Trump-backed candidates lost.", "Mary Trump-backed", "Mary Trump"),
])
def test_trim_keeps_a_hyphenated_given_name_but_not_a_word_hyphenated_on(pipelines, text, ent, want):
    doc = run(pipelines, ["trim"], text, [(ent, "PERSON")])
    assert found(doc) == [(want, "PERSON")]


@pytest.mark.parametrize("text, ent, want", [
    ("Spokesperson Dana Whitfield declined to comment.", "Spokesperson Dana Whitfield", "Dana Whitfield"),
    ("Economist Ravi Menon expects a cut.", "Economist Ravi Menon", "Ravi Menon"),
    ("Man Singh Rathore won the seat.", "Man Singh Rathore", "Man Singh Rathore"),
])
def test_trim_drops_a_role_capitalised_before_a_full_name(pipelines, text, ent, want):
    assert found(run(pipelines, ["trim"], text, [(ent, "PERSON")])) == [(want, "PERSON")]


@pytest.mark.parametrize("text, ent, want", [
    ("The CDU/CSU bloc won.", "CDU/CSU", [("CDU", "ORG"), ("CSU", "ORG")]),
    ("Trains of SNCB/NMBS stopped.", "SNCB/NMBS", [("SNCB", "ORG"), ("NMBS", "ORG")]),
    ("Fans of AC/DC queued.", "AC/DC", [("AC/DC", "ORG")]),
])
def test_trim_splits_two_acronyms_joined_by_a_slash(pipelines, text, ent, want):
    assert found(run(pipelines, ["trim"], text, [(ent, "ORG")])) == want


def test_trim_splits_a_country_from_the_agency_it_qualifies(pipelines):
    doc = run(pipelines, ["trim"], "The US FDA approved it.", [("US FDA", "ORG")])
    assert found(doc) == [("US", "GPE"), ("FDA", "ORG")]


def test_trim_keeps_a_name_the_gazetteer_knows_whole(pipelines):
    text = "The U.S. Food and Drug Administration approved it."
    doc = run(pipelines, ["trim"], text, [("U.S. Food and Drug Administration", "ORG")])
    assert found(doc) == [("U.S. Food and Drug Administration", "ORG")]


@pytest.mark.parametrize("text, ents, want", [
    ("Under the Seed Act, 2012 growers must register.", [("the Seed Act", "LAW"), ("2012", "DATE")],
     [("Seed Act, 2012", "LAW")]),
    ("He cited the Seed Act, 2012, 2013 and 2014.", [("the Seed Act", "LAW")], [("Seed Act", "LAW")]),
])
def test_trim_takes_in_the_year_a_statute_is_cited_with(pipelines, text, ents, want):
    assert found(run(pipelines, ["trim"], text, ents)) == want


@pytest.mark.parametrize("text, ent, want", [
    ("A cross from Tomas Hale-Burke found him.", "Tomas Hale", "Tomas Hale-Burke"),
    ("Tomas Hale-led talks failed.", "Tomas Hale", "Tomas Hale"),
])
def test_trim_takes_in_a_double_barrelled_surname(pipelines, text, ent, want):
    assert found(run(pipelines, ["trim"], text, [(ent, "PERSON")])) == [(want, "PERSON")]


@pytest.mark.parametrize("text, ent, want", [
    ("Floods reached Lake City overnight.", ("Lake City", "LOC"), ("Lake City", "GPE")),
    ("Boats crossed Lake Varna overnight.", ("Lake Varna", "GPE"), ("Lake Varna", "LOC")),
])
def test_a_town_named_after_a_lake_is_a_town(pipelines, text, ent, want):
    assert found(run(pipelines, ["heads"], text, [ent])) == [want]


@pytest.mark.parametrize("text, ents, want", [
    ("Minister Ulrich zu Wendheim spoke.", [("Ulrich", "PERSON"), ("zu Wendheim", "PERSON")],
     [("Ulrich zu Wendheim", "PERSON")]),
    ("Aide Marta van der Berk spoke.", [("Marta", "PERSON"), ("Berk", "PERSON")], [("Marta van der Berk", "PERSON")]),
    ("Schools in Weilheim am Rhein closed.", [("Weilheim", "GPE"), ("Rhein", "GPE")], [("Weilheim am Rhein", "GPE")]),
    ("Schools in Weilheim am Rhein closed.", [("Weilheim", "PERSON"), ("Rhein", "GPE")], [("Weilheim am Rhein", "GPE")]),
    ("Anna told Ben de facto.", [("Anna", "PERSON"), ("Ben", "PERSON")], [("Anna", "PERSON"), ("Ben", "PERSON")]),
])
def test_trim_joins_names_their_particles_join(pipelines, text, ents, want):
    assert found(run(pipelines, ["trim"], text, ents)) == want


@pytest.mark.parametrize("text, want", [
    ("The law, known in German as Wehrgesetz, passed.", "LANGUAGE"),
    ("The ruling was published in French.", "LANGUAGE"),
    ("Voters in German cities turned out.", "NORP"),
])
def test_a_peoples_name_after_in_with_no_noun_after_it_is_their_language(pipelines, text, want):
    word = "German" if "German" in text else "French"
    doc = run(pipelines, ["demonyms"], text, [(word, "NORP")], pos={"cities": "NOUN", "as": "ADP"})
    assert found(doc)[0] == (word, want)


def test_trim_splits_a_bracketed_acronym_into_its_own_entity(pipelines):
    doc = run(pipelines, ["trim"], "The World Wide Fund for Nature (WWF) warned of drought.",
              [("The World Wide Fund for Nature (WWF)", "ORG")])
    assert found(doc) == [("World Wide Fund for Nature", "ORG"), ("WWF", "ORG")]


def test_trim_splits_a_party_from_its_leader(pipelines):
    doc = run(pipelines, ["trim"], "Voters backed the Kisan Party of Ravi Mehta in the north.",
              [("the Kisan Party of Ravi Mehta", "ORG")])
    assert found(doc) == [("Kisan Party", "ORG"), ("Ravi Mehta", "PERSON")]


@pytest.mark.parametrize("name", ["Party of Regions", "League of Women Voters", "Party of European Socialists",
                                  "Communist Party of China"])
def test_trim_keeps_a_party_named_after_what_it_stands_for(pipelines, name):
    doc = run(pipelines, ["trim"], f"Members of the {name} met.", [(name, "ORG")])
    assert found(doc) == [(name, "ORG")]


def test_trim_splits_off_a_known_leader_before_led(pipelines):
    doc = run(pipelines, ["trim"], "The NATO-led Stabilisation Force left in 2004.",
              [("The NATO-led Stabilisation Force", "ORG")])
    assert found(doc) == [("NATO", "ORG"), ("Stabilisation Force", "ORG")]


@pytest.mark.parametrize("text, ent", [
    ("Output rose by 300 cubic meter per day.", "cubic meter"),
    ("Spending on AI doubled.", "AI"),
    ("The 20th meeting ended.", "The 20th"),
])
def test_trim_drops_spans_that_are_no_names(pipelines, text, ent):
    doc = run(pipelines, ["trim"], text, [(ent, "ORG")])
    assert found(doc) == []


# --------------------------------------------------------------------------- place pairs

def test_place_pair_becomes_two_places(pipelines):
    doc = run(pipelines, ["place_pairs"], "The plant in Dayton, Ohio, will close.", [("Dayton, Ohio", "ORG")])
    assert found(doc) == [("Dayton", "GPE"), ("Ohio", "GPE")]


@pytest.mark.parametrize("text, ent, label", [
    ("Lawyers at Baker, Norton Partners Group objected.", "Baker, Norton Partners Group", "ORG"),
    ("A letter from Smith, John arrived.", "Smith, John", "PERSON"),
    ("Shares of Acme, Holt rose.", "Acme, Holt", "ORG"),
])
def test_place_pair_leaves_other_commas_alone(pipelines, text, ent, label):
    doc = run(pipelines, ["place_pairs"], text, [(ent, label)])
    assert found(doc) == [(ent, label)]


def test_two_places_joined_by_and_after_in_become_two_places(pipelines):
    doc = run(pipelines, ["place_pairs"], "Clinics opened in Korapur and Bhimgarh on Monday.", [("Korapur and Bhimgarh", "FAC")])
    assert found(doc) == [("Korapur", "GPE"), ("Bhimgarh", "GPE")]


@pytest.mark.parametrize("text, ent, label", [
    ("Jobs at Korapur and Bhimgarh were cut.", "Korapur and Bhimgarh", "ORG"),          # "at" a company too
    ("Stores in Marks and Spencer closed.", "Marks and Spencer", "ORG"),                # English words
    ("Trade in Trinidad and Tobago grew.", "Trinidad and Tobago", "GPE"),               # one country
    ("Sales in Korapur Motors and Bhimgarh rose.", "Korapur Motors and Bhimgarh", "ORG"),  # a company's word
])
def test_other_names_joined_by_and_are_left_alone(pipelines, text, ent, label):
    doc = run(pipelines, ["place_pairs"], text, [(ent, label)])
    assert found(doc) == [(ent, label)]


# --------------------------------------------------------------------------- gazetteer

def test_gazetteer_fixes_labels_and_finds_missed_names(pipelines):
    doc = run(pipelines, ["gazetteer"], "Exports from Shandong to Kenya grew, WHO data show.", [("Shandong", "ORG")])
    assert found(doc) == [("Shandong", "GPE"), ("Kenya", "GPE"), ("WHO", "ORG")]
    assert {e.id_ for e in doc.ents} == {"gazetteer"}


def test_gazetteer_keeps_a_longer_model_name_around_a_known_one(pipelines):
    doc = run(pipelines, ["gazetteer"], "The Bank of China Tower stands in Hong Kong.",
              [("Bank of China Tower", "FAC"), ("Hong Kong", "GPE")])
    assert found(doc)[0] == ("Bank of China Tower", "FAC")


def test_gazetteer_name_covering_a_model_fragment_wins(pipelines):
    doc = run(pipelines, ["gazetteer"], "The Bank of England raised rates.", [("England", "GPE")])
    assert found(doc) == [("Bank of England", "ORG")]


def test_gazetteer_leaves_a_language_the_model_found(pipelines):
    doc = run(pipelines, ["gazetteer"], "She teaches English at night.", [("English", "LANGUAGE")])
    assert found(doc) == [("English", "LANGUAGE")]


def test_ambiguous_gazetteer_names_are_never_imposed(pipelines):
    doc = run(pipelines, ["gazetteer"], "Jordan scored 30 points.", [("Jordan", "PERSON")])
    assert found(doc) == [("Jordan", "PERSON")]


# --------------------------------------------------------------------------- datelines

def test_dateline_in_capitals_is_a_place(pipelines):
    doc = run(pipelines, ["datelines"], "Title line\n\nNAIROBI - Heavy rain fell on Monday.", [("NAIROBI", "ORG")])
    assert found(doc) == [("NAIROBI", "GPE")]


@pytest.mark.parametrize("text, ents, want", [
    ("Title line\n\nLAGOS (Punchline) - Fuel prices rose.", [], [("LAGOS", "GPE"), ("Punchline", "ORG")]),
    ("Title line\n\nLAGOS, May 3 (Punchline) - Fuel rose.", [("Punchline", "PERSON")], [("LAGOS", "GPE"), ("Punchline", "ORG")]),
    ("Title line\n\nLAGOS, Nigeria (Punchline) - Fuel rose.", [("Nigeria", "GPE")],
     [("LAGOS", "GPE"), ("Nigeria", "GPE"), ("Punchline", "ORG")]),
])
def test_the_name_in_brackets_of_a_dateline_is_the_news_organisation(pipelines, text, ents, want):
    doc = run(pipelines, ["datelines"], text, ents)
    assert found(doc) == want


@pytest.mark.parametrize("text", [
    "Title line\n\nLAGOS - Fuel (Punchline) - rose.",    # the bracket comes after the dash
    "Title line\n\nLAGOS (2024) - Fuel prices rose.",    # no name in it
])
def test_a_bracket_outside_the_dateline_is_no_news_organisation(pipelines, text):
    doc = run(pipelines, ["datelines"], text)
    assert found(doc) == [("LAGOS", "GPE")]


def test_a_dateline_place_a_club_is_named_after_is_still_a_place(pipelines):
    text = "Title line\n\nLIVERPOOL, England, Dec 14 (Reuters) - Everton won again."
    doc = run(pipelines, ["gazetteer", "datelines"], text, [("LIVERPOOL", "ORG"), ("England", "GPE")])
    assert found(doc)[:2] == [("LIVERPOOL", "GPE"), ("England", "GPE")]


def test_capitals_that_are_no_dateline_are_left_alone(pipelines):
    doc = run(pipelines, ["datelines"], "Title line\n\nNASA - the agency - said so. Then PARIS won.", [])
    assert found(doc) == []



@pytest.mark.parametrize("text, want", [
    ("Title line\n\nKUMASI: Heavy rain fell on Monday.", [("KUMASI", "GPE")]),       # a GeoNames town
    ("Title line\n\nNAIROBI: Heavy rain fell on Monday.", [("NAIROBI", "GPE")]),     # a gazetteer place
    ("Title line\n\nUPDATE: Heavy rain fell on Monday.", []),
    ("Title line\n\nWATCH: Heavy rain (Punchline) - fell.", []),
])
def test_capitals_before_a_colon_are_a_dateline_only_when_a_known_place(pipelines, text, want):
    assert found(run(pipelines, ["datelines"], text)) == want


# --------------------------------------------------------------------------- outer names

@pytest.mark.parametrize("text, scores", [
    ("Leeds won 3-1 at home and lost 118-109 away.", ["3-1", "118-109"]),
    ("It drew 2\u20132 with Hull", ["2\u20132"]),
    ("the 2024-25 season, 1.5-2 percent, 12:30-14:00, 3-1-2, 1/2-3, 07-2024 and 1,000-2", []),
    ("5-0", ["5-0"]),
])
def test_a_scoreline_is_two_short_numbers_joined_by_a_dash(text, scores):
    assert entities._SCORE_IN_TEXT.findall(text) == scores


def test_sentence_starts_are_those_of_doc_sents(pipelines):
    doc = make_doc(pipelines("trim"), "Rain fell. Then it stopped. Birds sang again.")
    assert entities.sentence_starts(doc) == [s.start for s in doc.sents] == [0, 3, 7]


def test_span_text_is_the_span_s_own_text(pipelines):
    nlp = pipelines("trim")
    doc = nlp.make_doc("Mr. O'Neill  met the U.S. envoy (Ms Lee)\nin Paris.")
    spans = [doc[a:b] for a in range(len(doc) + 1) for b in range(a, len(doc) + 1)]
    assert [entities.span_text(s) for s in spans] == [s.text for s in spans]


def test_span_texts_are_each_span_s_text(pipelines):
    doc = pipelines("trim").make_doc("Dr. Ngozi Okonjo-Iweala  spoke (in Lagos)\nand left.")
    spans = [doc[a:b] for a in range(len(doc) + 1) for b in range(a, len(doc) + 1)]
    assert entities.span_texts(spans) == [s.text for s in spans]
    assert entities.span_texts([]) == []


def test_token_texts_are_the_tokens_texts_after_a_merge(pipelines):
    nlp = pipelines("trim")
    doc = nlp.make_doc("Mr. O'Neill met the U.S. envoy in New York, then in Paris.")
    assert entities.token_texts(doc) == [t.text for t in doc]
    with doc.retokenize() as retokenizer:
        retokenizer.merge(doc[7:9])
    assert entities.token_texts(doc) == [t.text for t in doc]
    assert entities.token_texts(doc)[7] == "New York"


def test_head_label_reads_the_same_from_token_texts(pipelines):
    nlp = pipelines("outer_names")
    doc = nlp.make_doc("The Charles de Gaulle Airport and the Bank of Ruritania's Lake City office of 2019 Games .")
    texts, rules = entities.token_texts(doc), nlp.get_pipe("entity_outer_names").rules
    spans = [(a, b) for a in range(len(doc)) for b in range(a + 1, len(doc) + 1)]
    labels = [entities.head_label(doc, a, b, rules) for a, b in spans]
    assert [entities.head_label(doc, a, b, rules, texts) for a, b in spans] == labels
    assert {"FAC", "ORG", "GPE"} <= set(labels)


def test_name_words_are_capitalised_content_words_ordinals_and_named_verbs(pipelines):
    text = "The 3rd Harbour Council said Running Creek and Said Mills met In May."
    nlp = pipelines("outer_names")
    doc = make_doc(nlp, text, [("Running Creek", "LOC")], pos={"Running": "VERB", "Said": "VERB", "In": "ADP"})
    flags = nlp.get_pipe("entity_outer_names").name_flags(doc)
    # "The" a determiner, "said"/"and"/"met" lower case, "Said" a verb in no entity, "In" a preposition
    assert [t.text for t, name in zip(doc, flags) if name] == ["3rd", "Harbour", "Council", "Running", "Creek",
                                                               "Mills", "May"]


def test_fragments_of_a_numbered_congress_become_one_event(pipelines):
    text = "The 14th National Congress of the Socialist Party of Ruritania opened on Monday."
    doc = run(pipelines, ["outer_names"], text,
              [("14th", "ORDINAL"), ("National Congress", "ORG"), ("Socialist Party of Ruritania", "ORG")])
    assert found(doc) == [("14th National Congress of the Socialist Party of Ruritania", "EVENT")]


def test_plenary_session_absorbs_its_committee(pipelines):
    text = "The Fifth Plenary Session of the 12th Central Committee of the Workers Party closed."
    doc = run(pipelines, ["outer_names"], text,
              [("Fifth", "ORDINAL"), ("Plenary Session", "EVENT"), ("12th", "ORDINAL"),
               ("Central Committee", "ORG"), ("Workers Party", "ORG")])
    assert found(doc) == [("Fifth Plenary Session of the 12th Central Committee of the Workers Party", "EVENT")]


def test_a_congress_without_ordinal_or_topic_stays_an_organisation(pipelines):
    doc = run(pipelines, ["outer_names"], "The US Congress of lawmakers met.", [("US Congress", "ORG")])
    assert found(doc) == [("US Congress", "ORG")]


def test_a_conference_on_a_topic_is_an_event_but_not_its_venue(pipelines):
    text = "Delegates left the World Conference on Ocean Plastics in Lisbon early."
    doc = run(pipelines, ["outer_names"], text, [("World Conference", "ORG"), ("Lisbon", "GPE")])
    assert found(doc) == [("World Conference on Ocean Plastics", "EVENT"), ("Lisbon", "GPE")]


def test_two_places_each_named_by_its_head_stay_two(pipelines):
    text = "Water flooded the Harbour Hotel on Mill Street overnight."
    doc = run(pipelines, ["outer_names"], text, [("Harbour Hotel", "FAC"), ("Mill Street", "FAC")])
    assert found(doc) == [("Harbour Hotel", "FAC"), ("Mill Street", "FAC")]


def test_an_organisation_split_by_the_model_is_merged(pipelines):
    text = "The Standing Committee of the Regional Assembly of Tuscany voted."
    doc = run(pipelines, ["outer_names"], text, [("Standing Committee", "ORG"), ("Regional Assembly of Tuscany", "ORG")])
    assert found(doc) == [("Standing Committee of the Regional Assembly of Tuscany", "ORG")]


def test_a_street_name_grows_over_its_suffix(pipelines):
    doc = run(pipelines, ["outer_names"], "A cafe opened on Nanluogu Lane last week.", [("Nanluogu", "GPE")])
    assert found(doc) == [("Nanluogu Lane", "FAC")]


def test_two_rivers_joined_by_and_stay_two_names(pipelines):
    doc = run(pipelines, ["outer_names"], "Floods hit the Pearl River and the Xi River basins.",
              [("Pearl River", "LOC"), ("Xi River", "LOC")])
    assert found(doc) == [("Pearl River", "LOC"), ("Xi River", "LOC")]


def test_a_name_does_not_run_into_a_date_or_a_person(pipelines):
    text = "The Annual Report on Wednesday quoted the Committee with Chairman Lee Tan."
    doc = run(pipelines, ["outer_names"], text,
              [("Annual Report", "WORK_OF_ART"), ("Wednesday", "DATE"), ("Committee", "ORG"), ("Lee Tan", "PERSON")])
    assert ("Annual Report", "WORK_OF_ART") in found(doc)
    assert ("Lee Tan", "PERSON") in found(doc)


def test_a_name_never_starts_with_its_connector(pipelines):
    text = "Trade with Silk and Road countries grew."
    doc = run(pipelines, ["outer_names"], text, [("Silk", "PERSON")])
    assert found(doc) == [("Silk", "PERSON")]


def test_a_doctrine_keeps_its_possessor(pipelines):
    text = "Students read Deng Xiaoping's Theory on Reform and Opening Up in class."
    doc = run(pipelines, ["outer_names"], text, [("Deng Xiaoping", "PERSON")])
    assert found(doc) == [("Deng Xiaoping's Theory on Reform and Opening Up", "WORK_OF_ART")]


def test_an_organisation_the_model_missed_is_found_by_its_head_word(pipelines):
    text = "Farmers backed Ravi Rao's Kisan Raksha Party in the north."
    doc = run(pipelines, ["outer_names"], text, [("Ravi Rao", "PERSON")])
    assert found(doc) == [("Ravi Rao", "PERSON"), ("Kisan Raksha Party", "ORG")]


@pytest.mark.parametrize("text", [
    "Kisan Raksha Party won the seat.",
    "Researchers at the Lowell Marsh Center agreed.",
])
def test_a_missed_organisation_needs_a_strong_head_inside_a_sentence(pipelines, text):
    doc = run(pipelines, ["outer_names"], text, [])
    assert found(doc) == []


def test_a_title_case_headline_is_not_read_as_names(pipelines):
    doc = run(pipelines, ["outer_names"], "Markets Rally as Investors Cheer Trade Act Talks", [])
    assert found(doc) == []


# --------------------------------------------------------------------------- heads

@pytest.mark.parametrize("text, ent, label, want", [
    ("Shops on Elm Street closed.", "Elm Street", "ORG", "FAC"),
    ("Herders crossed the Pamir Plateau.", "Pamir Plateau", "ORG", "LOC"),
    ("Congress passed the Clean Water Act.", "Clean Water Act", "ORG", "LAW"),
    ("She studied at Johns Hopkins University.", "Johns Hopkins University", "PERSON", "ORG"),
    ("He swam in Lake Baikal.", "Lake Baikal", "PERSON", "LOC"),  # no person is named "Lake ..."
    ("Fans cheered Nathan Lane.", "Nathan Lane", "PERSON", "PERSON"),
    ("Analysts at the Pew Research Center agreed.", "Pew Research Center", "ORG", "ORG"),
    ("She won the Qatar Open twice.", "Qatar Open", "WORK_OF_ART", "EVENT"),
    ("Farmers joined the Kisan Bima Yojana.", "Kisan Bima Yojana", "ORG", "LAW"),
    ("Savers used the Help to Buy Scheme.", "Help to Buy Scheme", "ORG", "LAW"),
])
def test_head_word_decides_the_kind(pipelines, text, ent, label, want):
    doc = run(pipelines, ["heads"], text, [(ent, label)])
    assert found(doc) == [(ent, want)]


def test_head_rule_leaves_gazetteer_labels(pipelines):
    doc = run(pipelines, ["gazetteer", "heads"], "Traders on Wall Street cheered.", [])
    assert found(doc) == [("Wall Street", "LOC")]


# --------------------------------------------------------------------------- quoted titles

def test_quoted_title_is_a_work_of_art(pipelines):
    doc = run(pipelines, ["quoted_titles"], 'Towns adopted the "Anji Green Model" last year.', [])
    assert found(doc) == [("Anji Green Model", "WORK_OF_ART")]


def test_quoted_regulations_are_a_law(pipelines):
    doc = run(pipelines, ["quoted_titles"], 'They enforce the "Regulations on Data Security" now.',
              [("Regulations on Data Security", "WORK_OF_ART")])
    assert found(doc) == [("Regulations on Data Security", "LAW")]


@pytest.mark.parametrize("text, ents", [
    ('He said "we must act now" to reporters.', []),
    ('Members of "Society for the Protection of Birds" marched.', [("Society for the Protection of Birds", "ORG")]),
])
def test_other_quotes_are_left_alone(pipelines, text, ents):
    doc = run(pipelines, ["quoted_titles"], text, ents)
    assert found(doc) == list(ents)


# --------------------------------------------------------------------------- descriptors

@pytest.mark.parametrize("text, ents, want", [
    ("Telescopes tracked the asteroid Kalliope for years.", [("Kalliope", "PERSON")], [("Kalliope", "LOC")]),
    ("Brazilian forward Rafael Lima scored twice.", [("Rafael Lima", "ORG")], [("Rafael Lima", "PERSON")]),
    ("His teammate Tomas Vrba set the pace.", [("Tomas Vrba", "ORG")], [("Tomas Vrba", "PERSON")]),
    ("Floods cut off the city of Mandalay on Monday.", [("Mandalay", "ORG")], [("Mandalay", "GPE")]),
    ("Fires reached the island of Kos on Monday.", [("Kos", "PRODUCT")], [("Kos", "LOC")]),
    ("Its new telescope, Sky Hunter, opens in May.", [("Sky Hunter", "PERSON")], [("Sky Hunter", "PRODUCT")]),
    ("Grain left port after the vessel Ocean Pride docked.", [], [("Ocean Pride", "PRODUCT")]),
    ("In 2005 a probe hit the comet Tempel 1 at speed.", [("Tempel", "PERSON")], [("Tempel 1", "LOC")]),
    ("The Orbis spacecraft reached orbit.", [("Orbis", "PERSON")], [("Orbis", "PRODUCT")]),
    ("ISRO's Vikas spacecraft reached orbit.", [("ISRO", "ORG"), ("Vikas", "ORG")],
     [("ISRO", "ORG"), ("Vikas", "PRODUCT")]),
    ("Crowds left through the Tamsin bloc offices.", [], [("Tamsin", "ORG")]),
])
def test_a_common_noun_next_to_a_name_says_what_it_names(pipelines, text, ents, want):
    doc = run(pipelines, ["descriptors"], text, ents, pos={"forward": "ADV", "offices": "NOUN"})
    assert found(doc) == want


@pytest.mark.parametrize("text, ents", [
    ("Airlines ordered more Vantor jets this year.", [("Vantor", "ORG")]),
    ("Crowds packed the Lagos airport on Friday.", [("Lagos", "GPE")]),
    ("Industry analyst IDC counted the phones.", [("IDC", "ORG")]),
    ("Exports of Chinese satellite parts grew.", [("Chinese", "NORP")]),
    ("Sales of China's Vantor phones grew.", [("China", "GPE"), ("Vantor", "ORG")]),
    ("Buyers want AI chips now.", []),
])
def test_a_descriptor_leaves_what_it_does_not_describe(pipelines, text, ents):
    doc = run(pipelines, ["descriptors"], text, ents)
    assert found(doc) == list(ents)


@pytest.mark.parametrize("text, ents, want", [
    ("Scouts praised Kovacs, who joined in May.", [("Kovacs", "GPE")], [("Kovacs", "PERSON")]),
    ("Shares fell after Tom Reyes, 58, resigned.", [("Tom Reyes", "ORG")], [("Tom Reyes", "PERSON")]),
    ("Fans cheered Leeds, who won again.", [("Leeds", "ORG")], [("Leeds", "ORG")]),
    ("Later the Italian, who won, smiled.", [("Italian", "NORP")], [("Italian", "NORP")]),
])
def test_who_or_an_age_after_a_name_marks_a_person(pipelines, text, ents, want):
    doc = run(pipelines, ["descriptors"], text, ents)
    assert found(doc) == want


def test_a_descriptor_does_not_overrule_a_name_with_its_own_head(pipelines):
    doc = run(pipelines, ["heads", "descriptors"], "They met the firm Elm Street today.", [("Elm Street", "ORG")])
    assert found(doc) == [("Elm Street", "FAC")]


def test_names_joined_to_a_described_name_share_its_kind(pipelines):
    text = "It carries two cubesats, Ada and Bo, to orbit."
    nlp = pipelines("descriptors")
    doc = make_doc(nlp, text, [("Ada", "ORG"), ("Bo", "PERSON")], pos={"cubesats": "NOUN"})
    doc[3].lemma_ = "cubesat"
    bo, ada = doc[7], doc[5]
    bo.dep_, bo.head = "conj", ada
    assert found(nlp(doc)) == [("Ada", "PRODUCT"), ("Bo", "PRODUCT")]


def test_a_descriptor_the_model_put_inside_a_name_is_split_off(pipelines):
    text = "Carmaker Velo Motors cut prices. Shares in Velo Motors fell."
    doc = run(pipelines, ["descriptors"], text, [("Carmaker Velo Motors", "ORG"), ("Velo Motors", "ORG")])
    assert found(doc) == [("Velo Motors", "ORG"), ("Velo Motors", "ORG")]


def test_what_a_thing_is_sold_as_is_a_product(pipelines):
    nlp = pipelines("descriptors")
    doc = make_doc(nlp, "The pill will be sold as Zelvora in May.", [("Zelvora", "PERSON")], pos={"sold": "VERB"})
    doc[4].lemma_ = "sell"
    doc[5].dep_, doc[5].head = "prep", doc[4]
    assert found(nlp(doc)) == [("Zelvora", "PRODUCT")]


def test_a_lower_case_descriptor_inside_the_model_entity_is_split_off(pipelines):
    doc = run(pipelines, ["descriptors"], "Doctors prescribed the drug Zelvora.", [("drug Zelvora", "ORG")])
    assert found(doc) == [("Zelvora", "PRODUCT")]


def test_a_described_name_gives_its_kind_to_the_other_mentions(pipelines):
    text = "The Orbis probe launched. Orbis sent images. Later Orbis went quiet."
    doc = run(pipelines, ["descriptors", "discourse"], text,
              [("Orbis", "PERSON"), ("Orbis", "PERSON"), ("Orbis", "PERSON")], pos={"Later": "ADV"})
    assert found(doc) == [("Orbis", "PRODUCT")] * 3


def test_a_name_without_its_kind_prefix_is_the_same_thing(pipelines):
    text = "Hurricane Ida hit the coast. Ida weakened overnight."
    doc = run(pipelines, ["heads", "discourse"], text, [("Hurricane Ida", "ORG"), ("Ida", "PERSON")])
    assert found(doc) == [("Hurricane Ida", "EVENT"), ("Ida", "EVENT")]


# --------------------------------------------------------------------------- discourse

def test_one_name_gets_one_label_per_article(pipelines):
    text = "Tourists visit Baizi Lane. Baizi Lane is narrow."
    doc = run(pipelines, ["discourse"], text, [("Baizi Lane", "PERSON"), ("Baizi Lane", "FAC")])
    assert found(doc) == [("Baizi Lane", "FAC"), ("Baizi Lane", "FAC")]


def test_short_form_takes_the_label_of_its_full_name(pipelines):
    text = "Leeds United won on Sunday. United were the better side."
    doc = run(pipelines, ["discourse"], text, [("Leeds United", "ORG"), ("United", "PERSON")])
    assert found(doc) == [("Leeds United", "ORG"), ("United", "ORG")]


def test_first_word_of_a_company_is_the_company(pipelines):
    text = "Tamura Motor cut its forecast. Tamura sold fewer cars. General Motors did not. General Smith spoke."
    ents = [("Tamura Motor", "ORG"), ("Tamura", "PERSON"), ("General Motors", "ORG"), ("General Smith", "PERSON")]
    doc = run(pipelines, ["discourse"], text, ents)
    assert found(doc) == [("Tamura Motor", "ORG"), ("Tamura", "ORG"), ("General Motors", "ORG"),
                          ("General Smith", "PERSON")]


def test_a_number_after_a_person_is_no_part_of_the_name(pipelines):
    text = "Lando Norris won. Piastri has 74 points, Norris 64."
    doc = run(pipelines, ["discourse"], text, [("Lando Norris", "PERSON"), ("Piastri", "PERSON"), ("Norris 64", "ORG")])
    assert found(doc) == [("Lando Norris", "PERSON"), ("Piastri", "PERSON"), ("Norris", "PERSON")]


def test_repeats_of_a_multi_word_name_are_found(pipelines):
    text = "Dr Amara Okafor led the study. Later Amara Okafor said more."
    doc = run(pipelines, ["discourse"], text, [("Amara Okafor", "PERSON")], pos={"Later": "ADV"})
    assert found(doc) == [("Amara Okafor", "PERSON"), ("Amara Okafor", "PERSON")]
    assert doc.ents[1].id_ == "rule:discourse"


# --------------------------------------------------------------------------- people (given names)

@pytest.mark.parametrize("text, ent, label", [
    ("The coach, Amanda Kowalczyk, praised the team.", "Amanda Kowalczyk", "ORG"),
    ("Rodrigo Bautista denied the charges.", "Rodrigo Bautista", "GPE"),
    ("A goal by Simone Pellegrini Ferraro settled it.", "Simone Pellegrini Ferraro", "NORP"),
])
def test_a_given_name_and_an_unknown_word_are_a_person(pipelines, text, ent, label):
    doc = run(pipelines, ["people"], text, [(ent, label)])
    assert found(doc) == [(ent, "PERSON")]
    assert doc.ents[0].id_ == "rule:people"


def test_a_given_name_pair_the_model_missed_is_a_person(pipelines):
    doc = run(pipelines, ["people"], "The club signed Amanda Kowalczyk from Lyon.", [("Lyon", "GPE")])
    assert found(doc) == [("Amanda Kowalczyk", "PERSON"), ("Lyon", "GPE")]


@pytest.mark.parametrize("text, ent, label", [
    ("Shares of Grace Church fell.", "Grace Church", "ORG"),              # its head word says what it is
    ("Will Kowalczyk arrived.", "Will Kowalczyk", "ORG"),                 # a word more than a name
    ("The final was played at Amanda Kowalczyk.", "Amanda Kowalczyk", "FAC"),  # placed by "at"
    ("Profits at Royal Dutch Shell rose.", "Royal Dutch Shell", "ORG"),   # "Dutch" is a name of its own
    ("Georgia Kowalczyk won.", "Georgia Kowalczyk", "GPE"),               # the given name is a country
    ("Flights to Austin rose.", "Austin", "GPE"),                         # one word is no full name
])
def test_names_that_only_look_like_a_person_keep_their_label(pipelines, text, ent, label):
    doc = run(pipelines, ["people"], text, [(ent, label)])
    assert found(doc) == [(ent, label)]


def test_an_unlabelled_pair_inside_a_longer_capitalised_name_is_left_alone(pipelines):
    doc = run(pipelines, ["people"], "Fans of Amanda Kowalczyk Trust protested.")
    assert found(doc) == []


@pytest.mark.parametrize("text, ents", [
    ("Okon Ubaka of the Labour Party conceded.", [("Okon Ubaka", "FAC"), ("Labour Party", "ORG")]),
    ("Then Lena Brandt of Poland won.", [("Lena Brandt", "ORG"), ("Poland", "GPE")]),
])
def test_unknown_words_before_of_and_an_organisation_or_country_are_a_person(pipelines, text, ents):
    doc = run(pipelines, ["people"], text, ents)
    assert found(doc) == [(ents[0][0], "PERSON"), ents[1]]


@pytest.mark.parametrize("text, ents", [
    ("Profits at Standard Chartered of Britain rose.", [("Standard Chartered", "ORG"), ("Britain", "GPE")]),
    ("Okon Ubaka of the region conceded.", [("Okon Ubaka", "FAC")]),  # "of" no organisation or country
])
def test_other_names_before_of_keep_their_label(pipelines, text, ents):
    assert found(run(pipelines, ["people"], text, ents)) == ents


def test_given_names_come_from_the_census_lists():
    given = entities.load_given_names(0.005)
    assert {"Amanda", "Rodrigo", "Simone"} <= given
    assert "Golden" not in given and "Golden" in entities.load_given_names(0.0)


# --------------------------------------------------------------------------- surnames

def test_a_surname_alone_after_the_full_name_is_the_person(pipelines):
    text = "Kwabena Otieno won the vote. Rivals said Otieno bought it."
    doc = run(pipelines, ["surnames"], text, [("Kwabena Otieno", "PERSON")], pos={"Rivals": "NOUN"})
    assert found(doc) == [("Kwabena Otieno", "PERSON"), ("Otieno", "PERSON")]
    assert doc.ents[1].id_ == "rule:surnames"


def test_a_surname_in_the_headline_above_the_full_name_is_the_person(pipelines):
    text = "Otieno wins Kisumu vote. Kwabena Otieno won by a wide margin."
    doc = run(pipelines, ["surnames"], text, [("Kisumu", "GPE"), ("Kwabena Otieno", "PERSON")])
    assert found(doc) == [("Otieno", "PERSON"), ("Kisumu", "GPE"), ("Kwabena Otieno", "PERSON")]


def test_a_surname_after_a_title_is_the_person(pipelines):
    text = "Kwabena Otieno took office. Critics of President Otieno marched."
    doc = run(pipelines, ["surnames"], text, [("Kwabena Otieno", "PERSON")], pos={"Critics": "NOUN"})
    assert found(doc)[-1] == ("Otieno", "PERSON")


def test_the_models_one_word_organisation_that_is_a_persons_surname_is_the_person(pipelines):
    text = "Otieno's party sweeps the vote. Kwabena Otieno won easily. Rivals said Otieno bought it."
    ents = [("Otieno", "ORG"), ("Kwabena Otieno", "PERSON")]
    doc = run(pipelines, ["surnames"], text, ents, pos={"Rivals": "NOUN"})
    assert found(doc) == [("Otieno", "PERSON"), ("Kwabena Otieno", "PERSON"), ("Otieno", "PERSON")]


def test_a_surname_the_model_ran_into_a_name_after_on_is_cut_off_it(pipelines):
    text = "Kwabena Otieno won. Allies praised Otieno on Radio Maisha. Rivals said Otieno bought it."
    ents = [("Kwabena Otieno", "PERSON"), ("Otieno on Radio Maisha", "ORG")]
    doc = run(pipelines, ["surnames"], text, ents, pos={"Rivals": "NOUN", "Allies": "NOUN"})
    assert found(doc) == [("Kwabena Otieno", "PERSON"), ("Otieno", "PERSON"), ("Radio Maisha", "ORG"),
                          ("Otieno", "PERSON")]


@pytest.mark.parametrize("text, ents", [
    # the word also names a company in the article
    ("Priya Vasant founded Vasant Foods. Investors in Vasant lost money.",
     [("Priya Vasant", "PERSON"), ("Vasant Foods", "ORG")]),
    # part of a longer capitalised name the model did not find
    ("Kwabena Otieno spoke. Shares of Otieno Holdings fell.", [("Kwabena Otieno", "PERSON")]),
])
def test_a_surname_that_names_something_else_is_left_alone(pipelines, text, ents):
    doc = run(pipelines, ["surnames"], text, ents)
    assert [e.id_ for e in doc.ents] == [""] * len(ents)


def test_an_unknown_word_before_a_persons_one_word_name_makes_the_full_name(pipelines):
    text = "Rivals could not follow Vrbek. Then Tomaz Vrbek attacked."
    doc = run(pipelines, ["surnames"], text, [("Vrbek", "PERSON")], pos={"Then": "ADV", "Rivals": "NOUN"})
    assert found(doc) == [("Vrbek", "PERSON"), ("Tomaz Vrbek", "PERSON")]


@pytest.mark.parametrize("text", [
    "Rivals could not follow Vrbek. Then Minister Vrbek spoke.",   # a title, not a given name
    "Rivals could not follow Vrbek. Then Golden Vrbek spoke.",     # an English word
])
def test_a_title_or_word_before_a_persons_name_is_no_given_name(pipelines, text):
    doc = run(pipelines, ["surnames"], text, [("Vrbek", "PERSON")], pos={"Then": "ADV", "Rivals": "NOUN"})
    assert found(doc) == [("Vrbek", "PERSON")]


def test_a_common_word_opening_a_sentence_is_no_surname(pipelines):
    text = "Neil Young played. Young voters stayed home."
    doc = run(pipelines, ["surnames"], text, [("Neil Young", "PERSON")], pos={"Young": "ADJ"})
    assert found(doc) == [("Neil Young", "PERSON")]


# --------------------------------------------------------------------------- junk

def test_capitalised_common_word_at_sentence_start_is_dropped(pipelines):
    text = "Volunteer work grew. Many volunteer groups formed."
    doc = run(pipelines, ["junk"], text, [("Volunteer", "PERSON")])
    assert found(doc) == []


@pytest.mark.parametrize("text, ent", [
    ("Turnout fell to 61% on Sunday.", "Turnout"),
    ("Healthcare added 40,000 jobs in May.", "Healthcare"),
    ("Drugmaker raises its forecast.", "Drugmaker"),
])
def test_a_word_english_writes_in_lower_case_is_no_name_at_a_sentence_start(pipelines, text, ent):
    doc = run(pipelines, ["junk"], text, [(ent, "ORG")])
    assert found(doc) == []


@pytest.mark.parametrize("text, ents", [
    ("Oracle raised its forecast.", [("Oracle", "ORG")]),
    ("Next raised its forecast. Shares in Next rose 3%.", [("Next", "ORG"), ("Next", "ORG")]),
])
def test_a_name_written_like_one_stays_at_a_sentence_start(pipelines, text, ents):
    doc = run(pipelines, ["junk"], text, ents)
    assert found(doc) == ents


def test_the_word_frequency_test_is_switched_off_without_a_margin(cfg):
    nlp = build_pipeline({**cfg, "rules": ["junk"], "common_word_margin": None})
    doc = nlp(make_doc(nlp, "Turnout fell to 61% on Sunday.", [("Turnout", "ORG")]))
    assert found(doc) == [("Turnout", "ORG")]


def test_surname_at_sentence_start_is_kept(pipelines):
    text = "Gordon Brown spoke. Brown said the brown fields would be built on."
    doc = run(pipelines, ["junk"], text, [("Gordon Brown", "PERSON"), ("Brown", "PERSON")])
    assert found(doc) == [("Gordon Brown", "PERSON"), ("Brown", "PERSON")]


def test_organisation_guess_in_a_title_case_headline_is_dropped(pipelines):
    text = "Farmers Welcome Rain as Summer Harvest Outlook Improves"
    doc = run(pipelines, ["junk"], text, [("Summer Harvest Outlook", "ORG")])
    assert found(doc) == []


# --------------------------------------------------------------------------- norms, kb_id, source

def norms(doc: Doc) -> list[tuple[str, str, str]]:
    return [(r["text"], r["norm"], r["kb_id"]) for r in entity_rows(doc)]


def test_aliases_resolve_to_one_canonical_name_and_id(pipelines):
    doc = run(pipelines, ["trim", "norms"], "The CPC and the U.S. signed.", [("The CPC", "ORG"), ("the U.S.", "GPE")])
    assert norms(doc) == [("CPC", "Communist Party of China", "Q17427"), ("U.S.", "United States", "Q30")]


def test_short_form_resolves_only_when_the_article_names_the_thing(pipelines):
    text = "The Communist Party of China met. The Party set goals."
    doc = run(pipelines, ["trim", "gazetteer", "norms"], text, [("The Party", "ORG")])
    assert norms(doc)[-1] == ("Party", "Communist Party of China", "Q17427")
    alone = run(pipelines, ["trim", "gazetteer", "norms"], "The Party set goals.", [("Party", "ORG")])
    assert norms(alone) == [("Party", "Party", None)]


def test_partial_person_name_resolves_to_the_full_name_in_the_article(pipelines):
    text = "Governor Maria Delgado spoke. Delgado said no."
    doc = run(pipelines, ["norms"], text, [("Maria Delgado", "PERSON"), ("Delgado", "PERSON")])
    assert norms(doc)[-1] == ("Delgado", "Maria Delgado", None)


def test_possessive_person_norm_drops_the_s(pipelines):
    doc = run(pipelines, ["trim", "gazetteer", "norms"], "Xi Jinping's speech ended.", [("Xi Jinping's", "PERSON")])
    assert norms(doc) == [("Xi Jinping", "Xi Jinping", "Q15031")]


def test_acronym_defined_in_brackets_resolves_to_its_full_name(pipelines):
    text = "The Coastal Fisheries Council (CFC) met. The CFC agreed."
    doc = run(pipelines, ["trim", "norms"], text, [("The Coastal Fisheries Council (CFC)", "ORG"), ("CFC", "ORG")])
    assert norms(doc)[-1] == ("CFC", "Coastal Fisheries Council", None)


def test_gazetteer_entry_applies_only_to_its_own_label(pipelines):
    doc = run(pipelines, ["norms"], "Jordan scored.", [("Jordan", "PERSON")])
    assert norms(doc) == [("Jordan", "Jordan", None)]


def test_source_names_the_component(pipelines):
    text = "Shops on Elm Street and Xu Lin in Kenya."
    doc = run(pipelines, COMPONENTS, text, [("Elm Street", "ORG"), ("Xu Lin", "PERSON")])
    rows = {r["text"]: r["source"] for r in entity_rows(doc)}
    assert rows == {"Elm Street": "rule:heads", "Xu Lin": "model", "Kenya": "gazetteer"}


# --------------------------------------------------------------------------- configuration and data

def test_rules_switched_off_in_params_do_not_run(pipelines):
    doc = run(pipelines, ["norms"], "Exports from Shandong grew.", [("Shandong", "ORG")])
    assert found(doc) == [("Shandong", "ORG")]


def test_unknown_rule_name_is_an_error(cfg):
    with pytest.raises(ValueError, match="unknown rule"):
        build_pipeline({**cfg, "rules": ["trim", "spellcheck"]})


def test_gazetteer_entries_are_well_formed(cfg):
    gazetteer = load_gazetteer(tuple(cfg["gazetteers"]))
    assert len(gazetteer.entries) > 500
    for entry in gazetteer.entries:
        assert entry.label in entities.ENTITY_LABELS, entry
        assert entry.kb_id == entities.slug(entry.name) or (entry.kb_id[0] == "Q" and entry.kb_id[1:].isdigit())
    ids = [e.kb_id for e in gazetteer.entries]
    assert len(ids) == len(set(ids))


def test_gazetteer_rejects_a_name_listed_twice(tmp_path):
    path = tmp_path / "g.yaml"
    path.write_text("- {name: Ruritania, label: GPE}\n- {name: Ruritania Republic, label: GPE, aliases: [Ruritania]}\n")
    with pytest.raises(ValueError, match="listed twice"):
        entities.Gazetteer.from_files([path])


def test_gazetteer_rejects_an_unquoted_comma(tmp_path):
    path = tmp_path / "g.yaml"
    path.write_text("- {name: Springfield, Ohio, label: GPE}\n")
    with pytest.raises(ValueError, match="bad gazetteer entry"):
        entities.Gazetteer.from_files([path])


def test_rule_words_are_all_strings(cfg):
    data = yaml.safe_load((entities.resource_path(cfg["rule_words"])).read_text(encoding="utf-8"))
    cues = data.pop("context_cues")
    words = [w for v in data.values() for w in (v if isinstance(v, list) else [x for ws in v.values() for x in ws])]
    words += [w for cue in cues for key in ("before", "after", "replaces", "pos") for w in cue.get(key, [])]
    assert words and all(isinstance(w, str) for w in words)
    assert all(isinstance(cue.get("one_word", False), bool) for cue in cues)


# --------------------------------------------------------------------------- the model and the rules together

@pytest.fixture(scope="module")
def fixture_entities(tmp_path_factory, params) -> pd.DataFrame:
    out = run_pipeline(FIXTURES, tmp_path_factory.mktemp("entities") / "processed", params)
    return pd.read_parquet(out / "entities.parquet")


@pytest.mark.parametrize("doc_id, text, label, norm", [
    ("us_economy", "WASHINGTON", "GPE", "Washington, D.C."),
    ("us_economy", "Fed", "ORG", "Federal Reserve"),
    ("us_economy", "U.S.", "GPE", "United States"),
    ("us_economy", "Wall Street", "LOC", "Wall Street"),
    ("us_economy", "Powell", "PERSON", "Jerome Powell"),
    ("europe_politics", "BRUSSELS", "GPE", "Brussels"),
    ("europe_politics", "EU", "ORG", "European Union"),
    ("europe_politics", "Regulations on Energy Market Design", "LAW", "Regulations on Energy Market Design"),
    ("europe_politics", "Macron", "PERSON", "Emmanuel Macron"),
    ("football", "Bayern Munich", "ORG", "Bayern Munich"),
    ("football", "Santiago Bernabeu", "FAC", "Santiago Bernabeu"),
    ("football", "Wembley Stadium", "FAC", "Wembley Stadium"),
    ("mars_samples", "Jezero Crater", "LOC", "Jezero Crater"),
    ("mars_samples", "Perseverance", "PRODUCT", "Perseverance"),
    ("mars_samples", "Mars", "LOC", "Mars"),
    ("mars_samples", "European Space Agency", "ORG", "European Space Agency"),
    ("china_plenum", "Fourth Plenary Session of the 20th Central Committee of the Communist Party of China", "EVENT",
     "Fourth Plenary Session of the 20th Central Committee of the Communist Party of China"),
    ("china_plenum", "Party", "ORG", "Communist Party of China"),
    ("china_plenum", "CPC Central Committee", "ORG", "Central Committee of the Communist Party of China"),
    ("china_plenum", "Regulations on the Work of Rural Grassroots Organizations", "LAW",
     "Regulations on the Work of Rural Grassroots Organizations"),
    ("china_plenum", "Pujiang Experience", "WORK_OF_ART", "Pujiang Experience"),
])
def test_model_and_rules_on_articles_written_for_the_test(fixture_entities, doc_id, text, label, norm):
    rows = fixture_entities[(fixture_entities.doc_id == doc_id) & (fixture_entities.text == text)]
    assert not rows.empty, f"{text!r} not found in {doc_id}"
    assert set(rows.label) == {label}
    assert set(rows.norm) == {norm}


CHECK = Path(__file__).parent / "fixtures" / "entity_check"


def labelled_f1(gold: list[dict], rows: pd.DataFrame) -> float:
    """Entity F1 on (text, label) as the shared scorer counts it: every gold mention once, an
    ``alt_labels`` label accepted, an ``optional`` mention neither needed nor wrong."""
    key = lambda text: re.sub(r"^the |'s$", "", " ".join(text.replace("\u2019", "'").casefold().split()))  # noqa: E731
    tp = fn = fp = 0
    for doc in gold:
        found = [(key(r.text), r.label) for r in rows[rows.doc_id == doc["doc"]].itertuples()]
        optional = [key(e["text"]) for e in doc["entities"] if e.get("optional")]
        for e in (e for e in doc["entities"] if not e.get("optional")):
            hit = next((f for f in found if f[0] == key(e["text"]) and f[1] in (e["label"], *e.get("alt_labels", ()))),
                       None)
            if hit is None:
                fn += 1
            else:
                found.remove(hit)
                tp += 1
        for text in optional:
            extra = next((f for f in found if f[0] == text), None)
            if extra is not None:
                found.remove(extra)
        fp += len(found)
    return 2 * tp / (2 * tp + fp + fn)


@pytest.mark.parametrize("check, floor", [(CHECK, 0.9), (CHECK.with_name("entity_check3"), 0.93),
                                          (CHECK.with_name("entity_check4"), 0.9),
                                          (CHECK.with_name("entity_check5"), 0.88),
                                          (CHECK.with_name("entity_check6"), 0.85),
                                          (CHECK.with_name("entity_check7"), 0.87),
                                          (CHECK.with_name("entity_check8"), 0.9),
                                          (CHECK.with_name("entity_check9"), 0.9),
                                          (CHECK.with_name("entity_check10"), 0.78),
                                          (CHECK.with_name("entity_check11"), 0.9),
                                          (CHECK.with_name("entity_check12"), 0.9),
                                          (CHECK.with_name("entity_check13"), 0.9),
                                          (CHECK.with_name("entity_check14"), 0.85),
                                          (CHECK.with_name("entity_check15"), 0.87),
                                          (CHECK.with_name("entity_check16"), 0.9),
                                          (CHECK.with_name("entity_check17"), 0.89),
                                          (CHECK.with_name("entity_check18"), 0.85),
                                          (CHECK.with_name("entity_check19"), 0.85),
                                          (CHECK.with_name("entity_check20"), 0.76),
                                          (CHECK.with_name("entity_check21"), 0.82),
                                          (CHECK.with_name("entity_check22"), 0.86),
                                          (CHECK.with_name("entity_check23"), 0.8),
                                          (CHECK.with_name("entity_check24"), 0.88),
                                          (CHECK.with_name("entity_check25"), 0.87),
                                          (CHECK.with_name("entity_check26"), 0.83)])
def test_articles_written_for_the_checks_keep_their_measured_score(tmp_path, params, check, floor):
    """Articles written (with their gold) before the rules were tuned: on the first set the model
    alone scores 0.81 labelled F1, the rules 0.94; on the third (written before entity_context) the
    rules before it 0.82, with it 0.95; on the fifth (written before entity_people and
    entity_surnames) 0.82 before them, 0.90 with them; on the sixth (the eighth session's
    development set) 0.82 before that session's rules, 0.87 with them; the seventh, kept blind
    through that session, 0.821 before and after, then 0.896 as the ninth session's development set;
    the eighth, blind until its first score, 0.891, then 0.929 with the rules its misses led to; the
    ninth likewise 0.865, then 0.934; the tenth, harder (the model alone 0.615), 0.730, then 0.808;
    the eleventh, the closest to the hidden set (the model alone 0.758), 0.885, then 0.93; the
    twelfth, harder (the model alone 0.713), 0.837 after the eleventh's rules, then 0.88, and 0.92
    with the twelfth session's; the thirteenth and fourteenth (the model alone 0.700 and 0.652) 0.835
    and 0.777 at release 0.15.0, then 0.908 and 0.858; the fifteenth (the model alone 0.697) 0.818 at
    release 0.15.0 and 0.828 with the rules the two before had led to, then 0.878; the sixteenth and
    seventeenth (the model alone 0.646 and 0.683) 0.777 and 0.815 at release 0.16.0, then 0.915 and 0.903;
    the eighteenth (the model alone 0.682) 0.825 at release 0.16.0 and 0.827 with the rules the two
    before had led to, then 0.861; the nineteenth and twentieth (the model alone 0.672 and 0.523) 0.828
    and 0.706 at release 0.17.0, then 0.876 and 0.789; the twenty-first (the model alone 0.597) 0.789 at
    release 0.17.0 and with the rules the two before had led to, then 0.820, and 0.846 with the towns of
    1,000 people and up; the twenty-second (the model alone 0.637) 0.777 at release 0.18.0, then 0.875; the
    twenty-third (the model alone 0.591) 0.774 with the rules the twenty-second had led to by then, then
    0.822; the twenty-fourth, scored once before anything was changed for it (the model alone 0.559),
    0.828 at release 0.19.0 and 0.833 at 0.21.0, then 0.903 with the gazetteers its misses led to; the
    twenty-fifth, likewise (the model alone 0.617), 0.837 at release 0.21.0, then 0.902; the twenty-sixth
    (the model alone 0.674) 0.813 at release 0.21.0 and 0.816 with the rules the two before had led to,
    then 0.853. A rule that costs them more is suspect."""
    out = run_pipeline(check / "raw", tmp_path / "processed", params)
    gold = [json.loads(p.read_text(encoding="utf-8")) for p in sorted((check / "gold").glob("*.json"))]
    assert labelled_f1(gold, pd.read_parquet(out / "entities.parquet")) >= floor


def test_no_fragment_of_a_long_name_is_left_over(fixture_entities):
    plenum = fixture_entities[fixture_entities.doc_id == "china_plenum"]
    assert not {"Communist Party of China", "20th", "Central Committee"} & set(plenum.text)


def test_every_row_names_its_source(fixture_entities):
    assert set(fixture_entities.source) <= {"model", "gazetteer"} | {f"rule:{c}" for c in COMPONENTS}
    known = fixture_entities[fixture_entities.source == "gazetteer"]
    assert known.kb_id.notna().all()


def test_real_article_keeps_its_spans_inside_the_text(tables):
    text = tables["documents"].set_index("doc_id")["text"]
    for row in tables["entities"].itertuples():
        assert text[row.doc_id][row.start:row.end] == row.text
        assert row.text.strip() == row.text and not row.text.startswith(("the ", "The "))


def test_repo_params_list_every_component(cfg):
    assert cfg["rules"] == list(COMPONENTS)
    assert (REPO / "pipeline" / "resources" / cfg["rule_words"]).exists()


def test_place_without_its_generic_suffix_is_the_same_place(pipelines):
    text = "Tourists reach Lijiang Town by bus. Lijiang earned more last year."
    doc = run(pipelines, ["discourse"], text, [("Lijiang Town", "GPE"), ("Lijiang", "PERSON")])
    assert found(doc) == [("Lijiang Town", "GPE"), ("Lijiang", "GPE")]


def test_the_bank_is_the_central_bank_the_article_names(pipelines):
    text = "The Bank of England held rates. Later the Bank said inflation eased."
    doc = run(pipelines, ["trim", "gazetteer", "norms"], text, [("the Bank", "ORG")])
    assert norms(doc)[-1] == ("Bank", "Bank of England", "bank-of-england")


@pytest.fixture(scope="module")
def model_and_rules(params):
    nlp, post = load_model(params["model"]), build_pipeline(params["entities"])

    def entities(text: str) -> list[tuple[str, str]]:
        doc = nlp(text)
        doc.user_data["doc_id"] = "t"
        return [(r["text"], r["label"]) for r in entity_rows(post(doc))]
    return entities


def test_a_title_is_not_part_of_a_persons_name(model_and_rules):
    assert ("Allan", "PERSON") in model_and_rules("Premier Jacinta Allan visited the town. Ms Allan thanked the crews.")
    assert not any(text.startswith("Ms ") for text, _ in model_and_rules("Ms Allan thanked the crews."))


def test_a_road_the_model_took_for_a_person_is_a_facility(model_and_rules):
    assert ("Grampians Road", "FAC") in model_and_rules("The fire jumped Grampians Road near the town on Monday.")


def test_a_grand_prix_is_an_event(model_and_rules):
    assert ("Bahrain Grand Prix", "EVENT") in model_and_rules("Lando Norris won the Bahrain Grand Prix on Sunday.")


# --------------------------------------------------------------------------- cases, demonyms, context

def test_a_court_case_named_by_its_parties_is_a_law(pipelines):
    text = "The court cited Brown v. Board of Education in its ruling."
    doc = run(pipelines, ["cases"], text, [("Brown", "PERSON"), ("Board of Education", "ORG")])
    assert found(doc) == [("Brown v. Board of Education", "LAW")]


def test_a_match_between_two_sides_is_no_case(pipelines):
    text = "England v Australia starts on Friday at Lord's."
    doc = run(pipelines, ["cases"], text, [("England", "GPE"), ("Australia", "GPE")])
    assert found(doc) == [("England", "GPE"), ("Australia", "GPE")]


def test_a_capitalised_demonym_the_model_missed_is_a_norp_even_opening_a_sentence(pipelines):
    text = "Tasmanian growers met on Monday."
    doc = run(pipelines, ["demonyms", "junk"], text, pos={"Tasmanian": "ADJ"})
    assert found(doc) == [("Tasmanian", "NORP")]


def test_a_common_adjective_opening_a_sentence_is_no_demonym(pipelines):
    doc = run(pipelines, ["demonyms"], "Vegetarian meals sold out.", pos={"Vegetarian": "ADJ"})
    assert found(doc) == []


def test_a_demonym_before_an_organisation_joins_its_name(pipelines):
    text = "The Tasmanian Farmers Federation met. Tasmanian growers agreed."
    doc = run(pipelines, ["demonyms", "outer_names", "discourse"], text, [("Farmers Federation", "ORG")],
              pos={"Tasmanian": "ADJ"})
    assert found(doc) == [("Tasmanian Farmers Federation", "ORG"), ("Tasmanian", "NORP")]


@pytest.mark.parametrize("text, ents, pos, want", [
    ("Rahul Mehta said the plan would work.", [("Rahul Mehta", "GPE")], {}, [("Rahul Mehta", "PERSON")]),
    ("Acme Widgets said profits rose.", [("Acme Widgets", "ORG")], {}, [("Acme Widgets", "ORG")]),
    ("The rise was small, according to Joyce Mbeki.", [("Joyce Mbeki", "LOC")], {}, [("Joyce Mbeki", "PERSON")]),
    ("Minister Tobias Brandt met unions.", [("Tobias Brandt", "GPE")], {}, [("Tobias Brandt", "PERSON")]),
    ("Kestrel Mining bought the site.", [("Kestrel Mining", "PERSON")], {}, [("Kestrel Mining", "ORG")]),
    ("Judge Amos Gold ruled.", [("Amos Gold", "PERSON")], {}, [("Amos Gold", "PERSON")]),
    ("Zephyr's Carlos Mendes finished fifth.", [("Zephyr", "PERSON"), ("Carlos Mendes", "PERSON")], {},
     [("Zephyr", "ORG"), ("Carlos Mendes", "PERSON")]),
    ("Brentwick have won four games.", [("Brentwick", "PERSON")], {"have": "AUX"}, [("Brentwick", "ORG")]),
    ("Okada shares fell on Monday.", [("Okada", "PERSON")], {}, [("Okada", "ORG")]),
    ("Okada shares a flat with friends.", [("Okada", "PERSON")], {"shares": "VERB"}, [("Okada", "PERSON")]),
    ("A fire burned near Tarrawin overnight.", [("Tarrawin", "PERSON")], {}, [("Tarrawin", "GPE")]),
    ("Rain fell in Tarrawin overnight.", [("Tarrawin", "PERSON")], {}, [("Tarrawin", "GPE")]),
    ("Rain fell in Tarrawin Shire overnight.", [("Tarrawin Shire", "PERSON")], {}, [("Tarrawin Shire", "PERSON")]),
    ("The Tarrawin-based miner cut jobs.", [("Tarrawin", "ORG")], {}, [("Tarrawin", "GPE")]),
    ("Staff at Kestrel-backed Zylo quit.", [("Kestrel", "ORG"), ("Zylo", "ORG")], {},
     [("Kestrel", "ORG"), ("Zylo", "ORG")]),
])
def test_the_words_around_a_name_say_what_it_is(pipelines, text, ents, pos, want):
    assert found(run(pipelines, ["context"], text, ents, pos)) == want


def test_a_known_name_keeps_its_label_whatever_the_cue(pipelines):
    doc = run(pipelines, ["gazetteer", "context"], "Germany said it would act.", [("Germany", "GPE")])
    assert found(doc) == [("Germany", "GPE")]


def test_a_town_before_a_known_state_is_a_place(pipelines):
    text = "Residents of Millbrook, Ohio, sued the railway."
    doc = run(pipelines, ["gazetteer", "context"], text, [("Millbrook", "ORG"), ("Ohio", "GPE")])
    assert found(doc) == [("Millbrook", "GPE"), ("Ohio", "GPE")]


@pytest.mark.parametrize("text, ents, want", [
    ("The firm was founded by Nandini Rao and Ishaan Kapoor.", [("Nandini Rao", "GPE"), ("Ishaan Kapoor", "PERSON")],
     [("Nandini Rao", "PERSON"), ("Ishaan Kapoor", "PERSON")]),
    ("Plants in Dortberg and Munich will close.", [("Dortberg", "ORG"), ("Munich", "GPE")],
     [("Dortberg", "GPE"), ("Munich", "GPE")]),
    ("It competes with Fennix and Acme Corp on price.", [("Fennix", "PERSON"), ("Acme Corp", "ORG")],
     [("Fennix", "ORG"), ("Acme Corp", "ORG")]),
    ("Towns such as Mysore and Tarrawin grew.", [("Mysore", "GPE"), ("Tarrawin", "PERSON")],
     [("Mysore", "GPE"), ("Tarrawin", "GPE")]),
])
def test_names_in_one_list_share_their_kind(pipelines, text, ents, want):
    assert found(run(pipelines, ["gazetteer", "context"], text, ents)) == want


@pytest.mark.parametrize("text, ents", [
    ("Officials in Marlow County said the roads were shut.", [("Marlow County", "GPE")]),
    ("Brennan Regional Airport said it would reopen on Friday.", [("Brennan Regional Airport", "FAC")]),
])
def test_a_name_whose_own_words_say_its_kind_keeps_it_before_a_speech_verb(pipelines, text, ents):
    assert found(run(pipelines, ["context"], text, ents)) == ents


def test_a_place_set_beside_a_person_by_commas_stays_a_place(pipelines):
    text = "In Kelvale, Dorran County, Peter Okafor says prices fell."
    ents = [("Kelvale", "GPE"), ("Dorran County", "GPE"), ("Peter Okafor", "PERSON")]
    assert found(run(pipelines, ["context"], text, ents)) == ents


def test_a_persons_surname_in_a_list_with_a_company_stays_the_person(pipelines):
    text = "Ana Ruiz spoke first. Later Ruiz and Nexa Corp signed."
    doc = run(pipelines, ["context"], text, [("Ana Ruiz", "PERSON"), ("Ruiz", "PERSON"), ("Nexa Corp", "ORG")])
    assert found(doc) == [("Ana Ruiz", "PERSON"), ("Ruiz", "PERSON"), ("Nexa Corp", "ORG")]


def test_a_persons_name_cut_short_takes_the_proper_noun_beside_it(pipelines):
    text = "The deal was signed by Tobias Brandt and Marlene Kranz."
    doc = run(pipelines, ["context"], text, [("Tobias Brandt", "PERSON"), ("Marlene", "GPE")])
    assert found(doc) == [("Tobias Brandt", "PERSON"), ("Marlene Kranz", "PERSON")]


def test_a_peoples_name_standing_alone_for_a_company_named_with_it_is_that_company(pipelines):
    text = "Danish Air Express grew. Danish operates 40 jets and pays in Danish crowns."
    ents = [("Danish Air Express", "ORG"), ("Danish", "NORP"), ("Danish", "NORP")]
    doc = run(pipelines, ["discourse"], text, ents, pos={"operates": "VERB", "crowns": "NOUN"})
    assert found(doc) == [("Danish Air Express", "ORG"), ("Danish", "ORG"), ("Danish", "NORP")]


def test_the_context_label_reaches_the_other_mentions(pipelines):
    text = "Rahul Mehta said prices rose. Mehta expects more."
    doc = run(pipelines, ["context", "discourse"], text, [("Rahul Mehta", "GPE"), ("Mehta", "GPE")])
    assert found(doc) == [("Rahul Mehta", "PERSON"), ("Mehta", "PERSON")]


def test_a_hyphenated_role_before_a_name_is_a_descriptor(pipelines):
    text = "The union's co-leader Jonas Frei spoke."
    doc = run(pipelines, ["descriptors"], text, [("Jonas Frei", "GPE")])
    assert found(doc) == [("Jonas Frei", "PERSON")]


def test_a_list_of_towns_the_model_took_as_one_name_is_split(pipelines):
    text = "Trains run to Eldham, Korsby and Nakuru daily."
    doc = run(pipelines, ["place_pairs"], text, [("Eldham, Korsby", "ORG"), ("Nakuru", "GPE")])
    assert found(doc) == [("Eldham", "GPE"), ("Korsby", "GPE"), ("Nakuru", "GPE")]


def test_a_name_before_mine_is_the_mine(pipelines):
    doc = run(pipelines, ["descriptors"], "Output at the Tarkwa mine rose.", [("Tarkwa", "PERSON")])
    assert found(doc) == [("Tarkwa", "FAC")]


def test_a_one_word_name_the_words_around_it_describe_is_found_where_the_model_missed_it(pipelines):
    text = "Shares in the start-up Zorvik rose. Zorvik plans to hire. A zorvik is no name."
    doc = run(pipelines, ["descriptors", "discourse"], text, [("Zorvik", "PERSON")])
    assert found(doc) == [("Zorvik", "ORG"), ("Zorvik", "ORG")]


def test_a_one_word_name_the_model_alone_found_is_not_repeated(pipelines):
    text = "Shares in Zorvik rose. Zorvik plans to hire."
    doc = run(pipelines, ["discourse"], text, [("Zorvik", "ORG")])
    assert found(doc) == [("Zorvik", "ORG")]


# --------------------------------------------------------------------------- acronyms, brackets, towns, sides

def test_an_acronym_takes_the_kind_of_its_name_in_every_mention(pipelines):
    text = "The Lakeland Water Trust (LWT) raised prices. Later LWT said it would cut jobs, and LWT staff protested."
    doc = run(pipelines, ["acronyms", "norms"], text,
              [("Lakeland Water Trust", "ORG"), ("LWT", "ORG"), ("LWT", "PERSON")])
    assert found(doc) == [("Lakeland Water Trust", "ORG"), ("LWT", "ORG"), ("LWT", "ORG"), ("LWT", "ORG")]
    assert {n for t, n, _ in norms(doc)} == {"Lakeland Water Trust"}


def test_an_acronym_joins_the_name_its_capitals_spell_where_the_model_cut_it(pipelines):
    text = "Voters backed the Ruvuma Peasants Front (RPF) on Sunday."
    doc = run(pipelines, ["acronyms"], text, [("Ruvuma", "GPE"), ("Peasants Front", "PERSON")])
    assert found(doc) == [("Ruvuma Peasants Front", "ORG"), ("RPF", "ORG")]


@pytest.mark.parametrize("text, acronym", [
    ("Economic Community of Coastal States (ECOCS) met.", "ECOCS"),
    ("Its Device eXperience (DX) unit grew.", "DX"),
])
def test_the_capitals_of_a_name_spell_its_acronym(pipelines, text, acronym):
    doc = run(pipelines, ["acronyms"], text)
    assert (acronym, "ORG") in found(doc)


@pytest.mark.parametrize("text, ents, want", [
    ("Workers at the operator ZQRT walked out.", [], [("ZQRT", "ORG")]),
    ("Staff said KVPB had cut jobs.", [("KVPB", "GPE")], [("KVPB", "ORG")]),
    ("The END of the line came at 10:00 BST.", [], []),
    ("Output of the IT unit rose.", [], []),
    ("Varna won the second ODI and lost both T20Is.", [("Varna", "GPE")], [("Varna", "GPE")]),
    ("BREAKING: ZQRT WORKERS WALK OUT", [], []),
])
def test_an_unknown_capitalised_acronym_is_an_organisation(pipelines, text, ents, want):
    assert found(run(pipelines, ["acronyms"], text, ents)) == want


def test_a_span_is_cut_at_a_bracket_it_does_not_close(pipelines):
    doc = run(pipelines, ["brackets", "trim"], "Leaders of the ZPM)-led Alliance met.", [("ZPM)-led Alliance", "ORG")])
    assert found(doc) == [("ZPM", "ORG"), ("Alliance", "ORG")]


def test_a_span_opening_a_bracket_takes_the_closing_one_and_its_acronym(pipelines):
    text = "Under the Mining Reform Act (MRA) the board ruled. The MRA is new."
    doc = run(pipelines, ["brackets", "trim", "heads", "acronyms"], text, [("the Mining Reform Act (MRA", "ORG")])
    assert found(doc) == [("Mining Reform Act", "LAW"), ("MRA", "LAW"), ("MRA", "LAW")]


def test_a_partys_bracketed_qualifier_is_part_of_its_name(pipelines):
    doc = run(pipelines, ["brackets"], "The Lok Samta Party (Secular) won.", [("Lok Samta Party", "ORG")])
    assert found(doc) == [("Lok Samta Party (Secular)", "ORG")]
    town = run(pipelines, ["brackets"], "The Lok Samta Party (Patna) won.", [("Lok Samta Party", "ORG"), ("Patna", "GPE")])
    assert found(town) == [("Lok Samta Party", "ORG"), ("Patna", "GPE")]


def test_a_name_the_model_ran_into_a_bracket_takes_the_qualifier(pipelines):
    doc = run(pipelines, ["brackets"], "The Janata Vikas (Secular) leader spoke.", [("Janata Vikas (", "ORG")])
    assert found(doc) == [("Janata Vikas (Secular)", "ORG")]
    # without the model's bracket, only a party word ("Party", "Front") takes one
    alone = run(pipelines, ["brackets"], "The Janata Vikas (Secular) leader spoke.", [("Janata Vikas", "ORG")])
    assert found(alone) == [("Janata Vikas", "ORG")]
    town = run(pipelines, ["brackets"], "The Janata Vikas (Patna) unit spoke.", [("Janata Vikas (", "ORG"), ("Patna", "GPE")])
    assert found(town) == [("Janata Vikas", "ORG"), ("Patna", "GPE")]


def test_a_bracket_glued_to_a_name_goes_on_with_the_words_after_it(pipelines):
    doc = run(pipelines, ["brackets"], "The CPI(M) Faction won.", [("CPI(M)", "ORG")],
              pos={"Faction": "PROPN"})
    assert found(doc) == [("CPI(M) Faction", "ORG")]


def test_the_gazetteer_finds_a_name_with_a_bracket_the_tokenizer_glues_on(pipelines):
    # the names are made Docs as the article is, brackets split off: "JD(U" + ")" -> "JD", "(", "U", ")"
    doc = run(pipelines, ["brackets", "trim", "gazetteer", "norms"], "Leaders of the JD(U) met in Patna.")
    assert ("JD(U)", "ORG") in found(doc)
    assert next(e for e in doc.ents if e.text == "JD(U)").kb_id_


def test_a_name_never_goes_on_into_the_next_sentence(pipelines):
    nlp = pipelines("brackets")
    doc = make_doc(nlp, "Allies included the CPI(M) Faction won seats.", [("CPI(M)", "ORG")], pos={"Faction": "PROPN"})
    next(t for t in doc if t.text == "Faction").is_sent_start = True  # the parser split before it
    assert found(nlp(doc)) == [("CPI(M)", "ORG")]


def test_a_row_is_cut_to_its_first_sentence_whatever_a_rule_did(pipelines):
    nlp = pipelines()
    doc = make_doc(nlp, "The Harbour Board met. Trust members came.", [("Harbour Board met. Trust", "ORG")])
    (row,) = entity_rows(doc)
    assert (row["text"], row["sent_id"]) == ("Harbour Board met.", 0)


@pytest.mark.parametrize("text, ent, label, want", [
    ("Crowds filled the Gare de Bercy.", "Gare de Bercy", "ORG", "FAC"),
    ("Trains left Estación Chamartín late.", "Estación Chamartín", "NORP", "FAC"),
    ("Flights left Pierre de Coubertin Airport.", "Pierre de Coubertin Airport", "PERSON", "FAC"),
    ("Fans in the Milburn Stand sang.", "Milburn Stand", "ORG", "FAC"),
])
def test_a_facility_is_named_by_its_head_or_its_foreign_prefix(pipelines, text, ent, label, want):
    assert found(run(pipelines, ["heads"], text, [(ent, label)])) == [(ent, want)]


def test_a_town_the_model_took_for_an_organisation_is_a_place_with_its_geonames_id(pipelines):
    doc = run(pipelines, ["cities", "norms"], "Talks were held in Bordeaux on Monday.", [("Bordeaux", "ORG")])
    assert found(doc) == [("Bordeaux", "GPE")]
    assert norms(doc)[0][2].startswith("geonames:")


def test_towns_the_model_took_for_organisations_in_a_list_of_places_are_places(pipelines):
    text = "Protests are planned in Bordeaux, Toulouse and Limoges next week."
    ents = [("Bordeaux", "ORG"), ("Toulouse", "ORG"), ("Limoges", "ORG")]
    assert found(run(pipelines, ["cities"], text, ents)) == [(name, "GPE") for name, _ in ents]


def test_a_company_named_after_a_town_after_a_list_of_places_stays_a_company(pipelines):
    text = "Plants in Bordeaux and Limoges supply Nokia and Toulouse."
    ents = [("Bordeaux", "ORG"), ("Limoges", "GPE"), ("Nokia", "ORG"), ("Toulouse", "ORG")]
    assert found(run(pipelines, ["cities"], text, ents))[2:] == [("Nokia", "ORG"), ("Toulouse", "ORG")]


@pytest.mark.parametrize("text, ent, label", [
    ("Florence visited the factory.", "Florence", "PERSON"),             # a first name
    ("Shares of Nokia fell in Helsinki.", "Nokia", "ORG"),                # a company, no place word before it
    ("Reading was cancelled.", "Reading", "ORG"),                         # an English word
    ("Bordeaux said the talks were over.", "Bordeaux", "PERSON"),         # a person's speech verb
])
def test_a_town_name_keeps_its_label_where_it_may_be_something_else(pipelines, text, ent, label):
    assert found(run(pipelines, ["cities"], text, [(ent, label)])) == [(ent, label)]



@pytest.mark.parametrize("text, ents, want", [
    ("The line will be extended towards Mwanza next year.", [], [("Mwanza", "GPE")]),
    ("Gas will be processed near Kumasi from 2027.", [], [("Kumasi", "GPE")]),
    ("Flights from Lyon, Nantes and Rennes were cut.", [("Lyon", "GPE"), ("Nantes", "GPE")],
     [("Lyon", "GPE"), ("Nantes", "GPE"), ("Rennes", "GPE")]),
])
def test_a_town_the_model_missed_where_a_place_stands_is_a_place(pipelines, text, ents, want):
    assert found(run(pipelines, ["cities"], text, ents)) == want


@pytest.mark.parametrize("text, ents", [
    ("The line will be extended towards Mwanza Road next year.", []),     # part of a longer name
    ("Investors backed Mwanza last year.", []),                           # nothing places it
    ("Talks with Acme Corp and Rennes failed.", [("Acme Corp", "ORG")]),  # a list without a place
    ("Ali Mwanza spoke. Later in Mwanza he smiled.", [("Ali Mwanza", "PERSON")]),  # the person's surname
])
def test_a_town_name_the_model_missed_stays_unlabelled_where_no_place_stands(pipelines, text, ents):
    assert found(run(pipelines, ["cities"], text, ents)) == ents


def test_a_town_before_a_facility_noun_is_the_town(pipelines):
    doc = run(pipelines, ["descriptors"], "Staff at Charleroi airport walked out.", [("Charleroi", "PERSON")])
    assert found(doc) == [("Charleroi", "GPE")]
    doc = run(pipelines, ["descriptors"], "Output at the Kumasi mine rose.", [("Kumasi", "PERSON")])
    assert found(doc) == [("Kumasi", "FAC")]


def test_a_town_stays_a_place_beside_an_organisation_named_after_it(pipelines):
    text = "Crowds gathered in Ranchi. Ranchi University closed."
    ents = [("Ranchi", "GPE"), ("Ranchi University", "ORG")]
    assert found(run(pipelines, ["cities", "discourse"], text, ents)) == ents

def test_a_side_named_after_its_town_is_a_club_in_a_match_report(pipelines):
    text = ("Brentford drew 2-2 with Southampton in the league. The striker scored a header. "
            "Brentford are ninth.")
    ents = [("Brentford", "PERSON"), ("Southampton", "GPE"), ("Brentford", "GPE")]
    doc = run(pipelines, ["sports"], text, ents)
    assert found(doc) == [("Brentford", "ORG"), ("Southampton", "ORG"), ("Brentford", "ORG")]


def test_a_player_named_by_a_given_name_stays_a_person_in_a_match_report(pipelines):
    text = "In the final, Amanda Kowalczyk beat Brentford 6-2 and ended the season top of the table."
    ents = [("Amanda Kowalczyk", "ORG"), ("Brentford", "GPE")]
    doc = run(pipelines, ["people", "sports"], text, ents)
    assert found(doc) == [("Amanda Kowalczyk", "PERSON"), ("Brentford", "ORG")]


def test_a_town_stays_a_place_outside_match_reports(pipelines):
    text = "Flooding hit homes after a storm against Southampton's sea wall."
    doc = run(pipelines, ["sports"], text, [("Southampton", "GPE")])
    assert found(doc) == [("Southampton", "GPE")]


def test_a_country_stays_a_country_in_a_match_report(pipelines):
    text = "France beat Wales 3-1 in the league after a header from the striker."
    doc = run(pipelines, ["sports"], text, [("France", "GPE"), ("Wales", "GPE")])
    assert found(doc) == [("France", "GPE"), ("Wales", "GPE")]


@pytest.mark.parametrize("text, ents, want", [
    ("Vextra Q1 profit rose.", [("Vextra Q1", "ORG")], [("Vextra", "ORG")]),
    ("The drug entered Phase 3 and then Phase III trials.", [("Phase 3", "LAW"), ("Phase III", "LAW")], []),
    ("Trading closed at 10:00 BST.", [("10:00 BST", "ORG")], []),
    ("Shops sold more TVs this year.", [("TVs", "PRODUCT")], []),
    ("Prices were unchanged. ENDS", [("ENDS", "ORG")], []),
])
def test_periods_stages_time_zones_and_plurals_are_no_names(pipelines, text, ents, want):
    assert found(run(pipelines, ["trim", "junk"], text, ents)) == want


def test_a_brand_before_a_generic_drug_name_is_a_product(pipelines):
    doc = run(pipelines, ["descriptors"], "Sales of Xolvana (ritlecitinib) rose.", [("Xolvana", "GPE")])
    assert found(doc) == [("Xolvana", "PRODUCT")]


@pytest.mark.parametrize("text, ent, label", [
    ("Analysts at Harwick said demand was weak.", "Harwick", "GPE"),
    ("Harwick analyst Jo Lee agreed.", "Harwick", "PERSON"),
    ("Harwick said in a note that prices rose.", "Harwick", "GPE"),
])
def test_an_analysts_employer_is_an_organisation(pipelines, text, ent, label):
    assert found(run(pipelines, ["context"], text, [(ent, label)]))[0] == (ent, "ORG")


def test_two_names_of_a_decided_kind_joined_by_and_stay_two(pipelines):
    text = "Crowds filled Gare de Bercy and Gare Austerlitz on weekdays."
    doc = run(pipelines, ["outer_names", "heads"], text, [("Gare de Bercy", "ORG"), ("Gare Austerlitz", "ORG")])
    assert found(doc) == [("Gare de Bercy", "FAC"), ("Gare Austerlitz", "FAC")]


def test_a_body_in_apposition_to_a_countrys_possessive_is_no_place(pipelines):
    text = "The ANAC, Peru's aviation authority, cut flights. Talks in Dayton, Ohio ended."
    doc = run(pipelines, ["context"], text, [("ANAC", "ORG"), ("Peru", "GPE"), ("Dayton", "ORG"), ("Ohio", "GPE")])
    assert found(doc) == [("ANAC", "ORG"), ("Peru", "GPE"), ("Dayton", "GPE"), ("Ohio", "GPE")]


def test_a_gazetteer_short_form_takes_the_label_of_the_thing_the_article_names(pipelines):
    text = "Novo Nordisk shares fell. Novo said sales slowed."
    doc = run(pipelines, ["gazetteer", "discourse"], text, [("Novo Nordisk", "PERSON"), ("Novo", "PERSON")])
    assert found(doc) == [("Novo Nordisk", "ORG"), ("Novo", "ORG")]
    alone = run(pipelines, ["gazetteer", "discourse"], "Novo said sales slowed.", [("Novo", "PERSON")])
    assert found(alone) == [("Novo", "PERSON")]


def test_a_dateline_on_a_paragraph_the_parser_did_not_start_is_kept_and_a_hyphenated_headline_is_none(pipelines):
    text = "ZPM-led bloc wins\n\nMarch 3, 2025\n\nKOHIMA, March 3 - Counting ended."
    nlp = pipelines("datelines", "junk")
    doc = make_doc(nlp, text, [("March 3, 2025\n\nKOHIMA, March 3", "DATE")])
    for token in doc:
        token.is_sent_start = token.i == 0  # one sentence: the parser saw no paragraph breaks
        if token.text == "KOHIMA":
            token.pos_ = "NOUN"
    assert found(nlp(doc)) == [("KOHIMA", "GPE")]


def test_a_name_cut_short_is_judged_by_the_words_around_the_whole_name(pipelines):
    text = "Investors were cautious. Kestrel Ridge analyst Tom Hale cut his target."
    doc = run(pipelines, ["context"], text, [("Kestrel", "PERSON"), ("Tom Hale", "PERSON")])
    assert found(doc) == [("Kestrel Ridge", "ORG"), ("Tom Hale", "PERSON")]


def test_a_company_in_apposition_to_one_of_a_kind_is_an_organisation(model_and_rules):
    text = "Dorrance, one of the world's largest copper miners, cut output on Monday."
    assert ("Dorrance", "ORG") in model_and_rules(text)


def test_a_descriptor_overrules_the_models_guess_of_a_title(pipelines):
    doc = run(pipelines, ["descriptors"], "Clinics offered the vaccine Vextora in May.", [("Vextora", "WORK_OF_ART")])
    assert found(doc) == [("Vextora", "PRODUCT")]



@pytest.mark.parametrize("text, ents, want", [
    ("Bank Indonesia cut rates.", [("Indonesia", "GPE")], [("Bank Indonesia", "ORG")]),
    ("Bank Indonesia Governor Perry Warjiyo spoke.", [("Indonesia", "GPE"), ("Perry Warjiyo", "PERSON")],
     [("Bank Indonesia", "ORG"), ("Perry Warjiyo", "PERSON")]),
    ("He teaches at the Universidad Nacional de Córdoba in Argentina.", [("Universidad", "GPE"), ("Argentina", "GPE")],
     [("Universidad Nacional de Córdoba", "ORG"), ("Argentina", "GPE")]),
    ("Lawmakers passed Senate Bill 23 last year.", [("Senate", "ORG"), ("Bill 23", "LAW")], [("Senate Bill 23", "LAW")]),
    ("Lawmakers debated the Online Safety Bill again.", [("Online Safety", "ORG")], [("Online Safety Bill", "LAW")]),
])
def test_a_name_whose_first_or_head_word_gives_its_kind_is_one_name(pipelines, text, ents, want):
    assert found(run(pipelines, ["outer_names"], text, ents)) == want


def test_a_person_after_a_title_is_no_part_of_a_banks_name(pipelines):
    text = "Analysts expect Bank Governor Tom Hale to speak."
    doc = run(pipelines, ["outer_names"], text, [("Tom Hale", "PERSON")])
    assert found(doc) == [("Tom Hale", "PERSON")]


@pytest.mark.parametrize("text, ent, label, want", [
    ("Fans packed the Kestrel Cricket Ground on Friday.", "Kestrel Cricket Ground", "ORG", "FAC"),
    ("India reached the Hamlyn Trophy final.", "Hamlyn Trophy", "FAC", "EVENT"),
])
def test_grounds_are_facilities_and_trophies_events(pipelines, text, ent, label, want):
    assert found(run(pipelines, ["heads"], text, [(ent, label)])) == [(ent, want)]


@pytest.mark.parametrize("text, ents, want", [
    ("The Kansas Senate passed it.", [("Kansas", "GPE"), ("Senate", "ORG")], [("Kansas Senate", "ORG")]),
    ("Kansas lawmakers and the Senate agreed.", [("Kansas", "GPE"), ("Senate", "ORG")],
     [("Kansas", "GPE"), ("Senate", "ORG")]),
    ("The Kansas Chiefs won.", [("Kansas", "GPE"), ("Chiefs", "ORG")], [("Kansas", "GPE"), ("Chiefs", "ORG")]),
])
def test_a_place_right_before_a_chamber_names_the_places_chamber(pipelines, text, ents, want):
    assert found(run(pipelines, ["outer_names"], text, ents)) == want


@pytest.mark.parametrize("text, ents, want", [
    ("Lawyer Carlos Ruiz Medina, who ran twice, lost.", [("Carlos Ruiz", "PERSON"), ("Medina", "GPE")],
     [("Carlos Ruiz Medina", "PERSON")]),
    ("Voters backed Carlos Ruiz Mendoza in May.", [("Carlos Ruiz", "PERSON"), ("Mendoza", "NORP")],
     [("Carlos Ruiz Mendoza", "PERSON")]),
    ("He bowled to Vikrant Anand Reddy twice.", [("Vikrant", "NORP"), ("Anand Reddy", "PERSON")],
     [("Vikrant Anand Reddy", "PERSON")]),
])
def test_a_place_glued_to_a_persons_name_is_a_second_surname(pipelines, text, ents, want):
    assert found(run(pipelines, ["gazetteer", "people"], text, ents)) == want


@pytest.mark.parametrize("text, ents", [
    ("The Carlos Ruiz Spain trip ended.", [("Carlos Ruiz", "PERSON"), ("Spain", "GPE")]),      # a country
    ("Carlos Ruiz Medina Group bid.", [("Carlos Ruiz", "PERSON"), ("Medina", "GPE")]),         # a longer name
    ("The Ruiz Medina line.", [("Ruiz", "PERSON"), ("Medina", "GPE")]),                        # no given name
    ("He bowled to Indian Anand Reddy twice.", [("Indian", "NORP"), ("Anand Reddy", "PERSON")]),  # a people
    ("He bowled to Spain Anand Reddy twice.", [("Spain", "GPE"), ("Anand Reddy", "PERSON")]),     # a country
])
def test_a_place_after_a_persons_name_stays_a_place_without_a_surnames_evidence(pipelines, text, ents):
    assert found(run(pipelines, ["gazetteer", "people"], text, ents)) == [(t, l) for t, l in ents]


def test_a_name_with_a_kind_at_the_end_of_a_chain_without_one_is_found(pipelines):
    text = "She beat the Pole in the Kestrel Open final."
    doc = run(pipelines, ["outer_names"], text, [("Pole", "NORP"), ("Kestrel", "NORP")])
    assert found(doc) == [("Pole", "NORP"), ("Kestrel Open", "EVENT")]


@pytest.mark.parametrize("text, ents, want", [
    ("Bail was granted by the Tarrawin High Court last year.", [("Tarrawin", "GPE")], [("Tarrawin High Court", "ORG")]),
    ("The Tarrawin Revenue Authority said so.", [("Tarrawin", "GPE")], [("Tarrawin Revenue Authority", "ORG")]),
    ("Fans in Tarrawin Park cheered.", [("Tarrawin", "GPE")], [("Tarrawin", "GPE")]),           # no organisation head
])
def test_a_places_body_the_model_found_only_the_place_of_is_one_organisation(pipelines, text, ents, want):
    assert found(run(pipelines, ["outer_names"], text, ents)) == want


@pytest.mark.parametrize("text, ents, want", [
    ("Later Interior Minister Ana Ruiz resigned.", [("Interior", "ORG"), ("Ana Ruiz", "PERSON")], [("Ana Ruiz", "PERSON")]),
    ("Later Ukraine Minister Ana Ruiz resigned.", [("Ukraine", "GPE"), ("Ana Ruiz", "PERSON")],
     [("Ukraine", "GPE"), ("Ana Ruiz", "PERSON")]),
    ("Later Kestrel Secretary Ana Ruiz resigned.", [("Kestrel", "ORG"), ("Ana Ruiz", "PERSON")],
     [("Kestrel", "ORG"), ("Ana Ruiz", "PERSON")]),
])
def test_a_portfolio_before_a_ministers_title_is_no_organisation(pipelines, text, ents, want):
    assert found(run(pipelines, ["junk"], text, ents)) == want


# --------------------------------------------------------------------------- entities8: news-wide gaps

@pytest.mark.parametrize("text, ent, label, want", [
    ("Former leader Roh Moo-hyun was mourned.", "Roh Moo", "PERSON", "Roh Moo-hyun"),
    ("Police cordoned off Itaewon-dong overnight.", "Itaewon", "GPE", "Itaewon-dong"),
    ("Voters weighed the Mary Trump-backed rules.", "Mary Trump", "PERSON", "Mary Trump"),
    ("Critics of the Sanchez-style budget spoke.", "Sanchez", "PERSON", "Sanchez"),
])
def test_a_syllable_hyphenated_onto_a_name_the_model_cut_is_part_of_it(pipelines, text, ent, label, want):
    assert found(run(pipelines, ["trim"], text, [(ent, label)])) == [(want, label)]


def test_a_two_word_player_the_model_read_right_stays_a_person_in_a_match_report(pipelines):
    text = "Dario Velasquez scored 31 points as Denver beat Phoenix 121-104 for a fifth win of the season."
    ents = [("Dario Velasquez", "PERSON"), ("Denver", "GPE"), ("Phoenix", "GPE")]
    doc = run(pipelines, ["sports"], text, ents)
    assert found(doc) == [("Dario Velasquez", "PERSON"), ("Denver", "ORG"), ("Phoenix", "ORG")]


def test_a_company_named_after_its_town_stays_the_company_beside_the_town(pipelines):
    text = ("Kestrel rejected the bid. Kestrel shareholders met. The lender, founded in the town of Kestrel, "
            "moved. Kestrel shares rose.")
    ents = [("Kestrel", "ORG"), ("Kestrel", "ORG"), ("Kestrel", "ORG"), ("Kestrel", "ORG")]
    doc = run(pipelines, ["descriptors", "discourse"], text, ents)
    assert found(doc) == [("Kestrel", "ORG"), ("Kestrel", "ORG"), ("Kestrel", "GPE"), ("Kestrel", "ORG")]


def test_a_town_described_once_is_the_town_in_every_mention_the_model_doubted(pipelines):
    text = "Floods hit Kestrel. The town of Kestrel is cut off. Kestrel waits."
    ents = [("Kestrel", "ORG"), ("Kestrel", "GPE"), ("Kestrel", "PERSON")]
    doc = run(pipelines, ["descriptors", "discourse"], text, ents)
    assert found(doc) == [("Kestrel", "GPE"), ("Kestrel", "GPE"), ("Kestrel", "GPE")]


@pytest.mark.parametrize("text, ents, want", [
    ("The Northern Development Fund lent more. Officials said the Fund would wait.",
     [("Northern Development Fund", "ORG")], [("Northern Development Fund", "ORG"), ("Fund", "ORG")]),
    ("Talks with the Regional Trade Commission stalled, and the Commission's staff left.",
     [("Regional Trade Commission", "ORG")], [("Regional Trade Commission", "ORG"), ("Commission", "ORG")]),
    # not before the full name, not part of a longer name, not a surname-like head, not lower case
    ("The Fund said the Northern Development Fund lent more.", [("Northern Development Fund", "ORG")],
     [("Northern Development Fund", "ORG")]),
    ("The Northern Development Fund lent more than the Fund Managers Association.",
     [("Northern Development Fund", "ORG"), ("Fund Managers Association", "ORG")],
     [("Northern Development Fund", "ORG"), ("Fund Managers Association", "ORG")]),
    ("Analysts at Halvorsen Sachs met the Sachs family.", [("Halvorsen Sachs", "ORG")], [("Halvorsen Sachs", "ORG")]),
    ("The Northern Development Fund lent more. Officials said the fund would wait.",
     [("Northern Development Fund", "ORG")], [("Northern Development Fund", "ORG")]),
])
def test_the_capitalised_head_of_an_organisation_named_earlier_is_that_organisation(pipelines, text, ents, want):
    assert found(run(pipelines, ["discourse"], text, ents)) == want


@pytest.mark.parametrize("text, ent, model, want", [
    ("She won the Harbourside Literary Prize last year.", "Harbourside Literary Prize", "ORG", "WORK_OF_ART"),
    ("He took the Ellery Medal in Oslo.", "Ellery Medal", "ORG", "WORK_OF_ART"),
    ("The Ellery Award for design went to her.", "Ellery Award", "ORG", "WORK_OF_ART"),
])
def test_a_prize_named_by_its_head_word_is_a_work_of_art(pipelines, text, ent, model, want):
    assert found(run(pipelines, ["heads"], text, [(ent, model)])) == [(ent, want)]


@pytest.mark.parametrize("text, want", [
    ("The Kospi fell 2% while the Ibex 35 rose.", [("Kospi", "PRODUCT"), ("Ibex 35", "PRODUCT")]),
    ("The Milwaukee Bucks beat the Knicks.", [("Milwaukee Bucks", "ORG"), ("Knicks", "ORG")]),
    ("Her film won the Golden Lion before the Oscars.", [("Golden Lion", "WORK_OF_ART"), ("Oscars", "EVENT")]),
    ("Rain hit Eastern Visayas and Mindanao.", [("Eastern Visayas", "GPE"), ("Mindanao", "LOC")]),
    ("Signs were printed in Cebuano.", [("Cebuano", "LANGUAGE")]),
    ("UniCredit eyed Mediobanca, a Gallup Korea poll showed.", [("UniCredit", "ORG"), ("Mediobanca", "ORG"),
                                                                ("Gallup Korea", "ORG")]),
    ("Pagasa warned of rain.", [("Pagasa", "ORG")]),
    ("Peronists and NHS England disagreed.", [("Peronists", "NORP"), ("NHS England", "ORG")]),
    ("Voters backed Yoon Suk Yeol in 2022.", [("Yoon Suk Yeol", "PERSON")]),
])
def test_gazetteer_knows_teams_indices_awards_regions_and_languages(pipelines, text, want):
    assert found(run(pipelines, ["gazetteer"], text)) == want


@pytest.mark.parametrize("text, ents, want", [
    ("Floods swelled the Ravel, Tisza and Drava rivers overnight.",
     [("Ravel", "PERSON"), ("Tisza", "NORP"), ("Drava", "ORG")],
     [("Ravel", "LOC"), ("Tisza", "LOC"), ("Drava", "LOC")]),
    ("Snow closed the Ravel, Tisza, and Drava rivers.", [("Ravel", "PERSON"), ("Tisza", "ORG"), ("Drava", "ORG")],
     [("Ravel", "LOC"), ("Tisza", "LOC"), ("Drava", "LOC")]),
    # a people's name keeps its kind; one river alone is left to the other rules
    ("Fishing on the Serbian and Drava rivers resumed.", [("Serbian", "NORP"), ("Drava", "ORG")],
     [("Serbian", "NORP"), ("Drava", "LOC")]),
])
def test_each_name_of_a_list_before_a_plural_kind_noun_is_of_that_kind(pipelines, text, ents, want):
    nlp = pipelines("descriptors")
    doc = make_doc(nlp, text, ents)
    for t in doc:
        t.tag_ = "NNS" if t.text == "rivers" else "NNP" if t.pos_ == "PROPN" else ""
        t.lemma_ = "river" if t.text == "rivers" else t.lower_
    assert found(nlp(doc)) == want


@pytest.mark.parametrize("text, ent, label, want", [
    ('He hailed a "Historic Win." on Sunday.', "Historic Win", "WORK_OF_ART", "Historic Win"),
    ('She read "Winter Light," then left.', "Winter Light", "WORK_OF_ART", "Winter Light"),
])
def test_a_stop_inside_the_closing_quote_is_no_part_of_the_title(pipelines, text, ent, label, want):
    assert found(run(pipelines, ["quoted_titles"], text, [(ent, label)])) == [(want, label)]


@pytest.mark.parametrize("text, ent, label, want", [
    ("Thousands joined a pro-Kurdish rally.", "pro-Kurdish", "NORP", "Kurdish"),
    ("Several anti-Trump groups marched.", "anti-Trump", "PERSON", "Trump"),
    ("Talks with al-Shabaab stalled.", "al-Shabaab", "ORG", "al-Shabaab"),
])
def test_an_english_prefix_hyphenated_before_a_name_is_outside_it(pipelines, text, ent, label, want):
    assert found(run(pipelines, ["trim"], text, [(ent, label)])) == [(want, label)]


def test_a_hotel_named_after_the_word_hotel_is_a_facility(pipelines):
    doc = run(pipelines, ["heads"], "Delegates met at the Hotel Miramonte on Friday.", [("Hotel Miramonte", "ORG")])
    assert found(doc) == [("Hotel Miramonte", "FAC")]


@pytest.mark.parametrize("text, ents, want", [
    ("Exports earned Rs4.25 trillion, while Acme Corp earned little.", [("Rs4.25", "PERSON"), ("Acme Corp", "ORG")],
     [("Acme Corp", "ORG")]),
    ("The fund raised Sh120bn last year.", [("Sh120bn", "ORG")], []),
    ("Traffic on the M25 was slow.", [("M25", "FAC")], [("M25", "FAC")]),
    ("Posted Jan 3, 2025 9:30am ET by staff.", [("ET", "ORG")], []),
    ("At 10:15 KST markets opened.", [("KST", "ORG")], []),
    ("At 10:15 NASA confirmed the launch.", [("NASA", "ORG")], [("NASA", "ORG")]),
])
def test_an_amount_or_a_time_zone_is_no_name(pipelines, text, ents, want):
    assert found(run(pipelines, ["junk"], text, ents)) == want


@pytest.mark.parametrize("text, ent, want", [
    ("Reporting by staff. - NEWS/AFP/DPA", "NEWS/AFP/DPA", [("NEWS", "ORG"), ("AFP", "ORG"), ("DPA", "ORG")]),
    ("The CDU/CSU bloc won.", "CDU/CSU", [("CDU", "ORG"), ("CSU", "ORG")]),
])
def test_an_agencies_sign_off_is_one_organisation_per_part(pipelines, text, ent, want):
    assert found(run(pipelines, ["trim"], text, [(ent, "ORG")])) == want


@pytest.mark.parametrize("text, ents, want", [
    ("Dario Velasquez had 31 points and nine rebounds as Denver beat Phoenix 121-104 in the season opener.",
     [("Dario Velasquez", "ORG"), ("Denver", "GPE"), ("Phoenix", "GPE")],
     [("Dario Velasquez", "PERSON"), ("Denver", "ORG"), ("Phoenix", "ORG")]),
    # a team's tally, a known place in the name, or no match report: left alone
    ("Golden Harbor had 104 points as Denver beat Phoenix 121-104 in the season opener.",
     [("Golden Harbor", "ORG"), ("Denver", "GPE"), ("Phoenix", "GPE")],
     [("Golden Harbor", "ORG"), ("Denver", "ORG"), ("Phoenix", "ORG")]),
    ("Dario Velasquez had 31 points in the index, analysts said.", [("Dario Velasquez", "ORG")],
     [("Dario Velasquez", "ORG")]),
])
def test_a_two_word_name_with_an_individuals_tally_is_a_player(pipelines, text, ents, want):
    doc = run(pipelines, ["sports"], text, ents, pos={"had": "VERB", "beat": "VERB"})
    assert found(doc) == want


@pytest.mark.parametrize("text, want", [
    ("Nurses marched past St Agnes' Hospital at noon.", [("St Agnes' Hospital", "FAC")]),
    ("Outside St Agnes' Hospital, nurses marched.", [("St Agnes' Hospital", "FAC")]),
])
def test_a_facility_named_with_a_possessive_apostrophe_is_one_name(pipelines, text, want):
    assert found(run(pipelines, ["outer_names"], text, pos={"Outside": "PROPN", "past": "ADP", "marched": "VERB"})) == want


@pytest.mark.parametrize("text, ent, label, want", [
    ("Ms Okonkwo said the talks went well.", "Ms Okonkwo", "WORK_OF_ART", [("Okonkwo", "PERSON")]),
    ("Mr Haldane left early.", "Mr Haldane", "ORG", [("Haldane", "PERSON")]),
    ("He drank a Dr Pepper at lunch.", "Dr Pepper", "PRODUCT", [("Dr Pepper", "PRODUCT")]),
])
def test_a_personal_title_before_one_name_makes_a_person(pipelines, text, ent, label, want):
    assert found(run(pipelines, ["trim"], text, [(ent, label)])) == want
