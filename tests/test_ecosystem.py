"""The project as its ecosystem expects it: Read the Docs, publishing (sitemap, OpenGraph), the
data export's schema, the build's short output, the lint configuration, and the documents
(README.md short, every relative link resolving, ARCHITECTURE.md's layers true to the code).

Rules over whatever organisations the project has: nothing here names today's organisations.
"""

from __future__ import annotations

import ast
import copy
import json
import os
import re
import shlex
import subprocess
import tomllib
from collections import Counter
from pathlib import Path
from xml.etree import ElementTree

import jsonschema
import pytest
import yaml
from bs4 import BeautifulSoup

from missiekaart.build.export import SCHEMA_FILE, SCHEMA_VERSION

from conftest import ROOT
from project import PROJECT, run_make

BASEURL = "https://missiekaart.example.org/nl/latest/"
#: The environment of a local build: no public address, whatever the machine running the tests has.
LOCAL = {
    key: value
    for key, value in os.environ.items()
    if key not in {"MISSIEKAART_BASEURL", "READTHEDOCS_CANONICAL_URL", "READTHEDOCS"}
}


def make(target: str, *args: str, cwd: Path = PROJECT, **environ: str) -> subprocess.CompletedProcess:
    return run_make(target, *args, cwd=cwd, env={**LOCAL, **environ})


@pytest.fixture(scope="module")
def published_site(tmp_path_factory):
    """``make html`` of the project under test with a public address, as on Read the Docs."""
    builddir = tmp_path_factory.mktemp("published")
    result = make("html", f"BUILDDIR={builddir}", MISSIEKAART_BASEURL=BASEURL)
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-3000:]
    return result, builddir / "html"


# A small project on the real conf.py: its rules relaxed for one organisation and one concept.
def small_project(root: Path, card_option: str = "") -> Path:
    files = {
        "conf.py": f"exec(compile(open({str(PROJECT / 'conf.py')!r}, encoding='utf-8').read(), 'conf.py', 'exec'))\n"
        "missiekaart_organisations = 'orgs'\nmissiekaart_min_concepts = 0\n"
        "missiekaart_min_organisations = 1\nmissiekaart_min_value_cards = 0\n"
        "missiekaart_definition_sentences = (1, 99)\n",
        "index.md": "# Klein\n\nInleiding.\n\n```{toctree}\n:glob:\n\norgs/*\nverbinding\n```\n",
        "verbinding.md": "# Verbinding\n\n```{concept} verbinding\n:title: Verbinding\n\nDe mensen rond iemand.\n```\n",
        "orgs/a.md": f"# Org A\n\n```{{mission-card}}\n:concepts: verbinding\n{card_option}\n"
        "We bouwen samen een verbinding rond elk gezin.\n```\n\n"
        "We werken aan een {concept}`sterke verbinding <verbinding>`.\n",
    }
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    return root


def make_html_of(project: Path, **environ: str) -> subprocess.CompletedProcess:
    return make(
        "html", f"SOURCEDIR={project}", f"CONFDIR={project}", f"BUILDDIR={project / '_build'}", cwd=ROOT, **environ
    )


# Read the Docs


def readthedocs() -> dict:
    return yaml.safe_load((ROOT / ".readthedocs.yaml").read_text(encoding="utf-8"))


def test_readthedocs_config_has_only_known_keys_and_the_required_ones():
    """The keys of Read the Docs' configuration file, version 2."""
    config = readthedocs()
    assert set(config) <= {"version", "build", "sphinx", "mkdocs", "formats", "python", "conda", "submodules", "search"}
    assert config["version"] == 2
    assert set(config["build"]) <= {"os", "tools", "jobs", "apt_packages", "commands"}
    assert "commands" not in config["build"]  # build.commands would drop formats: [pdf]
    assert re.fullmatch(r"ubuntu-\d\d\.04|ubuntu-lts-latest", config["build"]["os"])
    assert config["build"]["tools"] == {"python": "3.11"}
    assert set(config["build"]["jobs"]) <= {
        "post_checkout",
        "pre_system_dependencies",
        "post_system_dependencies",
        "pre_create_environment",
        "create_environment",
        "post_create_environment",
        "pre_install",
        "install",
        "post_install",
        "pre_build",
        "build",
        "post_build",
    }
    assert set(config["build"]["jobs"]["build"]) <= {"html", "pdf", "epub", "htmlzip"}
    assert config["formats"] == ["pdf"]
    assert set(config["sphinx"]) <= {"configuration", "builder", "fail_on_warning"}
    assert (ROOT / config["sphinx"]["configuration"]).is_file()
    for step in config["python"]["install"]:
        assert set(step) <= {"requirements", "method", "path", "extra_requirements"}
        if "requirements" in step:
            assert (ROOT / step["requirements"]).is_file()
        else:
            assert step["method"] == "pip" and (ROOT / step["path"] / "pyproject.toml").is_file()


