"""The demo network: its three nodes started, set up, joined, populated and checked."""

from __future__ import annotations

import html
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from . import populate, setup, space
from .content import ALL, BILK, COORDINATION, FLINGERN, Initiative
from .nodes import DemoNode, free_port, poll, port_is_free

SEEN_TIMEOUT = 30.0  # deliveries between the nodes are asynchronous


@dataclass
class DemoNetwork:
    nodes: dict[str, DemoNode]  # by initiative key
    joined: str = ""  # what became of joining the network
    with_network: bool = False  # whether the nodes have the network commands (and joined)

    @classmethod
    def create(cls, root: Path, base_port: int | None) -> DemoNetwork:
        """Nodes on ``base_port``, ``base_port + 1``, ... (free ports where taken)."""
        nodes = {}
        for offset, initiative in enumerate(ALL):
            port = base_port + offset if base_port else 0
            if not port or not port_is_free(port):
                port = free_port()
            nodes[initiative.key] = DemoNode(initiative.key, root / initiative.key, port)
        return cls(nodes)

    def node(self, initiative: Initiative) -> DemoNode:
        return self.nodes[initiative.key]

    def start(self, say: Callable[[str], None]) -> None:
        say("Setting up three nodes ...")
        with ThreadPoolExecutor(max_workers=len(ALL)) as pool:
            found = pool.map(lambda i: setup.set_up(self.node(i), i, i is COORDINATION), ALL)
            self.with_network = all(list(found))
            for node in self.nodes.values():
                node.start()
            list(pool.map(DemoNode.wait_until_up, self.nodes.values()))
        say("Joining the network ...")
        quarters = [self.node(FLINGERN), self.node(BILK)]
        coordination = self.node(COORDINATION)
        self.joined = setup.join_network(coordination, quarters, self.with_network)
        say(self.joined)
        say("Writing the sample content ...")
        self._follows()
        with ThreadPoolExecutor(max_workers=len(ALL)) as pool:
            list(pool.map(lambda i: populate.publish(self.node(i), i), ALL))
        if self.with_network:
            say("Opening the exchange space ...")
            space.open_space(coordination, {q.key: self.node(q) for q in (FLINGERN, BILK)})

    def _follows(self) -> None:
        """People follow each other across the nodes, so posts travel between them
        also without the network's relay."""
        pairs = [
            (BILK, BILK.people[1], FLINGERN, FLINGERN.admin),
            (FLINGERN, FLINGERN.people[1], BILK, BILK.admin),
            (COORDINATION, COORDINATION.admin, FLINGERN, FLINGERN.admin),
            (COORDINATION, COORDINATION.admin, BILK, BILK.admin),
        ]
        for home, person, there, target in pairs:
            browser = populate.logged_in(self.node(home), person)
            populate.follow(browser, person, target, self.node(there))

    def stop(self) -> None:
        for node in self.nodes.values():
            node.stop()

    def running(self) -> bool:
        return all(node.running() for node in self.nodes.values())

    # --- what the user is told, and what --check verifies ------------------------------------

    def summary(self) -> str:
        lines = []
        for initiative in ALL:
            node = self.node(initiative)
            role = "coordination node" if initiative is COORDINATION else "quarter node"
            admin = initiative.admin
            lines += [
                f"  {initiative.title} ({role})",
                f"    {node.url}/",
                f"    log in: {admin.email} / {setup.PASSWORD}",
            ]
            others = [person.email for person in initiative.people if person is not admin]
            if others:
                lines.append(f"    more people (same password): {', '.join(others)}")
        coordination = self.node(COORDINATION)
        lines.append(f"  The network map: {coordination.url}/network/map")
        if self.with_network:
            lines.append(
                f"  The exchange space (members only, log in as {COORDINATION.admin.email}):"
                f" {coordination.url}/network/space"
            )
        return "\n".join(lines)

    def check(self) -> list[str]:
        """What is missing on the nodes' pages (empty: everything is there)."""
        problems = []
        for initiative in ALL:
            problems += _check_own_pages(self.node(initiative), initiative)
        received = [
            (BILK, BILK.people[1], FLINGERN.posts[0][1]),
            (COORDINATION, COORDINATION.admin, BILK.posts[0][1]),
        ]
        for home, person, words in received:
            browser = populate.logged_in(self.node(home), person)
            if not _appears(lambda b=browser: _page_text(b, "/"), _phrase(words)):
                problems.append(f"{home.title}: {person.handle} never received {words!r}")
        if self.with_network:
            problems += self._check_directory()
            problems += self._check_space()
        return problems

    def _check_space(self) -> list[str]:
        """The space post reaches Bilk's member on his node; an anonymous visitor of the
        coordination node's space page and a Bilk person outside the space do not see it."""
        coordination = self.node(COORDINATION)
        words = _phrase(space.MINUTES)
        member = populate.logged_in(self.node(BILK), BILK.people[0])
        problems = []
        if not _appears(lambda: _page_text(member, space.space_page(coordination)), words):
            problems.append(f"{BILK.title}: the exchange space post never reached the member")
        owner = populate.logged_in(coordination, COORDINATION.admin)
        if space.GUIDE_TITLE not in _page_text(owner, "/network/space/documents"):
            problems.append(f"{COORDINATION.title}: the space's documents lack the guide")
        visitor = populate.Browser(coordination.url)
        if words in _page_text(visitor, "/network/space"):
            problems.append(f"{COORDINATION.title}: /network/space shows the post to anybody")
        outsider = populate.logged_in(self.node(BILK), BILK.people[1])  # not in the space
        if words in _page_text(outsider, space.space_page(coordination)):
            problems.append(f"{BILK.title}: a person outside the space sees its post")
        return problems

    def _check_directory(self) -> list[str]:
        """The approved quarters are on the coordination node's map."""
        visitor = populate.Browser(self.node(COORDINATION).url)
        return [
            f"{COORDINATION.title}: /network/map does not show the member {quarter.title!r}"
            for quarter in (FLINGERN, BILK)
            if not _appears(lambda: _page_text(visitor, "/network/map"), quarter.title)
        ]


def _check_own_pages(node: DemoNode, initiative: Initiative) -> list[str]:
    visitor = populate.Browser(node.url)
    wanted = [("/local", _phrase(text)) for _, text in initiative.posts]
    wanted += [("/events", event.title) for event in initiative.events]
    wanted += [("/network/map", event.title) for event in initiative.events]
    return [
        f"{initiative.title}: {path} does not show {words!r}"
        for path, words in wanted
        if words not in _page_text(visitor, path)
    ]


def _phrase(text: str) -> str:
    """The start of a post before any hashtag or punctuation Markdown might change."""
    return text.split("#")[0].split("!")[0].strip()[:30]


def _page_text(browser: populate.Browser, path: str) -> str:
    return " ".join(html.unescape(browser.text(path)).split())


def _appears(read: Callable[[], str], words: str) -> bool:
    return bool(poll(lambda: words in read(), SEEN_TIMEOUT, interval=0.5))
