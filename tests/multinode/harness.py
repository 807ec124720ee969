"""Real Quarter Node processes on loopback ports, and a browser-like client to drive them.

Every node runs exactly as ``make run`` starts it (``python -m quarter_node.cli run --port P``,
web server and job workers in one process) with its own instance folder, ``QN_DEV_MODE=1`` and
``QN_BASE_URL=http://127.0.0.1:P``. Nodes are set up without a browser through the real CLI
(``set-setting``, ``create-user``), and people act through the real HTML forms (log-in with
the CSRF token of the page, then the same POSTs a browser sends). Deliveries between nodes
are asynchronous, so tests wait with :func:`wait_until`, never with a bare sleep.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from html import unescape
from pathlib import Path
from typing import Any, TypeVar

import requests
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

from federation.signatures import SigningKey, load_private_key, sign_request
from federation.signatures.message import HttpMessage
from quarter_node.cli_batch import RESULT_MARK

PROJECT_ROOT = Path(__file__).resolve().parents[2]
WAIT_TIMEOUT = 30.0  # the longest any wait for a delivery may take
START_TIMEOUT = 60.0  # starting a node: Python, the app and its migrations, on a busy machine
PASSWORD = "multinode correct horse battery"
CSRF_RE = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
ARTICLE_RE = re.compile(r'<article\b[^>]*\bid="post-(\d+)"[^>]*>(.*?)</article>', re.S)
TAG_RE = re.compile(r"<[^>]+>")
PEOPLE_RE = re.compile(r'<ul class="[^"]*\bpeople\b[^"]*">(.*?)</ul>', re.S)

T = TypeVar("T")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def token(prefix: str = "w") -> str:
    """A word no other test writes (letters and digits only: Markdown leaves it alone)."""
    return f"{prefix}{secrets.token_hex(5)}"


def wait_until(
    predicate: Callable[[], T],
    timeout: float = WAIT_TIMEOUT,
    *,
    interval: float = 0.2,
    message: str | Callable[[], str] = "condition not met",
) -> T:
    """Poll ``predicate`` until it returns something truthy and return that value.

    Fails the test after ``timeout`` seconds (waits for deliveries use :data:`WAIT_TIMEOUT`) with
    ``message`` (a callable is asked then, so it can show the state it gave up on).
    """
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() >= deadline:
            text_ = message() if callable(message) else message
            raise AssertionError(f"gave up after {timeout:.0f} s: {text_}")
        time.sleep(interval)


def text_of_html(html: str) -> str:
    """The visible words of an HTML fragment, whitespace collapsed."""
    return " ".join(unescape(TAG_RE.sub(" ", html)).split())


@contextmanager
def node_folders(name: str) -> Iterator[Path]:
    """A folder for the nodes' instances and logs, removed afterwards.

    Not pytest's ``tmp_path``: pytest keeps only its three newest base folders, so another
    pytest run on the same machine could delete a running node's instance folder.
    """
    root = Path(tempfile.mkdtemp(prefix=f"qn-{name}-"))
    try:
        yield root
    finally:
        shutil.rmtree(root, ignore_errors=True)


def skip_in_second_pass() -> None:
    """These tests start their own nodes (node B on PostgreSQL): once per ``make test`` is
    enough, so its PostgreSQL pass skips them unless ``QN_MULTINODE=1``."""
    second_pass = os.environ.get("QN_TEST_DATABASE", "sqlite").startswith("postgresql")
    if second_pass and os.environ.get("QN_MULTINODE") != "1":
        import pytest

        pytest.skip("multi-node tests run in the SQLite pass (node B covers PostgreSQL)")


# --- databases -------------------------------------------------------------------------------


def postgres_server_url() -> str:
    """The PostgreSQL server the suite uses (``QN_TEST_DATABASE`` when it is one)."""
    configured = os.environ.get("QN_TEST_DATABASE", "")
    if configured.startswith("postgresql"):
        return configured
    return "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"


def fresh_postgres_database(name: str) -> str:
    """Drop and create ``name`` on the suite's PostgreSQL server; return its URL."""
    url = make_url(postgres_server_url())
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    name = f"{name}_{worker}" if worker else name
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    finally:
        admin.dispose()
    return url.set(database=name).render_as_string(hide_password=False)


# --- nodes -----------------------------------------------------------------------------------


