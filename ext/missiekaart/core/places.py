"""Where an organisation works: a country and a province from a list, the municipality as free text.

A mission card's ``:country:`` and ``:province:`` are controlled values, so that the overview and
search can group and filter by them: "Oost-Vlaanderen" finds every organisation that gives that
province, whatever municipalities its ``:region:`` lists. The list is :data:`PROVINCES` unless the
project's ``missiekaart_places`` (same shape: country -> provinces) replaces it.

A value is matched as a reader would: case, accents, hyphens and spaces do not matter
("oost vlaanderen" is "Oost-Vlaanderen", "Belgie" is "België"), and a few other names of a country
("Belgium", "BE", "Nederland (NL)"...) are known. What is not in the list is reported with the
closest valid value (:func:`closest`). A province names its country when only one country has it;
"Limburg" is in both, so it needs ``:country:``.
"""

from __future__ import annotations

import difflib
import unicodedata
from collections.abc import Mapping

__all__ = ["PROVINCES", "Place", "closest", "province_label", "resolve"]

#: The countries and their provinces (and Brussels, a region with no province).
PROVINCES: dict[str, tuple[str, ...]] = {
    "België": (
        "Antwerpen",
        "Brussels Hoofdstedelijk Gewest",
        "Henegouwen",
        "Limburg",
        "Luik",
        "Luxemburg",
        "Namen",
        "Oost-Vlaanderen",
        "Vlaams-Brabant",
        "Waals-Brabant",
        "West-Vlaanderen",
    ),
    "Nederland": (
        "Drenthe",
        "Flevoland",
        "Friesland",
        "Gelderland",
        "Groningen",
        "Limburg",
        "Noord-Brabant",
        "Noord-Holland",
        "Overijssel",
        "Utrecht",
        "Zeeland",
        "Zuid-Holland",
    ),
}

#: Other names of a country, as a contributor may write them (compared by :func:`key`).
COUNTRY_NAMES: dict[str, tuple[str, ...]] = {
    "België": ("Belgie", "Belgium", "Belgique", "BE", "Vlaanderen"),
    "Nederland": ("Netherlands", "The Netherlands", "NL", "Holland"),
}

#: Other names of a province.
PROVINCE_NAMES: dict[str, tuple[str, ...]] = {
    "Friesland": ("Fryslân",),
    "Brussels Hoofdstedelijk Gewest": ("Brussel", "Brussels Gewest", "Brussels"),
}


def key(value: str) -> str:
    """*value* as compared: accents, case, hyphens, dots and spacing left out."""
    decomposed = unicodedata.normalize("NFKD", value.casefold())
    return "".join(char for char in decomposed if char.isalnum())


class Place:
    """The outcome of :func:`resolve`: the country and province in the list's spelling, or problems."""

    def __init__(self) -> None:
        self.country = ""
        self.province = ""
        self.problems: list[tuple[str, str]] = []  # (option, message)


def closest(value: str, choices: list[str]) -> str:
    """The choice most like *value* (for "did you mean"), or the first choice."""
    by_key = {key(choice): choice for choice in choices}
    found = difflib.get_close_matches(key(value), list(by_key), n=1, cutoff=0.0)
    return by_key[found[0]] if found else choices[0]


def resolve(country: str, province: str, places: Mapping[str, tuple[str, ...]] | None = None) -> Place:
    """The country and province a card gives, in the list's spelling; an unknown value is a problem
    naming the closest valid one, and a province of several countries without ``:country:`` too."""
    places = PROVINCES if places is None else places
    place = Place()
    countries = {key(name): name for name in places}
    for name, others in COUNTRY_NAMES.items():
        if name in places:
            countries.update({key(other): name for other in others})
    if country:
        place.country = countries.get(key(country), "")
        if not place.country:
            place.problems.append(
                ("country", f"unknown :country: {country!r}; did you mean {closest(country, list(places))!r}?")
            )
            return place
    if not province:
        return place
    candidates = [place.country] if place.country else list(places)
    matches: dict[str, str] = {}  # country -> province
    for name in candidates:
        names = {key(p): p for p in places[name]}
        for canonical, others in PROVINCE_NAMES.items():
            if canonical in places[name]:
                names.update({key(other): canonical for other in others})
        if key(province) in names:
            matches[name] = names[key(province)]
    if len(matches) == 1:
        place.country, place.province = next(iter(matches.items()))
    elif matches:
        place.problems.append(
            (
                "province",
                f":province: {province!r} is in {' and '.join(sorted(matches))}; give :country: as well",
            )
        )
    else:
        where = f"in {place.country}" if place.country else "in any country of the list"
        valid = [p for name in candidates for p in places[name]]
        place.problems.append(
            ("province", f"unknown :province: {province!r} {where}; did you mean {closest(province, valid)!r}?")
        )
    return place


def province_label(country: str, province: str, places: Mapping[str, tuple[str, ...]] | None = None) -> str:
    """The province as the overview names it: with its country where another country has one of that name."""
    places = PROVINCES if places is None else places
    shared = sum(province in provinces for provinces in places.values()) > 1
    return f"{province} ({country})" if shared and country else province
