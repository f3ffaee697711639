"""An organisation's page on the website, in the reader's order: the summary, then the text.

Every page with a mission card gets, in HTML only (the PDF keeps the page as written, its mission
card moved above its value cards at read time, :func:`missiekaart.views.transforms.on_doctree_read`):

1. the title, a line of jump links to the sections below, and the mission card;
2. a section "Waarden en doelen" with the value cards;
3. a section "Verwante organisaties": the organisations closest to this one and their map
   (filled at write time, :mod:`missiekaart.views.transforms`);
4. a section "Oorspronkelijke tekst": where the text comes from (the source's own front matter,
   kept by the importer as ``mk-source-*`` metadata: title, dates, address) and a link to the
   verbatim text file, then the imported text with its footnotes, unchanged.

The text files are copied into the output as ``_bronteksten/<file name>`` by
:func:`copy_source_texts`, so the link works on every build. The page's local table of
contents is made from the restructured page (:func:`local_toc`).
"""

from __future__ import annotations

import datetime
import html
import json
import os
import shutil
import stat
from pathlib import Path
from typing import Any
from urllib.parse import quote

from babel.dates import format_date
from docutils import nodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.locale import get_translation
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util.osutil import relative_uri

from missiekaart.build import outputerrors
from missiekaart.build.freshness import nothing_built
from missiekaart.build.journal import previous_build_unfinished
from missiekaart.build.sphinx_internals import builder_of
from missiekaart.core.atomic import read_record, write_atomically
from missiekaart.extension.domain import get_domain
from missiekaart.extension.nodes import PLAIN_LINK, mk_backlinks, mk_card
from missiekaart.extension.pagechecks import source_of_page
from missiekaart.importer.sourcefile import SourceError, below, decode, read_bytes

_ = get_translation("missiekaart")

TEXT_SECTION = "oorspronkelijke-tekst"
VALUES_SECTION = "waarden-en-doelen"
RELATED_SECTION = "verwante-organisaties"
SOURCE_FOLDER = "_bronteksten"
#: What the folder of published texts held after the last build (beside the doctrees, per builder).
PUBLISHED_RECORD = "missiekaart-sources-{}.json"
#: Source texts that are text, which a host serves with a charset.
TEXT_SUFFIXES = frozenset({".txt", ".md", ".markdown", ".html", ".htm"})


def source_folder(env: BuildEnvironment) -> str:
    """The folder of source texts, resolved (symbolic links followed)."""
    return os.path.realpath(Path(str(env.config.missiekaart_source_root)) / str(env.config.missiekaart_source_texts))


def source_path(env: BuildEnvironment, docname: str, real_folder: str | None = None) -> Path | None:
    """The organisation's source text, from the page's ``mk-source``: a file inside the folder of
    source texts (*real_folder*: :func:`source_folder`, by a caller that asks for every page), or
    ``None`` (a problem was reported when the page was read)."""
    metadata = env.metadata.get(docname, {})
    if "mk-source" not in metadata:
        return None
    try:
        return source_of_page(env.config, metadata["mk-source"], real_folder)
    except SourceError:
        return None


def published_name(env: BuildEnvironment, path: Path, real_folder: str | None = None) -> str:
    """Where *path* (a resolved source text) is published in ``_bronteksten/``: its path in the folder
    of source texts, so two texts of one name in different sub-folders stay apart."""
    folder = real_folder or source_folder(env)
    rest = below(str(path), folder)
    if rest is None:
        raise ValueError(f"{path} is not in {folder}")
    return rest.replace(os.sep, "/")


def source_url(docname: str, name: str, builder: Any) -> str:
    """The link to a published text, URL-encoded: a file name may hold ``#``, ``?``, ``%`` or spaces."""
    return relative_uri(builder.get_target_uri(docname), f"{SOURCE_FOLDER}/{quote(name)}")


def dutch_date(value: object, language: str | None) -> str | None:
    """An ISO date or timestamp from front matter as a long date ("11 mei 2016"), else None."""
    if isinstance(value, datetime.date):
        date = value
    else:
        try:
            date = datetime.datetime.fromisoformat(str(value).strip())
        except ValueError:
            return None
    return format_date(date, format="long", locale=language or "en")


def field(label: str, *content: nodes.Node) -> nodes.field:
    return nodes.field("", nodes.field_name(text=label), nodes.field_body("", nodes.paragraph("", "", *content)))


def origin_fields(env: BuildEnvironment, docname: str, path: Path | None) -> nodes.field_list:
    """What the page's front matter says about the text's origin; empty values are left out."""
    metadata = env.metadata.get(docname, {})
    language = env.config.language
    fields = nodes.field_list(classes=["mk-card-fields", "mk-source-fields"])
    title = str(metadata.get("mk-source-title") or "").strip()
    if title:
        fields += field(_("Title"), nodes.Text(title))
    published = dutch_date(metadata.get("mk-source-datePublished"), language)
    modified = dutch_date(metadata.get("mk-source-dateModified"), language)
    if published:
        fields += field(_("Published"), nodes.Text(published))
    if modified and modified != published:
        fields += field(_("Last changed"), nodes.Text(modified))
    url = str(metadata.get("mk-source-url") or "").strip()
    if url.startswith(("https://", "http://")):
        fields += field(_("Address"), nodes.reference(url, url, refuri=url))
    if path is not None:
        name = published_name(env, path)
        link = nodes.reference(
            "",
            name,
            refuri=source_url(docname, name, builder_of(env)),  # as Sphinx's post-transforms do
            classes=["mk-source-file"],
        )
        fields += field(_("Text file"), link)
    return fields


