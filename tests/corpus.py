"""Synthetic Missiekaart projects of N organisations, for the build benchmark and the scale tests.

``write_corpus(root, organisations, seed)`` writes a copy of this project (``docs/`` without its
organisation pages, ``conf.py``) plus N generated organisations: a source text in
``source_texts/<slug>.txt`` and the page the importer writes for it in ``docs/organisations/<slug>.md``
(front matter ``mk-source``, ``# Name``, the text), completed as a contributor would: a mission card
with country, province, region, sector, target group and concepts, 2-8 value cards that quote the text word for word,
and ``{concept}`` roles in the running text. Everything is drawn from ``random.Random`` seeded by
``seed`` and the organisation's number, so a corpus is the same on every machine.

The generated project keeps the content rules of CONTRIBUTING.md (every organisation shares at
least ``MIN_CONCEPTS`` concepts, every concept is used by at least ``MIN_USES`` organisations), so it
builds without warnings. The helpers below change one thing at a time (add, remove, edit, rename an
organisation; a concept's title, aliases or definition) for incremental builds, and keep those rules.
"""

from __future__ import annotations

import hashlib
import itertools
import math
import random
import re
import shutil
import unicodedata
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from missiekaart.core.vocabulary import Entry, read_concept_pages

REPOSITORY = Path(__file__).resolve().parent.parent
ORGANISATIONS = Path("docs") / "organisations"
CONCEPTS = Path("docs") / "concepts"
SOURCE_TEXTS = Path("source_texts")

MIN_CONCEPTS = 5  # missiekaart_min_concepts in conf.py
MIN_USES = 3  # one more than missiekaart_min_organisations, so any one organisation can be removed
ZIPF_EXPONENT = 1.1
WORDS_MIN, WORDS_MAX, WORDS_MEDIAN = 300, 3000, 900
FIRST_DAY = date(2000, 1, 1)  # organisation number n was added n days later: its :added: date


def added_on(number: int) -> str:
    """The ``:added:`` date of organisation *number*: one a day, so a later number is always junior."""
    return (FIRST_DAY + timedelta(days=number)).isoformat()


# ---------------------------------------------------------------------------- word material

