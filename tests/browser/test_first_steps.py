"""The first steps of a real quarter, told through the browser alone (issue 2's end-to-end story).

An admin sets up the empty node, founds a group and writes the first posts; a neighbour joins
through an invitation, joins the group and replies; a troll who also got a link insults her;
she reports it, and the admin (a moderator by rank) hides the reply. Each step checks what the
people involved rely on seeing. Nothing here touches the database or a test client: only
Chromium, with JavaScript switched off, against ``quarter-node run``.

Selectors never use visible words (they are being translated): see ``tests/browser/ui.py``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.browser.conftest import DESKTOP, PHONE, Contexts, LiveNode
from tests.browser.pictures import garden_png, sign_png
from tests.browser.ui import (
    Person,
    assert_accessible_basics,
    assert_skip_link_works,
    badge_count,
    fill_fields,
    follow,
    goto,
    main_text,
    path_of,
    post_card,
    post_id,
    submit,
    tab_to,
)

pytestmark = pytest.mark.browser

NODE_NAME = "Nordstadt online"
QUARTER = "Dortmund-Nordstadt"
ADMIN = Person("anna@nordstadt.example", "anna", "Anna Schäfer", "Kompost-und-Kürbis-2024")
NEIGHBOUR = Person("derya@nordstadt.example", "derya", "Derya Yılmaz", "Tomaten am Borsigplatz 7")
TROLL = Person("troll@nordstadt.example", "krawall", "Krawall Kalle", "laut-laut-laut-laut")
GROUP_HANDLE = "garten"

SETUP_FORM = 'main form[action="/setup"]'
COMPOSE_FORM = 'main form[action="/posts"]'
INVITATION_FORM = 'main form[action="/invitations"]'
REGISTER_FORM = 'main form[action^="/register"]'

GROUP_POST = "Samstag um 10 Uhr pflanzen wir Kürbisse im Gemeinschaftsgarten. Wer hilft mit?"
GROUP_IMAGE_ALT = "Drei frisch angelegte Hochbeete auf einer Wiese, dahinter Sonne"
LOCAL_POST = "Hallo Nordstadt! Ab heute trifft sich unser Quartier auch hier online."
LOCAL_IMAGE_ALT = "Ein gemaltes Schild mit der Aufschrift Nordstadt online"
NEIGHBOUR_REPLY = "Ich komme gern und bringe zwei Schaufeln und Kaffee mit."
TROLL_REPLY = "Ihr Gartenspinner seid alle Idioten, haut bloß ab aus der Nordstadt!"
REPORT_REASON = "Beleidigt alle Leute aus dem Garten. Bitte ausblenden."
MODERATION_NOTE = "Beleidigung, Hausregel 1."


@dataclass
class Story:
    """What the steps hand on to each other: the node, the people's pages, the posts."""

    node: LiveNode
    contexts: Contexts
    shot: Any
    tmp: Path
    admin: Any = None
    neighbour: Any = None
    troll: Any = None
    visitor: Any = None
    group_post_id: int = 0
    reply_id: int = 0
    troll_reply_id: int = 0
    report_id: int = 0

    def url(self, path: str) -> str:
        return self.node.url + path

    def page(self, viewport: dict[str, int] = PHONE) -> Any:
        return self.contexts.new(viewport=viewport).new_page()

    def shot_again(self, page: Any, name: str) -> None:
        """Load the page once more (its "published" message gone), then take the picture."""
        page.reload()
        self.shot(page, name)


def test_first_steps_of_a_quarter(
    live_node: LiveNode, contexts: Contexts, screenshot: Any, tmp_path: Path
) -> None:
    story = Story(live_node, contexts, screenshot, tmp_path)
    a_stranger_cannot_claim_the_fresh_node(story)
    the_admin_sets_up_the_node(story)
    the_admin_founds_a_group_and_posts_with_images(story)
    a_visitor_reads_the_public_posts(story)
    invitations = [invitation_link(story, note) for note in ("Für Derya", "Für Kalle")]
    the_neighbour_registers_and_replies(story, invitations[0])
    the_troll_registers_and_insults_her(story, invitations[1])
    the_neighbour_reports_the_insult(story)
    the_admin_hides_the_reported_reply(story)
    the_reply_is_gone_for_everybody_but_its_author(story)
    the_audit_log_keeps_the_action(story)
    desktop_screenshots(story)