def jump_links(targets: list[tuple[str, str]]) -> nodes.paragraph:
    line = nodes.paragraph(classes=["mk-jump-links"])
    for index, (anchor, label) in enumerate(targets):
        if index:
            line += nodes.Text(" · ")
        line += nodes.reference("", label, refuri=f"#{anchor}", internal=True, **{PLAIN_LINK: True})
    return line


def new_section(anchor: str, title: str) -> nodes.section:
    return nodes.section("", nodes.title(text=title), ids=[anchor], names=[anchor], classes=[f"mk-{anchor}"])


class OrganisationPage(SphinxPostTransform):
    """Restructure an organisation's page for readers (see the module's docstring)."""

    default_priority = 20  # after the references are resolved
    formats = ("html",)

    def run(self, **kwargs: Any) -> None:
        docname = self.env.docname
        if get_domain(self.env).organisation(docname) is None:
            return
        top = next(iter(self.document.findall(nodes.section)), None)
        if top is None or not isinstance(top[0], nodes.title):
            return
        mission = next((node for node in top.children if isinstance(node, mk_card) and node.get("mission")), None)
        values = [node for node in top.children if isinstance(node, mk_card) and not node.get("mission")]
        related = [node for node in top.children if isinstance(node, mk_backlinks) and node["kind"] == "related"]
        path = source_path(self.env, docname)
        text = new_section(TEXT_SECTION, _("Original text"))
        text += nodes.paragraph(
            classes=["mk-source-intro"],
            text=_("The organisation's own text, word for word. The cards above are Missiekaart's summary of it."),
        )
        fields = origin_fields(self.env, docname, path)
        if len(fields):
            text += fields
        moved = {id(node) for node in [mission, *values, *related]}
        rest = [node for node in top.children[1:] if id(node) not in moved]
        after = list(self.document.children[self.document.index(top) + 1 :])
        for node in [*rest, *after]:
            node.parent.remove(node)
            text += node
        del top.children[1:]
        sections: list[nodes.section] = []
        if values:
            sections.append(new_section(VALUES_SECTION, _("Values and goals")))
            sections[-1].extend(values)
        if related:
            sections.append(new_section(RELATED_SECTION, _("Related organisations")))
            for placeholder in related:
                placeholder["titled"] = False  # the section's title names it
            sections[-1].extend(related)
        sections.append(text)
        top += jump_links([(section["ids"][0], section[0].astext()) for section in sections])
        if mission is not None:
            top += mission
        top.extend(sections)


def local_toc(section: nodes.section, top: bool = True) -> str:
    """Furo's "Op deze pagina" for a page: nested lists of links to its sections."""
    title = section[0].astext() if section.children and isinstance(section[0], nodes.title) else ""
    href = "#" if top else f"#{section['ids'][0]}"
    inner = "".join(
        local_toc(child, top=False) for child in section.children if isinstance(child, nodes.section) and child["ids"]
    )
    item = f'<li><a class="reference internal" href="{href}">{html.escape(title)}</a>'
    item += f"<ul>\n{inner}</ul>\n" if inner else ""
    item += "</li>\n"
    return f"<ul>\n{item}</ul>\n" if top else item


def on_html_page_context(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: nodes.document | None
) -> None:
    """The local table of contents of a restructured page follows its new sections."""
    if doctree is None or get_domain(app.env).organisation(pagename) is None:
        return
    top = next(iter(doctree.findall(nodes.section)), None)
    if top is not None and any(
        isinstance(child, nodes.Element) and TEXT_SECTION in child.get("ids", ()) for child in top.children
    ):
        context["toc"] = local_toc(top)


def _signature(path: Path) -> tuple[int, int] | None:
    """Size and time of the regular file *path*, or ``None`` if there is none."""
    try:
        status = os.stat(path)  # noqa: PTH116  # one call, whether or not the file is there
    except (FileNotFoundError, NotADirectoryError):
        return None
    return (status.st_size, status.st_mtime_ns) if stat.S_ISREG(status.st_mode) else None


def published_bytes(path: Path) -> bytes | None:
    """What ``_bronteksten/`` serves for a source text: ``None`` for the file as it is (UTF-8 text, a
    PDF, a Word file), or a text in Windows-1252 re-encoded as UTF-8, the same characters: a host
    that serves text files as ``charset=utf-8`` would show its accents broken. The repository keeps
    the original, byte for byte, as ``SHA256SUMS`` pins it."""
    if path.suffix.casefold() not in TEXT_SUFFIXES:
        return None
    data = read_bytes(path)
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        _text, encoding, _warnings = decode(data, path)
        return data.decode(encoding).encode("utf-8") if encoding == "cp1252" else None
    return None


