"""How wide a label is, without a font at hand: the maps lay out their labels before any browser or
LaTeX sets them, so a label's box must be at least as wide as the text will be.

The widths are DejaVu Sans's advance widths (in thousandths of an em, read from ``DejaVuSans.ttf``
2.37 with fontTools), one of the widest sans-serif faces: Helvetica, Arial, Roboto, Segoe UI,
San Francisco (what Furo's font stack picks) and the PDF's fonts set the same text narrower, so a
box made from these widths holds the label wherever it is shown. An accented letter is as wide as
its base letter; a letter outside the table counts one em (a wide East Asian one too), an emoji
1.25 em, a combining mark or a format character nothing.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

# U+0020..U+007E, then U+00A0..U+00FF.
_ASCII = (
    318, 401, 460, 838, 636, 950, 780, 275, 390, 390, 500, 838, 318, 361, 318, 337, 636, 636, 636, 636,
    636, 636, 636, 636, 636, 636, 337, 337, 838, 838, 838, 531, 1000, 684, 686, 698, 770, 632, 575, 775,
    752, 295, 295, 656, 557, 863, 748, 787, 603, 787, 695, 635, 611, 732, 684, 989, 685, 611, 685, 390,
    337, 390, 838, 500, 500, 613, 635, 550, 635, 615, 352, 635, 634, 278, 278, 579, 278, 974, 634, 612,
    635, 635, 411, 521, 392, 634, 592, 818, 592, 592, 525, 636, 337, 636, 838,
)  # fmt: skip
_LATIN1 = (
    318, 401, 636, 636, 636, 636, 337, 500, 500, 1000, 471, 612, 838, 361, 1000, 500, 500, 838, 401, 401,
    500, 636, 636, 318, 500, 401, 471, 612, 969, 969, 969, 531, 684, 684, 684, 684, 684, 684, 974, 698,
    632, 632, 632, 632, 295, 295, 295, 295, 775, 748, 787, 787, 787, 787, 787, 838, 787, 732, 732, 732,
    732, 611, 605, 630, 613, 613, 613, 613, 613, 613, 982, 550, 615, 615, 615, 615, 278, 278, 278, 278,
    612, 634, 612, 612, 612, 612, 612, 838, 612, 634, 634, 634, 634, 592, 635, 592,
)  # fmt: skip
_PUNCTUATION = {"–": 500, "—": 1000, "‘": 318, "’": 318, "‚": 318, "“": 518, "”": 518, "„": 518, "…": 1000}
_PUNCTUATION |= {"€": 636, "•": 590, "−": 838, "\u00a0": 318}
EM = 1000


@lru_cache(maxsize=4096)
def _char(char: str) -> int:
    code = ord(char)
    if 0x20 <= code <= 0x7E:
        return _ASCII[code - 0x20]
    if 0xA0 <= code <= 0xFF:
        return _LATIN1[code - 0xA0]
    if char in _PUNCTUATION:
        return _PUNCTUATION[char]
    category = unicodedata.category(char)
    if category in ("Mn", "Me", "Cf", "Cc"):
        return 0
    base = unicodedata.normalize("NFD", char)[0]
    if base != char:
        return _char(base)
    if category == "So" or code >= 0x1F000:
        return EM * 5 // 4
    return EM


def text_width(text: str, size: float) -> float:
    """The width of *text* set at *size* (in the unit of *size*), no narrower than the fonts set it."""
    return sum(_char(char) for char in text) * size / EM


def wrap(text: str, size: float, width: float) -> list[str]:
    """*text* in lines no wider than *width* where its words allow (a longer word is a line of its own)."""
    lines: list[str] = []
    for word in text.split():
        if lines and text_width(f"{lines[-1]} {word}", size) <= width:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    return lines or [""]