REGIONS = [  # Flemish and Dutch provinces, and Brussels
    "Antwerpen",
    "Limburg (BE)",
    "Oost-Vlaanderen",
    "West-Vlaanderen",
    "Vlaams-Brabant",
    "Brussel",
    "Groningen",
    "Friesland",
    "Drenthe",
    "Overijssel",
    "Flevoland",
    "Gelderland",
    "Utrecht",
    "Noord-Holland",
    "Zuid-Holland",
    "Zeeland",
    "Noord-Brabant",
    "Limburg (NL)",
]
#: Each region's (:country:, :province:), from the project's list of places (missiekaart/core/places.py).
PLACES = (
    {region: ("België", region) for region in ("Antwerpen", "Oost-Vlaanderen", "West-Vlaanderen", "Vlaams-Brabant")}
    | {
        "Limburg (BE)": ("België", "Limburg"),
        "Brussel": ("België", "Brussels Hoofdstedelijk Gewest"),
        "Limburg (NL)": ("Nederland", "Limburg"),
    }
    | {
        region: ("Nederland", region)
        for region in ("Groningen", "Friesland", "Drenthe", "Overijssel", "Flevoland", "Gelderland", "Utrecht")
    }
    | {region: ("Nederland", region) for region in ("Noord-Holland", "Zuid-Holland", "Zeeland", "Noord-Brabant")}
)
TOWNS = {
    "Antwerpen": ["Antwerpen", "Mechelen", "Turnhout", "Geel"],
    "Limburg (BE)": ["Hasselt", "Genk", "Tongeren"],
    "Oost-Vlaanderen": ["Gent", "Aalst", "Sint-Niklaas", "Eeklo"],
    "West-Vlaanderen": ["Brugge", "Kortrijk", "Roeselare"],
    "Vlaams-Brabant": ["Leuven", "Vilvoorde", "Tienen"],
    "Brussel": ["Brussel", "Molenbeek", "Schaarbeek"],
    "Groningen": ["Groningen", "Veendam"],
    "Friesland": ["Leeuwarden", "Sneek"],
    "Drenthe": ["Assen", "Emmen"],
    "Overijssel": ["Zwolle", "Enschede", "Deventer"],
    "Flevoland": ["Almere", "Lelystad"],
    "Gelderland": ["Arnhem", "Nijmegen", "Apeldoorn"],
    "Utrecht": ["Utrecht", "Amersfoort"],
    "Noord-Holland": ["Haarlem", "Zaandam", "Alkmaar"],
    "Zuid-Holland": ["Rotterdam", "Den Haag", "Leiden"],
    "Zeeland": ["Middelburg", "Vlissingen"],
    "Noord-Brabant": ["Eindhoven", "Tilburg", "Breda"],
    "Limburg (NL)": ["Maastricht", "Venlo", "Heerlen"],
}
SECTORS = [
    "Sociale economie",
    "Maatwerkbedrijf",
    "Jeugdhulp",
    "Bijzondere jeugdzorg",
    "Welzijnswerk",
    "Buurtwerk",
    "Gezinsondersteuning",
    "Armoedebestrijding",
    "Geestelijke gezondheidszorg",
    "Gehandicaptenzorg",
    "Ouderenzorg",
    "Vrijwilligerswerk",
    "Opbouwwerk",
    "Arbeidsintegratie",
    "Kennisnetwerk sociaal domein",
    "Schuldhulpverlening",
    "Maatschappelijk werk",
]
TARGET_GROUPS = [
    "Werkzoekenden met een grote afstand tot de arbeidsmarkt",
    "Jongeren en hun gezinnen",
    "Kwetsbare ouderen",
    "Mensen in armoede",
    "Nieuwkomers",
    "Mensen met een beperking",
    "Bewoners van de wijk",
    "Jongvolwassenen zonder diploma",
    "Gezinnen met jonge kinderen",
    "Mantelzorgers",
    "Dak- en thuislozen",
    "Mensen met een psychische kwetsbaarheid",
    "Vrijwilligers en buurtbewoners",
    "Professionals in het sociaal domein",
]
NAME_KINDS = [
    "Buurtwerk",
    "Stichting",
    "Wijkpunt",
    "Werkplaats",
    "Huis",
    "Centrum",
    "Atelier",
    "Coöperatie",
    "Vzw",
    "Ontmoetingshuis",
    "Leerwerkbedrijf",
    "Jeugdhulp",
    "Gezinspunt",
    "Zorgboerderij",
    "Dienstencentrum",
    "Inloophuis",
    "Kringloopcentrum",
    "Steunpunt",
]
NAME_CORES = [
    "De Linde",
    "Het Anker",
    "De Brug",
    "De Kering",
    "Het Kompas",
    "De Horizon",
    "De Vlonder",
    "Het Baken",
    "De Schakel",
    "De Vonk",
    "Den Akker",
    "De Meander",
    "Het Zwaluwnest",
    "De Kapstok",
    "Het Open Erf",
    "De Lindeboom",
    "De Wissel",
    "Het Veerhuis",
    "De Overstap",
    "De Steiger",
    "Het Klaverblad",
    "De Kiem",
    "De Ranke",
    "Het Weefhuis",
    "De Molen",
    "De Bron",
    "De Oever",
    "Het Perron",
    "De Hoeksteen",
    "De Zonnewijzer",
    "Het Trefpunt",
    "De Maretak",
]
VALUE_NAMES = [
    "Nabijheid",
    "Gelijkwaardigheid",
    "Vertrouwen",
    "Betrokkenheid",
    "Openheid",
    "Verbinding",
    "Zorgzaamheid",
    "Eerlijkheid",
    "Creativiteit",
    "Solidariteit",
    "Kwaliteit",
    "Ondernemerschap",
    "Moed",
    "Vakmanschap",
    "Geduld",
    "Gastvrijheid",
]
TITLES = ["Missie en visie", "Missie, visie en waarden", "Onze missie en visie", "Wie we zijn en waar we voor staan"]
HEADINGS = [
    "Wie we zijn",
    "Onze visie",
    "Wat we doen",
    "Voor wie we werken",
    "Hoe we werken",
    "Onze aanpak",
    "Samen met partners",
    "Onze geschiedenis",
    "Wat ons drijft",
    "In de buurt",
    "Onze medewerkers",
    "Vrijwilligers",
    "Kwaliteit en opvolging",
    "Financiering",
    "Toekomst",
]
SUBJECTS = [
    "We",
    "Onze medewerkers",
    "Onze begeleiders",
    "Het team",
    "Onze vrijwilligers",
    "De organisatie",
    "Elke coach",
    "Onze werking",
    "Het bestuur",
    "Iedere medewerker",
]
VERBS = [
    "werken aan",
    "zetten in op",
    "bouwen aan",
    "kiezen voor",
    "zorgen voor",
    "geloven in",
    "investeren in",
    "hebben aandacht voor",
    "staan voor",
    "letten op",
    "maken ruimte voor",
    "streven naar",
]
OBJECTS = [
    "een veilige plek",
    "duurzaam werk",
    "goede begeleiding",
    "een warm onthaal",
    "betaalbare hulp",
    "een stevige basis",
    "kleine stappen",
    "nieuwe kansen",
    "een luisterend oor",
    "heldere afspraken",
    "een plek om te leren",
    "tijd voor elkaar",
    "de kwaliteit van de zorg",
    "een eerlijke kans",
    "een sterke buurt",
    "vaste aanspreekpunten",
    "toegankelijke diensten",
    "rust en structuur",
]
TAILS = [
    "in de eigen buurt",
    "samen met scholen en huisartsen",
    "voor wie het moeilijk heeft",
    "op het tempo van elke persoon",
    "zodat iedereen kan meedoen",
    "met respect voor ieders verhaal",
    "dicht bij huis",
    "zonder wachtlijst",
    "ook na de begeleiding",
    "in overleg met de familie",
    "waar dat nodig is",
    "elke dag opnieuw",
    "met de steun van de gemeente",
    "zonder iemand los te laten",
]
CONCEPT_TEMPLATES = [
    "{S} {v} {c} {t}.",
    "Voor ons betekent {c} dat we elke vraag ernstig nemen.",
    "{C} is voor ons geen los project maar een dagelijkse houding.",
    "In {town} {v2} we aan {c}, samen met buren, scholen en verenigingen.",
    "Wie bij ons aanklopt, merkt dat {c} centraal staat {t}.",
    "We meten elk jaar of we genoeg doen voor {c}.",
]
# Subjects that take a singular verb ("Het team werkt aan"), and each verb's singular form.
SINGULAR_SUBJECTS = {"Het team", "De organisatie", "Elke coach", "Onze werking", "Het bestuur", "Iedere medewerker"}
SINGULAR = {
    "werken": "werkt",
    "zetten": "zet",
    "bouwen": "bouwt",
    "kiezen": "kiest",
    "zorgen": "zorgt",
    "geloven": "gelooft",
    "investeren": "investeert",
    "hebben": "heeft",
    "staan": "staat",
    "letten": "let",
    "maken": "maakt",
    "streven": "streeft",
}
PLAIN_TEMPLATES = [
    "{S} {v} {o} {t}.",
    "{S} {v} {o}.",
    "Elke vraag is anders, en daarom zoeken we {t} naar {o}.",
    "Wat telt, is {o} voor {tg}.",
    "Sinds onze start in {town} groeide de werking stap voor stap.",
    "Niemand hoeft het alleen te doen: we bieden {o} {t}.",
]


