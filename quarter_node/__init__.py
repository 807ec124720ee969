"""Quarter Node: a neighbourhood's own online meeting place."""

from quarter_node.app import create_app

__all__ = ["create_app"]
