"""Pages of the space's documents and guides, and the ``Article`` at each document's id.

Readers are the space's audience here (the team, local members); members elsewhere get
the documents federated to their node. Writers are the project team.
"""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, url_for
from flask_wtf import FlaskForm
from markupsafe import Markup
from werkzeug import Response
from wtforms import StringField, TextAreaField
from wtforms.validators import DataRequired, Length

from quarter_node.plugin_api import (
    BadFetchSignature,
    InvalidInput,
    _,
    _l,
    activity_json,
    activity_not_found,
    current_account,
    db,
    fetch_signer,
    in_group_audience,
    render_markdown,
    serve_activity_json,
)

from . import space, space_documents
from .blueprint import bp
from .models import SpaceDocument
from .space_views import readable_space


class DocumentForm(FlaskForm):
    title = StringField(
        _l("Title"), validators=[DataRequired(), Length(max=space_documents.TITLE_MAX)]
    )
    body = TextAreaField(_l("Text"), validators=[Length(max=space_documents.BODY_MAX)])


@bp.get("/network/space/documents")
def space_documents_index() -> str:
    found = readable_space()
    return render_template(
        "network/space_documents.html",
        space=found,
        documents=space_documents.documents_of(found),
        can_write=space_documents.can_write(current_account(), found),
    )


@bp.get("/network/space/documents/<int:document_id>")
def space_document(document_id: int) -> str:
    found = readable_space()
    document = space_documents.document_in(found, document_id)
    return render_template(
        "network/space_document.html",
        space=found,
        document=document,
        body_html=Markup(render_markdown(document.body)),  # sanitised by the renderer
        can_write=space_documents.can_write(current_account(), found),
    )


@bp.route("/network/space/documents/new", methods=["GET", "POST"])
def space_document_new() -> str | Response | tuple[str, int]:
    return _edit(None)


@bp.route("/network/space/documents/<int:document_id>/edit", methods=["GET", "POST"])
def space_document_edit(document_id: int) -> str | Response | tuple[str, int]:
    return _edit(document_id)


@bp.post("/network/space/documents/<int:document_id>/delete")
def space_document_delete(document_id: int) -> Response:
    found = readable_space()
    if not space_documents.can_write(current_account(), found):
        abort(403)
    document = space_documents.document_in(found, document_id)
    space_documents.delete_document(current_account(), found, document)
    flash(_("The document is deleted, also on the members' nodes."), "success")
    return redirect(url_for("network.space_documents_index"))


def _edit(document_id: int | None) -> str | Response | tuple[str, int]:
    found = readable_space()
    if not space_documents.can_write(current_account(), found):
        abort(403)
    document = space_documents.document_in(found, document_id) if document_id else None
    form = DocumentForm(obj=document)
    if form.validate_on_submit():
        try:
            saved = space_documents.save_document(
                current_account(), found, form.title.data, form.body.data or "", document
            )
        except InvalidInput as error:
            form.title.errors = [*form.title.errors, error.message]
        else:
            flash(_("The document is saved and shared with the space's members."), "success")
            return redirect(url_for("network.space_document", document_id=saved.id))
    page = render_template("network/space_document_form.html", form=form, document=document)
    return (page, 422) if form.is_submitted() else page


def document_json(document_id: int) -> Any:
    """The Article, to the space's audience and to member nodes with members in it."""
    found = space.the_space()
    document = db.session.get(SpaceDocument, document_id)
    if found is None or document is None or document.group_id != found.id:
        return activity_not_found()
    try:
        signer = fetch_signer()
    except BadFetchSignature:
        return activity_json({"error": "Signature verification failed"}, 401)
    if signer is None or not (
        in_group_audience(signer, found) or space.may_fetch_space_object(signer, found)
    ):
        return activity_not_found()
    response = activity_json(space_documents.to_ap(document, found))
    response.headers["Cache-Control"] = "private, no-store"
    return response


serve_activity_json("network.space_document", document_json)
