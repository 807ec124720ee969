"""Group pages as residents use them: founding, joining, answering requests, roles, invites."""

from __future__ import annotations

import io

from PIL import Image

from quarter_node.extensions import db
from quarter_node.groups.models import Group, GroupRole, JoinMode, MembershipState
from quarter_node.groups.permissions import membership_of
from quarter_node.media.models import Media
from quarter_node.notifications.models import Notification, NotificationKind
from tests.helpers import logged_in_client, post_form, text_of


def _group_count() -> int:
    return db.session.scalar(db.select(db.func.count(Group.id)))


def _new_group_form(**overrides: str) -> dict[str, str]:
    return {
        "display_name": "Gemeinschaftsgarten",
        "handle": "garten",
        "description": "Wir **gärtnern** zusammen.",
        "visibility": "public",
        "join_mode": "open",
        **overrides,
    }


def test_a_member_founds_a_group_and_owns_it(factories, make_client) -> None:  # noqa: ANN001
    anna = factories.user("anna")
    browser = logged_in_client(make_client, anna)
    response = post_form(browser, "/groups/new", _new_group_form())
    assert response.status_code == 302 and response.headers["Location"] == "/groups/garten"
    group = db.session.scalar(db.select(Group))
    assert membership_of(anna.actor, group).role == GroupRole.OWNER
    page = text_of(browser.get("/groups/garten"))
    assert "Gemeinschaftsgarten" in page and "<strong>gärtnern</strong>" in page
    assert "Gemeinschaftsgarten" in text_of(browser.get("/groups"))


def test_a_handle_of_a_person_cannot_be_taken_by_a_group(factories, make_client) -> None:  # noqa: ANN001
    factories.user("nachbar")
    browser = logged_in_client(make_client, factories.user(locale="en"))
    response = post_form(browser, "/groups/new", _new_group_form(handle="Nachbar"))
    assert response.status_code == 422
    assert "This handle is already taken" in text_of(response)
    assert _group_count() == 0


def test_over_long_or_malformed_fields_are_refused(factories, make_client) -> None:  # noqa: ANN001
    browser = logged_in_client(make_client, factories.user())
    for bad in (
        {"display_name": "x" * 101},
        {"description": "x" * 2001},
        {"handle": "x" * 31},
        {"handle": "mit leerzeichen"},
        {"visibility": "secret"},
    ):
        response = post_form(browser, "/groups/new", _new_group_form(**bad))
        assert response.status_code == 422, bad
        assert 'aria-invalid="true"' in text_of(response)
    assert _group_count() == 0


def test_visitors_must_log_in_to_found_or_join(factories, client) -> None:  # noqa: ANN001
    factories.group("garten")
    assert client.get("/groups/new").status_code == 302
    assert "/login" in post_form(client, "/groups/garten/join").headers["Location"]
    assert "Garten" in text_of(client.get("/groups/garten"))


def test_unknown_groups_answer_404(factories, make_client) -> None:  # noqa: ANN001
    browser = logged_in_client(make_client, factories.user("anna"))
    assert browser.get("/groups/nirgendwo").status_code == 404
    assert browser.get("/groups/nirgendwo/members").status_code == 404
    assert post_form(browser, "/groups/nirgendwo/join").status_code == 404
    assert browser.get("/groups/anna").status_code == 404  # a person, not a group


def test_joining_an_open_group_and_leaving_it(factories, make_client) -> None:  # noqa: ANN001
    group = factories.group("garten", owner=factories.user())
    ben = factories.user()
    browser = logged_in_client(make_client, ben)
    assert post_form(browser, "/groups/garten/join").status_code == 302
    assert membership_of(ben.actor, group).state == MembershipState.ACTIVE
    assert "/groups/garten/leave" in text_of(browser.get("/groups/garten"))
    assert post_form(browser, "/groups/garten/leave").status_code == 302
    assert membership_of(ben.actor, group) is None


