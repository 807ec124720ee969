"""The ActivityPub side of a node: actors, discovery, inbox, outbox and delivery.

It speaks ActivityPub through the pure ``federation`` library and stores through the models
in ``activitypub.models``; it learns about local changes from ``quarter_node.signals``.
"""