# ---------------------------------------------------------------------------- the model


@dataclass(frozen=True)
class Sentence:
    """A sentence as the source text has it (``plain``) and as the page shows it (``markup``)."""

    plain: str
    markup: str


@dataclass(frozen=True)
class Block:
    """A heading, paragraph, bullet list or numbered list of a generated text."""

    kind: str  # "title", "heading", "paragraph", "bullets" or "numbers"
    items: tuple[Sentence, ...]  # the heading's text, the paragraph's sentences, or the list's items


@dataclass(frozen=True)
class ValueCard:
    title: str
    concepts: tuple[str, ...]
    body: str


@dataclass
class Organisation:
    number: int
    slug: str
    name: str
    region: str
    sector: str
    target_group: str
    concepts: tuple[str, ...]
    mission: str
    mission_concepts: tuple[str, ...]
    values: list[ValueCard]
    blocks: list[Block]

    @property
    def added(self) -> str:
        return added_on(self.number)

    @property
    def source(self) -> str:
        return source_text(self.blocks)

    @property
    def page(self) -> str:
        return page_markdown(self)


@dataclass
class Corpus:
    root: Path
    seed: int
    concepts: list[Entry]
    organisations: dict[str, Organisation] = field(default_factory=dict)  # by slug
    next_number: int = 0
    # Concept id -> the words the generated texts name it by (its title when the corpus was written).
    phrases: dict[str, str] = field(default_factory=dict)
    # How add_organisation draws organisation number n (None: draw_organisation; tests/near_duplicates.py
    # gives its own).
    draw: Callable[[Corpus, int], Organisation] | None = None

    def page(self, slug: str) -> Path:
        return self.root / ORGANISATIONS / f"{slug}.md"

    def source(self, slug: str) -> Path:
        return self.root / SOURCE_TEXTS / f"{slug}.txt"

    def uses(self) -> Counter[str]:
        """Concept id -> number of organisations that use it."""
        return Counter(concept for organisation in self.organisations.values() for concept in organisation.concepts)


