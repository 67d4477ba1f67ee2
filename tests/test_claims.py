"""Numeric claims, rule by rule, on sentences written for these tests; then the self-written news
fixtures (tests/fixtures/news*, hand-annotated in the gold format) as a whole."""
from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from conftest import REPO, run_pipeline
from pipeline.claims import claim_rows, lexicon, normalise_unit, number_matcher, number_value, number_windows
from pipeline.dates import date_rows
from pipeline.parse import load_model

FIXTURES = REPO / "tests" / "fixtures"


@pytest.fixture(scope="module")
def nlp(params):
    return load_model(params["model"])


@pytest.fixture(scope="module")
def claims(nlp, params):
    """Text -> its claim rows, with the date rows computed from the same Doc as the pipeline does."""
    def run(text: str) -> list[dict]:
        doc = nlp(text)
        doc.user_data["doc_id"] = "test"
        dates = list(date_rows(doc, published=date(2024, 6, 1)))
        return list(claim_rows(doc, dates=dates, **params["claims"]))
    return run


def one(rows: list[dict], text: str) -> dict:
    found = [r for r in rows if r["text"] == text]
    assert len(found) == 1, (text, [r["text"] for r in rows])
    return found[0]


# --- values --------------------------------------------------------------------------------------

@pytest.mark.parametrize("words, value", [
    ("1.35 million", 1_350_000), ("8.3 billion", 8_300_000_000), ("30 lakh crore", 3e13), ("two hundred and five", 205), ("a dozen", 12), ("two dozen", 24),
    ("two thirds", 2 / 3), ("a quarter", 0.25), ("one and a half", 1.5), ("twenty - five", 25),
    ("2.5bn", 2.5e9), ("$3 m", 3e6), ("hk$2.5bn", 2.5e9), ("-12,000", -12_000), ("3 crore", 3e7),
    ("three hundred thousand", 300_000), ("half", 0.5), ("4.0 million", 4e6),
])
def test_number_value_reads_digits_words_scales_and_fractions(words, value):
    assert number_value(words.split(), lexicon()) == pytest.approx(value)


@pytest.mark.parametrize("words", ["hundreds", "dozens", "1990s", "18th", "g20"])
def test_number_value_has_none_for_vague_plurals_decades_ordinals_and_codes(words):
    assert number_value(words.split(), lexicon()) is None


@pytest.mark.parametrize("words, unit", [
    ("square meters", "square meter"), ("sq m", "square meter"), ("square metres", "square meter"),
    ("km/h", "kilometer per hour"), ("tonnes", "metric ton"), ("miles", "mile"), ("hectares", "hectare"),
    ("cubic metres", "cubic meter"),
])
def test_physical_units_are_normalised_by_pint(words, unit):
    assert normalise_unit(words) == unit


def test_words_that_are_not_units_give_no_unit():
    assert normalise_unit("people") is None


# --- what is found -------------------------------------------------------------------------------

def test_the_number_matcher_finds_in_its_windows_what_it_finds_in_the_whole_doc(nlp):
    """The Matcher runs only on ``number_windows``: a rule that takes other tokens than they assume shows here."""
    doc = nlp("A dozen ministers, twenty-five aides and an estimated 1.2bn viewers - some 30-40 million of them "
              "abroad - watched; Two Hundred stayed, a third left and FIVE came at 3pm on 2024-05-01 with \u00a3400m.")
    matcher = number_matcher(doc.vocab)
    whole = sorted((start, end) for _, start, end in matcher(doc))
    windowed = sorted((m.start, m.end) for window in number_windows(doc) for m in matcher(window, as_spans=True))
    assert len(whole) > 10
    assert windowed == whole


def test_money_in_several_currencies_and_spellings(claims):
    rows = claims("The province spent RMB 1.2 trillion on roads. The city borrowed 3 billion yuan. "
                  "The club paid $3 million for the striker. Tickets cost EUR 40 each. The fund lost £5bn. "
                  "Investors put in US$2.5m.")
    got = {(r["value"], r["unit"]) for r in rows}
    assert got == {(1.2e12, "yuan"), (3e9, "yuan"), (3e6, "dollar"), (40, "euro"), (5e9, "pound"),
                   (2.5e6, "US dollar")}