def test_readthedocs_builds_the_same_site_and_pdf_as_the_makefile():
    """Sphinx runs on docs/ with the root's conf.py, strictly, as "make html" and "make pdf" do; the
    PDF is the one latex_documents names, copied where Read the Docs collects it."""
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    sourcedir = re.search(r"^SOURCEDIR\s*\??=\s*(\S+)", makefile, re.MULTILINE)[1]
    strict = re.search(r"^STRICT\s*=\s*(.+)$", makefile, re.MULTILINE)[1].split()
    jobs = readthedocs()["build"]["jobs"]["build"]
    for builder, output in (("html", "$READTHEDOCS_OUTPUT/html"), ("latex", "_build/latex")):
        steps = jobs["html" if builder == "html" else "pdf"]
        command = shlex.split(next(step for step in steps if "sphinx" in step))
        assert command[:3] == ["python", "-m", "sphinx"]
        assert set(strict) <= set(command)
        assert command[command.index("-b") + 1] == builder and command[command.index("-c") + 1] == "."
        assert command[-2:] == [sourcedir, output]
    conf: dict = {}
    exec(compile((ROOT / "conf.py").read_text(encoding="utf-8"), "conf.py", "exec"), conf)
    pdf = Path(conf["latex_documents"][0][1]).with_suffix(".pdf").name
    assert f"cp _build/latex/{pdf} $READTHEDOCS_OUTPUT/pdf/" in jobs["pdf"]
    assert any("all-pdf" in step for step in jobs["pdf"])


def test_conf_takes_the_public_address_from_readthedocs():
    def baseurl(**environ: str) -> str:
        saved = dict(os.environ)
        os.environ.clear()
        os.environ.update({**LOCAL, **environ})
        try:
            namespace: dict = {}
            exec(compile((ROOT / "conf.py").read_text(encoding="utf-8"), "conf.py", "exec"), namespace)
            return namespace["html_baseurl"]
        finally:
            os.environ.clear()
            os.environ.update(saved)

    assert baseurl() == ""
    assert (
        baseurl(READTHEDOCS_CANONICAL_URL="https://x.readthedocs.io/nl/latest") == "https://x.readthedocs.io/nl/latest/"
    )
    assert baseurl(MISSIEKAART_BASEURL="https://example.org/") == "https://example.org/"


# Publishing


def test_published_site_has_a_sitemap_of_every_page(published_site):
    _, html = published_site
    namespace = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    urls = [loc.text for loc in ElementTree.parse(html / "sitemap.xml").getroot().findall("s:url/s:loc", namespace)]
    pages = sorted(
        path.relative_to(html).as_posix()
        for path in html.rglob("*.html")
        if path.name not in {"genindex.html", "search.html"}
    )
    assert sorted(urls) == sorted(BASEURL + page for page in pages)


