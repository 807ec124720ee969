"""Imports every model so SQLAlchemy and Alembic see the whole schema."""

from quarter_node.accounts.models import (
    AccountState,
    Actor,
    ActorKind,
    ActorTombstone,
    Invitation,
    Role,
    User,
)
from quarter_node.activitypub.models import (
    ActorKey,
    Delivery,
    DeliveryState,
    HostPolicy,
    InboxItem,
    InboxState,
    OutboundActivity,
    PeerHost,
    PostAddressee,
    Share,
)
from quarter_node.groups.models import (
    Group,
    GroupRole,
    GroupVisibility,
    JoinMode,
    Membership,
    MembershipState,
)
from quarter_node.media.models import Media
from quarter_node.moderation.models import AuditLogEntry, Report, ReportState
from quarter_node.node.models import NodeSetting
from quarter_node.notifications.models import Notification, NotificationKind
from quarter_node.plugins.models import PluginState
from quarter_node.posts.models import Like, Post, Visibility
from quarter_node.search.models import SearchEntry
from quarter_node.social.models import Block, Follow, FollowState

__all__ = [
    "SearchEntry",
    "ActorKey",
    "Delivery",
    "DeliveryState",
    "HostPolicy",
    "InboxItem",
    "InboxState",
    "OutboundActivity",
    "PeerHost",
    "PostAddressee",
    "Share",
    "AccountState",
    "Actor",
    "ActorKind",
    "ActorTombstone",
    "AuditLogEntry",
    "Block",
    "Follow",
    "FollowState",
    "Group",
    "GroupRole",
    "GroupVisibility",
    "Invitation",
    "JoinMode",
    "Like",
    "Media",
    "Membership",
    "MembershipState",
    "NodeSetting",
    "Notification",
    "NotificationKind",
    "PluginState",
    "Post",
    "Report",
    "ReportState",
    "Role",
    "User",
    "Visibility",
]