def test_percent_spellings_all_give_percent(claims):
    rows = claims("Sales rose 5% in March. Profits rose 7 percent. Costs rose 9 per cent.")
    assert [(r["value"], r["unit"]) for r in rows] == [(5, "percent"), (7, "percent"), (9, "percent")]


def test_percentage_points_are_their_own_unit(claims):
    row = one(claims("The jobless rate fell 0.2 percentage point to 4.1 percent."), "0.2 percentage point")
    assert (row["value"], row["unit"], row["change"]) == (0.2, "percentage point", "decrease")


@pytest.mark.parametrize("text, quantity, value", [
    ("Output fell by more than half.", "more than half", 0.5),
    ("Profits grew by about a tenth.", "about a tenth", 0.1),
    ("About one in four adults smoke.", "About one in four", 0.25),
    ("One in 10 homes has solar panels.", "One in 10", 0.1),
])
def test_fractions_after_by_or_a_qualifier_and_one_in_n_shares(claims, text, quantity, value):
    assert one(claims(text), quantity)["value"] == pytest.approx(value)


def test_a_count_in_a_year_is_no_share(claims):
    assert [r["value"] for r in claims("The party rose to 99 seats from 52 in 2019.")] == [99, 52]


def test_number_words_and_fractions_are_claims(claims):
    rows = claims("Eleven miners were rescued and a dozen remain trapped. About one third of the lakes dried up.")
    assert [(r["text"], r["value"]) for r in rows] == [
        ("Eleven", 11), ("a dozen", 12), ("About one third", pytest.approx(1 / 3))]


def test_a_range_is_one_claim_with_value_and_value_high(claims):
    rows = claims("Between 120 and 150 firefighters were deployed, and 40 to 50 homes burned.")
    assert [(r["text"], r["value"], r["value_high"], r["object"]) for r in rows] == [
        ("Between 120 and 150", 120, 150, "firefighters"), ("40 to 50", 40, 50, "homes")]


def test_a_percent_range_glued_by_a_dash_is_one_claim(claims):
    [row] = claims("Policy rates sit in a 5.25%-5.50% range.")
    assert (row["value"], row["value_high"], row["unit"]) == (5.25, 5.5, "percent")


def test_a_scale_written_once_applies_to_both_ends_of_a_range(claims):
    [row] = claims("The project will cost 20 to 30 million dollars.")
    assert (row["text"], row["value"], row["value_high"], row["unit"]) == ("20 to 30 million dollars", 20e6, 30e6, "dollar")


def test_from_by_and_to_numbers_are_separate_claims_not_a_range(claims):
    rows = claims("Membership fell by 4,000 to 96,000 last year.")
    assert [(r["value"], r["value_high"], r["change"]) for r in rows] == [(4000, None, "decrease"), (96000, None, None)]


def test_a_vote_tally_is_two_numbers_not_a_range(claims):
    rows = claims("The motion passed by 69 to 30.")
    assert [(r["value"], r["value_high"]) for r in rows] == [(69, None), (30, None)]


def test_ranging_from_to_is_a_range_across_two_model_entities(claims):
    [row] = claims("Fines ranged from $20,000 to $1.4 million.")
    assert (row["text"], row["value"], row["value_high"], row["unit"]) == ("$20,000 to $1.4 million", 20_000, 1.4e6, "dollar")


def test_a_change_and_a_level_with_different_units_are_two_claims(claims):
    rows = claims("Imports climbed 5.1 percent to 4.43 trillion yuan.")
    assert [(r["value"], r["unit"]) for r in rows] == [(5.1, "percent"), (4.43e12, "yuan")]


def test_a_unit_word_after_a_plain_number_is_its_unit(claims):
    row = claims("The mine produced 36.8 million tonnes of coal.")[0]
    assert (row["text"], row["unit"], row["object"]) == ("36.8 million tonnes", "metric ton", "coal")