@dataclass
class Member:
    """An account on one node, as the tests know it."""

    node: Node
    handle: str
    email: str
    password: str = PASSWORD

    @property
    def fediverse_handle(self) -> str:
        return f"@{self.handle}@{self.node.host}"

    @property
    def actor_uri(self) -> str:
        return f"{self.node.url}/@{self.handle}"


class Node:
    """One ``quarter-node run`` process with its instance folder and database."""

    def __init__(self, name: str, root: Path, database_url: str | None = None) -> None:
        self.name = name
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.host = f"127.0.0.1:{self.port}"
        root.mkdir(parents=True, exist_ok=True)
        self.log_path = root / "node.log"
        self.database_url = database_url or f"sqlite:///{root / 'node.db'}"
        self.env = self._environment(root / "instance")
        self._write_instance_config(root / "instance")
        self.process: subprocess.Popen[bytes] | None = None
        self.admin: Member | None = None
        self.spares: list[Member] = []

    def _environment(self, instance: Path) -> dict[str, str]:
        env = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith("QN_") or key == "QN_TEST_DATABASE"
        }
        env.update(
            QN_INSTANCE_PATH=str(instance),
            QN_DATABASE_URL=self.database_url,
            QN_DEV_MODE="1",
            QN_BASE_URL=self.url,
            QN_LOG_LEVEL="INFO",
            # Every test person logs in from 127.0.0.1: the per-address login limit would
            # lock the harness out after ten log-ins.
            QN_RATELIMIT_LOGIN="10000 per minute",
            PYTHONUNBUFFERED="1",
        )
        return env

    @staticmethod
    def _write_instance_config(instance: Path) -> None:
        """The node's own config file: cheap password hashes (as the unit tests use), or
        making 30 accounts and logging them in would take minutes of argon2."""
        instance.mkdir(parents=True, exist_ok=True)
        (instance / "quarter_node.cfg").write_text('ARGON2_PROFILE = "cheapest"\n')

    # process --------------------------------------------------------------------------------

    def start(self, timeout: float = START_TIMEOUT) -> None:
        command = [sys.executable, "-m", "quarter_node.cli", "run", "--port", str(self.port)]
        with self.log_path.open("ab") as log:
            log.write(f"\n=== {self.name}: {' '.join(command)}\n".encode())
            log.flush()
            self.process = subprocess.Popen(
                command, env=self.env, cwd=PROJECT_ROOT, stdout=log, stderr=subprocess.STDOUT
            )
        wait_until(
            self._answers,
            timeout,
            message=lambda: f"node {self.name} did not start:\n{self.log_tail()}",
        )

    def _answers(self) -> bool:
        assert self.process is not None
        if self.process.poll() is not None:
            raise RuntimeError(f"node {self.name} exited:\n{self.log_tail()}")
        try:
            requests.get(self.url + "/about", timeout=2, allow_redirects=False)
        except requests.ConnectionError:
            return False
        return True

    def stop(self) -> None:
        """Ask the node to stop (SIGTERM), kill it if it does not within 15 s."""
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=15)

    def kill(self) -> None:
        """SIGKILL: the process (and its worker threads) dies mid-work, as in a crash."""
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=15)

    def pause(self) -> None:
        """SIGSTOP: the node still accepts connections (the kernel does) but answers nothing,
        so whoever delivers to it waits in the middle of a request."""
        assert self.process is not None
        self.process.send_signal(signal.SIGSTOP)

    def resume(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGCONT)

    def restart(self) -> None:
        self.stop()
        self.start()

    def query(self, sql: str, **params: Any) -> list[Any]:
        """Rows from this node's database (read-only checks the pages cannot show)."""
        engine = create_engine(self.database_url, poolclass=NullPool)
        try:
            with engine.connect() as conn:
                return list(conn.execute(text(sql), params))
        finally:
            engine.dispose()

    def signing_key(self) -> SigningKey:
        """A key this node signs with (its instance actor's, else any local actor's)."""
        rows = self.query(
            "SELECT k.key_id, k.private_pem FROM actor_keys k JOIN actors a ON a.id = k.actor_id"
            " WHERE k.private_pem IS NOT NULL AND k.revoked_at IS NULL"
            " ORDER BY CASE WHEN a.handle = 'instance.actor' THEN 0 ELSE 1 END, k.id"
        )
        assert rows, f"node {self.name} has no signing key yet"
        return SigningKey(key_id=rows[0][0], private_key=load_private_key(rows[0][1]))

    def person_signing_key(self, member: Member) -> SigningKey:
        """The key ``member`` signs with (a person's, not the node's). A person's key is made
        the first time her actor document is served, so this asks for it first."""
        fetch_activitypub(member.actor_uri)
        rows = self.query(
            "SELECT k.key_id, k.private_pem FROM actor_keys k JOIN actors a ON a.id = k.actor_id"
            " WHERE a.handle = :handle AND a.domain = '' AND k.private_pem IS NOT NULL"
            " AND k.revoked_at IS NULL ORDER BY k.id DESC",
            handle=member.handle,
        )
        assert rows, f"{member.handle} on node {self.name} has no signing key yet"
        return SigningKey(key_id=rows[0][0], private_key=load_private_key(rows[0][1]))

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def log_tail(self, lines: int = 60) -> str:
        return "\n".join(self.log().splitlines()[-lines:])

    # CLI ------------------------------------------------------------------------------------

    def cli(self, *commands: list[str]) -> list[str]:
        """Run ``quarter-node`` commands against this node (one process); return outputs."""
        done = subprocess.run(
            [sys.executable, "-m", "quarter_node.cli_batch"],
            input=json.dumps([list(c) for c in commands]),
            env=self.env,
            cwd=PROJECT_ROOT,
            capture_output=True,
            text=True,
            timeout=120,
        )
        marked = [line for line in done.stdout.splitlines() if line.startswith(RESULT_MARK)]
        if done.returncode != 0 or not marked:
            raise RuntimeError(f"quarter-node {commands} failed:\n{done.stdout}\n{done.stderr}")
        return [result["output"] for result in json.loads(marked[-1][len(RESULT_MARK) :])]

    def set_up(self, title: str, spare_members: int = 0) -> Member:
        """Migrate, finish set-up and create the admin, as a scripted install does (plus
        ``spare_members`` accounts for :meth:`take`, made in the same process)."""
        admin = self.new_member("admin")
        spares = [self.new_member("m") for _ in range(spare_members)]
        self.cli(
            ["init"],
            _create_user_args(admin, role="admin"),
            ["set-setting", "name", title],
            ["set-setting", "setup_complete", "true"],
            *(_create_user_args(member, role="member") for member in spares),
        )
        self.admin = admin
        self.spares.extend(spares)
        return admin

    def take(self) -> Member:
        """A member no test has used yet."""
        if not self.spares:
            self.spares.extend(self.create_members(8))
        return self.spares.pop()

    def new_member(self, prefix: str) -> Member:
        handle = f"{prefix}{secrets.token_hex(3)}".lower()
        return Member(node=self, handle=handle, email=f"{handle}@{self.name}.example")

    def create_members(self, count: int, prefix: str = "m", role: str = "member") -> list[Member]:
        members = [self.new_member(prefix) for _ in range(count)]
        self.cli(*(_create_user_args(member, role=role) for member in members))
        return members

    def create_member(self, prefix: str = "m", role: str = "member") -> Member:
        return self.create_members(1, prefix, role)[0]

    def browser(self, member: Member | None = None) -> Browser:
        browser = Browser(self)
        if member is not None:
            browser.login(member)
        return browser


