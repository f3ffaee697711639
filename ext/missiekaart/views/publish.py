"""Publishing: an organisation's page is described by its mission in search results and link previews.

A small extension of its own, loaded by ``conf.py`` only when the site has a public address
(``html_baseurl``), next to sphinxext-opengraph and sphinx-sitemap. OpenGraph's default
description is the page's first paragraph, which on an organisation page is the mission card's
title row and fields; here the mission card's text replaces it, as ``og:description`` and as the
``description`` meta tag. Other pages keep OpenGraph's default.
"""

from __future__ import annotations

import contextlib
import io
from html import escape
from typing import Any

from sphinx.application import Sphinx

from missiekaart import __version__
from missiekaart.extension.domain import get_domain


def describe(text: str, length: int) -> str:
    """*text* on one line, cut at a word boundary to at most *length* characters (with "...")."""
    text = " ".join(text.split())
    if len(text) <= length:
        return text
    return text[: length - 3].rsplit(" ", 1)[0].rstrip(",;:") + "..."


def mission_description(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any) -> None:
    """``html-page-context``, before sphinxext-opengraph's handler: the mission as description."""
    mission = next((card for card in get_domain(app.env).organisations() if card.docname == pagename), None)
    if mission is None or not mission.text.strip():
        return
    description = describe(mission.text, app.config.ogp_description_length)
    # A copy: context["meta"] is the page's metadata in the environment, which must not change.
    context["meta"] = {**(context.get("meta") or {}), "og:description": description}
    context["metatags"] = context.get("metatags", "") + f'<meta name="description" content="{escape(description)}" />\n'


def setup(app: Sphinx) -> dict[str, Any]:
    # sphinxext-opengraph prints "matplotlib is not installed, social cards will not be generated"
    # when imported; we make no social cards (images), so the line is noise in every build.
    with contextlib.redirect_stdout(io.StringIO()):
        app.setup_extension("sphinxext.opengraph")
    app.connect("html-page-context", mission_description, priority=400)  # opengraph's runs at 500
    return {"version": __version__, "parallel_read_safe": True, "parallel_write_safe": True}
