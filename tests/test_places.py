"""Countries and provinces are controlled values (missiekaart.core.places): every way a contributor may
write a listed value finds it, anything else is a problem naming a listed value, and the overview
groups and filters by them."""

from __future__ import annotations

import json
import shutil
import unicodedata
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from hypothesis import given, settings
from hypothesis import strategies as st
from sphinx.testing.util import SphinxTestApp

from missiekaart.core.places import PROVINCES, key, province_label, resolve

PAIRS = [(country, province) for country, provinces in PROVINCES.items() for province in provinces]
SHARED = {province for _country, province in PAIRS if sum(province in p for p in PROVINCES.values()) > 1}
PROPERTY = settings(max_examples=60, derandomize=True, database=None, deadline=None)


def spelled(value: str, draw: st.DrawFn) -> str:
    """*value* as a contributor may type it: another case, accents dropped, hyphens as spaces, padding."""
    if draw(st.booleans()):
        value = "".join(c for c in unicodedata.normalize("NFKD", value) if not unicodedata.combining(c))
    value = draw(st.sampled_from([value, value.lower(), value.upper(), value.title()]))
    if draw(st.booleans()):
        value = value.replace("-", " ")
    return value


@st.composite
def written_pairs(draw: st.DrawFn) -> tuple[str, str, str, str]:
    country, province = draw(st.sampled_from(PAIRS))
    return country, province, spelled(country, draw), spelled(province, draw)


@PROPERTY
@given(written_pairs(), st.booleans())
def test_every_spelling_of_a_listed_place_finds_it(pair, with_country):
    country, province, written_country, written_province = pair
    place = resolve(written_country if with_country or province in SHARED else "", written_province)
    assert place.problems == []
    assert (place.country, place.province) == (country, province)


@PROPERTY
@given(st.text(alphabet=st.characters(codec="utf-8", categories=("L", "Zs", "Pd")), min_size=1, max_size=30))
def test_anything_else_is_a_problem_naming_a_listed_value(value):
    listed = {key(name) for name in PROVINCES} | {key(p) for _c, p in PAIRS}
    if key(value) in listed or not key(value) or key(value) in {"belgie", "be", "nl", "holland", "brussel", "brussels"}:
        return
    country = resolve(value, "")
    if country.problems:
        option, message = country.problems[0]
        assert option == "country" and any(repr(name) in message for name in PROVINCES)
    province = resolve("", value)
    assert province.province == ""
    option, message = province.problems[0]
    assert option == "province" and any(repr(p) in message for _c, p in PAIRS)


def test_a_province_of_two_countries_needs_the_country_and_is_labelled_with_it():
    assert "Limburg" in SHARED
    assert resolve("", "Limburg").problems[0][0] == "province"
    assert (resolve("NL", "limburg").country, resolve("Belgie", "Limburg").country) == ("Nederland", "België")
    assert province_label("België", "Limburg") == "Limburg (België)"
    assert province_label("België", "Antwerpen") == "Antwerpen"


def test_a_project_can_give_its_own_list():
    places = {"Luxemburg": ("Diekirch", "Grevenmacher", "Luxemburg")}
    assert resolve("", "diekirch", places).country == "Luxemburg"
    assert resolve("", "Oost-Vlaanderen", places).problems


ORGS = {
    "orgs/c.md": "# C\n\n```{mission-card}\n:concepts: netwerk, kwetsbare-groepen\n:province: oost vlaanderen\n"
    ":region: Gent\n\nWij zijn C.\n```\n\n```{value-card} Waarde\n:concepts: netwerk\n\nWij zijn C.\n```\n",
    "orgs/d.md": "# D\n\n```{mission-card}\n:concepts: netwerk, kwetsbare-groepen\n:country: nederland\n"
    ":province: Limburg\n\nWij zijn D.\n```\n\n```{value-card} Waarde\n:concepts: netwerk\n\nWij zijn D.\n```\n",
}


ORGS["overview.md"] = "---\norphan: true\n---\n\n# Overzicht\n\n```{organisation-overview}\n```\n"


@pytest.fixture(scope="module")
def placed(tmp_path_factory, rootdir):
    srcdir = tmp_path_factory.mktemp("places") / "project"
    shutil.copytree(rootdir / "test-rules", srcdir)
    for name, content in ORGS.items():
        (srcdir / name).write_text(content, encoding="utf-8")
    app = SphinxTestApp("html", srcdir=srcdir, freshenv=True)
    try:
        app.build()
        yield app
    finally:
        app.cleanup()


def test_a_card_shows_the_listed_spelling_and_the_country_its_province_names(placed):
    assert "unknown-place" not in placed.warning.getvalue()
    export = json.loads((Path(placed.outdir) / "missiekaart.json").read_text(encoding="utf-8"))
    fields = {org["id"]: org["fields"] for org in export["organisations"]}
    assert fields["orgs/c"]["province"] == "Oost-Vlaanderen" and fields["orgs/c"]["country"] == "België"
    assert fields["orgs/c"]["region"] == "Gent"
    assert (fields["orgs/d"]["province"], fields["orgs/d"]["country"]) == ("Limburg", "Nederland")


def test_the_overview_groups_and_filters_by_province_and_country(placed):
    soup = BeautifulSoup((Path(placed.outdir) / "overview.html").read_text(encoding="utf-8"), "html.parser")
    options = {
        select["data-param"]: [option.get_text() for option in select.select("option")[1:]]
        for select in soup.select("form.mk-facets select[data-facet]")
    }
    assert "regio" not in options  # free text: one option per organisation would filter nothing
    assert "Oost-Vlaanderen" in options["provincie"] and "Limburg (Nederland)" in options["provincie"]
    assert {"België", "Nederland"} <= set(options["land"])
    groups = [rubric.get_text() for rubric in soup.select(".mk-overview-group > .rubric")]
    assert any(group.startswith("Oost-Vlaanderen (") for group in groups)
    assert any(group.startswith("Limburg (Nederland) (") for group in groups)