def copy_source_texts(app: Sphinx, exception: Exception | None) -> None:
    """``build-finished``: every organisation's source text, byte for byte, into ``_bronteksten/``.

    Only texts inside the folder of source texts are copied (:func:`source_path`), each through a
    temporary file and a rename, so a build stopped halfway never leaves half a text. What a build
    published is recorded beside the doctrees (``missiekaart-sources-<builder>.json``: each file's
    size and time, each page's text): when the folder is still as recorded, the next build checks the
    texts of the pages it read again only (a changed text is read again with its page).
    """
    if exception is not None or app.builder.format != "html" or outputerrors.failed(app):
        return
    with outputerrors.writing(app, Path(app.outdir) / SOURCE_FOLDER):
        _copy_source_texts(app)


def _copy_source_texts(app: Sphinx) -> None:
    folder = os.path.join(app.outdir, SOURCE_FOLDER)  # noqa: PTH118  # paths as strings: 10,000 texts a build
    record = Path(app.doctreedir, PUBLISHED_RECORD.format(app.builder.name))
    recorded = read_record(record)
    # After a build that finished, with the folder as it left it, a page that was not read again has
    # the same source text, unchanged (a page depends on its text: a changed text is read again): its
    # published copy is what it was. A build that read and removed no page has nothing to check.
    published: dict[str, str] = {}  # docname -> its text's path in the folder
    listing: dict[str, list[int]] | None = None  # the folder as recorded, when it is
    if (
        isinstance(recorded, dict)
        and not previous_build_unfinished(app)
        and recorded.get("files") == _listing(folder)
        and isinstance(recorded.get("pages"), dict)
    ):
        if nothing_built(app, record):
            return
        reread = set(get_domain(app.env).data.get("reread", ()))
        published = {str(name): str(text) for name, text in recorded["pages"].items() if name not in reread}
        listing = recorded["files"]
    written: list[str] = []  # the texts copied by this build
    real_folder = source_folder(app.env)  # resolved once: every build checks every organisation's text
    kept: set[str] = set()  # the published texts, as os.walk names them
    pages: dict[str, str] = {}
    for card in get_domain(app.env).organisations():
        if card.docname in published:
            pages[card.docname] = published[card.docname]
            kept.add(os.path.join(folder, *published[card.docname].split("/")))  # noqa: PTH118
            continue
        path = source_path(app.env, card.docname, real_folder)
        if path is None:
            continue
        pages[card.docname] = published_name(app.env, path, real_folder)
        target = Path(os.path.join(folder, *pages[card.docname].split("/")))  # noqa: PTH118
        kept.add(str(target))
        # A copy carries its text's time and size, so an unchanged text is known by its metadata
        # alone: 1,000 texts are not read on every build (one re-encoded to UTF-8 is, for its new size).
        copied, source = _signature(target), _signature(path)
        if copied == source:
            continue
        temporary = target.with_name(f".{target.name}.tmp")
        try:
            transcoded = published_bytes(path)
            if transcoded is not None and source is not None and copied == (len(transcoded), source[1]):
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            if transcoded is None:
                shutil.copy2(path, temporary)
            else:
                temporary.write_bytes(transcoded)
                shutil.copystat(path, temporary)
            temporary.replace(target)
            written.append(str(target))
        except SourceError:
            temporary.unlink(missing_ok=True)  # reported where the page was read; nothing half-published
            del pages[card.docname]  # not published: checked again by the next build
        except BaseException:
            temporary.unlink(missing_ok=True)  # a full disk: no half copy left behind
            raise
    # The text of an organisation that left the project leaves with it. With the folder as recorded,
    # the record says what is there: two walks of 10,000 files fewer (0.2 s).
    if listing is None:
        for directory, _folders, files in os.walk(folder):
            for name in files:
                if (stale := f"{directory}{os.sep}{name}") not in kept:
                    Path(stale).unlink()
        listing = _listing(folder)
    else:
        for name in [name for name in listing if os.path.join(folder, name) not in kept]:  # noqa: PTH118
            Path(folder, name).unlink(missing_ok=True)
            del listing[name]
        for copy in written:
            status = os.lstat(copy)
            listing[copy[len(folder) + 1 :]] = [status.st_size, status.st_mtime_ns]
    with outputerrors.writing(app, record):
        write_atomically(record, json.dumps({"files": listing, "pages": pages}, separators=(",", ":")))


def _listing(folder: str) -> dict[str, list[int]]:
    """Every file in the folder of published texts (its path there) with its size and time: 10,000
    ``lstat`` calls, where checking every text against its source takes ten times as long."""
    listing: dict[str, list[int]] = {}
    for directory, _folders, files in os.walk(folder):
        for name in files:
            path = f"{directory}{os.sep}{name}"
            status = os.lstat(path)
            listing[path[len(folder) + 1 :]] = [status.st_size, status.st_mtime_ns]
    return listing


def setup(app: Sphinx) -> None:
    app.add_post_transform(OrganisationPage)
    app.connect("html-page-context", on_html_page_context, priority=900)
    app.connect("build-finished", copy_source_texts)