# ---------------------------------------------------------------------------- drawing


def zipf_weights(count: int, exponent: float = ZIPF_EXPONENT) -> list[float]:
    return [1 / (rank**exponent) for rank in range(1, count + 1)]


def concept_ranking(concepts: list[Entry], seed: int) -> list[str]:
    """The concept ids from most to least popular: a seeded shuffle, so no concept is favoured by name."""
    ids = sorted(entry.id for entry in concepts)
    random.Random(f"ranking:{seed}").shuffle(ids)
    return ids


def draw_concepts(rng: random.Random, ranking: list[str], count: int) -> list[str]:
    """*count* distinct concepts, each draw weighted by Zipf's law over *ranking*."""
    weights = dict(zip(ranking, zipf_weights(len(ranking)), strict=False))
    chosen: list[str] = []
    while len(chosen) < min(count, len(ranking)):
        pool = [concept for concept in ranking if concept not in chosen]
        chosen.append(rng.choices(pool, weights=[weights[concept] for concept in pool])[0])
    return chosen


def slugify(name: str) -> str:
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_name.casefold()).strip("-")


def draw_name(rng: random.Random, region: str, taken: set[str]) -> str:
    name = f"{rng.choice(NAME_KINDS)} {rng.choice(NAME_CORES)}"
    numbered = (f"{name} {n}" for n in itertools.count(2))
    candidates = itertools.chain([name, f"{name} {rng.choice(TOWNS[region])}"], numbered)
    return next(candidate for candidate in candidates if slugify(candidate) not in taken)


def phrase(entry: Entry) -> str:
    """How running text names a concept: its title, in lower case."""
    return entry.title[:1].lower() + entry.title[1:]


def concept_sentence(rng: random.Random, entry: Entry, town: str, linked: bool) -> Sentence:
    words = phrase(entry)
    template = rng.choice(CONCEPT_TEMPLATES)
    capital = template.startswith("{C}")
    shown = words[:1].upper() + words[1:] if capital else words
    # Contributors write both forms; the short one only where the words are the id itself.
    bare = words.casefold() == entry.id.replace("-", " ") and rng.random() < 0.5
    role = f"{{concept}}`{shown}`" if bare else f"{{concept}}`{shown} <{entry.id}>`"
    subject, verb = subject_and_verb(rng)
    slots = {
        "S": subject,
        "v": verb,
        "t": rng.choice(TAILS),
        "town": town,
        "v2": rng.choice(["werken", "bouwen", "timmeren"]),
    }
    plain = template.replace("{C}", "{c}").format(c=shown, **slots)
    markup = template.replace("{C}", "{c}").format(c=role if linked else shown, **slots)
    return Sentence(plain, markup)


def subject_and_verb(rng: random.Random) -> tuple[str, str]:
    subject, verb = rng.choice(SUBJECTS), rng.choice(VERBS)
    if subject in SINGULAR_SUBJECTS:
        first, _, rest = verb.partition(" ")
        verb = f"{SINGULAR[first]} {rest}"
    return subject, verb


def plain_sentence(rng: random.Random, town: str, target_group: str) -> Sentence:
    subject, verb = subject_and_verb(rng)
    text = rng.choice(PLAIN_TEMPLATES).format(
        S=subject, v=verb, o=rng.choice(OBJECTS), t=rng.choice(TAILS), town=town, tg=target_group.lower()
    )
    return Sentence(text, text)


def paragraph(rng: random.Random, entries: list[Entry], town: str, target_group: str) -> Block:
    """3-7 sentences; about a third of them name one of the organisation's concepts, most as a role."""
    sentences = []
    for _ in range(rng.randint(3, 7)):
        if rng.random() < 0.35:
            sentences.append(concept_sentence(rng, rng.choice(entries), town, linked=rng.random() < 0.7))
        else:
            sentences.append(plain_sentence(rng, town, target_group))
    return Block("paragraph", tuple(sentences))


def word_count(text: str) -> int:
    return len(re.findall(r"[^\W\d_]+", text))


def block_words(block: Block) -> int:
    return sum(word_count(sentence.plain) for sentence in block.items)


