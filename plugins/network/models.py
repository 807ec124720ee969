"""The network's tables: the nodes a node knows as members of its network, a quarter
node's own membership, and the figures the coordination node collects about each member.

One table of nodes serves both roles. On the coordination node it is the register: every
application, with its decision, and every node an admin added. On a quarter node it is a
copy of the coordination node's directory (only approved members), which tells the quarter
which servers belong to the network (the exchange space is served to them and nobody else).
"""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import Boolean, Float, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from quarter_node.plugin_api import UTCDateTime, db, utcnow


class NodeStatus(enum.StrEnum):
    """Where a node stands with the network (seen from the coordination node)."""

    APPLIED = "applied"  # its application waits for the coordinators
    APPROVED = "approved"  # a member: in the directory, federating with the network
    DECLINED = "declined"  # its application was declined
    LEFT = "left"  # it left (or was removed); kept for the history of the figures


class NetworkNode(db.Model):
    """A quarter node as the network knows it: its address, its instance actor and what
    the directory shows about the initiative behind it."""

    __tablename__ = "network_nodes"
    __table_args__ = (Index("ix_network_nodes_status", "status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # host with port when there is one ("quartier.example", "127.0.0.1:8001"): the unit of
    # federation policy, unique
    domain: Mapped[str] = mapped_column(String(255), unique=True)
    actor_uri: Mapped[str] = mapped_column(String(2048))  # the node's instance actor
    inbox_url: Mapped[str] = mapped_column(String(2048), default="")
    status: Mapped[str] = mapped_column(String(20), default=NodeStatus.APPLIED)
    # the directory entry, as the node's admins describe their initiative
    name: Mapped[str] = mapped_column(String(200), default="")
    quarter: Mapped[str] = mapped_column(String(200), default="")
    topics: Mapped[str] = mapped_column(String(500), default="")  # comma-separated
    contact: Mapped[str] = mapped_column(String(300), default="")
    summary: Mapped[str] = mapped_column(Text, default="")
    website: Mapped[str] = mapped_column(String(2048), default="")
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)
    # the application (``Join``) and its decision
    application_uri: Mapped[str | None] = mapped_column(String(2048))
    message: Mapped[str] = mapped_column(Text, default="")
    applied_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("actors.id", ondelete="SET NULL"))
    left_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # what NodeInfo said the last time the coordination node asked (federation health)
    software: Mapped[str] = mapped_column(String(100), default="")
    version: Mapped[str] = mapped_column(String(100), default="")
    reachable: Mapped[bool | None] = mapped_column(Boolean)
    checked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    @property
    def topic_list(self) -> list[str]:
        return [topic.strip() for topic in self.topics.split(",") if topic.strip()]

    @property
    def has_location(self) -> bool:
        return self.latitude is not None and self.longitude is not None


class MembershipStatus(enum.StrEnum):
    """Where this quarter node stands with a network it applied to."""

    PENDING = "pending"
    APPROVED = "approved"
    DECLINED = "declined"
    LEFT = "left"


class NetworkMembership(db.Model):
    """This node's application to (and membership in) a network, seen from the quarter.

    A node belongs to at most one network at a time: the row whose status is PENDING or
    APPROVED. Earlier rows stay as history."""

    __tablename__ = "network_memberships"

    id: Mapped[int] = mapped_column(primary_key=True)
    coordination_uri: Mapped[str] = mapped_column(String(2048))  # its instance actor
    domain: Mapped[str] = mapped_column(String(255))
    network_name: Mapped[str] = mapped_column(String(200), default="")
    status: Mapped[str] = mapped_column(String(20), default=MembershipStatus.PENDING)
    application_uri: Mapped[str] = mapped_column(String(2048))  # our ``Join``
    message: Mapped[str] = mapped_column(Text, default="")
    applied_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    left_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class NodeSnapshot(db.Model):
    """One reading of a member node's figures (from its NodeInfo ``usage``), taken by the
    coordination node once a day: the dashboard draws members and activity over time
    from these rows, so a node that is down one day leaves a gap, not a wrong figure."""

    __tablename__ = "network_node_snapshots"
    __table_args__ = (Index("ix_network_node_snapshots_node_taken", "node_id", "taken_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    node_id: Mapped[int] = mapped_column(ForeignKey("network_nodes.id", ondelete="CASCADE"))
    taken_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    reachable: Mapped[bool] = mapped_column(Boolean, default=False)
    users_total: Mapped[int | None] = mapped_column(Integer)
    active_month: Mapped[int | None] = mapped_column(Integer)
    local_posts: Mapped[int | None] = mapped_column(Integer)

    node: Mapped[NetworkNode] = relationship()


class SpaceDocument(db.Model):
    """A document or guide of the exchange space (coordination node), written in Markdown
    by the project team and federated to the space's members as an ``Article`` addressed
    to the space's group alone (see "The exchange space" in ``docs/network.md``)."""

    __tablename__ = "network_space_documents"

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("actors.id", ondelete="SET NULL"))
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
