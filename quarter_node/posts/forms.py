"""Forms of the posts domain: writing, replying, editing and the delete confirmation.

The rules (who may post where, lengths, image checks) live in ``posts.services`` and
``media.services``; these forms only shape the input and give early, friendly messages.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import FieldList, FormField, HiddenField, SelectField, TextAreaField
from wtforms.validators import Length, Optional

from quarter_node.posts.models import Visibility

MAX_IMAGES = 4
ALT_TEXT_MAX_LENGTH = 1500


def visibility_labels() -> dict[Visibility, str]:
    """What each visibility means, in words a neighbour understands."""
    return {
        Visibility.PUBLIC: str(_l("Public: everybody, also without an account")),
        Visibility.UNLISTED: str(_l("Unlisted: everybody with the link, not in public timelines")),
        Visibility.MEMBERS: str(_l("Members of this node")),
        Visibility.FOLLOWERS: str(_l("Only my followers")),
        Visibility.GROUP: str(_l("Only members of the group")),
        Visibility.DIRECT: str(_l("Direct: only the people mentioned")),
    }


def visibility_hint() -> str:
    """What the short labels cannot say: how a direct post finds its audience."""
    return str(
        _l(
            "Direct posts reach only the people you mention with @name or @name@example.org "
            "(on another server), and replies to them stay among these people."
        )
    )


def short_visibility_labels() -> dict[Visibility, str]:
    """The same, short enough for the line above a post."""
    return {
        Visibility.PUBLIC: str(_l("Public")),
        Visibility.MEMBERS: str(_l("Members")),
        Visibility.FOLLOWERS: str(_l("Followers")),
        Visibility.GROUP: str(_l("Group members")),
        Visibility.UNLISTED: str(_l("Unlisted")),
        Visibility.DIRECT: str(_l("Direct")),
    }


class ImageForm(FlaskForm):
    """One image with its description; nested in the post form."""

    class Meta:
        csrf = False

    file = FileField(_l("Image file"))
    alt_text = TextAreaField(
        _l("Image description (alt text)"),
        validators=[Optional(), Length(max=ALT_TEXT_MAX_LENGTH)],
        render_kw={"rows": 2},
    )


class PostForm(FlaskForm):
    """Writing a post or a reply. ``group_id`` is a select of the writer's groups on the
    start page; the compose partial renders it as a hidden input on a group page."""

    text = TextAreaField(_l("Your post"))
    # Neither select is validated against its choices: the service decides (a reply is
    # narrowed to its parent, a stranger to a group gets 403, nonsense gets a message).
    visibility = SelectField(_l("Who can see it?"), choices=[], validate_choice=False)
    group_id = SelectField(_l("Post in a group"), choices=[], validate_choice=False)
    in_reply_to = HiddenField()
    to_group = HiddenField()  # the id of a followed remote group actor (posts.remote_groups)
    next_url = HiddenField()
    images = FieldList(FormField(ImageForm), min_entries=MAX_IMAGES, max_entries=MAX_IMAGES)

    def has_image_errors(self) -> bool:
        return any(entry.errors for entry in self.images)

    def image_uploads(self) -> list[tuple[object, str]]:
        """The chosen files with their alt texts, in order; empty slots are skipped."""
        uploads = []
        for entry in self.images:
            storage = entry.file.data
            if storage is not None and getattr(storage, "filename", ""):
                uploads.append((storage, (entry.alt_text.data or "").strip()))
        return uploads


class EditPostForm(FlaskForm):
    text = TextAreaField(_l("Your post"))


class ConfirmForm(FlaskForm):
    """A form with only the CSRF token: the "Yes, delete" button of a confirm page."""


__all__ = [
    "ALT_TEXT_MAX_LENGTH",
    "MAX_IMAGES",
    "ConfirmForm",
    "EditPostForm",
    "PostForm",
    "short_visibility_labels",
    "visibility_hint",
    "visibility_labels",
]