def one_line(text: str, kind: str = "heading") -> Block:
    """A heading (or a title, or a one-sentence paragraph) without markup."""
    return Block(kind, (Sentence(text, text),))


def draw_values(rng: random.Random, mine: list[Entry]) -> tuple[list[str], list[str]]:
    """2-8 values and the text's item for each ("Nabijheid: we ..."), each naming one concept."""
    names = rng.sample(VALUE_NAMES, rng.randint(2, 8))
    items = [
        f"{value}: we {rng.choice(VERBS)} {phrase(mine[index % len(mine)])} {rng.choice(TAILS)}."
        for index, value in enumerate(names)
    ]
    return names, items


def draw_sections(
    rng: random.Random, blocks: list[Block], mine: list[Entry], town: str, target_group: str, target_words: int
) -> None:
    """Sections of paragraphs and lists appended to *blocks* until the text has *target_words* words."""
    headings = rng.sample(HEADINGS, len(HEADINGS))
    words = sum(block_words(block) for block in blocks)
    while words < target_words:
        section = [one_line(headings.pop() if headings else f"Deel {len(blocks)}")]
        section += [paragraph(rng, mine, town, target_group) for _ in range(rng.randint(1, 4))]
        if rng.random() < 0.25:
            items = tuple(plain_sentence(rng, town, target_group) for _ in range(rng.randint(2, 5)))
            section.append(Block(rng.choice(["bullets", "numbers"]), items))
        for block in section:  # stop at the target, mid-section if need be (never right after a heading)
            if words >= target_words and block.kind != "heading" and blocks[-1].kind != "heading":
                break
            blocks.append(block)
            words += block_words(block)


def draw_identity(
    number: int, seed: int, ranking: list[str], taken: set[str]
) -> tuple[random.Random, str, str, str, str, list[str]]:
    """The random generator of organisation *number*, and what it draws first: region, town, name,
    target group and concepts (the rest of draw_organisation draws the text)."""
    rng = random.Random(f"organisation:{seed}:{number}")
    region = rng.choice(REGIONS)
    town = rng.choice(TOWNS[region])
    name = draw_name(rng, region, taken)
    target_group = rng.choice(TARGET_GROUPS)
    concepts = draw_concepts(rng, ranking, rng.randint(MIN_CONCEPTS, MIN_CONCEPTS + 4))
    return rng, region, town, name, target_group, concepts


def draw_organisation(
    number: int, seed: int, entries: dict[str, Entry], ranking: list[str], taken: set[str]
) -> Organisation:
    """Organisation number *number*: the same for a seed, whatever the size of the corpus."""
    rng, region, town, name, target_group, concepts = draw_identity(number, seed, ranking, taken)
    mine = [entries[concept] for concept in concepts]
    # Like real mission texts: a few hundred words, now and then a long policy document.
    target_words = min(WORDS_MAX - 250, max(WORDS_MIN, round(rng.lognormvariate(math.log(WORDS_MEDIAN), 0.6))))
    mission = (
        f"{name} is er voor {target_group.lower()} in {town}: we {rng.choice(VERBS)} {rng.choice(OBJECTS)} "
        f"{rng.choice(TAILS)}. We geloven in {phrase(mine[0])} en {phrase(mine[1])}, {rng.choice(TAILS)}."
    )
    value_names, value_items = draw_values(rng, mine)

    blocks = [
        one_line(rng.choice(TITLES), "title"),
        one_line("Onze missie"),
        one_line(mission, "paragraph"),
        one_line("Onze waarden"),
        Block("bullets", tuple(Sentence(item, item) for item in value_items)),
    ]
    draw_sections(rng, blocks, mine, town, target_group, target_words)
    # One sentence that names a concept without a role: the mention edit_organisation links.
    blocks += [
        one_line("Tot slot"),
        Block(
            "paragraph", (concept_sentence(rng, mine[-1], town, linked=False), plain_sentence(rng, town, target_group))
        ),
    ]

    organisation = Organisation(
        number, slugify(name), name, region, rng.choice(SECTORS), target_group, tuple(concepts), mission, (), [], blocks
    )
    assign_cards(organisation, rng, value_names, value_items)
    return organisation


