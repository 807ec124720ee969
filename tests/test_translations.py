"""The German catalog is complete, keeps every placeholder, and matches the source code; the
app speaks German by default, English on request, and German outside requests too.

The catalog checks read the ``.po`` files, so they need nothing compiled. The page and
``gettext`` checks use the compiled ``.mo`` files the app really loads: ``make test`` (and
``make run``) compile them first through the ``translations`` target. When they are stale,
``test_gettext_outside_a_request_returns_the_german_catalog`` fails and says so.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_keywords, parse_mapping_cfg
from babel.messages.pofile import read_po
from flask_babel import get_translations, gettext, refresh

from quarter_node.extensions import db
from quarter_node.node.services import update_node_settings

ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = ROOT / "translations"
LANGUAGES = ("de", "en")

# printf-style conversions (named or not, including the escaped "%%") and str.format fields.
PLACEHOLDER = re.compile(
    r"%(?:\([A-Za-z_]\w*\))?[-#0 +]*(?:\*|\d+)?(?:\.\d+)?[diouxXeEfFgGcrsa%]|\{[A-Za-z_]\w*\}"
)
# Informal address ("du") in a formal UI, and English or off-glossary words in German text.
INFORMAL = re.compile(r"\b(du|dich|dir|dein\w*|euch|euer|eure\w*)\b", re.IGNORECASE)
OFF_GLOSSARY = re.compile(r"\b(Knoten|Node|Timeline|Account|Post|Posts|Like|Likes|Follower)\b")

Key = tuple[str | None, str]  # (context, msgid) – how a catalog keys its messages


def load_catalog(language: str) -> Catalog:
    with (TRANSLATIONS / language / "LC_MESSAGES" / "messages.po").open("rb") as po_file:
        return read_po(po_file)


def messages_of(catalog: Catalog) -> list[Message]:
    return [message for message in catalog if message.id]


def key_of(message_id: str | tuple[str, ...], context: str | None) -> Key:
    return context, message_id if isinstance(message_id, str) else message_id[0]


def forms_of(message: Message) -> list[tuple[str, str]]:
    """(English, German) pairs: one for a simple message, one per plural form otherwise."""
    if isinstance(message.id, str):
        return [(message.id, message.string)]
    english = [message.id[0]] + [message.id[1]] * (len(message.string) - 1)
    return list(zip(english, message.string, strict=True))


def extraction_keywords() -> dict:
    """The ``-k`` options of ``make extract-messages``, so the test and the Makefile agree."""
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    command = next(line for line in makefile.splitlines() if "pybabel extract" in line)
    return {**DEFAULT_KEYWORDS, **parse_keywords(re.findall(r"-k\s+(\S+)", command))}


def source_messages() -> dict[Key, str | tuple[str, ...]]:
    """Every message the source code and templates use, found as ``pybabel extract`` does."""
    with (ROOT / "babel.cfg").open(encoding="utf-8") as config:
        method_map, options_map = parse_mapping_cfg(config)
    top_folders = {pattern.split("/", 1)[0] for pattern, _method in method_map}

    def only_mapped_folders(path: str) -> bool:
        """Like ``pybabel extract`` (no ``.*`` or ``_*`` folders), and skip tests/ for speed."""
        parts = Path(path).relative_to(ROOT).parts
        return parts[0] in top_folders and not any(p.startswith((".", "_")) for p in parts)

    found = extract_from_dir(
        str(ROOT),
        method_map,
        options_map,
        keywords=extraction_keywords(),
        directory_filter=only_mapped_folders,
    )
    return {
        key_of(message, context): message
        for _filename, _lineno, message, _comments, context in found
    }


@pytest.fixture(scope="module")
def german() -> Catalog:
    return load_catalog("de")


@pytest.fixture(scope="module")
def in_source() -> dict[Key, str | tuple[str, ...]]:
    return source_messages()


def test_every_message_has_a_german_translation(german: Catalog) -> None:
    assert not german.fuzzy, "the catalog header is marked fuzzy: pybabel would skip it"
    untranslated = [
        message.id
        for message in messages_of(german)
        if message.fuzzy or not all(text.strip() for _english, text in forms_of(message))
    ]
    assert german.num_plurals == 2
    assert untranslated == [], f"{len(untranslated)} messages lack a German translation"


def test_plural_messages_have_both_german_forms(german: Catalog) -> None:
    plurals = [message for message in messages_of(german) if message.pluralizable]
    assert plurals, "the templates use ngettext, so the catalog has plural messages"
    assert all(len(message.string) == 2 for message in plurals)


def test_translations_keep_every_placeholder(german: Catalog) -> None:
    broken = [
        (english, text)
        for message in messages_of(german)
        for english, text in forms_of(message)
        if text and sorted(PLACEHOLDER.findall(english)) != sorted(PLACEHOLDER.findall(text))
    ]
    assert broken == [], "placeholders differ between English and German:\n" + "\n".join(
        f"  {english!r} -> {text!r}" for english, text in broken
    )


def test_german_uses_formal_address_and_the_glossary(german: Catalog) -> None:
    offending = [
        text
        for message in messages_of(german)
        for _english, text in forms_of(message)
        if INFORMAL.search(text) or OFF_GLOSSARY.search(text)
    ]
    assert offending == [], "informal address or off-glossary words:\n" + "\n".join(offending)


@pytest.mark.parametrize("language", LANGUAGES)
def test_catalogs_contain_every_message_of_the_source(
    language: str, in_source: dict[Key, str | tuple[str, ...]]
) -> None:
    """A new ``_()`` string without a translation fails here with the list of strings."""
    catalog = {key_of(m.id, m.context): m.id for m in messages_of(load_catalog(language))}
    missing = sorted(
        (str(message) for key, message in in_source.items() if catalog.get(key) != message),
    )
    assert missing == [], (
        f"{len(missing)} strings are missing from translations/{language} (run "
        "`make extract-messages`, then translate them in translations/de):\n"
        + "\n".join(f"  {message}" for message in missing)
    )


@pytest.mark.parametrize("language", LANGUAGES)
def test_catalogs_contain_no_message_the_source_no_longer_uses(
    language: str, in_source: dict[Key, str | tuple[str, ...]]
) -> None:
    catalog = load_catalog(language)
    unused = sorted(
        str(m.id) for m in messages_of(catalog) if key_of(m.id, m.context) not in in_source
    )
    assert unused == [], "no longer in the source (run `make extract-messages`):\n" + "\n".join(
        unused
    )


def test_pages_are_german_by_default(client, factories) -> None:  # noqa: ANN001
    """A browser that states no language gets the node's default language: German."""
    update_node_settings(default_language="de")
    db.session.commit()
    factories.user("anna")
    login_page = client.get("/login").get_data(as_text=True)
    assert '<html lang="de">' in login_page
    assert "Anmelden" in login_page and "Passwort" in login_page  # template and form label
    assert "Log in" not in login_page and "Password" not in login_page
    assert "0 Personen folgen" in client.get("/@anna").get_data(as_text=True)  # ngettext
    missing = client.get("/no-such-page")
    assert missing.status_code == 404 and "Diese Seite gibt es nicht." in missing.get_data(
        as_text=True
    )