@pytest.mark.parametrize("text, quantity, unit", [
    ("Afternoon temperatures rose above 38 degrees Celsius.", "above 38 degrees Celsius", "degree Celsius"),
    ("Inland temperatures hit 41C on Monday.", "41C", "degree Celsius"),
    ("The thermometer read 102 degrees Fahrenheit.", "102 degrees Fahrenheit", "degree Fahrenheit"),
    ("Fuel duties of 9.2 billion rand were collected.", "9.2 billion rand", "rand"),
    ("Tax receipts reached 3.1 billion soles.", "3.1 billion soles", "sol"),
    ("Wholesale power traded at 212 euros per megawatt hour.", "212 euros", "euro per megawatt hour"),
    ("The field pumped 1.1 million bpd in June.", "1.1 million bpd", "barrel per day"),
    ("Sales reached 4.2 billion Swedish crowns.", "4.2 billion Swedish crowns", "krona"),
    ("Temperatures in the capital reached 39C.", "39C.", "degree Celsius"),
])
def test_temperatures_more_currencies_and_compound_per_units(claims, text, quantity, unit):
    assert one(claims(text), quantity)["unit"] == unit


def test_an_amount_the_model_took_for_an_ordinal_is_still_a_claim(claims):
    assert [r["value"] for r in claims("Chancellor unveils £30bn spending package")] == [30e9]


def test_a_fraction_the_model_took_for_a_date_is_still_a_claim(claims):
    assert [r["value"] for r in claims("Wind farms supplied three quarters of the new capacity.")] == [0.75]


def test_abbreviated_scales_glued_or_split(claims):
    rows = claims("The bank set aside £2.5bn and then another £400m.")
    assert [r["value"] for r in rows] == [2.5e9, 400e6]


def test_per_unit_rates_carry_their_unit_but_a_year_earlier_is_a_date(claims):
    rows = claims("He earns £150,000 a week. The firm earned $1.53 a share, against $1.20 a year earlier.")
    assert [r["unit"] for r in rows] == ["pound per week", "dollar per share", "dollar"]


def test_a_signed_table_value_keeps_its_sign(claims):
    row = claims("Manufacturing jobs: -12,000.")[0]
    assert (row["value"], row["change"]) == (-12_000, "decrease")


# --- what is rejected ----------------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "The Group of Seven met in Rome and signed the third draft.",
    "The museum opened in 1998 on Route 66.",
    "Residents can call the 12345 hotline for help.",
    'The campaign promoted the "three nos" and the "two coverage" principles.',
    "The seminar was held on March 3, 2024.",
    "Voters under 30 backed the mayor.",
    "The law was passed over 200 years ago.",
    "It is one of the largest ports in Asia.",
    "They stayed in a five-star hotel.",
    "She was sworn in for a third consecutive term.",
    "The opener made his 12th Test hundred.",
])
def test_non_claims_are_rejected(claims, text):
    assert claims(text) == []


@pytest.mark.parametrize("text", [
    "The hosts beat the league leaders 3-1 after a 1-1 draw in the first leg.",
    "At one point the visitors looked like winning.",
    "It remains one of the few towns with a cinema.",
])
def test_scores_and_idioms_are_rejected(claims, text):
    assert claims(text) == []


def test_two_number_words_joined_by_and_are_two_claims_never_their_sum(claims):
    rows = claims("The Greens and the Pirates won three and two seats respectively.")
    assert [(r["value"], r["object"]) for r in rows] == [(3, "seats"), (2, "seats")]


def test_a_dash_between_small_numbers_is_a_range_unless_a_result_word_makes_it_a_score(claims):
    assert [(r["value"], r["value_high"]) for r in claims("The classes take 20-30 adults.")] == [(20, 30)]
    assert claims("They slumped to a 2-3 defeat.") == []


def test_one_counts_a_member_of_a_group_but_not_in_a_ranking(claims):
    assert [r["value"] for r in claims("One of the seats went to a newcomer.")] == [1]
    assert [r["value"] for r in claims("She was one of only two judges who dissented.")] == [2]


def test_a_bare_count_the_model_took_for_a_date_is_a_claim_but_an_age_is_not(claims):
    assert [r["value"] for r in claims("The Social Democrats won 38, down from 45.")] == [38, 45]
    assert claims("Jurors found Tom Baker, 58, guilty.") == []


