"""Never stale: which pages an incremental build must re-write, and which output it must remove.

Sphinx re-writes the pages it re-read. A page can also change because of other pages: its
generated content (related organisations, a concept's concordance, the overviews), its
navigation (the sidebar, previous and next) or a title it shows. After reading, every page gets
a digest of all of that; a page whose digest changed is re-written (``env-updated``). Pages that
were removed leave no output behind (``build-finished``).

The sidebar is bounded: it shows the visible toctrees only (``includehidden=False``), so the
organisations, listed by a hidden toctree, never crowd it, and adding one changes no sidebar.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.builders import Builder
from sphinx.config import Config
from sphinx.environment import BuildEnvironment
from sphinx.util import logging

from missiekaart.build import outputerrors, sphinx_internals
from missiekaart.build.digests import page_digests
from missiekaart.build.journal import journal_of, previous_build_unfinished
from missiekaart.build.sphinx_internals import (
    forget_late_options,
    remember_early_options,
    show_parents_of_only,
    toctree_parents,
)
from missiekaart.core import vocabulary
from missiekaart.core.atomic import read_record, write_atomically
from missiekaart.extension.domain import get_domain

__all__ = [
    "bounded_navigation",
    "count_written",
    "load_lemmas",
    "nothing_built",
    "on_env_get_outdated",
    "on_env_updated",
    "remember_options",
    "remove_stale_output",
    "restore_toctree_parents",
    "save_lemmas",
    "write_retitled_parents_only",
]

logger = logging.getLogger(__name__)


def _title(env: BuildEnvironment, docname: str | None) -> str:
    return env.titles[docname].astext() if docname in env.titles else ""


def _shown(env: BuildEnvironment, docname: str) -> str:
    """What a toctree that lists the page shows of it: its title and headings."""
    return f"{_title(env, docname)}\n{env.tocs[docname].astext() if docname in env.tocs else ''}"


def visible_navigation(env: BuildEnvironment) -> list[tuple[str, str, int]]:
    """(docname, title, depth) of every page the sidebar shows: the non-hidden toctrees from the root."""
    shown: list[tuple[str, str, int]] = []
    seen: set[str] = set()

    def walk(docname: str, depth: int) -> None:
        if docname in seen or docname not in env.all_docs:
            return
        seen.add(docname)
        for toctree in env.get_doctree(docname).findall(addnodes.toctree):
            if toctree.get("hidden"):
                continue
            shown.append(("", str(toctree.get("caption") or ""), depth))
            for _title_text, entry in toctree["entries"]:
                if entry in env.all_docs:
                    shown.append((entry, _title(env, entry), depth))
                    walk(entry, depth + 1)

    walk(env.config.root_doc, 0)
    return shown


def navigation_digests(env: BuildEnvironment) -> dict[str, str]:
    """Per page, a digest of the navigation around it: the sidebar, its parent, previous and next."""
    sidebar = repr(visible_navigation(env))
    relations = env.collect_relations()
    titles = {docname: _title(env, docname) for docname in env.all_docs}  # each page is three others' neighbour
    result = {}
    for docname in env.all_docs:
        around = [(other, titles.get(other, "") if other else "") for other in relations.get(docname, [])]
        result[docname] = hashlib.sha256(f"{sidebar}{around}{titles[docname]}".encode()).hexdigest()
    return result


def on_env_get_outdated(
    app: Sphinx, env: BuildEnvironment, added: set[str], changed: set[str], removed: set[str]
) -> list[str]:
    """Remember the removed pages: their output is deleted once the build is done."""
    domain = get_domain(env)
    pending = domain.data.setdefault("removed", [])
    pending.extend(sorted(removed - set(pending)))
    domain.data["unchanged"] = not (added or changed or removed)  # then nothing generated can change
    domain.data["reread"] = sorted(added | changed)
    domain.data["written"] = []
    domain.data["rewrite"] = []  # what on_env_updated returns, for the journal (journal.py)
    domain.data["quiet"] = []
    domain.data["retitled"] = []
    return []


LEMMA_FILE = "missiekaart-lemmas.json"
_lemmas_known: dict[str, int] = {}  # file -> how many lemmas it holds: write it again only if there are more


def load_lemmas(app: Sphinx) -> None:
    """``builder-inited``: the lemmas earlier builds looked up (a file beside the doctrees), so that
    a build whose pages use known words never loads simplemma's dictionary."""
    path = Path(app.doctreedir, LEMMA_FILE)
    saved = read_record(path)  # none yet, or unreadable: the lemmas are looked up again
    if isinstance(saved, dict) and saved.get("version") == vocabulary.LEMMATIZER_VERSION:
        vocabulary.LEMMAS.update(saved.get("table") or {})
        _lemmas_known[str(path)] = len(vocabulary.LEMMAS)


def save_lemmas(app: Sphinx, exception: Exception | None) -> None:
    """``build-finished``: keep the lemmas for the next build when this one looked up new words."""
    path = Path(app.doctreedir, LEMMA_FILE)
    if exception is not None or len(vocabulary.LEMMAS) == _lemmas_known.get(str(path)):
        return
    table = {"version": vocabulary.LEMMATIZER_VERSION, "table": dict(sorted(vocabulary.LEMMAS.items()))}
    with outputerrors.writing(app, path):  # whole or not at all: load_lemmas trusts what it reads
        write_atomically(path, json.dumps(table, ensure_ascii=False, separators=(",", ":")))
        _lemmas_known[str(path)] = len(vocabulary.LEMMAS)