def test_pages_are_english_when_the_browser_asks_for_it(client, factories) -> None:  # noqa: ANN001
    update_node_settings(default_language="de")
    db.session.commit()
    factories.user("anna")
    english = {"Accept-Language": "en-GB,en;q=0.9"}
    login_page = client.get("/login", headers=english).get_data(as_text=True)
    assert '<html lang="en">' in login_page
    assert "Log in" in login_page and "Password" in login_page
    assert "Anmelden" not in login_page
    assert "0 followers" in client.get("/@anna", headers=english).get_data(as_text=True)


def test_gettext_outside_a_request_returns_the_german_catalog(app, german: Catalog) -> None:  # noqa: ANN001
    """CLI commands and background jobs (app context, no request) speak the node's language.

    Every message is compared with the ``.po`` file, so a stale compiled catalog shows up here.
    """
    update_node_settings(default_language="de")
    refresh()
    greeting = german["Hello %(name)s,"].string % {"name": "Anna"}
    assert gettext("Hello %(name)s,", name="Anna") == greeting != "Hello Anna,"
    loaded = get_translations()
    stale = []
    for message in messages_of(german):
        if isinstance(message.id, str):
            got = [loaded.ugettext(message.id)]
        else:
            got = [loaded.ungettext(*message.id, n) for n in (1, 2)]
        # An untranslated message falls back to English (the first test reports those).
        wanted = [text or english for english, text in forms_of(message)]
        if got != wanted:
            stale.append(f"  {message.id!r}: {got!r} != {wanted!r}")
    assert stale == [], (
        "the compiled German catalog differs from messages.po; run `make translations`:\n"
        + "\n".join(stale[:20])
    )
