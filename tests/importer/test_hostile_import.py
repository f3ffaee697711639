"""Hostile sources: whatever a careless contributor or an attacker feeds the importer, no word is lost.

Hypothesis builds plain-text and Markdown sources from hostile pieces (very long lines, long runs
of spaces, stars, underscores, ``{{``, ``{%``, brackets, ``<``, backticks, lists and quotes nested
far deeper than MyST reads, thousands of bullets, form feeds, paragraphs numbered like footnotes,
Unicode words with combining marks) and imports each with the Python API. For every source:

- the importer raises nothing but :class:`SourceError` (an empty page);
- the page, read back by MyST's own parser, shows every reader word of the source in order
  (``readback.lost_words``: check-source's words; a Markdown source is read without the importer);
- it finishes: pieces are up to tens of thousands of repetitions (a source is up to ~300 KB), so
  a pass that is quadratic again makes this test take minutes. No time is asserted.

The examples are derandomized: the same sources on every run.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from readback import lost_words

from missiekaart.importer import import_text
from missiekaart.importer.sourcefile import SourceError, read_source

WORDS = [
    "missie",
    "Zorg",
    "waarden",
    "café",
    "cafe\u0301",  # a combining acute accent
    "na\u0308ive",
    "Ελλάδα",
    "日本語",
    "שלום",
    "über",
    "x²",
    "ﬁne",
    "٣٤",
    "e\u0301\u0302",
    "zwölf",
    "IJssel",
]
HOSTILE = ["*", "**", "***", "_", "__", "{{", "{%", "{#", "}}", "%}", "[", "]", "<", ">", "`", "``", "\\", "&", "#"]
HOSTILE += ["|", "$", "~", "!", "%", ":", "+", "-", "=", "(", ")=", "[^", "\u00a0", "\u3000", "\u200b", "\u2028"]
MARKERS = ["-", "*", "+", "•", "▪", "o", "1.", "2)", "a.", "\uf0b7", "–"]

small = st.integers(min_value=1, max_value=40)
large = st.integers(min_value=1, max_value=20_000)
sizes = st.one_of(small, small, large)
words = st.lists(st.sampled_from(WORDS), min_size=1, max_size=12).map(" ".join)


@st.composite
def piece(draw: st.DrawFn, markdown: bool) -> str:
    """One hostile piece of a source, ending in a line break."""
    kind = draw(st.integers(min_value=0, max_value=17))
    n = draw(sizes)
    text = draw(words)
    hostile = draw(st.sampled_from(HOSTILE))
    if kind == 0:  # prose with hostile characters between the words
        return " ".join(f"{word}{hostile}" if i % 3 else word for i, word in enumerate(text.split())) + "\n"
    if kind == 1:  # one very long line
        return " ".join([text] * n) + "\n\n"
    if kind == 2:  # a long run of spaces, in a heading, an item or a paragraph
        lead = draw(st.sampled_from(["# ", "## ", "- ", "", "1. "]))
        return f"{lead}{text}{' ' * n}{text}{' ' * draw(small)}\n\n"
    if kind == 3:  # runs of stars that open and never close, or pair oddly
        run = draw(st.sampled_from(["*w **w ", "**a **", "** b**", "*", "**", "*a ", " a*"]))
        return f"{text} " + run * n + f" {text}\n"
    if kind == 4:  # one hostile character, repeated
        return f"{text} {hostile * n} {text}\n"
    if kind == 5:  # a list nested deeper than MyST reads (by indent, or by marker)
        step = draw(st.sampled_from([1, 2, 3, 4]))
        depth = min(n, 120)
        return (
            "".join(" " * (step * d) + f"{MARKERS[d % len(MARKERS)]} {text} {d}\n" for d in range(depth))
            + f"\n{text}\n"
        )
    if kind == 6:  # a quote nested deeper than MyST reads
        depth = min(n, 300)
        return ">" * depth + f" {text}\n" + "> " * (depth // 2) + f"{text}\n\n{text}\n"
    if kind == 7:  # many bullets
        return "".join(f"{MARKERS[i % len(MARKERS)]} {text}\n" for i in range(min(n, 4000)))
    if kind == 8:  # a page break, and paragraphs numbered like footnotes
        return f"{text}\n\f" + "".join(f"1{'.' if i % 2 else ''} {text}\n\n" for i in range(min(n, 2000)))
    if kind == 9:  # emphasis inside emphasis, far deeper than anyone writes
        depth = min(n, 400)
        return "*a " * depth + text + " a*" * depth + "\n"
    if kind == 10:  # template code, closed or not
        return draw(st.sampled_from(["{{ ", "{% ", "{# ", "{{ w }} ", "{% if %}"])) * min(n, 20_000) + f"{text}\n"
    if kind == 11:  # a repeated long footer on pages
        footer = "12.34 / 56-78 " * min(n, 2000) + "Stichting"
        return "".join(f"{text} {i}\n\n{footer}\n\f" for i in range(draw(small)))
    if kind == 12:  # footnotes at page bottoms
        return "".join(f"{text} over de overheid{i} en meer.\n\n{i} {text}\n\f" for i in range(1, min(n, 200) + 1))
    if kind == 13:  # brackets, links and images inside each other
        depth = min(n, 300)
        return (
            "[" * depth + text + "](u)" * depth + " " + "![" * min(depth, 150) + text + "](i)" * min(depth, 150) + "\n"
        )
    if kind == 14:  # inline HTML, script and style
        return f"{text} <script>{text}</script> <b>{text}</b> <style>p{{}}</style> {text} <{text}\n"
    if kind == 16:  # a raw HTML block of tags that never end
        return f"<div>\n{text} " + draw(st.sampled_from(["<a ", "</b ", "<!-- ", "<?x ", "<!x "])) * n + f"{text}\n\n"
    if kind == 15:  # code: backtick runs, fences
        ticks = "`" * min(n, 50)
        return f"{ticks}{text}{ticks} `{text}\n\n```\n{text}\n" + ("```\n" if markdown else "")
    return f"{text}\n\n"  # a plain paragraph


def source_text(markdown: bool) -> st.SearchStrategy[str]:
    body = st.lists(piece(markdown), min_size=1, max_size=6).map("".join)
    if markdown:
        head = st.sampled_from(["", "---\ntitle: Over ons\n---\n", "---\ntitle: x\ndescription: y\n---\n"])
        return st.tuples(head, body).map("".join)
    return body


def check(text: str, name: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.write_text(text, encoding="utf-8")
        source = read_source(path)
        try:
            page, doc = import_text(source, "Testorganisatie")
        except SourceError:
            return
        body = "\n".join(line for _, line in source.lines)
        problems = lost_words(doc, page, body)
        assert not problems, [(problem.word, problem.kind) for problem in problems[:20]]


SETTINGS = settings(
    max_examples=25,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@SETTINGS
@given(source_text(markdown=False))
def test_a_hostile_plain_text_keeps_every_word(text: str) -> None:
    check(text, "bron.txt")


@SETTINGS
@given(source_text(markdown=True))
def test_a_hostile_markdown_source_keeps_every_word(text: str) -> None:
    check(text, "bron.md")