def test_a_list_marker_is_not_a_claim_but_the_count_after_it_is(claims):
    rows = claims("2) Farmers planted 300 hectares of rice.")
    assert [r["value"] for r in rows] == [300]


def test_a_long_quotation_keeps_its_numbers(claims):
    rows = claims('"We hired 400 nurses this spring and will hire more," the director said.')
    assert [r["value"] for r in rows] == [400]


# --- qualifiers ----------------------------------------------------------------------------------

@pytest.mark.parametrize("phrase, qualifier", [
    ("more than 500", "more_than"), ("over 500", "more_than"), ("at least 500", "at_least"),
    ("fewer than 500", "less_than"), ("up to 500", "at_most"), ("nearly 500", "approx"),
    ("some 500", "approx"), ("roughly 500", "approx"), ("500", "exact"),
])
def test_qualifier_comes_from_the_words_before_the_number(claims, phrase, qualifier):
    row = claims(f"The storm damaged {phrase} houses in the valley.")[0]
    assert (row["value"], row["qualifier"]) == (500, qualifier)


def test_a_qualifier_after_another_quantity_is_a_comparison(claims):
    rows = claims("The champion has 12 more than 40 rivals, and a margin of 3 points above 50%.")
    assert [(r["value"], r["qualifier"]) for r in rows] == [(12, "exact"), (40, "exact"), (3, "exact"), (50, "exact")]


def test_qualifier_after_the_number(claims):
    assert claims("The storm damaged 500 or more houses.")[0]["qualifier"] == "at_least"


# --- objects -------------------------------------------------------------------------------------