def assign_cards(
    organisation: Organisation,
    rng: random.Random,
    value_names: list[str] | None = None,
    value_items: list[str] | None = None,
) -> None:
    """Spread the organisation's concepts over its cards, so that together they carry every one."""
    concepts = list(organisation.concepts)
    if value_names is None or value_items is None:  # re-spread over the existing value cards
        value_names = [card.title for card in organisation.values]
        value_items = [card.body for card in organisation.values]
    mission_concepts = concepts[:2] + rng.sample(concepts[2:], rng.randint(0, 2))
    per_card: list[list[str]] = [[concepts[index % len(concepts)]] for index in range(len(value_names))]
    for index, concept in enumerate(concepts):  # every concept lands on some card
        if concept not in mission_concepts and not any(concept in card for card in per_card):
            per_card[index % len(per_card)].append(concept)
    for card in per_card:
        extra = rng.choice(concepts)
        if rng.random() < 0.4 and extra not in card:
            card.append(extra)
    organisation.mission_concepts = tuple(mission_concepts)
    organisation.values = [
        ValueCard(name, tuple(card), item) for name, card, item in zip(value_names, per_card, value_items, strict=False)
    ]


# ---------------------------------------------------------------------------- rendering


def wrap(text: str, width: int) -> str:
    """Lines of at most *width* characters (a longer word gets its own line), as a text editor wraps."""
    lines: list[str] = []
    line = ""
    for word in text.split(" "):
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    return "\n".join([*lines, line])


def source_text(blocks: list[Block]) -> str:
    """The text as an organisation sends it: headings on a line, paragraphs wrapped, bullets."""
    parts = []
    for block in blocks:
        if block.kind in ("title", "heading"):
            parts.append(block.items[0].plain)
        elif block.kind == "paragraph":
            parts.append(wrap(" ".join(s.plain for s in block.items), 90))
        elif block.kind == "bullets":
            parts.append("\n".join(f"• {s.plain}" for s in block.items))
        else:
            parts.append("\n".join(f"{n}. {s.plain}" for n, s in enumerate(block.items, start=1)))
    return "\n\n".join(parts) + "\n"


def body_markdown(blocks: list[Block]) -> str:
    """The running text as the importer writes it, with the contributor's roles."""
    parts = []
    for block in blocks:
        if block.kind in ("title", "heading"):  # the importer puts the text's own title below the page's
            parts.append(f"{'##' if block.kind == 'title' else '###'} {block.items[0].markup}")
        elif block.kind == "paragraph":
            parts.append(" ".join(s.markup for s in block.items))
        elif block.kind == "bullets":
            parts.append("\n".join(f"- {s.markup}" for s in block.items))
        else:
            parts.append("\n".join(f"{n}. {s.markup}" for n, s in enumerate(block.items, start=1)))
    return "\n\n".join(parts) + "\n"


def card_markdown(kind: str, title: str, options: list[tuple[str, str]], body: str) -> str:
    lines = [f"```{{{kind}}} {title}".rstrip(), *(f":{name}: {value}" for name, value in options), "", body, "```"]
    return "\n".join(lines)


def cards_markdown(organisation: Organisation) -> list[str]:
    """The organisation's mission card and value cards, as its page holds them."""
    mission = card_markdown(
        "mission-card",
        "",
        [
            ("country", PLACES[organisation.region][0]),
            ("province", PLACES[organisation.region][1]),
            ("region", organisation.region),
            ("sector", organisation.sector),
            ("target-group", organisation.target_group),
            ("concepts", ", ".join(organisation.mission_concepts)),
            ("added", organisation.added),
        ],
        organisation.mission,
    )
    values = [
        card_markdown("value-card", card.title, [("concepts", ", ".join(card.concepts))], card.body)
        for card in organisation.values
    ]
    return [mission, *values]


def page_markdown(organisation: Organisation) -> str:
    head = f"---\nmk-source: {SOURCE_TEXTS.as_posix()}/{organisation.slug}.txt\n---\n\n# {organisation.name}\n\n"
    return head + "\n\n".join(cards_markdown(organisation)) + "\n\n" + body_markdown(organisation.blocks)


# ---------------------------------------------------------------------------- writing


def copy_project(root: Path, repository: Path = REPOSITORY) -> None:
    """``conf.py`` and ``docs/`` of *repository*, without its organisation pages (other pages in that
    folder, such as an index, are kept)."""
    root.mkdir(parents=True, exist_ok=True)
    shutil.copy(repository / "conf.py", root / "conf.py")

    def ignore(folder: str, names: list[str]) -> list[str]:
        if Path(folder).resolve() != (repository / ORGANISATIONS).resolve():
            return []
        return [
            name
            for name in names
            if name.endswith(".md") and "{mission-card}" in (Path(folder) / name).read_text(encoding="utf-8")
        ]

    shutil.copytree(repository / "docs", root / "docs", ignore=ignore, dirs_exist_ok=True)
    (root / ORGANISATIONS).mkdir(parents=True, exist_ok=True)
    (root / SOURCE_TEXTS).mkdir(parents=True, exist_ok=True)