# --- the steps -------------------------------------------------------------------------------


def a_stranger_cannot_claim_the_fresh_node(story: Story) -> None:
    """Every page leads to /setup, which without the one-time link refuses to open."""
    story.visitor = story.page()
    goto(story.visitor, story.url("/local"), status=403)
    assert path_of(story.visitor) == "/setup"
    assert story.visitor.locator(SETUP_FORM).count() == 0


def the_admin_sets_up_the_node(story: Story) -> None:
    story.admin = page = story.page()
    goto(page, story.node.setup_link)
    assert path_of(page) == "/setup", "the token must leave the address bar"
    assert_accessible_basics(page)
    fill_fields(page, SETUP_FORM, setup_values())
    story.shot(page, "setup")
    submit(page, SETUP_FORM)
    assert path_of(page) == "/admin"
    assert page.locator(".site-name").inner_text() == NODE_NAME
    assert page.locator(".site-quarter").inner_text() == QUARTER
    assert page.locator("html").get_attribute("lang") == "de"
    for path in ("/admin", "/moderation", "/notifications"):
        assert page.locator(f'.site-nav a[href="{path}"]').count() == 1, path
    assert_accessible_basics(page)
    story.shot(page, "admin-overview")
    goto(story.visitor, story.node.setup_link, status=404)  # the link worked once


def setup_values() -> dict[str, str | bool]:
    return {
        "name": NODE_NAME,
        "quarter": QUARTER,
        "description": "Das Netz der Nachbarschaft rund um Borsigplatz und Nordmarkt.",
        "default_language": "de",
        "registration_mode": "invitation",
        "email": ADMIN.email,
        "handle": ADMIN.handle,
        "display_name": ADMIN.name,
        "password": ADMIN.password,
        "password_confirm": ADMIN.password,
    }


def the_admin_founds_a_group_and_posts_with_images(story: Story) -> None:
    page = story.admin
    goto(page, story.url("/groups/new"))
    assert_accessible_basics(page)
    fill_fields(
        page,
        'main form[action="/groups/new"]',
        {
            "display_name": "Gemeinschaftsgarten",
            "handle": GROUP_HANDLE,
            "description": "Wir gärtnern gemeinsam auf der Brache an der Mallinckrodtstraße.",
            "visibility": "public",
            "join_mode": "open",
        },
    )
    submit(page, 'main form[action="/groups/new"]')
    assert path_of(page) == f"/groups/{GROUP_HANDLE}"
    publish(page, GROUP_POST, image=garden_png(story.tmp), alt=GROUP_IMAGE_ALT)
    assert path_of(page) == f"/groups/{GROUP_HANDLE}", "back on the group page"
    card = post_card(page, GROUP_POST)
    story.group_post_id = post_id(card)
    assert_image_is_served(page, card, GROUP_IMAGE_ALT)
    assert_accessible_basics(page)
    story.shot_again(page, "group")

    goto(page, story.url("/local"))
    publish(page, LOCAL_POST, image=sign_png(story.tmp), alt=LOCAL_IMAGE_ALT)
    assert path_of(page) == "/local"
    assert_image_is_served(page, post_card(page, LOCAL_POST), LOCAL_IMAGE_ALT)
    post_card(page, GROUP_POST)  # the public group post is part of the quarter's timeline
    assert_accessible_basics(page)
    story.shot(page, "local-timeline")


def publish(page: Any, text: str, *, image: Path | None = None, alt: str = "") -> None:
    """Write into the page's compose (or reply) form, with an image if given, and send it."""
    values: dict[str, str | bool] = {"text": text}
    if page.locator(f'{COMPOSE_FORM} select[name="visibility"] option[value="public"]').count():
        values["visibility"] = "public"
    if image is not None:
        page.locator(f"{COMPOSE_FORM} details.compose__images > summary").click()
        page.locator(f'{COMPOSE_FORM} [name="images-0-file"]').set_input_files(image)
        values["images-0-alt_text"] = alt
    fill_fields(page, COMPOSE_FORM, values)
    submit(page, COMPOSE_FORM)
    assert page.locator(".flash--success").count() == 1, main_text(page)


