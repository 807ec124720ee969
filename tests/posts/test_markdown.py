"""Markdown becomes HTML with nothing dangerous left, whatever people type."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from quarter_node.posts.markdown import mentioned_remote_handles, render_markdown
from quarter_node.posts.services import publish_post
from tests.helpers import text_of
from tests.posts.support import browser_of, post_form

ATTACKS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    '<a href="javascript:alert(1)">klick</a>',
    "[klick](javascript:alert(1))",
    "[klick](JaVaScRiPt:alert(1))",
    "[klick](  javascript:alert(1))",
    "[klick](data:text/html;base64,PHNjcmlwdD4=)",
    "[klick](vbscript:msgbox(1))",
    "<javascript:alert(1)>",
    '<div style="background:url(javascript:alert(1))" onclick="x()">hi</div>',
    "<iframe src=https://evil.example></iframe>",
    "![x](https://evil.example/x.png)",
    '[x](https://ok.example "title" onmouseover="alert(1)")',
    "<svg onload=alert(1)>",
    "<!-- <script>alert(1)</script> -->",
]


class _Elements(HTMLParser):
    """Collects the real elements and attributes of an HTML fragment (not escaped text)."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.append((tag, attrs))


SAFE_TAGS = {
    "p", "br", "strong", "em", "del", "s", "code", "pre", "blockquote", "ul", "ol", "li", "a",
    "h3", "h4", "h5", "h6", "hr", "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip


def _dangerous(html: str, allowed_tags: set[str] | None = SAFE_TAGS) -> list[str]:
    """Real (not escaped) elements or attributes that could run code or load content.
    ``allowed_tags=None`` checks a whole page: any tag but script-like ones."""
    parser = _Elements()
    parser.feed(html)
    problems = []
    for tag, attrs in parser.found:
        if tag in ("script", "iframe", "svg", "object", "embed") or (
            allowed_tags is not None and tag not in allowed_tags
        ):
            problems.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on") or name == "style":
                problems.append(f"{tag}[{name}]")
            if allowed_tags is not None and name in ("src", "srcset"):
                problems.append(f"{tag}[{name}]")
            if name == "href" and re.match(r"\s*[a-z][a-z0-9+.-]*:", value or "", re.I):
                if not re.match(r"\s*(https?|mailto):", value or "", re.I):
                    problems.append(f"href={value}")
    return problems


@pytest.mark.parametrize("source", ATTACKS)
def test_nothing_dangerous_survives_rendering(source: str) -> None:
    html = render_markdown(source)
    assert _dangerous(html) == [], html


def test_raw_html_is_shown_as_text_not_interpreted() -> None:
    html = render_markdown("<b>fett</b> & <i>kursiv</i>")
    assert "&lt;b&gt;fett&lt;/b&gt;" in html and "<b>" not in html


def test_markdown_features_are_rendered() -> None:
    html = render_markdown(
        "# Titel\n\n**fett** *kursiv* ~~weg~~ `code`\n\n> Zitat\n\n- eins\n- zwei\n\n"
        "| a | b |\n|---|---|\n| 1 | 2 |\n\n[Link](https://example.org)"
    )
    for fragment in ("<h3>Titel</h3>", "<strong>fett</strong>", "<em>kursiv</em>", "<code>code"):
        assert fragment in html
    assert "<blockquote>" in html and "<li>eins</li>" in html and "<td>1</td>" in html
    assert re.search(r"<(del|s)>weg</(del|s)>", html)
    assert '<a href="https://example.org" rel="nofollow noopener ugc">Link</a>' in html
    assert "<h1" not in html and "<h2" not in html  # page headings stay the page's own


@pytest.mark.parametrize(
    "source",
    [
        "*" * 5000,
        "[" * 3000 + "x",
        "> " * 3000,
        "```\nnever closed",
        "| a |\n|-|-|-|\n",
        "\x00\ufffe",
    ],
)
def test_broken_markdown_never_raises(source: str) -> None:
    assert isinstance(render_markdown(source), str)


def test_mentions_link_only_the_given_handles_and_never_inside_code() -> None:
    html = render_markdown("Hallo @anna und @bert, `@anna`, mail anna@example.org", {"anna"})
    assert html.count('href="/@anna"') == 1
    assert "@bert" in html and 'href="/@bert"' not in html
    assert "<code>@anna</code>" in html and "anna@example.org" in html


def test_remote_mentions_are_found_and_linked_as_written() -> None:
    source = "Hi @Bert@B.example, @x@127.0.0.1:8001. `@c@d.example` @e@f.example_g mail h@i.example"
    assert mentioned_remote_handles(source) == ["Bert@b.example", "x@127.0.0.1:8001", "c@d.example"]
    html = render_markdown(source, remote_mentions={"bert@b.example": "https://b.example/@bert"})
    assert (
        '<a href="https://b.example/@bert" rel="nofollow noopener ugc">@Bert@B.example</a>,' in html
    )
    assert "@x@127.0.0.1:8001." in html and "<code>@c@d.example</code>" in html
    bad = render_markdown("@evil@e.example", remote_mentions={"evil@e.example": "javascript:x"})
    assert "javascript" not in bad


def test_a_stored_attack_is_harmless_on_the_post_page(app, factories, make_client) -> None:  # noqa: ANN001
    anna = factories.user("anna")
    source = "\n\n".join(ATTACKS)
    post = publish_post(anna, source, visibility="public")
    assert _dangerous(post.content_html) == []
    page = text_of(browser_of(make_client, anna).get(f"/posts/{post.id}"))
    assert _dangerous(page, allowed_tags=None) == []
    body = page.split('class="post__body">', 1)[1].split("</div>", 1)[0]
    assert _dangerous(body) == []
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body


def test_a_post_written_in_the_form_is_sanitised(app, factories, make_client) -> None:  # noqa: ANN001
    anna = factories.user("anna")
    browser = browser_of(make_client, anna)
    response = post_form(
        browser, "/posts", {"text": "<script>alert(1)</script> **hi**", "visibility": "public"}
    )
    assert response.status_code == 302
    page = text_of(browser.get(response.headers["Location"].split("#")[0]))
    assert "<strong>hi</strong>" in page
    assert "<script>alert(1)" not in page