def write_organisation(corpus: Corpus, organisation: Organisation) -> None:
    corpus.source(organisation.slug).write_text(organisation.source, encoding="utf-8")
    corpus.page(organisation.slug).write_text(organisation.page, encoding="utf-8")


def write_manifest(corpus: Corpus) -> None:
    """``source_texts/SHA256SUMS`` in ``sha256sum`` format, as ``missiekaart import`` keeps it."""
    lines = []
    for path in sorted((corpus.root / SOURCE_TEXTS).glob("*.txt")):
        lines.append(f"{hashlib.sha256(path.read_bytes()).hexdigest()}  {path.name}\n")
    (corpus.root / SOURCE_TEXTS / "SHA256SUMS").write_text("".join(lines), encoding="utf-8")


def share_every_concept(
    organisations: list[Organisation],
    ranking: list[str],
    seed: int,
    spread: Callable[[Organisation, random.Random], None] = assign_cards,
) -> None:
    """Give each concept used by fewer than MIN_USES organisations to the organisations with the
    fewest concepts, so no concept is left unshared (and one removal never makes it so); *spread*
    puts it on a card."""
    rng = random.Random(f"share:{seed}")
    uses = Counter(concept for organisation in organisations for concept in organisation.concepts)
    needed = min(MIN_USES, len(organisations))
    for concept in reversed(ranking):
        candidates = sorted(
            (o for o in organisations if concept not in o.concepts), key=lambda o: (len(o.concepts), o.number)
        )
        for organisation in candidates[: max(0, needed - uses[concept])]:
            organisation.concepts = (*organisation.concepts, concept)
            uses[concept] += 1
            spread(organisation, rng)


def new_corpus(root: Path, seed: int, repository: Path = REPOSITORY) -> Corpus:
    """An empty corpus in *root* (created): the project without organisations."""
    copy_project(root, repository)
    entries = read_concept_pages(root / CONCEPTS)
    return Corpus(root, seed, entries, phrases={entry.id: phrase(entry) for entry in entries})


def write_organisations(corpus: Corpus, drawn: list[Organisation]) -> Corpus:
    """Write *drawn*, numbered from 0, into *corpus*, and the manifest of their source texts."""
    for organisation in drawn:
        corpus.organisations[organisation.slug] = organisation
        write_organisation(corpus, organisation)
    corpus.next_number = len(drawn)
    write_manifest(corpus)
    return corpus


def write_corpus(root: Path, organisations: int, seed: int = 0, repository: Path = REPOSITORY) -> Corpus:
    """A buildable project of *organisations* generated organisations in *root* (created)."""
    if organisations < 2:
        raise ValueError("a corpus needs at least 2 organisations: every concept must be shared")
    corpus = new_corpus(root, seed, repository)
    by_id = {entry.id: entry for entry in corpus.concepts}
    ranking = concept_ranking(corpus.concepts, seed)
    drawn: list[Organisation] = []
    taken: set[str] = set()
    for number in range(organisations):
        organisation = draw_organisation(number, seed, by_id, ranking, taken)
        drawn.append(organisation)
        taken.add(organisation.slug)
    share_every_concept(drawn, ranking, seed)
    return write_organisations(corpus, drawn)


# ---------------------------------------------------------------------------- one change at a time


def add_organisation(corpus: Corpus) -> Organisation:
    """One more organisation (the next number of the seed, so the most junior), with concepts the
    corpus already shares."""
    by_id = {entry.id: Entry(entry.id, corpus.phrases[entry.id]) for entry in corpus.concepts}
    if corpus.draw is not None:
        organisation = corpus.draw(corpus, corpus.next_number)
    else:
        organisation = draw_organisation(
            corpus.next_number,
            corpus.seed,
            by_id,
            concept_ranking(corpus.concepts, corpus.seed),
            set(corpus.organisations),
        )
    corpus.next_number += 1
    corpus.organisations[organisation.slug] = organisation
    write_organisation(corpus, organisation)
    write_manifest(corpus)
    return organisation


def removable(corpus: Corpus) -> list[str]:
    """Slugs of the organisations whose removal leaves every concept shared by 2 or more."""
    uses = corpus.uses()
    return sorted(
        slug
        for slug, organisation in corpus.organisations.items()
        if all(uses[concept] > MIN_USES - 1 for concept in organisation.concepts)
    )


