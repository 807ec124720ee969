"""``make demo``: a small network of initiatives on this machine.

A coordination node and two quarter nodes run as ``quarter-node run`` processes on
loopback ports, each on a fresh SQLite database in one folder. The demo sets them up with
the admin commands, joins the quarters to the network with ``quarter-node network apply``
and ``network approve``, lets German sample people follow each other and publish posts,
a group and events through the nodes' forms, opens the network's exchange space (the
quarters' first people join it, Flingern posts minutes, the coordination node adds a
guide), prints every node's address and a log-in, and keeps running until Ctrl-C.
``--check`` does the same, verifies that every node shows its content (and what it
received from the others, the space post only to its members), stops and exits (used by
a test).

Nothing here is imported by the node itself; the demo only drives nodes from outside.
"""