def test_a_request_is_notified_and_accepted(factories, make_client) -> None:  # noqa: ANN001
    owner, ben = factories.user("owner"), factories.user("ben")
    group = factories.group("hof", owner=owner, join_mode=JoinMode.REQUEST)
    applicant = logged_in_client(make_client, ben)
    post_form(applicant, "/groups/hof/join")
    assert membership_of(ben.actor, group).state == MembershipState.REQUESTED
    notification = db.session.scalar(
        db.select(Notification).where(Notification.recipient_id == owner.actor_id)
    )
    assert notification.kind == NotificationKind.JOIN_REQUEST
    assert notification.actor_id == ben.actor_id and notification.group_id == group.id
    moderator = logged_in_client(make_client, owner)
    assert "/groups/hof/requests/ben/accept" in text_of(moderator.get("/groups/hof/settings"))
    assert post_form(moderator, "/groups/hof/requests/ben/accept").status_code == 302
    assert membership_of(ben.actor, group).state == MembershipState.ACTIVE


def test_a_request_can_be_declined(factories, make_client) -> None:  # noqa: ANN001
    owner, ben = factories.user(), factories.user("ben")
    group = factories.group("hof", owner=owner, join_mode=JoinMode.REQUEST)
    post_form(logged_in_client(make_client, ben), "/groups/hof/join")
    moderator = logged_in_client(make_client, owner)
    assert post_form(moderator, "/groups/hof/requests/ben/decline").status_code == 302
    assert membership_of(ben.actor, group) is None
    assert post_form(moderator, "/groups/hof/requests/ben/decline").status_code == 404


def test_members_cannot_change_roles_or_remove_people(factories, make_client) -> None:  # noqa: ANN001
    owner, ben, carl = factories.user("owner"), factories.user("ben"), factories.user("carl")
    group = factories.group("hof", owner=owner, members=(ben, carl))
    member = logged_in_client(make_client, ben)
    assert post_form(member, "/groups/hof/members/carl/role", {"role": "owner"}).status_code == 403
    assert post_form(member, "/groups/hof/members/carl/remove").status_code == 403
    assert member.get("/groups/hof/settings").status_code == 403
    assert membership_of(carl.actor, group).role == GroupRole.MEMBER
    assert membership_of(carl.actor, group).state == MembershipState.ACTIVE


def test_the_owner_sets_roles_and_removes_members(factories, make_client) -> None:  # noqa: ANN001
    owner, ben, carl = factories.user("owner"), factories.user("ben"), factories.user("carl")
    group = factories.group("hof", owner=owner, members=(ben, carl))
    browser = logged_in_client(make_client, owner)
    response = post_form(browser, "/groups/hof/members/ben/role", {"role": "moderator"})
    assert response.status_code == 302
    assert membership_of(ben.actor, group).role == GroupRole.MODERATOR
    assert post_form(browser, "/groups/hof/members/carl/remove").status_code == 302
    assert membership_of(carl.actor, group) is None


def test_tampered_roles_and_handles_are_refused(factories, make_client) -> None:  # noqa: ANN001
    owner, ben = factories.user("owner"), factories.user("ben")
    group = factories.group("hof", owner=owner, members=(ben,))
    browser = logged_in_client(make_client, owner)
    assert post_form(browser, "/groups/hof/members/ben/role", {"role": "admin"}).status_code == 400
    owner_role = {"role": "owner"}
    assert post_form(browser, "/groups/hof/members/niemand/role", owner_role).status_code == 404
    assert post_form(browser, "/groups/hof/members/niemand/remove").status_code == 404
    assert post_form(browser, "/groups/hof/requests/ben/accept").status_code == 404
    assert membership_of(ben.actor, group).role == GroupRole.MEMBER


def test_the_last_owner_cannot_leave_while_others_remain(factories, make_client) -> None:  # noqa: ANN001
    owner, ben = factories.user(locale="en"), factories.user()
    group = factories.group("hof", owner=owner, members=(ben,))
    browser = logged_in_client(make_client, owner)
    response = post_form(browser, "/groups/hof/leave")
    assert response.status_code == 409
    assert "last owner" in text_of(response)
    assert membership_of(owner.actor, group).role == GroupRole.OWNER


