# A small site of its own for the bounded lists (tests/test_paging.py): an overview and a concept
# index; the test writes the concepts and the organisations (each with a province, or none) and sets
# the page sizes small (confoverrides), so that a handful of organisations fills several pages.
extensions = ["myst_parser", "sphinx_design", "missiekaart"]
language = "nl"
source_suffix = {".md": "markdown"}
nitpicky = True
html_theme = "furo"
html_theme_options = {"top_of_page_buttons": []}
html_show_sourcelink = False
html_copy_source = False
smartquotes = False
missiekaart_organisations = "orgs"
missiekaart_min_concepts = 1
missiekaart_min_organisations = 1
# Rules with a test root of their own (test-rules): not this root's subject.
missiekaart_min_value_cards = 0
missiekaart_definition_sentences = (1, 99)
missiekaart_overview_page_size = 3
missiekaart_concept_page_size = 2
missiekaart_index_page_size = 2
