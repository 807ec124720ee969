"""German neighbourhood texts and queries for the network benchmarks (seeded, repeatable).

Posts are built from sentences about what initiatives announce (markets, gardens, repair
cafés, meetings), so that common words (``Samstag``, ``Nachbarschaft``) match a large share
of the items and rarer ones (``Lastenrad``, ``Saatgut``) a small one, as on a real node.
"""

from __future__ import annotations

import random

QUARTERS = [
    "Altstadt", "Bahnhofsviertel", "Nordend", "Südstadt", "Westend", "Oststadt", "Hafen",
    "Gartenstadt", "Neustadt", "Schlossberg", "Am Markt", "Lindenhof", "Kirchberg",
    "Auenviertel", "Rosenhöhe", "Mühlental", "Weststadt", "Feldmark", "Brückenviertel",
    "Sonnenhang",
]  # fmt: skip
TOPICS = [
    "Garten", "Reparatur", "Mobilität", "Kultur", "Nachbarschaftshilfe", "Kinder",
    "Senioren", "Umwelt", "Sprache", "Sport", "Ernährung", "Wohnen",
]  # fmt: skip
_EVENTS = [
    "Flohmarkt", "Repair-Café", "Stadtteilfest", "Hofflohmarkt", "Kinderflohmarkt",
    "Sprachcafé", "Kleidertausch", "Pflanzentauschbörse", "Müllsammelaktion", "Lesecafé",
    "Nachbarschaftsfrühstück", "Bürgerversammlung", "Fahrradwerkstatt", "Saatgutbörse",
    "Spieleabend", "Filmabend", "Erzählcafé", "Laternenumzug", "Backtag", "Baumpflanzaktion",
]  # fmt: skip
_PLACES = [
    "im Gemeinschaftsgarten", "im Hof der Schule", "auf dem Marktplatz", "im Stadtteilzentrum",
    "in der Bibliothek", "im Gemeindesaal", "am Spielplatz", "im Jugendhaus", "auf der Wiese "
    "am Fluss", "in der alten Feuerwache",
]  # fmt: skip
_DAYS = ["Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag", "Sonntag"]
_SENTENCES = [
    "Am {day} findet {place} unser {event} statt.",
    "Wir suchen noch Helferinnen und Helfer für den {event} am {day}.",
    "Bringt gerne Kuchen, Kaffee und gute Laune mit.",
    "Die Nachbarschaftshilfe sucht Menschen, die beim Einkaufen für ältere Nachbarn helfen.",
    "Das Lastenrad kann ab sofort wieder ausgeliehen werden, bitte vorher buchen.",
    "Im Gemeinschaftsgarten sind noch zwei Hochbeete frei.",
    "Beim Repair-Café reparieren wir Toaster, Lampen, Fahrräder und Kleidung.",
    "Der Foodsharing-Kühlschrank {place} wird jeden Abend aufgefüllt.",
    "Die Bürgerversammlung zum Verkehr im Viertel beginnt um 19 Uhr.",
    "Für die Saatgutbörse brauchen wir noch Tomaten- und Bohnensamen.",
    "Danke an alle, die beim {event} geholfen haben!",
    "Der Eintritt ist frei, Spenden sind willkommen.",
    "Kinder können basteln, malen und Stockbrot backen.",
    "Wir treffen uns jeden {day} um 18 Uhr {place}.",
    "Neue Gesichter sind herzlich willkommen, auch ohne Vorkenntnisse.",
    "Die Sanierung der Spielstraße ist endlich beschlossen.",
    "Bitte meldet euch bis {day} an, damit wir planen können.",
    "Es gibt Führungen durch den Kiez mit Geschichten aus hundert Jahren Nachbarschaft.",
]
QUERIES = [
    "Flohmarkt", "Repair-Café", "Gemeinschaftsgarten Hochbeete", "Lastenrad buchen",
    "Nachbarschaftshilfe Einkaufen", "Sprachcafé", "Kinderflohmarkt Samstag",
    "Müllsammelaktion", "Stadtteilfest", "Foodsharing Kühlschrank", "Bürgerversammlung Verkehr",
    "Fahrradwerkstatt", "Saatgut", "Kuchen", "Samstag", "Helfer", "Stockbrot",
    "Laternenumzug", "Spielstraße Sanierung", "Toaster reparieren",
]  # fmt: skip


def post_text(rng: random.Random) -> str:
    """Three to six sentences, as a short announcement."""
    sentences = []
    for template in rng.sample(_SENTENCES, rng.randint(3, 6)):
        sentences.append(
            template.format(
                day=rng.choice(_DAYS), place=rng.choice(_PLACES), event=rng.choice(_EVENTS)
            )
        )
    return " ".join(sentences)


def post_html(rng: random.Random) -> str:
    return f"<p>{post_text(rng)}</p>"