def test_an_invitation_is_sent_and_accepted(factories, make_client) -> None:  # noqa: ANN001
    owner, ben = factories.user("owner"), factories.user("ben")
    group = factories.group("hof", owner=owner, join_mode=JoinMode.REQUEST)
    moderator = logged_in_client(make_client, owner)
    assert post_form(moderator, "/groups/hof/invite", {"handle": "@Ben"}).status_code == 302
    assert membership_of(ben.actor, group).state == MembershipState.INVITED
    kinds = db.session.scalars(
        db.select(Notification.kind).where(Notification.recipient_id == ben.actor_id)
    ).all()
    assert kinds == [NotificationKind.GROUP_INVITE]
    invitee = logged_in_client(make_client, ben)
    assert "/groups/hof/invitation/accept" in text_of(invitee.get("/groups/hof"))
    assert post_form(invitee, "/groups/hof/invitation/accept").status_code == 302
    assert membership_of(ben.actor, group).state == MembershipState.ACTIVE


def test_inviting_an_unknown_handle_stores_nothing(factories, make_client) -> None:  # noqa: ANN001
    owner = factories.user("owner", locale="en")
    factories.group("hof", owner=owner)
    browser = logged_in_client(make_client, owner)
    response = post_form(browser, "/groups/hof/invite", {"handle": "niemand"})
    assert response.status_code == 404
    assert "There is no member with this handle" in text_of(response)
    assert db.session.scalar(db.select(db.func.count(Notification.id))) == 0


def test_the_owner_edits_the_group_and_members_cannot(factories, make_client) -> None:  # noqa: ANN001
    owner, ben = factories.user(), factories.user()
    group = factories.group("hof", owner=owner, members=(ben,))
    form = {"display_name": "Hof 7", "description": "Neu", "visibility": "public"}
    form["join_mode"] = "request"
    member = logged_in_client(make_client, ben)
    assert post_form(member, "/groups/hof/settings", form).status_code == 403
    browser = logged_in_client(make_client, owner)
    assert post_form(browser, "/groups/hof/settings", form).status_code == 302
    db.session.refresh(group)
    assert group.actor.display_name == "Hof 7" and group.join_mode == JoinMode.REQUEST
    too_long = post_form(browser, "/groups/hof/settings", {**form, "display_name": "x" * 101})
    assert too_long.status_code == 422
    db.session.refresh(group.actor)
    assert group.actor.display_name == "Hof 7"


def test_a_group_picture_is_stored_and_shown(factories, make_client) -> None:  # noqa: ANN001
    owner = factories.user()
    factories.group("hof", owner=owner)
    browser = logged_in_client(make_client, owner)
    image = io.BytesIO()
    Image.new("RGB", (40, 30), "green").save(image, "PNG")
    upload = {"image": (io.BytesIO(image.getvalue()), "hof.png"), "alt_text": "Grüner Hof"}
    response = post_form(browser, "/groups/hof/avatar", upload, content_type="multipart/form-data")
    assert response.status_code == 302
    media = db.session.scalar(db.select(Media))
    assert media.purpose == "avatar" and media.alt_text == "Grüner Hof"
    assert media.storage_name in text_of(browser.get("/groups/hof"))
    fake = {"image": (io.BytesIO(b"not an image"), "hof.png")}
    response = post_form(browser, "/groups/hof/avatar", fake, content_type="multipart/form-data")
    assert response.status_code == 422
    assert db.session.scalar(db.select(db.func.count(Media.id))) == 1


def test_the_owner_deletes_the_group(factories, make_client) -> None:  # noqa: ANN001
    owner, ben = factories.user(), factories.user()
    factories.group("hof", owner=owner, members=(ben,))
    assert post_form(logged_in_client(make_client, ben), "/groups/hof/delete").status_code == 403
    browser = logged_in_client(make_client, owner)
    assert browser.get("/groups/hof/delete").status_code == 200
    assert post_form(browser, "/groups/hof/delete").status_code == 302
    assert _group_count() == 0
    gone = browser.get("/groups/hof")
    assert gone.status_code == 410 and "This group has been deleted." in text_of(gone)
