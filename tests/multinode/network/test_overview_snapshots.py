"""Snapshots against a real node: the coordination node (here in-process) reads a running
quarter node's NodeInfo, and notices when it is down."""

from __future__ import annotations

from quarter_node.extensions import db
from quarter_node.node.services import update_node_settings
from quarter_node.plugins.services import save_plugin_settings_by_operator
from tests.multinode.harness import Node, node_folders, skip_in_second_pass


def test_a_running_member_is_read_and_a_stopped_one_is_unreachable(app_factory) -> None:  # noqa: ANN001
    skip_in_second_pass()
    from plugins.network.models import NetworkNode
    from plugins.network.snapshots import take_snapshots

    app = app_factory(DEV_MODE=True)  # development mode: loopback members may be read
    with node_folders("overview") as root:
        member = Node("member", root / "member")
        member.set_up("Nachbarschaft Nord", spare_members=2)
        member.start()
        try:
            with app.app_context():
                update_node_settings(setup_complete=True, name="Netz", default_language="en")
                save_plugin_settings_by_operator("network", {"role": "coordination"})
                node = NetworkNode(
                    domain=member.host, actor_uri=member.url + "/actor", status="approved"
                )
                db.session.add(node)
                db.session.commit()

                [reading] = take_snapshots()
                assert reading.reachable is True
                assert reading.users_total == 3  # the admin and two members
                assert reading.local_posts == 0
                db.session.refresh(node)
                assert node.software == "quarter-node" and node.version
                member.stop()
                [reading] = take_snapshots()
                assert reading.reachable is False
                db.session.refresh(node)
                assert node.reachable is False and node.software == "quarter-node"
        finally:
            member.stop()
