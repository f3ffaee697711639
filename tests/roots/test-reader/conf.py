# A small site of its own for the reader's pages and search (tests/test_reader_site.py,
# tests/test_search.py): two organisations, one with its source's origin in front matter.
extensions = ["myst_parser", "sphinx_design", "missiekaart"]
language = "nl"
source_suffix = {".md": "markdown"}
nitpicky = True
html_theme = "furo"
html_theme_options = {"top_of_page_buttons": []}
html_show_sourcelink = False
html_copy_source = False
missiekaart_organisations = "orgs"
missiekaart_min_concepts = 2
missiekaart_min_organisations = 2
# Rules with a test root of their own (test-rules): not this root's subject.
missiekaart_min_value_cards = 0
missiekaart_definition_sentences = (1, 99)