@pytest.mark.parametrize("text, quantity, obj", [
    ("The unemployment rate changed little at 3.5 percent in May.", "3.5 percent", "unemployment rate"),
    ("Household income grew 6.5 percent last year.", "6.5 percent", "Household income"),
    ("Prices rose 3% in April, the statistics office said.", "3%", "Prices"),
    ("The number of registered nurses reached 1.2 million.", "1.2 million", "registered nurses"),
    ("The city has a total of 5,000 licensed taxis and 300 bus routes.", "5,000", "licensed taxis"),
    ("The city has a total of 5,000 licensed taxis and 300 bus routes.", "300", "bus routes"),
    ("The company earned $3 billion in revenue.", "$3 billion", "revenue"),
    ("More than 2,000 teachers and nurses across the region joined the strike.", "More than 2,000",
     "teachers and nurses"),
    ("Some 800 trade unions and chambers of commerce signed the letter.", "Some 800",
     "trade unions and chambers of commerce"),
    ("Women made up 40 percent of the workforce.", "40 percent", "workforce"),
    ("The share of homes with solar panels rose to 12 percent.", "12 percent", "homes"),
    ("Its chips accounted for 23% of revenue, and older chips made up 41% in total.", "41%", "revenue"),
    ("The bloc won 234 of the 543 seats, and the ruling party won 240.", "240", "seats"),
    ("The party won 240 seats, falling 32 short of a majority.", "32", "seats"),
    ("The automaker spent $2 billion on new factories.", "$2 billion", "new factories"),
    ("Ticket sales fell to a record low of 1.2 million.", "1.2 million", "Ticket sales"),
    ("Nearly half of the respondents said they would move.", "Nearly half", "respondents"),
    ("The board raised the dividend by 8 percent.", "8 percent", "dividend"),
    ("Rents climbed 4.1 percent year on year.", "4.1 percent", "Rents"),
    ("Spending will grow by an average of 2% a year.", "2%", "Spending"),
    ("Costs are well above the long-run average of 30%.", "30%", "long-run average"),
    ("About $55 billion would go toward replacing old water mains.", "About $55 billion", "old water mains"),
    # a unit or the number's own measure noun is never the object: what it measures is
    ("Nickel output climbed 6 percent to 41,200 metric tons.", "41,200 metric tons", "Nickel output"),
    ("Afternoon temperatures rose above 38 degrees Celsius.", "above 38 degrees Celsius", "Afternoon temperatures"),
    ("Inland temperatures hit 41C on Monday.", "41C", "Inland temperatures"),
    ("Fuel duties of 9.2 billion rand were collected.", "9.2 billion rand", "Fuel duties"),
    ("The champion extended her lead to five points.", "five", "lead"),
    ("The visitors built a lead of 12 points by half-time.", "12", "lead"),
    ("She took a two-goal lead into the final.", "two", "lead"),
    ("The home side have 61 points.", "61", "points"),
    ("Negotiators signed a 96-page treaty.", "96", "treaty"),
    ("The team has used two pit crews this year.", "two", "pit crews"),
    # money on an event or change noun is its size; a change after an amount refers back to it
    ("The port plans a $2 billion expansion of its container terminal.", "$2 billion", "expansion"),
    ("The airline posted net income of $410 million, up 12 percent from last year.", "12 percent", "net income"),
    ("The biotech firm raised $80 million in a Series C round.", "$80 million", "Series C round"),
    ("Profit is expected to fall 20% to $3 billion on weaker demand.", "$3 billion", "Profit"),
    # comparatives, named rates, ratios of GDP, physical amounts done by the subject
    ("Its tablets are 15% lighter than last year's model.", "15%", "tablets"),
    ("Factories must use 30% less electricity.", "30%", "electricity"),
    ("The spinner finished with four wickets for 38 runs.", "four", "wickets"),
    ("The carrier will add 14 aircraft to its fleet.", "14", "aircraft"),
    ("Dams in the basin fell to 23% of capacity.", "23%", "Dams"),
    ("Cloud firms bought 12% of global chip capacity.", "12%", "global chip capacity"),
    ("Insurers raised premiums to 2% of a vessel's value.", "2%", "premiums"),
    ("Smokers were 40% more likely to fall ill.", "40%", "Smokers"),
    ("The contract is worth up to $2 billion over five years for the builder.", "up to $2 billion", "contract"),
    ("The airline ordered jets worth $4 billion.", "$4 billion", "jets"),
    ("Car sales rose 4% to 1.1 million units.", "1.1 million", "Car sales"),
    ("The firm sold 40,000 units in May.", "40,000", "units"),
    ("A sellout crowd of 20,500 packed Madison Square Garden.", "20,500", "sellout crowd"),
    ("The party rose to 99 seats from 52 in 2019.", "52", "seats"),
    ("Output fell by more than half.", "more than half", "Output"),
    ("About one in four adults smoke.", "About one in four", "adults"),
    ("The regulator assumes an interest rate of 4.5 percent.", "4.5 percent", "interest rate"),
    ("Public debt was cut to 60% of GDP.", "60%", "Public debt"),
    ("Defence spending was set at 2.1% of gross domestic product.", "2.1%", "Defence spending"),
    ("A bushfire in the valley burned 2,300 hectares.", "2,300 hectares", "bushfire"),
    ("Temperatures passed 40 degrees on Sunday. The city of Perth recorded 43 degrees.", "43 degrees", "Temperatures"),
    # a headline's verb the parser took for a noun or adjective, a dateline, a gapped list
    ("Copper price climbs 4% as stocks shrink", "4%", "Copper price"),
    ("HELSINKI, May 2 (Reuters) - Finland's paper exports fell 8% in April, the customs office said.", "8%",
     "paper exports"),
    ("The Liberals will run four ministries and the Greens three.", "three", "ministries"),
    # a named person or firm the number hangs on has it, it is not what the number counts
    ("Hamilton leads on 80 points, with Russell on 72.", "72", "points"),
    # a change noun sized through 'of' is what is measured; a level on a verb measures its subject
    ("Buyers faced a cumulative rise of 300 basis points in mortgage rates.", "300 basis points", "cumulative rise"),
    ("Tanaka shares ended at 12,400 yen on the Nagoya exchange.", "12,400 yen", "Tanaka shares"),
    ("Brokers see annual sales of $2 billion to $3 billion for the vaccine.", "$2 billion to $3 billion",
     "annual sales"),
    ("The central bank kept its deposit rate in a 3.75%-4% band.", "3.75%-4%", "deposit rate"),
    # a conjunct the parser hung on the object is the next verb's subject
    ("Walkouts cancelled about half of regional trains and drivers said more would follow.", "about half",
     "regional trains"),
])
def test_object_is_what_the_number_counts_or_measures(claims, text, quantity, obj):
    assert one(claims(text), quantity)["object"] == obj


