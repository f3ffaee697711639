"""Generated hostile input through every channel, imported and built as HTML and LaTeX.

Each example writes one hostile string (HTML and script tags, entity-encoded markup, MyST and
LaTeX specials, ``../`` and absolute paths, control, bidirectional and zero-width characters,
long runs) into every channel a contributor or a source text has: a source text's body, a
Markdown export's front matter and bold lead-ins, ``--name``, the source's file name, card
options and titles, a contributor's page heading and Markdown (where MyST once passed HTML
through), and a concept's id, title and aliases. Then it imports and builds, and
asserts what must hold for any input:

- no traceback, from the importer or the build;
- no live markup in any page (no ``on*`` attribute, no ``javascript:``/``data:`` URL, no
  script-like element carrying the input);
- no file command in the ``.tex`` that the same project without the input lacks;
- no file outside the project opened by the importer or the build;
- and each example finishes (an alarm stops a hang; no timing is asserted).

The default suite runs a few examples (``derandomize``: the same ones every run);
``MISSIEKAART_HYPOTHESIS_EXAMPLES=200`` runs more.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import tempfile
from pathlib import Path

import pytest
import yaml
from hostile import OpenedFiles, latex_commands, live_markup
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from sphinx.testing.util import SphinxTestApp

from missiekaart.cli import main as cli

ROOTS = Path(__file__).resolve().parent / "roots"
MARK = "qz"
EXAMPLES = int(os.environ.get("MISSIEKAART_HYPOTHESIS_EXAMPLES", "5"))

FRAGMENTS = [
    f"<img src=x onerror=alert('{MARK}')>",
    f"<script>alert('{MARK}')</script>",
    f"<svg onload=alert('{MARK}')>",
    f"<iframe srcdoc='{MARK}'></iframe>",
    f"<meta http-equiv=refresh content='0;url=javascript:{MARK}'>",
    f"&lt;img src=x onerror=alert('{MARK}')&gt;",
    f"&#60;script&#62;{MARK}&#60;/script&#62;",
    f"<a href='javascript:alert(\"{MARK}\")'>x</a>",
    f"[x](javascript:alert('{MARK}'))",
    f"<javascript:{MARK}>",
    "{raw}`<b>x</b>`",
    "{{ x }}",
    "{% x %}",
    "{{< details >}}",
    "```",
    ":::",
    "+++",
    "|a|b|",
    "[^1]",
    "# ",
    "- ",
    "1. ",
    "> ",
    "%",
    "$",
    "\\",
    "\\input{/etc/hostname}",
    "\\write18{touch x}",
    "\\openin",
    "^^5cinput",
    "}]{}",
    "{",
    "}",
    "~",
    "_",
    "&amp;",
    "&",
    "../../../etc/passwd",
    "/etc/passwd",
    "/proc/self/environ",
    "\x85",
    "\u202e",
    "\u200b",
    "\ufeff",
    "\u2028",
    "\U0001f4aa",
    "中文",
    "e\u0301",
    "\t",
    " ",
    "\n",
    "**",
    "*",
    "`",
    "'",
    '"',
]
RUNS = ["*", " ", "{{ ", "<", "[", "- ", "\\", "`", "*w **w "]

hostile = st.one_of(
    st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(min_size=1, max_size=6)), min_size=1, max_size=10).map(
        "".join
    ),
    st.tuples(st.sampled_from(RUNS), st.integers(50, 2000)).map(lambda run: run[0] * run[1] + MARK),
)


def one_line(text: str) -> str:
    return " ".join(text.split()) or "leeg"


def fence(text: str) -> str:
    """A backtick fence longer than any run of backticks in *text* (as the importer writes one)."""
    return "`" * max(3, 1 + max((len(run) for run in re.findall("`+", text)), default=0))


def file_name(text: str) -> str:
    """*text* as the longest file name a POSIX file system takes ("/" and NUL cannot be in one)."""
    name = text.replace("/", "").replace("\x00", "").replace("\n", "")[:60] or "leeg"
    return name if name not in (".", "..") else "punt"


def write_channels(project: Path, text: str) -> None:
    line = one_line(text)
    texts = project / "source_texts"
    (texts / "h.txt").write_text(
        f"{text}\n\nOnze missie\n\nWij werken samen met kwetsbare gezinnen {text}.\n\nKernwaarden\n\n"
        f"- {line}\n- Respect {line}\n",
        encoding="utf-8",
    )
    front = yaml.safe_dump({"title": text, "description": text}, allow_unicode=True)
    (texts / "hmd.md").write_text(f"---\n{front}---\n# Onze waarden\n\n- **{line}**: samen.\n", encoding="utf-8")
    with contextlib.suppress(OSError):  # a name the file system refuses (too long in bytes): no channel then
        (texts / f"{file_name(text)}.txt").write_text("Over ons\n\nWij werken samen.\n", encoding="utf-8")
    card = f":region: {line}\n:sector: {line}\n:target-group: {line}\n:website: {line}\n"
    tick = fence(text)
    (project / "orgs" / "h.md").write_text(
        f"# Organisatie H {line}\n\n{tick}{{mission-card}}\n{card}:concepts: netwerk, kwetsbare-groepen\n\n"
        f"Wij zijn H.\n{tick}\n\n{tick}{{value-card}} {line}\n:concepts: netwerk\n\nSamen.\n{tick}\n\n{text}\n",
        encoding="utf-8",
    )
    concept_id = re.sub(r"\s+", "-", line).strip("-") or "leeg"
    (project / "concepts" / "h.md").write_text(
        f"# Begrip\n\n{tick}{{concept}} {concept_id}\n:title: {line}\n:aliases: {line}\n\nEen begrip.\n{tick}\n",
        encoding="utf-8",
    )


def import_channels(project: Path, text: str) -> None:
    line = one_line(text)
    cwd = Path.cwd()
    os.chdir(project)
    try:
        for source in ("h.txt", "hmd.md"):
            status = cli(["import", f"source_texts/{source}", "--out-dir", "orgs", f"--name={line}", "--force"])
            assert status in (0, 1)
        status = cli(["import", f"source_texts/{file_name(text)}.txt", "--out-dir", "orgs", "--force"])
        assert status in (0, 1)
    finally:
        os.chdir(cwd)


def build(project: Path, builder: str) -> SphinxTestApp:
    app = SphinxTestApp(builder, srcdir=project, builddir=project / "_build", freshenv=True)
    try:
        app.build()
    finally:
        app.cleanup()
    warnings = app.warning.getvalue()
    assert "Traceback" not in warnings and "Exception occurred" not in warnings, warnings[-3000:]
    return app


@pytest.fixture(scope="module")
def baseline(tmp_path_factory):
    """File commands in the ``.tex`` of the test root without hostile input."""
    project = tmp_path_factory.mktemp("baseline") / "project"
    shutil.copytree(ROOTS / "test-rules", project)
    app = build(project, "latex")
    return latex_commands(next(Path(app.outdir).glob("*.tex")).read_text(encoding="utf-8"))


def _timeout(signum: int, frame: object) -> None:
    raise TimeoutError("one hostile example took over 5 minutes: something is not linear")


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    phases=[
        Phase.explicit,
        Phase.generate,
    ],  # a failing example is reported as found: shrinking takes minutes of builds
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(text=hostile)
def test_hostile_input_through_every_channel_stays_text(baseline, text):
    opened = OpenedFiles.get()
    previous = signal.signal(signal.SIGALRM, _timeout)
    signal.alarm(300)
    with tempfile.TemporaryDirectory() as temporary:
        project = Path(temporary) / "project"
        shutil.copytree(ROOTS / "test-rules", project)
        try:
            with opened.watch() as paths:
                write_channels(project, text)
                import_channels(project, text)
                html = build(project, "html")
                latex = build(project, "latex")
        finally:
            signal.alarm(0)
            signal.signal(signal.SIGALRM, previous)
        assert OpenedFiles.outside(paths, project) == []
        for page in Path(html.outdir).rglob("*.html"):
            assert live_markup(page.read_text(encoding="utf-8"), MARK) == [], page.name
        tex = next(Path(latex.outdir).glob("*.tex")).read_text(encoding="utf-8")
        assert latex_commands(tex) == baseline