def count_written(app: Sphinx, docname: str) -> None:
    """:data:`~missiekaart.build.sphinx_internals.PAGE_WRITTEN`: note the pages this build writes
    (in the main process, whichever process resolved them)."""
    get_domain(app.env).data.setdefault("written", []).append(docname)


def nothing_built(app: Sphinx, *outputs: Path) -> bool:
    """True when this build read, removed and wrote no page, the last build finished and every one
    of *outputs* exists: then what is made from the whole site (the export) is what the last build made."""
    data = get_domain(app.env).data
    return (
        bool(data.get("unchanged"))
        and not data.get("written")
        and not previous_build_unfinished(app)
        and all(path.exists() for path in outputs)
    )


def on_env_updated(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """The pages to re-write (not re-read): those whose generated content or navigation changed.

    Of these, the pages whose searched text is what it was are noted as "quiet": they are re-written
    for their generated lists or navigation only, which search leaves out (:mod:`.searchindex`)."""
    domain = get_domain(env)
    if domain.data.get("unchanged") and domain.data["digests"]:
        domain.data["rewrite"] = []
        return []  # no page came, went or changed: every digest is what it was
    old, old_searched = domain.data["digests"], domain.data.get("searched", {})
    new, searched = {}, {}
    navigation = navigation_digests(env)
    for docname, (digest, searched[docname]) in page_digests(domain).items():
        new[docname] = hashlib.sha256(f"{digest}{navigation.get(docname, '')}".encode()).hexdigest()
    for docname in navigation.keys() - new.keys():
        new[docname] = navigation[docname]
    domain.data["digests"], domain.data["searched"] = new, searched
    forget_late_options(env.config)
    rewrite = [docname for docname in sorted(new) if old.get(docname) != new[docname] and docname in env.all_docs]
    reread = set(domain.data.get("reread", ())) & env.all_docs.keys()

    def parents(docnames: set[str]) -> set[str]:
        return {parent for docname in docnames for parent in toctree_parents(env).get(docname, ())}

    # A toctree shows a page's title and headings: they change only when it was re-read. Its parents
    # are then re-written (write_retitled_parents_only), and not quiet.
    tocs = domain.data.setdefault("tocs", {})
    shown = {docname: _shown(env, docname) for docname in reread}
    retitled = {docname for docname in reread if tocs.get(docname) != shown[docname]}
    tocs.update(shown)
    for docname in tocs.keys() - env.all_docs.keys():
        del tocs[docname]
    domain.data["retitled"] = sorted(retitled)
    loud = reread | parents(retitled)
    domain.data["quiet"] = [
        docname
        for docname in rewrite
        if docname in old and docname not in loud and old_searched.get(docname) == searched.get(docname)
    ]
    domain.data["rewrite"] = rewrite
    return rewrite


def write_retitled_parents_only(app: Sphinx, builder: Builder) -> None:
    """``write-started``: Sphinx also re-writes every page whose toctree lists a page it writes, for
    the title and headings that toctree shows. These change only when a re-read page's title or
    headings changed ("retitled" in :func:`on_env_updated`); all else a page shows of others is in
    its digest. So for this write Sphinx sees the retitled pages' parents only: an edited
    organisation no longer re-writes the index of 1,000 organisations, unchanged. The full map is
    back when the build is done (:func:`restore_toctree_parents`)."""
    show_parents_of_only(builder.env, set(get_domain(builder.env).data.get("retitled", ())))


def restore_toctree_parents(app: Sphinx, exception: Exception | None) -> None:
    """``build-finished``: give Sphinx back its map of toctree parents (see :func:`write_retitled_parents_only`)."""
    sphinx_internals.restore_toctree_parents(app.env)


def remember_options(app: Sphinx, config: Config) -> None:
    """``config-inited``: the options that exist when Sphinx compares this configuration with the
    last build's. A theme loaded later (Furo registers ``pygments_dark_style`` when the HTML builder
    is made) is missing from that comparison, so Sphinx would report "the configuration has
    changed" on every rebuild; :func:`~missiekaart.build.sphinx_internals.forget_late_options`
    keeps those out of the saved configuration."""
    remember_early_options(config)


def remove_stale_output(app: Sphinx, exception: Exception | None) -> None:
    """Delete the HTML of pages that no longer exist, so no link or search result leads to them;
    also of pages removed before an unfinished build (its journal keeps them)."""
    domain = get_domain(app.env)
    journal = journal_of(app)
    removed = sorted({*domain.data.get("removed", []), *(journal.removed if journal else ())})
    if exception is not None or not removed or outputerrors.failed(app):
        return
    builder = app.builder
    if hasattr(builder, "get_outfilename"):
        for docname in removed:
            if docname in app.env.all_docs:
                continue
            page = Path(builder.get_outfilename(docname))
            sources = Path(app.outdir, "_sources").glob(f"{docname}.*")  # the copy of its source, if kept
            for path in [page, *sources]:
                with outputerrors.writing(app, path):
                    if path.is_file():
                        path.unlink()
                        logger.info("missiekaart: removed %s (its page no longer exists)", path.relative_to(app.outdir))
    domain.data["removed"] = []


def bounded_navigation(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any) -> None:
    """Let the theme's sidebar show the visible toctrees only.

    Furo renders the whole navigation tree into every page (``includehidden=True``): with the
    organisations in it, writing is O(pages²). Connected before the theme's own handler, this
    makes every ``toctree()`` call of the page leave hidden toctrees out, so the theme never even
    builds the large tree."""
    toctree = context.get("toctree")
    if toctree is None:
        return

    def visible_toctree(**kwargs: Any) -> str:
        return str(toctree(**{**kwargs, "includehidden": False}))

    context["toctree"] = visible_toctree