def test_published_pages_have_opengraph_tags_and_organisations_their_mission(published_site):
    _, html = published_site
    export = json.loads((html / "missiekaart.json").read_text(encoding="utf-8"))
    assert export["organisations"]
    missions = {organisation["page"]: organisation["mission"]["text"] for organisation in export["organisations"]}
    for path in html.rglob("*.html"):
        page = path.relative_to(html).as_posix()
        if page in {"genindex.html", "search.html"}:
            continue
        soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        tags = {tag["property"]: tag["content"] for tag in soup.find_all("meta", property=re.compile("^og:"))}
        assert tags["og:url"] == BASEURL + page and tags["og:title"] and tags["og:site_name"], page
        assert soup.find("link", rel="canonical")["href"] == BASEURL + page
        if page in missions:
            mission = " ".join(missions[page].split())
            description = tags["og:description"]
            assert mission.startswith(description.removesuffix("...")), (page, description)
            assert soup.find("meta", attrs={"name": "description"})["content"] == description
    assert set(missions) <= {path.relative_to(html).as_posix() for path in html.rglob("*.html")}


def test_without_an_address_nothing_is_published_and_nothing_warns(tmp_path):
    project = small_project(tmp_path)
    result = make_html_of(project)
    html = project / "_build" / "html"
    assert result.returncode == 0 and result.stderr == "", result.stderr
    assert not (html / "sitemap.xml").exists()
    assert "og:" not in (html / "orgs" / "a.html").read_text(encoding="utf-8")
    assert 'rel="canonical"' not in (html / "index.html").read_text(encoding="utf-8")


def test_with_an_address_a_small_project_is_published_without_warnings(tmp_path):
    project = small_project(tmp_path)
    result = make_html_of(project, MISSIEKAART_BASEURL="https://example.org/klein")
    html = project / "_build" / "html"
    assert result.returncode == 0 and result.stderr == "", result.stderr
    assert "https://example.org/klein/orgs/a.html" in (html / "sitemap.xml").read_text(encoding="utf-8")
    soup = BeautifulSoup((html / "orgs" / "a.html").read_text(encoding="utf-8"), "html.parser")
    assert soup.find("meta", property="og:description")["content"] == "We bouwen samen een verbinding rond elk gezin."
    assert "matplotlib" not in result.stdout


# The data export


def schema() -> dict:
    return json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))