def remove_organisation(corpus: Corpus, slug: str | None = None) -> str:
    """Delete an organisation's page and source text (by default the first removable one)."""
    slug = slug or removable(corpus)[0]
    corpus.page(slug).unlink()
    corpus.source(slug).unlink()
    del corpus.organisations[slug]
    write_manifest(corpus)
    return slug


def rename_organisation(corpus: Corpus, slug: str, name: str) -> None:
    """A new name (the page title, which the mission card shows); the page keeps its slug."""
    path = corpus.page(slug)
    old = corpus.organisations[slug].name
    path.write_text(path.read_text(encoding="utf-8").replace(f"\n# {old}\n", f"\n# {name}\n", 1), encoding="utf-8")
    corpus.organisations[slug].name = name


def move_organisation(corpus: Corpus, slug: str, new_slug: str) -> None:
    """The page moves to a new slug (a new URL); its source text stays where it is."""
    organisation = corpus.organisations.pop(slug)
    corpus.page(slug).rename(corpus.page(new_slug))
    corpus.organisations[new_slug] = organisation


_ROLE = re.compile(r"\{concept\}`[^`]*`")


def edit_organisation(corpus: Corpus, slug: str | None = None) -> str:
    """A contributor links one more mention of one of the organisation's concepts in its running text.

    Returns the slug. The organisation's concepts stay the same, so only what shows its references changes."""
    slug = slug or sorted(corpus.organisations)[0]
    path = corpus.page(slug)
    text = path.read_text(encoding="utf-8")
    body_start = text.rindex("\n```\n") + len("\n```\n")  # below the last card
    for concept in corpus.organisations[slug].concepts:
        words = corpus.phrases[concept]
        pattern = re.compile(rf"(?<![\w`<]){re.escape(words)}(?![\w>`])", re.IGNORECASE)
        for line_start, line in _lines(text, body_start):
            if line.startswith("#"):
                continue
            plain = _ROLE.sub(lambda m: "\0" * len(m.group()), line)  # mask existing roles
            if match := pattern.search(plain):
                start = line_start + match.start()
                role = f"{{concept}}`{text[start : line_start + match.end()]} <{concept}>`"
                path.write_text(text[:start] + role + text[line_start + match.end() :], encoding="utf-8")
                return slug
    raise AssertionError(f"{slug} names none of its concepts without a role")


def _lines(text: str, start: int) -> list[tuple[int, str]]:
    result = []
    for line in text[start:].split("\n"):
        result.append((start, line))
        start += len(line) + 1
    return result


def concept_page(corpus: Corpus, concept_id: str) -> Path:
    fence = re.compile(rf"^```\{{concept\}}\s+{re.escape(concept_id)}\s*$", re.MULTILINE)
    for path in sorted((corpus.root / CONCEPTS).rglob("*.md")):
        if fence.search(path.read_text(encoding="utf-8")):
            return path
    raise KeyError(concept_id)


def edit_concept(
    corpus: Corpus,
    concept_id: str,
    *,
    title: str | None = None,
    aliases: list[str] | None = None,
    definition: str | None = None,
) -> None:
    """Change a concept's ``:title:``, ``:aliases:`` or definition (the directive's body) in place."""
    path = concept_page(corpus, concept_id)
    text = path.read_text(encoding="utf-8")
    start = re.search(rf"^```\{{concept\}}\s+{re.escape(concept_id)}\s*$", text, re.MULTILINE)
    assert start is not None
    end = text.index("\n```", start.end())
    lines = text[start.end() : end].strip("\n").split("\n")
    options = [line for line in lines if line.startswith(":")]
    body = "\n".join(lines[len(options) :]).strip("\n")
    values = dict(re.match(r":([\w-]+):\s*(.*)", line).groups() for line in options)  # type: ignore[union-attr]
    if title is not None:
        values["title"] = title
    if aliases is not None:
        values["aliases"] = ", ".join(aliases)
    if definition is not None:
        body = definition
    block = "\n".join(f":{name}: {value}" for name, value in values.items() if value) + f"\n\n{body}"
    path.write_text(text[: start.end()] + "\n" + block + text[end:], encoding="utf-8")
    corpus.concepts = [
        Entry(
            entry.id,
            values.get("title", entry.title),
            tuple(a.strip() for a in values.get("aliases", "").split(",") if a.strip()),
        )
        if entry.id == concept_id
        else entry
        for entry in corpus.concepts
    ]