def test_an_implicit_object_refers_back_to_the_last_counted_noun(claims):
    rows = claims("The party won 48 seats, down from 61.")
    assert [r["object"] for r in rows] == ["seats", "seats"]
    rows = claims("Germany's exports rose 2 percent, while France's fell 3 percent.")
    assert [r["object"] for r in rows] == ["exports", "exports"]
    rows = claims("The Greens won 41 seats. Turnout was 63 percent. The Social Democrats won 38.")
    assert [r["object"] for r in rows] == ["seats", "Turnout", "seats"]


# --- time, source, change -------------------------------------------------------------------------

def test_time_is_the_date_governing_the_claim(claims):
    assert claims("As of March 2024, the city had 1,200 electric buses.")[0]["time"] == "2024-03"
    assert claims("In 2022, 15 hospitals closed.")[0]["time"] == "2022"


@pytest.mark.parametrize("text, source", [
    ("Exports rose 4 percent, the trade ministry said.", "trade ministry"),
    ("According to official data, 3,000 firms closed.", "official data"),
    ("Data from the central bank showed that lending rose 2 percent.", "Data from the central bank"),
    ("The airline reported a profit of $1.2 billion.", "airline"),
])
def test_source_is_the_attribution(claims, text, source):
    assert claims(text)[0]["source"] == source


@pytest.mark.parametrize("text, change", [
    ("Payrolls rose by 236,000 in May.", "increase"),
    ("The index fell 0.4 percent.", "decrease"),
    ("Shares closed up 5% on Monday.", "increase"),
    ("Exports were down 3 percent from a year earlier.", "decrease"),
    ("Employers added 150,000 jobs.", "increase"),
    ("Inflation rose to 4 percent.", None),
    ("The start-up raised $200 million from investors.", None),
    ("Older plants made up 74% of output.", None),
])
def test_change_marks_numbers_that_are_the_size_of_a_change(claims, text, change):
    assert claims(text)[0]["change"] == change


# --- the self-written news fixtures as a whole ----------------------------------------------------

def _last_noun(text) -> str:
    words = re.findall(r"[a-z]+", str(text or "").lower())
    word = words[-1] if words else ""
    for suffix, replacement in (("ies", "y"), ("ses", "s"), ("s", "")):
        if word.endswith(suffix) and len(word) > 3:
            return word[: -len(suffix)] + replacement
    return word


def _overlap(a: str, b: str) -> bool:
    a, b = a.lower(), b.lower()
    return a in b or b in a


@pytest.mark.parametrize("folder", ["news", "news_heldout", "news_blind", "news_fresh", "news_fresh2", "news_fresh3",
                                    "news_fresh4", "news_fresh5", "news_c3"])
def test_fixture_articles_reach_the_issue_goals(tmp_path, params, folder):
    """Claim F1 >= 0.92 and object accuracy >= 0.80 (the hidden set's goals) on articles written for
    the tests: a claim matches a gold claim with the same value whose text overlaps it."""
    out = run_pipeline(FIXTURES / folder, tmp_path / "out", params)
    rows = pd.read_parquet(out / "numeric_claims.parquet").to_dict("records")
    tp = fp = fn = objects_ok = 0
    for gold_file in sorted((FIXTURES / f"{folder}_gold").glob("*.json")):
        gold = json.loads(gold_file.read_text(encoding="utf-8"))
        found = [r for r in rows if r["doc_id"] == gold["doc"]]
        optional = [g for g in gold["claims"] if g.get("optional")]
        for g in (g for g in gold["claims"] if not g.get("optional")):
            hit = next((r for r in found if round(r["value"], 6) == round(g["value"], 6)
                        and _overlap(g["text"], r["text"])), None)
            if hit is None:
                fn += 1
                continue
            found.remove(hit)
            tp += 1
            objects_ok += _last_noun(hit["object"]) == _last_noun(g["object"])
        fp += sum(1 for r in found if not any(round(r["value"], 6) == round(o["value"], 6) for o in optional))
    f1 = 2 * tp / (2 * tp + fp + fn)
    assert f1 >= 0.92, (tp, fp, fn)
    assert objects_ok / tp >= 0.80
