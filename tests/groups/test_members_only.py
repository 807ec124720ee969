"""A members-only group keeps its posts and its members to itself, on every page."""

from __future__ import annotations

import pytest

from quarter_node.groups.models import GroupVisibility
from quarter_node.posts.models import Visibility
from quarter_node.social.services import follow
from tests.helpers import logged_in_client, text_of

SECRET_POST = "Treffen im Keller um acht"


@pytest.fixture
def house(factories):  # noqa: ANN001, ANN201
    """A members-only house community with one post by Mara, and outsider Otto, who
    follows Mara."""
    mara, owner, otto = factories.user("mara"), factories.user("hausowner"), factories.user("otto")
    group = factories.group(
        "haus9",
        owner=owner,
        members=(mara,),
        visibility=GroupVisibility.MEMBERS_ONLY,
        display_name="Hausgemeinschaft Neun",
    )
    # Even a post marked public stays inside a members-only group.
    factories.post(mara, SECRET_POST, group=group, visibility=Visibility.PUBLIC)
    factories.post(mara, "Öffentlicher Gruß an alle")
    with factories.app.test_request_context():
        follow(otto, mara.actor)
    return {"group": group, "mara": mara, "otto": otto}


def test_outsiders_see_the_name_but_not_the_posts(house, client, make_client) -> None:  # noqa: ANN001
    otto = logged_in_client(make_client, house["otto"])
    for browser in (client, otto):
        listing = text_of(browser.get("/groups"))
        assert "Hausgemeinschaft Neun" in listing
        page = browser.get("/groups/haus9")
        assert page.status_code == 200
        assert "Hausgemeinschaft Neun" in text_of(page)
        assert SECRET_POST not in text_of(page) and "@mara" not in text_of(page)
        assert browser.get("/groups/haus9/members").status_code == 404


def test_profiles_of_members_do_not_reveal_the_group(house, client, make_client) -> None:  # noqa: ANN001
    otto = logged_in_client(make_client, house["otto"])
    for browser in (client, otto):
        profile = text_of(browser.get("/@mara"))
        assert "Öffentlicher Gruß an alle" in profile
        assert SECRET_POST not in profile and "Hausgemeinschaft Neun" not in profile


def test_home_timelines_of_outsiders_leave_the_group_out(house, make_client) -> None:  # noqa: ANN001
    home = text_of(logged_in_client(make_client, house["otto"]).get("/"))
    assert "Öffentlicher Gruß an alle" in home
    assert SECRET_POST not in home
    assert SECRET_POST not in text_of(logged_in_client(make_client, house["otto"]).get("/local"))


def test_members_see_everything(house, make_client) -> None:  # noqa: ANN001
    member = logged_in_client(make_client, house["mara"])
    assert SECRET_POST in text_of(member.get("/groups/haus9"))
    assert "@mara" in text_of(member.get("/groups/haus9/members"))
    assert "Hausgemeinschaft Neun" in text_of(member.get("/@mara"))