def assert_image_is_served(page: Any, card: Any, alt: str) -> None:
    image = card.locator("img")
    assert image.get_attribute("alt") == alt
    answer = page.request.get(image.evaluate("img => img.src"))
    assert answer.status == 200
    assert answer.headers["content-type"] == "image/png"


def a_visitor_reads_the_public_posts(story: Story) -> None:
    """Without an account: the public posts, the group's posts, but no way to write."""
    page = story.visitor
    goto(page, story.url("/local"))
    post_card(page, LOCAL_POST)
    goto(page, story.url(f"/groups/{GROUP_HANDLE}"))
    assert post_card(page, GROUP_POST).locator("img").get_attribute("alt") == GROUP_IMAGE_ALT
    assert page.locator(COMPOSE_FORM).count() == 0
    assert page.locator(f'main form[action="/groups/{GROUP_HANDLE}/join"]').count() == 0
    assert page.locator('main a[href^="/login?next="]').count() == 1
    goto(page, story.url("/moderation"))
    assert path_of(page).startswith("/login"), "moderation needs a login"


def invitation_link(story: Story, note: str) -> str:
    """The admin makes a single-use invitation link and copies it from the page."""
    page = story.admin
    goto(page, story.url("/invitations"))
    before = set(page.locator("code.invitation-link").all_inner_texts())
    fill_fields(page, INVITATION_FORM, {"note": note})
    submit(page, INVITATION_FORM)
    assert path_of(page) == "/invitations"
    new = set(page.locator("code.invitation-link").all_inner_texts()) - before
    assert len(new) == 1, new
    link = new.pop()
    assert link.startswith(story.url("/register?invite=")), link
    assert page.locator(".flash--success", has_text=link).count() == 1
    assert_accessible_basics(page)
    story.shot(page, "invitations")
    return link


def register(story: Story, person: Person, link: str, shots: bool = False) -> Any:
    """A new person opens the link in their own browser and fills in the form."""
    page = story.page()
    goto(page, link)
    assert page.locator('[name="invite_code"]').count() == 0, "the link carries the code"
    assert page.locator('select[name="locale"]').input_value() == "de", "browser language"
    assert_accessible_basics(page)
    fill_fields(page, REGISTER_FORM, person.registration())
    if shots:
        story.shot(page, "register-invitation")
    submit(page, REGISTER_FORM)
    assert path_of(page) == "/welcome"
    assert page.locator(".site-nav a[href='/admin']").count() == 0, "a member, not an admin"
    return page


def the_neighbour_registers_and_replies(story: Story, link: str) -> None:
    story.neighbour = page = register(story, NEIGHBOUR, link, shots=True)
    assert page.locator("ol.first-steps").count() == 1
    assert_accessible_basics(page)
    story.shot(page, "first-steps")
    goto(story.page(), link, status=410)  # single use: somebody else cannot use it again

    follow(page, 'ol.first-steps a[href="/groups"]')
    follow(page, f'main a[href="/groups/{GROUP_HANDLE}"]')
    join_group(page)
    open_conversation(page, story.group_post_id)
    publish(page, NEIGHBOUR_REPLY)
    assert path_of(page) == f"/posts/{story.group_post_id}"
    story.reply_id = post_id(post_card(page.locator("#replies"), NEIGHBOUR_REPLY))
    assert page.locator("#replies article.post--reply").count() == 1
    assert_accessible_basics(page)
    story.shot_again(page, "thread")


def join_group(page: Any) -> None:
    submit(page, f'main form[action="/groups/{GROUP_HANDLE}/join"]')
    assert path_of(page) == f"/groups/{GROUP_HANDLE}"
    assert page.locator(f'main form[action="/groups/{GROUP_HANDLE}/leave"]').count() == 1
    assert page.locator(COMPOSE_FORM).count() == 1, "members may write in the group"


