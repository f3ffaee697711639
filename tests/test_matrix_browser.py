"""The comparison table in Chromium, with 2, 7 and 30 generated organisations, on a phone (390 px)
and a wide screen (1280 px), light and dark.

Each site is a short generated corpus (tests/short_corpus.py) built once for this module. The
rules: the concept column stays in view and takes at most 40 % of a phone's width, its names
broken between words or at a soft hyphen only; organisation headers are whole (no word cut or
broken, nothing clipped); a cell is one mark, with its meaning in words for a screen reader; and
where the table goes on past the box's edge, a shadow at that edge says so, and only there.
"""

from __future__ import annotations

import contextlib
import io
import subprocess

import pytest
from PIL import Image
from short_corpus import write_short_corpus
from test_browser import browser, contrast, new_page, open_page, parse_colour, serving  # noqa: F401

from conftest import ROOT

SIZES = (2, 7, 30)
PHONE, WIDE = 390, 1280


class MatrixSite:
    def __init__(self, url: str, organisations: int):
        self.url, self.organisations = url, organisations


@pytest.fixture(scope="module")
def sites(tmp_path_factory):
    """A served site for each number of organisations in SIZES."""
    found = {}
    with contextlib.ExitStack() as servers:
        for count in SIZES:
            root = tmp_path_factory.mktemp(f"matrix-{count}")
            write_short_corpus(root, count)
            out = root / "_build"
            build = subprocess.run(
                [ROOT / ".venv/bin/sphinx-build", "-q", "-b", "html", "-W", "-c", root, root / "docs", out],
                capture_output=True,
                text=True,
                check=False,
            )
            assert build.returncode == 0, build.stderr[-3000:]
            found[count] = MatrixSite(servers.enter_context(serving(out)), count)
        yield found


MATRIX_JS = r"""() => {
  const table = document.querySelector('table.mk-matrix-marks');
  const box = table.closest('.table-wrapper');
  const rect = e => e.getBoundingClientRect();
  const problems = [];
  // Concept names: a line may only end at a space, a soft hyphen or a hyphen of the name itself.
  for (const a of table.querySelectorAll('td.mk-matrix-concept a')) {
    const node = a.firstChild; let top = null;
    for (let i = 0; i < node.length; i++) {
      const range = document.createRange(); range.setStart(node, i); range.setEnd(node, i + 1);
      const rects = range.getClientRects(), r = rects[rects.length - 1]; if (!r || !r.width) continue;
      if (top !== null && r.top > top + 2 && !' \u00ad-'.includes(node.data[i - 1]))
        problems.push(`concept ${JSON.stringify(node.data)} breaks inside a word at ${i}`);
      top = r.top;
    }
  }
  // Organisation headers: whole words, nothing clipped, inside their cell.
  for (const th of table.querySelectorAll('th.mk-matrix-organisation')) {
    const p = th.querySelector('p'), a = th.querySelector('a'), text = a.firstChild;
    if (p.scrollHeight > p.clientHeight + 1 || p.scrollWidth > p.clientWidth + 1)
      problems.push(`header ${a.textContent} is clipped`);
    const c = rect(th), q = rect(p);
    if (q.top < c.top - 1 || q.bottom > c.bottom + 1 || q.left < c.left - 1 || q.right > c.right + 1)
      problems.push(`header ${a.textContent} sticks out of its cell`);
    let at = 0;
    for (const word of text.data.split(' ')) {
      const range = document.createRange(); range.setStart(text, at); range.setEnd(text, at + word.length);
      if (range.getClientRects().length !== 1) problems.push(`header word ${word} is broken`);
      at += word.length + 1;
    }
  }
  // Cells: one mark, one line, its words for a screen reader naming the row and the column.
  const names = [...table.querySelectorAll('thead th')].map(th => th.textContent.trim());
  for (const tr of table.querySelectorAll('tbody tr')) {
    const concept = tr.cells[0].textContent.replace(/\u00ad/g, '').trim();
    [...tr.cells].slice(1, -1).forEach((td, index) => {
      const a = td.querySelector('a'); if (!a) return;
      const seen = a.querySelector('[aria-hidden="true"]').textContent, words = a.querySelector('.mk-visually-hidden');
      if (seen.length !== 1 || rect(a).height > 30)
        problems.push(`${concept} / ${names[index + 1]}: not one small mark`);
      if (!words || !words.textContent.includes(concept) || !words.textContent.includes(names[index + 1]))
        problems.push(`${concept} / ${names[index + 1]}: the mark's words do not name the row and column`);
      if (rect(words).width > 1) problems.push(`${concept}: the mark's words are visible`);
    });
  }
  const concept = [...table.querySelectorAll('.mk-matrix-concept')].map(e => rect(e).width);
  const first = table.querySelector('th.mk-matrix-organisation');
  if (document.documentElement.scrollWidth > window.innerWidth)
    problems.push(`the page is ${document.documentElement.scrollWidth} px wide in a ${window.innerWidth} px window`);
  return {problems, conceptWidth: Math.max(...concept), firstHeaderLeft: rect(first).left,
          conceptRight: rect(table.querySelector('th.mk-matrix-concept')).right,
          clientWidth: box.clientWidth, scrollWidth: box.scrollWidth, boxLeft: rect(box).left,
          background: getComputedStyle(document.body).backgroundColor,
          mark: getComputedStyle(table.querySelector('.mk-presence')).color};
}"""

