"""Write pipeline/resources/gazetteer/subdivisions.yaml: the ISO 3166-2 subdivisions of every country
(states, provinces, regions, counties, districts) from the pycountry package, as gazetteer entries.

Run once, offline, with pycountry installed beside the project (it is no runtime dependency):

    pip install --target /tmp/pycountry pycountry==26.2.16
    PYTHONPATH=/tmp/pycountry .venv/bin/python scripts/build_subdivisions.py

Each entry is a GPE named in English where iso-codes translates the name ("Bavaria"), else as ISO
writes it (bracketed notes dropped, "Madrid, Comunidad de" put in reading order), with ISO's own
name and the names without diacritics as aliases, and the ISO code as its kb_id. Left
out, so that the curated knowledge keeps deciding: names the curated gazetteers, the country list or
the GeoNames towns (entity_cities) already know, and names two countries share. Marked ``force:
false`` (known, never imposed on the text): names that are English words (common in lower case,
or more often written so), given names or common surnames, and one word of three letters or fewer.
"""
from __future__ import annotations

import gettext
import re
import sys
from collections import defaultdict
from importlib.metadata import version
from importlib.resources import files
from pathlib import Path

import pycountry
import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from folding import fold  # noqa: E402
from pipeline import entities  # noqa: E402

OUT = ROOT / "pipeline" / "resources" / "gazetteer" / "subdivisions.yaml"
# The share (percent of US Census 1990 people) above which a surname is too common to impose a
# place of that name ("Bolton", "Durham").
SURNAME_MIN_SHARE = 0.002
# One word of at most this many letters is too often part of another name ("Lac du Bonnet") to impose.
SHORT = 3
# A word English writes in lower case at least this often (log probability in spacy-lookups-data:
# "gulf" -13.5, "hail" -12.5, but "johor" and "ogun" under -19) is an English word, even where
# capitalised as often ("the Gulf"), and is not imposed.
ENGLISH_WORD_LOGPROB = -16.0
# "Bristol, City of", "Durham, County", "Vale of Glamorgan, The": ISO's inverted forms.
_INVERTED = re.compile(r"^([^,]+), ([^,]+)$")
ENGLISH = gettext.translation("iso3166-2", pycountry.LOCALES_DIR, languages=["en"])
_CODE = re.compile(r"\b[A-Z]{2}-[A-Z0-9]{1,3}\b")


def names_of(raw: str) -> list[str]:
    """The English name iso-codes gives ("Bayern" -> "Bavaria"), else ISO's, as news writes it; then
    the other names: ISO's own, those its brackets give, each of "Fribourg / Freiburg"."""
    found = []
    for source in dict.fromkeys([ENGLISH.gettext(raw), raw]):
        for part in source.split(" / "):
            found += iso_names(part)
    return list(dict.fromkeys(found))


def iso_names(raw: str) -> list[str]:
    # "[La Coruña]" is another name, "[city]" a note
    others = [re.sub(r"\s+", " ", _CODE.sub("", b)).strip() for b in re.findall(r"\[([^\]]*)\]", raw)]
    others = [o for o in others if o[:1].isupper()]
    name = re.sub(r"\s*\[[^\]]*\]|\s*\([^)]*\)", "", raw).strip()
    inverted = _INVERTED.match(name)
    if inverted and " and " not in name and " y " not in name:
        name = inverted[1] if inverted[2] in ("The", "Region") else f"{inverted[2]} {inverted[1]}"
    return [n for n in dict.fromkeys([name, *others]) if n]


def spellings_of(name: str) -> list[str]:
    return [s for s in dict.fromkeys([name, fold(name)]) if s]


def common_surnames() -> set[str]:
    found = set()
    for line in files("names").joinpath("dist.all.last").read_text(encoding="ascii").splitlines():
        word, share = line.split()[:2]
        if float(share) >= SURNAME_MIN_SHARE:
            found.add(word.title())
    return found


def main() -> None:
    params = yaml.safe_load((ROOT / "params.yaml").read_text())["entities"]
    curated = entities.load_gazetteer(tuple(params["gazetteers"]))
    known = set(curated.by_name) | set(curated.by_short) | set(entities.country_names())
    known |= set(entities.load_cities(params["cities_min_population"]))
    people = set(entities.load_given_names(params["given_name_min_share"])) | common_surnames()
    people |= set(entities.load_name_list(params["international_given_names"]))
    margin = params["common_word_margin"]
    probs, unknown = entities.load_word_probs("en")

    by_name: dict[str, list] = defaultdict(list)
    for sub in pycountry.subdivisions:
        for name in names_of(sub.name):
            for spelling in spellings_of(name):
                by_name[spelling].append(sub)

    entries = {}
    for sub in sorted(pycountry.subdivisions, key=lambda s: s.code):
        spellings = []
        for name in names_of(sub.name):
            if any(s in known for s in spellings_of(name)):
                continue  # "A Coruña" is a town: so is "A Coruna"
            for spelling in spellings_of(name):
                holders = by_name[spelling]
                if len(spelling) < 3 or any(c.isdigit() for c in spelling):
                    continue
                if len({s.country_code for s in holders}) > 1:
                    continue  # "Central", "Limburg": more than one country's
                # a province and its district of one name (Dhaka): the higher one
                if min(holders, key=lambda s: (s.parent_code is not None, s.code)) is not sub:
                    continue
                spellings.append(spelling)
        spellings = list(dict.fromkeys(spellings))
        if not spellings:
            continue
        ambiguous = any(s in people or (len(s.split()) == 1 and (
            len(s) <= SHORT or entities.lower_case_preference(s, "en") > margin
            or probs.get(s.lower(), unknown) >= ENGLISH_WORD_LOGPROB)) for s in spellings)
        entries[sub.code] = (spellings, ambiguous)

    lines = [
        f"# Generated by scripts/build_subdivisions.py from pycountry {version('pycountry')} (the Debian iso-codes data,",
        "# ISO 3166-2; LGPL-2.1, the text in ../LICENSES/iso-codes-LGPL-2.1.txt): do not edit by hand,",
        "# re-run the script (its docstring says how).",
        "# Country subdivisions as GPEs, kb_id the ISO 3166-2 code; names other gazetteers, the country",
        "# list or the GeoNames towns know are left out; force: false marks English words, people's names",
        "# and short words.",
    ]
    for code, (spellings, ambiguous) in entries.items():
        item = {"name": spellings[0], "label": "GPE", "id": f"iso3166-2:{code}"}
        if spellings[1:]:
            item["aliases"] = spellings[1:]
        if ambiguous:
            item["force"] = False
        lines.append("- " + yaml.safe_dump(item, default_flow_style=True, allow_unicode=True, width=10_000,
                                           sort_keys=False).strip())
    OUT.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{OUT}: {len(entries)} subdivisions, {sum(a for _, a in entries.values())} not forced")


if __name__ == "__main__":
    main()
