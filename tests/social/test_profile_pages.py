"""Profile pages and following, as neighbours use them in the browser."""

from __future__ import annotations

from quarter_node.accounts.models import AccountState
from quarter_node.db_types import utcnow
from quarter_node.extensions import db
from quarter_node.groups.models import GroupVisibility
from quarter_node.notifications.models import Notification, NotificationKind
from quarter_node.posts.models import Visibility
from quarter_node.social.models import Follow
from tests.helpers import logged_in_client, post_form, text_of


def _follows() -> list[tuple[int, int]]:
    rows = db.session.execute(db.select(Follow.follower_id, Follow.followed_id))
    return [tuple(row) for row in rows]


def test_a_profile_shows_the_person_and_their_posts(factories, client) -> None:  # noqa: ANN001
    ben = factories.user("ben", display_name="Ben Becker")
    ben.actor.bio = "Ich repariere **Fahrräder**."
    db.session.commit()
    factories.post(ben, "Flohmarkt am Samstag")
    factories.post(ben, "Nur für Folgende", visibility=Visibility.FOLLOWERS)
    page = text_of(client.get("/@ben"))
    assert "Ben Becker" in page and "@ben" in page
    assert "<strong>Fahrräder</strong>" in page
    assert "Flohmarkt am Samstag" in page and "Nur für Folgende" not in page


def test_unknown_pending_and_group_handles(factories, client) -> None:  # noqa: ANN001
    factories.user("wartend", state=AccountState.PENDING)
    factories.group("garten")
    assert client.get("/@niemand").status_code == 404
    assert client.get("/@wartend").status_code == 404
    response = client.get("/@garten")
    assert response.status_code == 302 and response.headers["Location"] == "/groups/garten"


def test_a_suspended_account_shows_a_notice_and_no_posts(factories, client) -> None:  # noqa: ANN001
    ben = factories.user("ben", locale="en")
    factories.post(ben, "Werbung Werbung")
    ben.actor.suspended_at = utcnow()
    db.session.commit()
    response = client.get("/@ben", headers={"Accept-Language": "en"})
    assert response.status_code == 200
    assert "suspended" in text_of(response) and "Werbung Werbung" not in text_of(response)


def test_following_notifies_and_unfollowing_ends_it(factories, make_client) -> None:  # noqa: ANN001
    anna, ben = factories.user("anna"), factories.user("ben")
    browser = logged_in_client(make_client, anna)
    assert post_form(browser, "/@ben/follow").status_code == 302
    assert _follows() == [(anna.actor_id, ben.actor_id)]
    notification = db.session.scalar(db.select(Notification))
    assert notification.kind == NotificationKind.FOLLOW
    assert notification.recipient_id == ben.actor_id and notification.actor_id == anna.actor_id
    assert "/@ben/unfollow" in text_of(browser.get("/@ben"))
    assert "Anna" in text_of(browser.get("/@ben/followers"))
    assert "Ben" in text_of(browser.get("/@anna/following"))
    assert post_form(browser, "/@ben/unfollow").status_code == 302
    assert _follows() == []


def test_nobody_follows_themselves_or_unknown_handles(factories, make_client) -> None:  # noqa: ANN001
    anna = factories.user("anna")
    browser = logged_in_client(make_client, anna)
    assert post_form(browser, "/@anna/follow").status_code == 400
    assert post_form(browser, "/@niemand/follow").status_code == 404
    assert _follows() == []


def test_visitors_are_sent_to_log_in_to_follow(factories, client) -> None:  # noqa: ANN001
    factories.user("ben")
    response = post_form(client, "/@ben/follow")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert _follows() == []


def test_following_fills_the_home_timeline(factories, make_client) -> None:  # noqa: ANN001
    anna, ben, carl = factories.user("anna"), factories.user("ben"), factories.user("carl")
    factories.post(ben, "Hallo aus dem Hinterhof")
    factories.post(ben, "Nur für meine Leute", visibility=Visibility.FOLLOWERS)
    factories.post(anna, "Mein eigener Beitrag")  # a home timeline with something in it
    follower = logged_in_client(make_client, anna)
    assert "Hallo aus dem Hinterhof" not in text_of(follower.get("/"))
    post_form(follower, "/@ben/follow")
    home = text_of(follower.get("/"))
    assert "Hallo aus dem Hinterhof" in home and "Nur für meine Leute" in home
    stranger = logged_in_client(make_client, carl)
    assert "Nur für meine Leute" not in text_of(stranger.get("/"))
    assert "Nur für meine Leute" not in text_of(stranger.get("/@ben"))
    assert "Nur für meine Leute" in text_of(follower.get("/@ben"))


def test_following_a_group_shows_its_public_posts_without_joining(factories, make_client) -> None:  # noqa: ANN001
    anna, owner = factories.user("anna"), factories.user()
    group = factories.group("garten", owner=owner)
    factories.post(owner, "Gießdienst diese Woche", group=group)
    factories.post(anna, "Mein eigener Beitrag")  # a home timeline with something in it
    browser = logged_in_client(make_client, anna)
    assert "Gießdienst diese Woche" not in text_of(browser.get("/"))
    assert "/@garten/follow" in text_of(browser.get("/groups/garten"))
    assert post_form(browser, "/@garten/follow").headers["Location"] == "/groups/garten"
    assert "Gießdienst diese Woche" in text_of(browser.get("/"))


def test_members_only_groups_cannot_be_followed(factories, make_client) -> None:  # noqa: ANN001
    factories.group("haus", visibility=GroupVisibility.MEMBERS_ONLY)
    browser = logged_in_client(make_client, factories.user())
    assert post_form(browser, "/@haus/follow").status_code == 400
    assert _follows() == []


def test_a_profile_lists_public_groups_and_shared_ones(factories, make_client) -> None:  # noqa: ANN001
    mara, anna = factories.user("mara"), factories.user("anna")
    factories.group(display_name="Offener Garten", members=(mara,))
    factories.group(
        display_name="Geheimer Chor", members=(mara, anna), visibility=GroupVisibility.MEMBERS_ONLY
    )
    factories.group(
        display_name="Stiller Kreis", members=(mara,), visibility=GroupVisibility.MEMBERS_ONLY
    )
    page = text_of(logged_in_client(make_client, anna).get("/@mara"))
    assert "Offener Garten" in page and "Geheimer Chor" in page
    assert "Stiller Kreis" not in page
