"""The website's pages that continue long lists (:mod:`missiekaart.extension.paging`), and a paged
overview's filter data: which the project needs now, and what each shows.

These pages have no source document. :func:`list_pages` makes them from the domain data, each
with a digest of what it shows: its entries, its title and the pages it links, and the site around
it (the sidebar, the build's configuration, the templates and the extension's version), so that
:mod:`missiekaart.views.listwriter` writes only the pages whose digest changed. The pages exist in HTML
only: the book shows every list whole. A generated page never takes the address of a document:
it is left out, with a ``list-page-clash`` warning.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from html import escape
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.builders.html import StandaloneHTMLBuilder as HTMLBuilder
from sphinx.locale import get_translation
from sphinx.util import logging

from missiekaart import __version__
from missiekaart.build.freshness import visible_navigation
from missiekaart.core import PACKAGE_DATA
from missiekaart.extension.domain import MissiekaartDomain, get_domain
from missiekaart.extension.paging import Page, flat_pages, grouped_pages, pager_html
from missiekaart.extension.records import Card
from missiekaart.extension.render import GENERATED, compact_entry, ngettext, places_of, province_groups_of
from missiekaart.views import overviewlist
from missiekaart.views.matrix import shared_concepts
from missiekaart.views.overviews import index_list

__all__ = ["ListPage", "chrome_digest", "data_files", "list_pages"]

_ = get_translation("missiekaart")
logger = logging.getLogger(__name__)

#: Raised when what a generated page shows, or how, changes without a digest noticing: every
#: page is written again.
LAYOUT = 2
STATIC = PACKAGE_DATA / "static"


@dataclass
class ListPage:
    """A generated page: its name, title and digest, and how its article is made."""

    pagename: str
    group: str  # the group's address part: the pages of one group link each other
    title: str
    digest: str
    article: Callable[[HTMLBuilder], str]
    neighbours: list[tuple[str, str] | None] = field(default_factory=lambda: [None, None])  # previous, next


def _digest(*parts: object) -> str:
    return hashlib.sha256(repr(parts).encode()).hexdigest()


def _key(card: Card) -> str:
    return card.docname


def _name(card: Card) -> str:
    return card.title


def page_title(env: Any, docname: str) -> str:
    return env.titles[docname].astext() if docname in env.titles else docname


def numbered(title: str, page: Page[Any]) -> str:
    """The title of page 2 on: "Alle organisaties: Antwerpen (pagina 2 van 3)"."""
    if page.number == 1 or page.count == 1:
        return title
    return str(_("%(title)s (page %(page)d of %(pages)d)")) % {"title": title, "page": page.number, "pages": page.count}


def article(builder: HTMLBuilder, page: Page[Any], title: str, up: str, fragment: str) -> str:
    """A generated page's article: where it belongs (a link up to its list's place on the parent
    page), its title, where it stands among the pages and its entries; the pager above and below."""
    up_link = builder.get_relative_uri(page.pagename, page.parent) + ("" if page.flat else f"#mk-{page.slug}")

    def pager(where: str) -> str:
        return pager_html(
            page.number,
            page.count,
            lambda number: builder.get_relative_uri(page.pagename, page.address(number)),
            str(_("Pages of the list")),
            where,
            landmark=bool(where),  # the one above the list
        )

    parts = [f'<section id="{escape(page.slug)}">']
    trail = f'<a href="{escape(up_link)}">{escape(up)}</a>'
    if page.group or not page.flat:
        trail += " › " + escape(page.group or str(_("Province not given")))
    parts.append(f'<p class="mk-list-up">{trail}</p>')
    parts.append(f"<h1>{escape(title)}</h1>")
    if page.count > 1:
        parts += [pager(page.where()), fragment, pager("")]
    else:
        total = ngettext("%d organisation", "%d organisations", len(page.items))
        parts += [f'<p class="mk-pager-where">{escape(total)}</p>', fragment]
    parts.append("</section>")
    return "\n".join(parts)


def chained(pages: list[ListPage], parent: tuple[str, str]) -> Iterator[ListPage]:
    """The pages, each linked to the previous and next page of its group (the first one to
    *parent*, its list's page), which its digest then covers too."""
    for index, page in enumerate(pages):
        previous = pages[index - 1] if index and pages[index - 1].group == page.group else None
        following = pages[index + 1] if index + 1 < len(pages) and pages[index + 1].group == page.group else None
        page.neighbours = [
            (previous.pagename, previous.title) if previous else parent,
            (following.pagename, following.title) if following else None,
        ]
        page.digest = _digest(page.digest, parent, page.neighbours)
        yield page


def shown_organisations(domain: MissiekaartDomain) -> dict[str, str]:
    """Organisation docname -> a digest of what an overview shows of it (its mission card, its
    values in the filters); once per build."""

    def make() -> dict[str, str]:
        values = overviewlist.controls_of(domain).values
        return {
            card.docname: _digest(domain.mission_digest(card.docname), values[card.docname])
            for card in domain.organisations()
        }

    return domain.memo("shown organisations", make)


def overview_pages(domain: MissiekaartDomain, chrome: str) -> Iterator[ListPage]:
    """The pages of each province of the organisation overview, past its page size."""
    env = domain.env
    organisations = domain.organisations()
    size = max(1, env.config.missiekaart_overview_page_size)
    parents = sorted(docname for docname, kinds in domain.data["overviews"].items() if "organisation-overview" in kinds)
    if not parents or len(organisations) <= size:
        return
    controls = overviewlist.controls_of(domain)
    shown = shown_organisations(domain)
    titles = sorted(controls.titles.items())
    for parent in parents:
        up = page_title(env, parent)
        pages: list[ListPage] = []
        for page in grouped_pages(parent, overviewlist.groups(domain), size, _key, _name):
            title = numbered(f"{up}: {page.group or _('Province not given')}", page)
            digest = _digest(
                chrome,
                "overview",
                page.pagename,
                title,
                page.number,
                page.count,
                titles,
                [shown[card.docname] for card in page.items],
            )

            def make(builder: HTMLBuilder, page: Page[Any] = page, title: str = title, up: str = up) -> str:
                group = nodes.container(classes=["mk-overview-group"])
                items = nodes.bullet_list(classes=["mk-overview-items"])
                items += [
                    nodes.list_item("", overviewlist.entry(builder, page.pagename, card, controls))
                    for card in page.items
                ]
                group += items
                container = nodes.container("", group, classes=["mk-overview-list", GENERATED])
                return article(builder, page, title, up, builder.render_partial(container)["fragment"])

            pages.append(ListPage(page.pagename, page.slug, title, digest, make))
        yield from chained(pages, (parent, up))


def concept_pages(domain: MissiekaartDomain, chrome: str) -> Iterator[ListPage]:
    """The pages of each province of a concept's "Gedeeld door", past its page size."""
    env = domain.env
    size = max(1, env.config.missiekaart_concept_page_size)
    sharers = domain.sharers()
    vocabulary = domain.vocabulary_key()
    for concept in domain.concepts():
        shared = sharers.get(concept.id, frozenset())
        if len(shared) <= size:
            continue
        concept_places = domain.concept_places()[concept.id]
        groups = province_groups_of(domain, shared)
        up = concept.title
        pages: list[ListPage] = []
        for page in grouped_pages(concept.docname, groups, size, _key, _name):
            if page.group:
                title = str(_("%(concept)s: organisations in %(group)s")) % {"concept": up, "group": page.group}
            else:
                title = str(_("%(concept)s: organisations without a province")) % {"concept": up}
            title = numbered(title, page)
            places = [(card.docname, concept_places.get(card.docname)) for card in page.items]
            digest = _digest(
                chrome,
                "concept",
                tuple(concept),
                page.pagename,
                title,
                page.number,
                page.count,
                vocabulary,
                places,
            )

            def make(
                builder: HTMLBuilder,
                page: Page[Any] = page,
                title: str = title,
                up: str = up,
                concept_id: str = concept.id,
            ) -> str:
                items = nodes.bullet_list(classes=["mk-backlinks", "mk-concordance", GENERATED])
                for card in page.items:
                    items += nodes.list_item(
                        "", compact_entry(builder, page.pagename, card, places_of(domain, concept_id, card.docname))
                    )
                fragment = builder.render_partial(items)["fragment"]
                return article(builder, page, title, up, fragment)

            pages.append(ListPage(page.pagename, page.slug, title, digest, make))
        yield from chained(pages, (concept.docname, up))


def index_pages(domain: MissiekaartDomain, chrome: str) -> Iterator[ListPage]:
    """The pages that continue every concept index shown whole, past its page size."""
    size = max(1, domain.env.config.missiekaart_index_page_size)
    rows = shared_concepts(domain)
    parents = sorted(docname for docname, kinds in domain.data.get("whole", {}).items() if "concept-index" in kinds)
    if not parents or len(rows) <= size:
        return
    concepts = {concept.id: tuple(concept) for concept in domain.concepts()}
    for parent in parents:
        up = page_title(domain.env, parent)
        pages = flat_pages(parent, rows, size)
        generated: list[ListPage] = []
        for page in pages:
            title = numbered(str(_("All concepts")), page)
            shown = [(concepts[concept_id], len(shared)) for concept_id, _title, shared in page.items]
            digest = _digest(chrome, "index", page.pagename, title, page.number, page.count, page.total, shown)

            def make(builder: HTMLBuilder, page: Page[Any] = page, title: str = title, up: str = up) -> str:
                listing = builder.render_partial(index_list(domain, builder, page.pagename, page.items))["fragment"]
                return article(builder, page, title, up, listing)

            generated.append(ListPage(page.pagename, page.slug, title, digest, make))
        yield from chained(generated, (parent, up))


def chrome_digest(app: Sphinx) -> str:
    """What every generated page shows of the site around it: the sidebar, the configuration and
    tags (Sphinx's own ``.buildinfo`` hashes), the templates, the extension and its static files."""
    builder: Any = app.builder
    info = getattr(builder, "build_info", None)
    statics = sorted((path.name, _digest(path.read_bytes())) for path in STATIC.iterdir() if path.is_file())
    return _digest(
        LAYOUT,
        __version__,
        getattr(info, "config_hash", ""),
        getattr(info, "tags_hash", ""),
        builder.templates.newest_template_mtime() if hasattr(builder, "templates") else 0,
        statics,
        visible_navigation(app.env),
    )


def list_pages(app: Sphinx, chrome: str | None = None) -> list[ListPage]:
    """Every page the project's lists need now, in a stable order; none that would have the
    address of a document (reported where the list's own page is written, :func:`.render.clashing`).
    *chrome*: :func:`chrome_digest`, if the caller has it."""
    domain = get_domain(app.env)
    chrome = chrome or chrome_digest(app)
    pages = [*overview_pages(domain, chrome), *concept_pages(domain, chrome), *index_pages(domain, chrome)]
    return [page for page in pages if page.pagename not in app.env.all_docs]


def data_files(app: Sphinx, chrome: str) -> dict[str, tuple[str, Callable[[], str]]]:
    """A paged overview's filter data, by file name (relative to the output folder): a digest of
    what it is made from (with *chrome*, :func:`chrome_digest`) and how to make it, which a build
    that changed none of it does not (0.24 s at 10,000 organisations)."""
    domain = get_domain(app.env)
    organisations = domain.organisations()
    if not organisations or len(organisations) <= max(1, app.config.missiekaart_overview_page_size):
        return {}
    controls = overviewlist.controls_of(domain)
    shown = shown_organisations(domain)
    order = [(label, [shown[card.docname] for card in cards]) for label, cards in overviewlist.groups(domain)]
    inputs = (sorted(controls.titles.items()), controls.controls, order)
    parents = sorted(docname for docname, kinds in domain.data["overviews"].items() if "organisation-overview" in kinds)
    return {
        overviewlist.FILTER_DATA.format(docname): (
            _digest(chrome, "filters", docname, inputs),
            functools.partial(overviewlist.filter_data, domain, app.builder, docname, controls),
        )
        for docname in parents
    }