def open_conversation(page: Any, post: int) -> None:
    """Follow a post card's date link to its conversation."""
    follow(page, f'#post-{post} header a[href="/posts/{post}"]')
    assert path_of(page) == f"/posts/{post}"


def the_troll_registers_and_insults_her(story: Story, link: str) -> None:
    story.troll = page = register(story, TROLL, link)
    goto(page, story.url(f"/groups/{GROUP_HANDLE}"))
    join_group(page)
    open_conversation(page, story.group_post_id)
    open_conversation(page, story.reply_id)  # he answers Derya, not the post
    publish(page, TROLL_REPLY)
    assert path_of(page) == f"/posts/{story.reply_id}"
    story.troll_reply_id = post_id(post_card(page, TROLL_REPLY))


def the_neighbour_reports_the_insult(story: Story) -> None:
    """Derya is told about the reply, finds it from his notifications and reports it."""
    page = story.neighbour
    goto(page, story.url("/"))
    assert badge_count(page) == 1
    follow(page, '.site-nav a[href="/notifications"]')
    assert_accessible_basics(page)
    story.shot(page, "notifications")
    follow(page, f'main .notification a[href="/posts/{story.troll_reply_id}"]')
    for text in (GROUP_POST, NEIGHBOUR_REPLY, TROLL_REPLY):
        post_card(page, text)
    story.shot(page, "thread-with-insult")
    follow(page, f'#post-{story.troll_reply_id} a[href="/posts/{story.troll_reply_id}/report"]')
    assert TROLL_REPLY in page.locator("main blockquote").inner_text()
    form = 'main form[method="post"]:has(select[name="category"])'
    fill_fields(page, form, {"category": "harassment", "reason": REPORT_REASON})
    assert_accessible_basics(page)
    story.shot(page, "report-form")
    submit(page, form)
    assert path_of(page) == "/reports/thanks"
    assert page.locator("main [role=status]").count() == 1


def the_admin_hides_the_reported_reply(story: Story) -> None:
    """The report reaches the admin (a moderator by rank) as a notification and in the queue."""
    page = story.admin
    goto(page, story.url("/admin"))
    assert badge_count(page) >= 1, "the moderators are told about the report"
    goto(page, story.url("/moderation"))
    card = page.locator("main li.card", has_text=TROLL_REPLY)
    assert card.count() == 1, main_text(page)
    assert REPORT_REASON in card.inner_text()
    assert_accessible_basics(page)
    story.shot(page, "moderation-queue")
    report_link = card.locator('a[href^="/moderation/reports/"]').get_attribute("href")
    story.report_id = int(report_link.rsplit("/", 1)[1])
    follow(page, '.site-nav a[href="/notifications"]')
    follow(page, f'main .notification a[href="{report_link}"]')
    assert REPORT_REASON in page.locator("main blockquote.report-reason").inner_text()
    assert TROLL_REPLY in page.locator("main article").inner_text()
    assert_accessible_basics(page)
    story.shot(page, "moderation-report")
    act = f'main form[action="{report_link}/act"]'
    fill_fields(page, act, {"note": MODERATION_NOTE})
    submit(page, act, 'button[name="action"][value="hide"]')
    assert path_of(page) == report_link
    assert page.locator("main article.post--hidden").count() == 1
    assert page.locator(f'{act} button[value="unhide"]').count() == 1, "it can be undone"
    goto(page, story.url("/moderation"))
    assert page.locator("main li.card", has_text=TROLL_REPLY).count() == 0, "report closed"


