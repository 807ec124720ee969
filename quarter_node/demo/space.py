"""The network's exchange space in the demo: the coordination node opens it, the first
person of each quarter node asks to join with the remote-follow form and the space's owner
accepts on the group's settings page; then Flingern writes the minutes of a networking
meeting into it and the owner adds a guide.

Everything goes through the command line and the pages a person uses; the follow request's
id is read from the settings page (the demo never looks into a database)."""

from __future__ import annotations

import re
from collections.abc import Callable

from .browser import Browser
from .content import COORDINATION, QUARTERS, Initiative
from .nodes import DemoNode, poll
from .populate import logged_in

SPACE = "austausch"  # the default of the network setting ``space_handle``
TIMEOUT = 30.0  # requests and acceptances travel between the nodes asynchronously
TO_GROUP_RE = re.compile(r'name="to_group"[^>]*value="(\d+)"')
REQUEST_RE = re.compile(r"<li>(.*?)</li>", re.S)
ACCEPT_RE = re.compile(rf"/groups/{SPACE}/remote-requests/(\d+)/accept")

MINUTES = (
    "Protokoll des Vernetzungstreffens: Flingern und Bilk planen einen gemeinsamen "
    "Lastenrad-Verleih. Nächste Schritte: Standorte klären, Versicherung anfragen, "
    "Termine für die Einweisung festlegen."
)
GUIDE_TITLE = "Leitfaden: Digitale Werkzeuge für Nachbarschaftsinitiativen"
GUIDE_BODY = (
    "## Worum es geht\n\n"
    "Dieser Leitfaden sammelt Werkzeuge, die sich in den Initiativen bewährt haben.\n\n"
    "## Empfehlungen\n\n"
    "- Termine über den eigenen Quartiersknoten veröffentlichen, damit sie auf der "
    "Netzwerkkarte erscheinen.\n"
    "- Gruppen für Arbeitskreise anlegen, statt lange E-Mail-Verteiler zu pflegen.\n"
    "- Fragen an andere Initiativen hier im Austauschraum stellen.\n"
)


def space_page(coordination: DemoNode) -> str:
    """The space's page on a quarter node: the followed group of the coordination node."""
    return f"/@{SPACE}@{coordination.host}"


def open_space(coordination: DemoNode, quarters: dict[str, DemoNode]) -> None:
    """Space created, the quarters' first people joined, a post and a guide written."""
    coordination.cli(["network", "space", "create", "--owner", COORDINATION.admin.handle])
    owner = logged_in(coordination, COORDINATION.admin)
    members = {}
    for initiative in QUARTERS:
        members[initiative.key] = _join(owner, coordination, quarters[initiative.key], initiative)
    flingern = members["flingern"]
    group = TO_GROUP_RE.search(flingern.text(space_page(coordination)))
    if group is None:
        raise RuntimeError("the space's page on Flingern offers no way to write into it")
    flingern.submit(
        "/posts",
        {"text": MINUTES, "visibility": "group", "to_group": group.group(1), "in_reply_to": ""},
    )
    new_document = "/network/space/documents/new"
    owner.submit(new_document, {"title": GUIDE_TITLE, "body": GUIDE_BODY}, form_page=new_document)


def _join(owner: Browser, coordination: DemoNode, node: DemoNode, who: Initiative) -> Browser:
    """``who``'s first person asks to join from her node; the owner accepts the request."""
    person = who.people[0]
    member = logged_in(node, person)
    member.submit("/remote/follow", {"handle": f"@{SPACE}@{coordination.host}"})
    settings = f"/groups/{SPACE}/settings"
    follow_id = _wait(lambda: _request_id(owner.text(settings), f"@{person.handle}@{node.host}"))
    owner.submit(f"/groups/{SPACE}/remote-requests/{follow_id}/accept", {}, form_page=settings)
    _wait(lambda: TO_GROUP_RE.search(member.text(space_page(coordination))))
    return member


def _request_id(settings_page: str, handle: str) -> str | None:
    """The id of ``handle``'s pending request, from its accept button."""
    for item in REQUEST_RE.findall(settings_page):
        accept = ACCEPT_RE.search(item)
        if handle in item and accept:
            return accept.group(1)
    return None


def _wait(found: Callable[[], object]) -> object:
    result = poll(found, TIMEOUT)
    if not result:
        raise TimeoutError("the exchange space's request never arrived or was never accepted")
    return result