def _create_user_args(member: Member, *, role: str) -> list[str]:
    return [
        "create-user",
        "--email",
        member.email,
        "--handle",
        member.handle,
        "--password",
        member.password,
        "--role",
        role,
        "--display-name",
        member.handle.capitalize(),
        "--locale",
        "en",
    ]


# --- a browser without JavaScript ------------------------------------------------------------


@dataclass
class Browser:
    """A person at a browser: a cookie session, forms with their CSRF token, HTML pages.

    Any 5xx answer fails the test at once (with the node's log), whatever it asserted.
    """

    node: Node
    session: requests.Session = field(default_factory=requests.Session)
    member: Member | None = None

    def request(self, method: str, path: str, **kwargs: Any) -> requests.Response:
        kwargs.setdefault("timeout", 20)
        kwargs.setdefault("allow_redirects", False)
        url = path if path.startswith("http") else self.node.url + path
        response = self.session.request(method, url, **kwargs)
        if response.status_code >= 500:
            raise AssertionError(
                f"{self.node.name} answered {response.status_code} to {method} {path}:\n"
                f"{self.node.log_tail()}"
            )
        return response

    def get(self, path: str, **kwargs: Any) -> requests.Response:
        return self.request("GET", path, **kwargs)

    def page(self, path: str) -> str:
        """The HTML of a page a person opens (redirects followed); must answer 200."""
        response = self.get(path, allow_redirects=True)
        assert response.status_code == 200, f"GET {path}: {response.status_code}"
        return response.text

    def csrf_token(self, path: str = "/about") -> str:
        match = CSRF_RE.search(self.get(path, allow_redirects=True).text)
        assert match, f"no CSRF token on {path}"
        return match.group(1)

    def submit(self, path: str, data: dict[str, Any] | None = None) -> requests.Response:
        """POST a form as the browser does (with this session's CSRF token)."""
        payload = {"csrf_token": self.csrf_token(), **(data or {})}
        return self.request("POST", path, data=payload)

    def login(self, member: Member) -> None:
        form = self.page("/login")
        match = CSRF_RE.search(form)
        assert match, "the login page has no CSRF token"
        data = {"csrf_token": match.group(1), "email": member.email, "password": member.password}
        response = self.request("POST", "/login", data=data)
        assert response.status_code in (302, 303), f"log-in of {member.handle} failed"
        self.member = member

    # what people do -------------------------------------------------------------------------

    def publish(self, text_: str, visibility: str = "public", **fields: str) -> int:
        """Write a post (or a reply: ``in_reply_to=<id>``); return its id on this node."""
        data = {"text": text_, "visibility": visibility, "group_id": "", "in_reply_to": ""}
        response = self.submit("/posts", data | fields)
        assert response.status_code in (302, 303), _form_error("post", response)
        match = re.search(r"/posts/(\d+)", response.headers["Location"])
        if match is None:  # sent back to a page (next_url): the newest own post
            return self.own_post_id(text_)
        return int(match.group(1))

    def own_post_id(self, text_: str) -> int:
        post_id = self.post_id_with(text_, f"/@{self.member.handle}" if self.member else "/")
        assert post_id is not None, f"the new post {text_!r} is not on the profile"
        return post_id

    def edit(self, post_id: int, text_: str) -> None:
        response = self.submit(f"/posts/{post_id}/edit", {"text": text_})
        assert response.status_code in (302, 303), _form_error("edit", response)

    def delete(self, post_id: int) -> None:
        response = self.submit(f"/posts/{post_id}/delete")
        assert response.status_code in (302, 303), _form_error("delete", response)

    def like(self, post_id: int) -> None:
        response = self.submit(f"/posts/{post_id}/like")
        assert response.status_code in (302, 303), _form_error("like", response)

    def follow_remote(self, handle: str) -> requests.Response:
        """Follow someone on another server by typing their handle (``@name@host``)."""
        return self.submit("/remote/follow", {"handle": handle})

    # reading pages --------------------------------------------------------------------------

    def posts_on(self, path: str) -> dict[int, str]:
        """The post cards of a page: local id -> visible text."""
        html = self.page(path)
        return {int(pid): text_of_html(body) for pid, body in ARTICLE_RE.findall(html)}

    def post_id_with(self, words: str, path: str = "/") -> int | None:
        """The id of the first post card on ``path`` that shows ``words``."""
        for post_id, shown in self.posts_on(path).items():
            if words in shown:
                return post_id
        return None

    def people_on(self, path: str) -> str:
        """The visible text of the people list of a followers/following page (without the
        flash message above it, which may name the same person)."""
        match = PEOPLE_RE.search(self.page(path))
        return text_of_html(match.group(1)) if match else ""

    def shows(self, path: str, words: str) -> bool:
        response = self.get(path, allow_redirects=True)
        return response.status_code == 200 and words in text_of_html(response.text)


AP_ACCEPT = 'application/ld+json; profile="https://www.w3.org/ns/activitystreams"'


def fetch_activitypub(
    url: str, signer: SigningKey | None = None, scheme: str = "draft-cavage"
) -> requests.Response:
    """GET an ActivityPub document as a peer does: unsigned, or signed with ``signer``."""
    headers = {"Accept": AP_ACCEPT}
    if signer is not None:
        headers |= sign_request(HttpMessage.build("GET", url, headers), signer, scheme)
    return requests.get(url, headers=headers, timeout=20, allow_redirects=False)


def _form_error(what: str, response: requests.Response) -> str:
    return f"{what} refused ({response.status_code}): {text_of_html(response.text)[:600]}"