def the_reply_is_gone_for_everybody_but_its_author(story: Story) -> None:
    for page in (story.neighbour, story.visitor):
        goto(page, story.url(f"/posts/{story.group_post_id}"))
        post_card(page, GROUP_POST)
        post_card(page, NEIGHBOUR_REPLY)
        assert TROLL_REPLY not in main_text(page)
        assert page.locator(f"#post-{story.troll_reply_id}").count() == 0
        goto(page, story.url(f"/posts/{story.troll_reply_id}"), status=404)
    goto(story.visitor, story.url(f"/posts/{story.group_post_id}"))
    story.shot(story.visitor, "thread-after-hiding")
    goto(story.neighbour, story.url("/notifications"))
    hidden_link = f'main a[href="/posts/{story.troll_reply_id}"]'
    assert story.neighbour.locator(hidden_link).count() == 0, "no link to a hidden post"
    assert TROLL_REPLY not in main_text(story.neighbour), "nor a quote of it"

    page = story.troll
    goto(page, story.url(f"/posts/{story.troll_reply_id}"))
    card = post_card(page, TROLL_REPLY)
    assert "post--hidden" in (card.get_attribute("class") or "")
    assert card.locator(".post__notice").count() == 1, "the author is told why"


def the_audit_log_keeps_the_action(story: Story) -> None:
    page = story.admin
    goto(page, story.url("/moderation/log"))
    report_link = page.locator(f'td a[href="/moderation/reports/{story.report_id}"]')
    row = page.locator("main tbody tr", has=report_link)
    assert row.count() == 1, main_text(page)
    cells = row.locator("td").all_inner_texts()
    assert cells[1] == f"@{ADMIN.handle}"
    assert cells[3].startswith(f"@{TROLL.handle}, post {story.troll_reply_id}")
    assert cells[4] == MODERATION_NOTE
    assert_accessible_basics(page)
    story.shot(page, "moderation-log")


def desktop_screenshots(story: Story) -> None:
    """The same pages on a wide screen (for the README and to see the layout hold)."""
    page = story.admin
    page.set_viewport_size(DESKTOP)
    for path, name in (
        ("/local", "local-timeline-desktop"),
        (f"/groups/{GROUP_HANDLE}", "group-desktop"),
        (f"/posts/{story.group_post_id}", "thread-desktop"),
        (f"/moderation/reports/{story.report_id}", "moderation-report-desktop"),
    ):
        goto(page, story.url(path))
        story.shot(page, name)
    page.set_viewport_size(PHONE)


# --- keyboard and accessibility ---------------------------------------------------------------

VISITOR_PAGES = ("/", "/local", "/groups", "/login", "/register", "/password/reset", "/about")
MEMBER_PAGES = (
    "/",
    "/local",
    "/groups",
    "/groups/new",
    f"/@{ADMIN.handle}",
    "/notifications",
    "/invitations",
    "/settings/profile",
    "/settings/account",
    "/settings/delete",
    "/admin",
    "/admin/settings",
    "/admin/users",
    "/moderation",
    "/moderation/log",
    "/moderation/registrations",
)


def test_keyboard_use_and_accessibility_basics(live_node: LiveNode, contexts: Contexts) -> None:
    """Every page: skip link first and working, labelled controls, one h1, a main landmark,
    alt texts; and logging in needs nothing but the keyboard. JavaScript stays off."""
    page = contexts.new().new_page()
    ensure_set_up(page, live_node)
    for path in VISITOR_PAGES:
        goto(page, live_node.url + path)
        assert_accessible_basics(page)
        assert_skip_link_works(page)
    log_in_with_the_keyboard(page, live_node, ADMIN)
    for path in MEMBER_PAGES:
        goto(page, live_node.url + path)
        assert_accessible_basics(page)
        assert_skip_link_works(page)


def ensure_set_up(page: Any, node: LiveNode) -> None:
    """The story sets the node up; run alone (``-k``, another xdist worker) this test must."""
    goto(page, node.url + "/about", status=None)
    if path_of(page) == "/setup":
        goto(page, node.setup_link)
        fill_fields(page, SETUP_FORM, setup_values())
        submit(page, SETUP_FORM)
        submit(page, ".site-nav form[action='/logout']")


def log_in_with_the_keyboard(page: Any, node: LiveNode, person: Person) -> None:
    goto(page, node.url + "/login")
    tab_to(page, "email")
    page.keyboard.type(person.email)
    tab_to(page, "password")
    page.keyboard.type(person.password)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert path_of(page) == "/"
    assert page.locator(".site-nav form[action='/logout']").count() == 1, main_text(page)
