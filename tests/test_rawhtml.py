"""Where a page's Markdown holds HTML (missiekaart/extension/rawhtml.py): found by a CommonMark
parser, at the right line, in the bodies of MyST directives too, never in code."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from missiekaart.extension.rawhtml import html_in, html_in_title

PLAIN = st.sampled_from(["Wij werken samen.", "Een *zin* met **nadruk**.", "a < b en c > d", "1 <2 3", "- een punt"])
HTML = st.sampled_from(["<b>vet</b>", "<img src=x onerror=alert(1)>", "<br>", "</p>", "<span class=x>t</span>"])
CODE = st.sampled_from(["`<b>code</b>`", "``<img src=x>``"])


@settings(max_examples=200, derandomize=True, deadline=None)
@given(
    blocks=st.lists(
        st.one_of(
            PLAIN.map(lambda text: ("plain", text)),
            HTML.map(lambda html: ("html", f"Tekst met {html} erin.")),
            CODE.map(lambda code: ("plain", f"Code: {code}.")),
            HTML.map(lambda html: ("fenced", f"```\n{html}\n```")),
            HTML.map(lambda html: ("card", f"```{{mission-card}}\n:region: <i>\n\nWij zijn {html} hier.\n```")),
        ),
        max_size=8,
    )
)
def test_html_is_found_at_its_line_outside_code_and_in_directive_bodies(blocks):
    text, expected, line = [], [], 0
    for kind, block in blocks:
        if kind == "html":
            expected.append(line)
        if kind == "card":  # its body's line: after the fence, one option and a blank line
            expected.append(line + 3)
        text.append(block)
        line += block.count("\n") + 2  # the block and a blank line
    found = html_in("\n\n".join(text) + "\n")
    assert sorted({at for at, _html in found}) == expected, (text, found)  # "<b>x</b>" is two pieces of HTML


def test_a_title_holds_html_only_where_commonmark_reads_html():
    assert html_in_title("Respect <img src=x onerror=alert(1)>") == ["<img src=x onerror=alert(1)>"]
    assert html_in_title("a < b en `<code>`") == []
    assert html_in_title("Zorg & <b>welzijn</b>") == ["<b>", "</b>"]
