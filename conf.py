"""Sphinx configuration for Missiekaart. The sources are in docs/; build with ``make html``."""

project = "Missiekaart"
author = "Het Missiekaart-team"
copyright = "2026, Het Missiekaart-team"
release = "0.1"

language = "nl"
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

html_theme = "furo"
html_title = "Missiekaart"
html_static_path: list[str] = []
html_theme_options = {
    "navigation_with_keys": True,
}
html_last_updated_fmt = None
