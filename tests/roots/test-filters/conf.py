# A small site of its own for search filters (tests/test_search_filters.py): two concepts; the test
# writes the organisations, each with a region and a sector it generates, then builds the site.
extensions = ["myst_parser", "sphinx_design", "missiekaart"]
language = "nl"
source_suffix = {".md": "markdown"}
nitpicky = True
html_theme = "furo"
html_theme_options = {"top_of_page_buttons": []}
html_show_sourcelink = False
html_copy_source = False
smartquotes = False  # as the project's conf.py: a value keeps the quote marks it was written with
missiekaart_organisations = "orgs"
missiekaart_min_concepts = 2
missiekaart_min_organisations = 2
# Rules with a test root of their own (test-rules): not this root's subject.
missiekaart_min_value_cards = 0
missiekaart_definition_sentences = (1, 99)
