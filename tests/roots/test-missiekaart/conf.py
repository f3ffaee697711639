extensions = ["myst_parser", "missiekaart"]
language = "nl"
source_suffix = {".md": "markdown"}
nitpicky = True
missiekaart_organisations = "orgs"
missiekaart_min_concepts = 0  # the content rules have their own test root (test-rules)
# Rules with a test root of their own (test-rules): not this root's subject.
missiekaart_min_value_cards = 0
missiekaart_definition_sentences = (1, 99)
