"""Rules of the coordinators' overview: who sees it, and what a request asks for.

The dashboard and the health page exist only on a coordination node (elsewhere they are
not found) and only for its admins and moderators (everyone else is refused).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from quarter_node.plugin_api import (
    InvalidInput,
    NavItem,
    NotFound,
    Role,
    User,
    _,
    _l,
    current_account,
    require_role,
    utcnow,
)

from .figures import METRICS, Figures, Window, figures_for, total_of, window
from .models import NetworkNode, NodeStatus
from .periods import CHOICES, choice_for
from .queries import member_nodes
from .settings import is_coordination


def require_coordinator() -> User:
    """The logged-in admin or moderator of a coordination node (else 404 or 403)."""
    if not is_coordination():
        raise NotFound(_("This page exists only on the coordination node of a network."))
    return require_role(current_account(), Role.MODERATOR)


def navigation(user: User | None) -> list[NavItem]:
    """The main navigation's link to the overview, for those who may see it."""
    if user is None or not user.has_role(Role.MODERATOR) or not is_coordination():
        return []
    return [NavItem(_l("Network overview"), "network.dashboard_page")]


def counted_nodes() -> list[NetworkNode]:
    """Members and former members (their past activity still belongs to the figures)."""
    return member_nodes(NodeStatus.APPROVED) + member_nodes(NodeStatus.LEFT)


@dataclass
class Dashboard:
    """Everything the dashboard page and its CSV show for one request."""

    span: Window
    nodes: list[NetworkNode]  # what the initiative filter offers
    selected: NetworkNode | None
    total: Figures  # the selected initiative, or all together
    parts: list[Figures]  # each initiative (only the selected one when filtered)

    metrics = METRICS
    choices = CHOICES


def dashboard(period: str | None, domain: str | None, now: datetime | None = None) -> Dashboard:
    """The figures asked for by the selector (``period`` key, initiative ``domain``);
    ``InvalidInput`` for a period or initiative the selector does not offer."""
    choice = choice_for(period)
    if choice is None:
        raise InvalidInput(_("Please choose one of the offered periods."))
    nodes = counted_nodes()
    selected = None
    if domain:
        selected = next((node for node in nodes if node.domain == domain.lower()), None)
        if selected is None:
            raise InvalidInput(_("There is no member initiative at this address."))
    span = window(choice, now or utcnow())
    parts = figures_for([selected] if selected else nodes, span)
    label = selected.name or selected.domain if selected else _("All initiatives")
    total = parts[0] if selected else total_of(parts, label, span)
    return Dashboard(span, nodes, selected, total, parts)