STICKY_JS = """() => {
  const table = document.querySelector('table.mk-matrix-marks'), box = table.closest('.table-wrapper');
  const lefts = () => [...table.querySelectorAll('.mk-matrix-concept')].map(e => e.getBoundingClientRect().left);
  box.scrollLeft = 0;
  const start = lefts();
  box.scrollLeft = box.scrollWidth;
  return {start, end: lefts()};
}"""


def edge_shadow(page, side: str, scroll: str, background: tuple[float, ...]) -> float:
    """The share of the pixels of a 4 px strip at the *side* of the table's box (on the right, at
    its edge; on the left, just right of the concept column) that differ from the page's
    background, with the box scrolled to the ``start``, ``middle`` or ``end``."""
    box = page.locator(".table-wrapper:has(> table.mk-matrix-marks)")
    box.evaluate(
        "(box, scroll) => box.scrollLeft = {start: 0, middle: (box.scrollWidth - box.clientWidth) / 2,"
        " end: box.scrollWidth}[scroll]",
        scroll,
    )
    page.wait_for_timeout(50)
    image = Image.open(io.BytesIO(box.screenshot())).convert("RGB")
    concept = box.evaluate(
        "box => box.querySelector('th.mk-matrix-concept').getBoundingClientRect().right"
        " - box.getBoundingClientRect().left"
    )
    head = round(box.evaluate("box => box.querySelector('thead').getBoundingClientRect().height"))
    xs = range(image.width - 6, image.width - 2) if side == "right" else range(round(concept) + 1, round(concept) + 5)
    pixels = [image.getpixel((x, y)) for x in xs for y in range(head + 2, image.height - 2)]
    differ = [pixel for pixel in pixels if max(abs(a - b) for a, b in zip(pixel, background, strict=False)) > 12]
    return len(differ) / len(pixels)


@pytest.mark.parametrize("count", SIZES)
@pytest.mark.parametrize("width", [PHONE, WIDE])
def test_the_comparison_table_is_readable(sites, browser, count, width):  # noqa: F811
    site = sites[count]
    page = new_page(browser, site, width)
    open_page(page, site.url + "vergelijking.html")
    found = page.evaluate(MATRIX_JS)
    assert found["problems"] == []
    # The concept column: 40 % of a phone at most; no organisation header hides behind it.
    if width == PHONE:
        assert found["conceptWidth"] <= 0.4 * width + 0.5  # (half a pixel for rounding)
    assert found["firstHeaderLeft"] >= found["conceptRight"] - 1
    scrolls = found["scrollWidth"] > found["clientWidth"] + 1
    if width == WIDE and count <= 7:
        assert not scrolls, "a wide screen shows seven organisations without scrolling"
    if scrolls:  # the concept column stays in view at the far end
        sticky = page.evaluate(STICKY_JS)
        assert all(abs(end - start) <= 1 for start, end in zip(sticky["start"], sticky["end"], strict=True)), sticky
    page.context.close()


@pytest.mark.parametrize("mode", ["light", "dark"])
def test_a_shadow_shows_where_the_table_goes_on(sites, browser, mode):  # noqa: F811
    """Scrollable (30 organisations on a phone): a shadow at the right edge until the end is
    reached, and beside the concept column once scrolled. Not scrollable (2 on a wide screen):
    no shadow. The marks stand out from the page in both modes."""
    for count, width, scrolls in ((30, PHONE, True), (2, WIDE, False)):
        site = sites[count]
        page = new_page(browser, site, width, color_scheme=mode, theme=mode)
        open_page(page, site.url + "vergelijking.html")
        found = page.evaluate(MATRIX_JS)
        assert (found["scrollWidth"] > found["clientWidth"] + 1) == scrolls
        assert contrast(found["mark"], [found["background"]]) >= 4.5
        background = parse_colour(found["background"])[:3]
        if scrolls:
            assert edge_shadow(page, "right", "start", background) > 0.6
            assert edge_shadow(page, "right", "end", background) < 0.3
            assert edge_shadow(page, "left", "middle", background) > 0.6
            assert edge_shadow(page, "left", "start", background) < 0.3
        else:
            assert edge_shadow(page, "right", "start", background) < 0.3
        page.context.close()
