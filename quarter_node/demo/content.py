"""The demo network's sample content, in German: who runs which node, what they write.

Three initiatives of one city: the coordination node of the network and two quarter
nodes, each with people, posts, a group and events at places with coordinates (so the
network map has something to show).
"""

from __future__ import annotations

from dataclasses import dataclass, field

PASSWORD = "nachbarschaft-demo"  # every demo account's password


@dataclass(frozen=True)
class Person:
    handle: str
    name: str
    email: str
    role: str = "member"


@dataclass(frozen=True)
class Event:
    title: str
    description: str
    days_ahead: int
    time: str  # "HH:MM", local time
    place: str
    street: str
    latitude: float
    longitude: float


@dataclass(frozen=True)
class Group:
    handle: str
    name: str
    description: str
    post: str  # written by the node's admin in the group


@dataclass(frozen=True)
class Initiative:
    """One node: its name, directory entry, people and what they publish."""

    key: str
    title: str
    quarter: str
    topics: str
    summary: str
    latitude: float
    longitude: float
    people: list[Person]
    posts: list[tuple[str, str]]  # (handle, text)
    events: list[Event] = field(default_factory=list)
    group: Group | None = None

    @property
    def admin(self) -> Person:
        return next(person for person in self.people if person.role == "admin")


COORDINATION = Initiative(
    key="netzwerk",
    title="Netzwerk Nachbarschaften Düsseldorf",
    quarter="Düsseldorf",
    topics="Vernetzung, Beratung",
    summary="Die Koordinationsstelle verbindet die Nachbarschaftsinitiativen der Stadt.",
    latitude=51.2277,
    longitude=6.7735,
    people=[Person("katrin", "Katrin Vogel", "katrin@netzwerk.example", "admin")],
    posts=[
        (
            "katrin",
            "Willkommen im Netzwerk! Hier finden Sie, was die Initiativen in den Quartieren "
            "gerade bewegt. #Nachbarschaft",
        )
    ],
    events=[
        Event(
            "Vernetzungstreffen der Initiativen",
            "Austausch aller Initiativen: Erfahrungen, Fragen und gemeinsame Pläne.",
            12,
            "18:00",
            "Rathaus, Plenarsaal",
            "Marktplatz 2",
            51.2258,
            6.7717,
        )
    ],
)

FLINGERN = Initiative(
    key="flingern",
    title="Nachbarschaft Flingern",
    quarter="Flingern",
    topics="Nachbarschaftshilfe, Umwelt",
    summary="Nachbarinnen und Nachbarn helfen einander, teilen Werkzeug und begrünen Höfe.",
    latitude=51.2297,
    longitude=6.8001,
    people=[
        Person("jana", "Jana Becker", "jana@flingern.example", "admin"),
        Person("mehmet", "Mehmet Yılmaz", "mehmet@flingern.example"),
        Person("lisa", "Lisa Schmitz", "lisa@flingern.example"),
    ],
    posts=[
        ("jana", "Wer hat am Samstag Zeit, beim Pflanzentausch mitzuhelfen? #Umwelt"),
        ("mehmet", "Unsere Werkzeugkiste im Hof hat jetzt eine Leiter. Einfach ausleihen!"),
    ],
    events=[
        Event(
            "Pflanzentausch im Hinterhof",
            "Bringen Sie Ableger, Samen und Töpfe mit, nehmen Sie Neues mit nach Hause.",
            3,
            "15:00",
            "Hinterhof Ackerstraße",
            "Ackerstraße 45",
            51.2306,
            6.7989,
        ),
        Event(
            "Repair-Café",
            "Kaputte Toaster, Fahrräder und Kleidung gemeinsam reparieren.",
            8,
            "17:00",
            "Stadtteilzentrum Flingern",
            "Hermannstraße 29",
            51.2268,
            6.8047,
        ),
    ],
    group=Group(
        "gartengruppe",
        "Gartengruppe",
        "Wir pflegen die Hochbeete im Hof und planen neue.",
        "Die Tomaten im zweiten Hochbeet sind reif: bitte bedienen Sie sich!",
    ),
)

BILK = Initiative(
    key="bilk",
    title="Stadtteilladen Bilk",
    quarter="Bilk",
    topics="Kultur, Senioren",
    summary="Ein offener Laden für Begegnung, Kultur und Beratung im Stadtteil.",
    latitude=51.2061,
    longitude=6.7783,
    people=[
        Person("thomas", "Thomas Klein", "thomas@bilk.example", "admin"),
        Person("ayse", "Ayşe Demir", "ayse@bilk.example"),
        Person("peter", "Peter Hoffmann", "peter@bilk.example"),
    ],
    posts=[
        ("thomas", "Der Stadtteilladen hat jetzt auch donnerstags bis 20 Uhr geöffnet."),
        ("ayse", "Danke an alle, die beim Erzählcafé Kuchen mitgebracht haben! #Senioren"),
    ],
    events=[
        Event(
            "Erzählcafé",
            "Ältere und jüngere Menschen erzählen einander aus ihrem Leben in Bilk.",
            5,
            "15:00",
            "Stadtteilladen Bilk",
            "Bachstraße 12",
            51.2066,
            6.7790,
        ),
        Event(
            "Lesung im Volksgarten",
            "Geschichten aus dem Stadtteil, unter freiem Himmel.",
            10,
            "18:30",
            "Volksgarten, Wiese am Teich",
            "Oberbilker Allee",
            51.2069,
            6.7956,
        ),
    ],
)

QUARTERS = (FLINGERN, BILK)
ALL = (COORDINATION, *QUARTERS)
