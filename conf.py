"""Sphinx configuration for Missiekaart. The sources are in docs/; build with ``make html``."""

import os

project = "Missiekaart"
author = "Het Missiekaart-team"
copyright = "2026, Het Missiekaart-team"
# No version or release: the site and the book are the current state of the texts, not a software
# release ("Release 0.1" on the title page meant nothing to a reader). Set MISSIEKAART_RELEASE to
# print one (an edition, "2026-1") on the title page and in the running head.
release = os.environ.get("MISSIEKAART_RELEASE", "")
version = release

language = "nl"
# Dutch for the few Sphinx labels its own catalog leaves untranslated ("Link to this heading").
locale_dirs = ["locales"]
root_doc = "index"
source_suffix = {".md": "markdown"}
exclude_patterns = ["_build", ".venv", "**/README.md"]

extensions = [
    "myst_parser",
    "sphinx_design",
    "missiekaart",
]

# MyST: headings get anchors for deep links; no extension that would give plain source text
# (dollars, braces, bare URLs) a meaning the organisations did not write.
myst_heading_anchors = 3
myst_footnote_transition = True

# The source texts keep their own quote marks and dashes; Sphinx must not rewrite them.
smartquotes = False

nitpicky = True

# The content rules of CONTRIBUTING.md, checked during the build (ext/missiekaart/extension/checks.py):
# organisation pages live in docs/organisations/, each shares at least five concepts, and a
# concept page needs at least two organisations that use it.
missiekaart_organisations = "organisations"
missiekaart_min_concepts = 5
missiekaart_min_organisations = 2

html_theme = "furo"
html_title = "Missiekaart"
html_static_path: list[str] = []
html_theme_options = {
    "navigation_with_keys": True,
    # Readers see the site, not its MyST sources: no "view source" button, no copied sources.
    "top_of_page_buttons": [],
}
html_show_sourcelink = False
html_copy_source = False
# The footer names the project, not the tools ("Made with Sphinx and @pradyunsg's Furo" is English
# and says nothing to a reader); the organisations are found through the overview and search, so
# Sphinx's general index would be an empty page.
html_show_sphinx = False
html_use_index = False  # the site's icon is the extension's own (missiekaart/extension/html.py)
html_last_updated_fmt = None

# Publishing: with a public address for the site, every page gets a canonical link, OpenGraph tags
# (sphinxext-opengraph; an organisation's page is described by its mission, see
# ext/missiekaart/views/publish.py) and the site a sitemap.xml (sphinx-sitemap). The address comes from
# MISSIEKAART_BASEURL, or on Read the Docs from READTHEDOCS_CANONICAL_URL. Without one none of these
# extensions is loaded, so a local build has nothing to warn about.
html_baseurl = os.environ.get("MISSIEKAART_BASEURL") or os.environ.get("READTHEDOCS_CANONICAL_URL", "")
if html_baseurl:
    html_baseurl = html_baseurl.rstrip("/") + "/"
    extensions += ["sphinx_sitemap", "missiekaart.views.publish"]  # publish loads sphinxext.opengraph
    sitemap_url_scheme = "{link}"  # the address already holds any language and version path
    sitemap_locales = [None]  # one language: no hreflang alternates
    sitemap_excludes = ["search.html", "genindex.html"]
    ogp_site_url = html_baseurl
    ogp_site_name = project

# PDF ("make pdf"): pdflatex with Dutch babel (from `language`), built by latexmk. The toctree
# captions on the landing page become parts (see ext/missiekaart/extension/latex.py); cards are framed
# boxes from the extension's missiekaart.sty, never split across pages.
latex_engine = "pdflatex"
latex_documents = [
    (root_doc, "missiekaart.tex", "Missiekaart", author, "manual"),
]
# On paper a link leads nowhere: every internal reference prints its target's page, "(blz. 12)".
latex_show_pagerefs = True
# The book is for readers: the site's pointer to the contributor guide, and how its search box
# works, stay on the site. (Shorter web-only passages are in {only} html blocks of the pages.)
missiekaart_latex_omit = ["over/index#zoeken", "over/index#meewerken"]
latex_elements = {
    "papersize": "a4paper",
    "pointsize": "11pt",
    # A PDF read on screen: no blank pages before chapters and parts.
    "classoptions": ",openany,oneside",
    "preamble": "\n".join(
        [
            # Sphinx names the table of contents after the first toctree caption ("Organisaties"),
            # which is a part title here: give the table of contents its usual Dutch name.
            r"\addto\captionsdutch{\renewcommand{\contentsname}{Inhoudsopgave}}",
            # Page references as a Dutch book writes them: "blz. 12" (hyperref's default is "pagina").
            r"\addto\extrasdutch{\def\pageautorefname{blz.}}",
            # Two levels in the table of contents, chapters (organisations, concepts) and their
            # sections; Sphinx derives one level from the toctrees' :maxdepth: 1, set for the site.
            r"\setcounter{tocdepth}{1}",
            # The source texts number their own headings ("1 Onze missie"): number parts and
            # chapters only.
            r"\setcounter{secnumdepth}{0}",
            # The running head of 11pt text needs 13.6pt.
            r"\geometry{headheight=14pt}",
            # PDF metadata: the document's language (/Lang in the catalog) next to title and author.
            rf"\hypersetup{{pdflang={{{language}}}, pdfsubject={{Missie- en visieteksten van sociale organisaties}}}}",
        ]
    ),
    # The build date in Dutch ("22 november 2026") rather than Sphinx's "nov 22, 2026".
    "maketitle": r"\date{\today}\sphinxmaketitle",
    # No index: the pages define no index entries, and an empty index would be a blank chapter.
    "makeindex": "",
    "printindex": "",
}
latex_domain_indices = False
