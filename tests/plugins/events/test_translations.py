"""The events plugin's own catalog (gettext domain ``events``): German complete, formal,
placeholders kept, in step with the plugin's source; pages speak German by default."""

from __future__ import annotations

from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

from quarter_node.extensions import db
from quarter_node.node.services import update_node_settings
from tests.plugins.events.helpers import make_event
from tests.test_translations import (
    INFORMAL,
    OFF_GLOSSARY,
    PLACEHOLDER,
    extraction_keywords,
    forms_of,
)

PLUGIN = Path(__file__).resolve().parents[3] / "plugins" / "events"


def german() -> list:
    with (PLUGIN / "translations" / "de" / "LC_MESSAGES" / "events.po").open("rb") as po_file:
        return [message for message in read_po(po_file) if message.id]


def source_ids() -> set[str]:
    with (PLUGIN / "babel.cfg").open(encoding="utf-8") as config:
        method_map, options_map = parse_mapping_cfg(config)
    found = extract_from_dir(str(PLUGIN), method_map, options_map, keywords=extraction_keywords())
    return {message if isinstance(message, str) else message[0] for _f, _l, message, *_ in found}


def test_every_message_has_a_formal_german_translation_with_its_placeholders() -> None:
    problems = [
        english
        for message in german()
        for english, text in forms_of(message)
        if message.fuzzy
        or not text.strip()
        or INFORMAL.search(text)
        or OFF_GLOSSARY.search(text)
        or sorted(PLACEHOLDER.findall(english)) != sorted(PLACEHOLDER.findall(text))
    ]
    assert problems == []


def test_the_catalog_matches_the_source() -> None:
    catalog = {m.id if isinstance(m.id, str) else m.id[0] for m in german()}
    assert source_ids() == catalog, "run `make extract-messages` and translate plugins/events"


def test_event_pages_are_german_by_default(client, factories) -> None:
    update_node_settings(default_language="de")
    db.session.commit()
    event = make_event(factories.user("anna"), title="Hoffest")
    listing = client.get("/events").get_data(as_text=True)
    assert "Veranstaltungen" in listing and "Demnächst" in listing
    page = client.get(f"/events/{event.id}").get_data(as_text=True)
    assert "Veranstaltet von" in page and "Sa., 12. Dez. 2026, 15:00–16:00" in page