def test_export_is_valid_against_its_schema_and_carries_its_version(published_site):
    _, html = published_site
    data = json.loads((html / "missiekaart.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema())
    jsonschema.validate(data, schema(), cls=jsonschema.Draft202012Validator)
    assert data["schema_version"] == SCHEMA_VERSION
    # The schema travels with the data.
    assert json.loads((html / SCHEMA_FILE.name).read_text(encoding="utf-8")) == schema()
    # Every URL in it leads to a page of the site.
    for organisation in data["organisations"]:
        assert (html / organisation["page"]).is_file(), organisation["page"]
    # ... and every place a concept is used is an anchor on its organisation's page.
    pages = {organisation["id"]: organisation["page"] for organisation in data["organisations"]}
    for concept in data["concepts"]:
        for places in concept["references"]:
            page = (html / pages[places["organisation"]]).read_text(encoding="utf-8")
            for anchor in places["cards"] + places["text"]:
                assert f'id="{anchor}"' in page, (concept["id"], places["organisation"], anchor)


def test_schema_rejects_what_the_format_does_not_allow(published_site):
    _, html = published_site
    data = json.loads((html / "missiekaart.json").read_text(encoding="utf-8"))
    broken = []
    for change in (
        lambda d: d.pop("schema_version"),
        lambda d: d.update(schema_version="3.0"),
        lambda d: d["organisations"][0].pop("mission"),
        lambda d: d["organisations"][0]["fields"].update(website="javascript:alert(1)"),
        lambda d: d["concepts"][0]["references"].append({"organisation": "x", "cards": ["#value-x"], "text": []}),
        lambda d: d["organisations"][0].update(unknown_key=1),
    ):
        changed = copy.deepcopy(data)
        change(changed)
        broken.append(changed)
    for changed in broken:
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate(changed, schema(), cls=jsonschema.Draft202012Validator)


def test_schema_version_and_architecture_agree():
    """The format is described for maintainers and re-users in ARCHITECTURE.md's data export section."""
    major = re.search(r"\^(\d+)", schema()["properties"]["schema_version"]["pattern"])[1]
    assert SCHEMA_VERSION.split(".")[0] == major
    section = document_section("ARCHITECTURE.md", "The data export")
    assert SCHEMA_FILE.name in section and f'"schema_version": "{SCHEMA_VERSION}"' in section
    patterns = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"][
        "package-data"
    ]["missiekaart"]
    assert SCHEMA_FILE.name in patterns  # shipped with the package


# Build output


def test_make_html_prints_a_summary_instead_of_every_line(published_site):
    result, html = published_site
    data = json.loads((html / "missiekaart.json").read_text(encoding="utf-8"))
    pages = len([path for path in html.rglob("*.html") if path.name not in {"genindex.html", "search.html"}])
    summary = (
        f"build succeeded: {pages} pages, {len(data['organisations'])} organisations, "
        f"{len(data['concepts'])} concepts, 0 warnings ({html / 'index.html'})"
    )
    lines = result.stdout.splitlines()
    assert lines[-1] == summary and result.stderr == ""
    build = next(index for index, line in enumerate(lines) if "sphinx-build -M html" in line)
    assert len(lines[build:]) <= 3  # the command make echoes (two lines) and the summary
    assert "reading sources" not in result.stdout and "writing output" not in result.stdout


def test_make_html_shows_each_warning_in_full_and_counts_them(tmp_path):
    project = small_project(tmp_path, card_option=":regoin: Gent\n")
    result = make_html_of(project)
    assert result.returncode != 0
    # Sphinx colours its warnings where it thinks a terminal (or a CI log) can show colours.
    stderr = re.sub(r"\x1b\[[0-9;]*m", "", result.stderr)
    warnings = [line for line in stderr.splitlines() if "WARNING:" in line]
    assert warnings and all(re.match(rf"{re.escape(str(project))}/[\w/.]+:\d+: WARNING: ", line) for line in warnings)
    assert any("orgs/a.md:" in line and "regoin" in line for line in warnings)
    count = len(warnings)
    assert re.search(
        rf"^build finished with problems .*: \d+ pages?, 1 organisation, 1 concept, {count} warnings?",
        result.stdout,
        re.MULTILINE,
    ), result.stdout


def test_make_html_that_stops_with_an_error_does_not_report_success(tmp_path):
    (tmp_path / "conf.py").write_text('raise RuntimeError("kapotte configuratie")\n', encoding="utf-8")
    (tmp_path / "index.md").write_text("# Kapot\n", encoding="utf-8")
    result = make_html_of(tmp_path)
    assert result.returncode != 0
    assert "kapotte configuratie" in result.stderr
    assert result.stdout.splitlines()[-1].startswith("build failed") and "succeeded" not in result.stdout


# Lint


def test_lint_configuration_pins_the_tools_and_types_the_package():
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    lint = pyproject["project"]["optional-dependencies"]["lint"]
    pins = dict(requirement.split("==") for requirement in lint)
    assert {"ruff", "mypy"} <= set(pins)

    def canonical(name: str) -> str:
        return re.sub(r"[-_.]+", "-", name).lower()

    constraints = dict(
        line.split("==")
        for line in (ROOT / "constraints.txt").read_text(encoding="utf-8").splitlines()
        if "==" in line and not line.startswith("#")
    )
    constraints = {canonical(name): version for name, version in constraints.items()}
    for name, version in pins.items():
        assert constraints.get(canonical(name)) == version, name
    assert pyproject["tool"]["ruff"]["target-version"] == "py311"
    assert pyproject["tool"]["mypy"]["strict"] is True
    assert (ROOT / "ext" / "missiekaart" / "py.typed").is_file()
    assert "py.typed" in pyproject["tool"]["setuptools"]["package-data"]["missiekaart"]
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    lint_recipe = makefile.split("\nlint:", 1)[1].split("\n\n", 1)[0]
    for command in ("ruff check", "ruff format --check", "mypy ext/missiekaart"):
        assert command in lint_recipe


def test_pre_commit_runs_the_same_checks_and_rewrites_nothing():
    config = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    hooks = [hook for repo in config["repos"] for hook in repo["hooks"]]
    entries = " | ".join(hook["entry"] for hook in hooks)
    for command in (".venv/bin/ruff check", ".venv/bin/ruff format --check", ".venv/bin/mypy ext/missiekaart"):
        assert command in entries
    assert "--fix" not in entries and all(hook.get("language") == "system" for hook in hooks)
    assert not any("mdformat" in str(repo) for repo in config["repos"])  # it rewrites every directive


# The documents: README.md for users, CONTRIBUTING.md for contributors, ARCHITECTURE.md for maintainers

DOCUMENTS = ("README.md", "CONTRIBUTING.md", "ARCHITECTURE.md")
PACKAGE = ROOT / "ext" / "missiekaart"
#: A fenced code block (``` or ~~~, closed by a fence of the same character at least as long).
FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})[^\n]*\n.*?^ {0,3}\1[`~]*[ \t]*$", re.MULTILINE | re.DOTALL)
#: An inline code span: a run of backticks closed by a run of the same length.
CODE_SPAN = re.compile(r"(`+)(?!`).*?(?<!`)\1(?!`)", re.DOTALL)
#: An inline link or image: [text](target) or [text](target "title").
LINK = re.compile(r"!?\[(?:[^\[\]]|\[[^\[\]]*\])*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")


def prose(text: str) -> str:
    """*text* without its code blocks and code spans, where brackets and hashes are not Markdown."""
    return CODE_SPAN.sub("", FENCE.sub("", text))


def headings(text: str) -> list[tuple[int, str]]:
    """(level, title) of each ATX heading outside code blocks."""
    return [
        (len(match[1]), match[2].strip().rstrip("#").strip())
        for match in re.finditer(r"^(#{1,6})[ \t]+(.+)$", FENCE.sub("", text), re.MULTILINE)
    ]


def anchors(text: str) -> set[str]:
    """The ids GitHub gives the headings: lower case, punctuation but hyphens and underscores
    dropped, spaces as hyphens; a repeated one gets -1, -2, ..."""
    seen: Counter[str] = Counter()
    result = set()
    for _level, title in headings(text):
        title = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", title)  # a link in a heading: its text
        slug = re.sub(r"[^\w\- ]", "", title.lower()).replace(" ", "-")
        result.add(f"{slug}-{seen[slug]}" if seen[slug] else slug)
        seen[slug] += 1
    return result


def document_section(name: str, title: str) -> str:
    """The section of document *name* under the heading *title*, up to the next heading of its level or higher."""
    text = (ROOT / name).read_text(encoding="utf-8")
    lines = text.splitlines(keepends=True)
    found = None
    for index, line in enumerate(lines):
        match = re.match(r"^(#{1,6})[ \t]+(.+?)\s*$", line)
        if match and found is None and match[2] == title:
            found, level = index, len(match[1])
        elif match and found is not None and len(match[1]) <= level:
            return "".join(lines[found:index])
    assert found is not None, f"{name} has no heading {title!r}"
    return "".join(lines[found:])


def test_readme_is_for_users_and_stays_short():
    size = len((ROOT / "README.md").read_bytes())
    assert size < 8_500, f"README.md is {size} bytes; it is for users: internals belong in ARCHITECTURE.md"


def test_every_relative_link_in_the_documents_resolves():
    problems = []
    for name in DOCUMENTS:
        document = ROOT / name
        for target in LINK.findall(prose(document.read_text(encoding="utf-8"))):
            if re.match(r"[A-Za-z][A-Za-z0-9+.-]*:", target):
                continue  # https:, mailto:
            path, _hash, anchor = target.partition("#")
            linked = (document.parent / path).resolve() if path else document
            if not linked.is_relative_to(ROOT) or not linked.exists():
                problems.append(f"{name}: {target}: no such file in the repository")
            elif anchor and linked.suffix == ".md" and anchor not in anchors(linked.read_text(encoding="utf-8")):
                problems.append(f"{name}: {target}: no heading with that anchor")
    assert not problems, "\n".join(problems)


def test_readme_and_contributing_point_maintainers_to_architecture():
    for name in ("README.md", "CONTRIBUTING.md"):
        assert "(ARCHITECTURE.md" in (ROOT / name).read_text(encoding="utf-8"), name


def architecture_layers() -> dict[str, list[int]]:
    """Each module ARCHITECTURE.md's "Layers and modules" names, with the layers whose table names it."""
    section = document_section("ARCHITECTURE.md", "Layers and modules")
    layers: dict[str, list[int]] = {}
    for part in re.split(r"^### ", section, flags=re.MULTILINE)[1:]:
        number = int(re.match(r"(\d+)\.", part)[1])
        for module in re.findall(r"^\| `([\w/]+\.py)` \|", part, re.MULTILINE):
            layers.setdefault(module, []).append(number)
    return layers


def package_modules() -> set[str]:
    return {path.relative_to(PACKAGE).as_posix() for path in PACKAGE.rglob("*.py")}


def test_architecture_names_every_module_in_one_layer():
    layers = architecture_layers()
    modules = package_modules()
    assert not modules - layers.keys(), (
        f"modules ARCHITECTURE.md does not name: {sorted(modules - layers.keys())}; add each to the table "
        "of its layer (Layers and modules)"
    )
    gone = sorted(layers.keys() - modules)
    assert not gone, f"ARCHITECTURE.md names modules that are gone: {gone}"
    assert {module: found for module, found in layers.items() if len(found) > 1} == {}


def imported_modules(path: Path) -> set[str]:
    """The package's modules (paths relative to it) that *path* imports, at its top or in a function.
    ``from . import name`` is the module *name* when there is one, else the package's ``__init__.py``."""
    modules = package_modules()
    relative = path.relative_to(PACKAGE)
    package = ["missiekaart", *relative.parent.parts]

    def module_file(dotted: str) -> str | None:
        parts = dotted.split(".")[1:]
        for candidate in ("/".join(parts) + ".py", "/".join([*parts, "__init__.py"])):
            if candidate in modules:
                return candidate
        return None

    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = ".".join(package[: len(package) - node.level + 1] + ([node.module] if node.module else []))
            elif node.module and node.module.split(".")[0] == "missiekaart":
                base = node.module
            else:
                continue
            for alias in node.names:
                if base == "missiekaart" and alias.name == "__version__":
                    continue  # the package's metadata, not its code
                found.add(module_file(f"{base}.{alias.name}") or module_file(base))
        elif isinstance(node, ast.Import):
            found |= {module_file(alias.name) for alias in node.names if alias.name.split(".")[0] == "missiekaart"}
    return found - {None, relative.as_posix()}


def layer_folders() -> dict[int, str]:
    """Each layer's folder, from its heading in ARCHITECTURE.md: "### 1. Shared ground (`core/`)";
    the empty string for the layer at the package's top."""
    section = document_section("ARCHITECTURE.md", "Layers and modules")
    folders = {}
    for heading in re.findall(r"^### (\d+\..*)$", section, re.MULTILINE):
        folder = re.search(r"\(`(\w+)/`\)$", heading)
        folders[int(heading.split(".")[0])] = folder[1] if folder else ""
    return folders


def test_each_layer_is_a_folder_of_its_own():
    """The folders show the layers: a layer's modules are in its folder, and its folder holds no other
    layer's module (the top holds only the entry points)."""
    folders = layer_folders()
    assert sorted(folders.values()) == ["", "build", "core", "extension", "importer", "views"], folders
    misplaced = [
        f"{module} is in layer {found[0]}, whose folder is {folders[found[0]] or 'the top'}/"
        for module, found in architecture_layers().items()
        if (module.split("/")[0] if "/" in module else "") != folders[found[0]]
    ]
    assert not misplaced, "\n".join(misplaced)


def test_no_module_imports_from_a_higher_layer():
    """ARCHITECTURE.md: a module imports only from its own layer or a lower one."""
    layer = {module: found[0] for module, found in architecture_layers().items()}
    upward = [
        f"{module} (layer {layer[module]}) imports {imported} (layer {layer[imported]})"
        for module in sorted(package_modules())
        for imported in sorted(imported_modules(PACKAGE / module))
        if layer[imported] > layer[module]
    ]
    assert not upward, "\n".join(upward) + "\nmove the code, or the module to another layer of ARCHITECTURE.md"
