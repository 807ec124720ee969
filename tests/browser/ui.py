"""What the browser tests do on a page, found without the visible words.

The labels are translated (German first, English second, more later), so every selector here
uses what stays put: ``name`` attributes, form ``action`` URLs, ids, classes and addresses.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

SUBMIT = 'button[type="submit"]'

# Runs in the page (Playwright evaluates it even with the page's JavaScript switched off).
# Returns a list of problems a screen-reader or keyboard user would run into.
TOO_WIDE = "wider than the screen"
ACCESSIBILITY_BASICS = """() => {
  const problems = [];
  const skipped = new Set(["hidden", "submit", "button", "reset", "image"]);
  const named = (el) =>
    [...(el.labels || [])].some((label) => label.textContent.trim()) ||
    (el.getAttribute("aria-label") || "").trim() ||
    (el.getAttribute("aria-labelledby") || "").split(/\\s+/).some(
      (id) => id && document.getElementById(id)?.textContent.trim());
  for (const el of document.querySelectorAll("input, select, textarea")) {
    if (!skipped.has((el.getAttribute("type") || "").toLowerCase()) && !named(el)) {
      problems.push(`${el.tagName.toLowerCase()} name=${el.name} has no accessible name`);
    }
  }
  for (const button of document.querySelectorAll("button")) {
    if (!button.textContent.trim() && !button.getAttribute("aria-label")) {
      problems.push(`button without text in form ${button.form?.getAttribute("action")}`);
    }
  }
  const h1 = document.querySelectorAll("h1").length;
  if (h1 !== 1) problems.push(`${h1} h1 headings instead of one`);
  if (document.querySelectorAll("main").length !== 1) problems.push("not exactly one main");
  if (!document.documentElement.lang) problems.push("html without lang");
  for (const img of document.images) {
    if (!img.hasAttribute("alt")) problems.push(`image without alt: ${img.src}`);
  }
  // Hidden inputs are left out: nothing can point at them (labels, aria, links can).
  const ids = [...document.querySelectorAll("[id]:not([type=hidden])")].map((el) => el.id);
  for (const id of new Set(ids.filter((id, i) => ids.indexOf(id) !== i))) {
    problems.push(`id used twice: ${id}`);
  }
  for (const el of document.querySelectorAll("[aria-describedby]")) {
    for (const id of el.getAttribute("aria-describedby").split(/\\s+/)) {
      if (!document.getElementById(id)) problems.push(`aria-describedby points nowhere: ${id}`);
    }
  }
  const focusable = document.querySelector(
    "a[href], button, input:not([type=hidden]), select, textarea, [tabindex]:not([tabindex='-1'])");
  if (!focusable?.matches("a.skip-link[href='#main']")) {
    problems.push(`first focusable element is not the skip link: ${focusable?.outerHTML}`);
  }
  // Data blocks (schema.org JSON-LD on event pages) are not programs: they are allowed.
  if (document.querySelector('script:not([type="application/ld+json"])')) {
    problems.push("the page has a script element");
  }
  const overflow = document.documentElement.scrollWidth - window.innerWidth;
  if (overflow > 0) problems.push(`${TOO_WIDE}: ${overflow}px, scrolls sideways`);
  return problems;
}""".replace("${TOO_WIDE}", TOO_WIDE)

# Pages known to be wider than a 390px phone (reported to their domains; WCAG 1.4.10 asks
# for no sideways scrolling). Remove an entry once its page fits: the check then applies.
TOO_WIDE_KNOWN: dict[str, str] = {}


def assert_accessible_basics(page: Any) -> None:
    """Labels, one h1, a main landmark, alt texts, unique ids, skip link first, no scripts,
    and no sideways scrolling on the screen the page is shown on."""
    problems = page.evaluate(ACCESSIBILITY_BASICS)
    if urlsplit(page.url).path in TOO_WIDE_KNOWN:
        problems = [problem for problem in problems if not problem.startswith(TOO_WIDE)]
    assert problems == [], f"{path_of(page)}: {problems}"


FOCUSED = """() => {
  const el = document.activeElement;
  const box = el.getBoundingClientRect();
  const style = getComputedStyle(el);
  return {
    tag: el.tagName.toLowerCase(), id: el.id, name: el.getAttribute("name") || "",
    skipLink: el.matches("a.skip-link[href='#main']"),
    pastHeader: !el.closest(".site-header") && !el.matches(".skip-link"),
    onScreen: box.width > 1 && box.height > 1 && box.left >= 0 && box.top >= 0,
    outlined: style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2,
  };
}"""


def assert_skip_link_works(page: Any) -> None:
    """Tab first reaches the visible skip link; Enter moves on to the page's own content."""
    page.keyboard.press("Tab")
    focused = page.evaluate(FOCUSED)
    where = path_of(page)
    assert focused["skipLink"], f"{where}: first Tab lands on {focused}"
    assert focused["onScreen"] and focused["outlined"], f"{where}: skip link not shown: {focused}"
    page.keyboard.press("Enter")
    # Following the in-page link updates the address and focus a moment after the key press.
    page.wait_for_function(
        "() => location.hash === '#main' && document.activeElement.id === 'main'", timeout=5000
    )
    page.keyboard.press("Tab")
    focused = page.evaluate(FOCUSED)
    assert focused["pastHeader"], f"{where}: Tab after the skip link went back: {focused}"
    assert focused["outlined"], f"{where}: no visible focus on {focused}"


def tab_to(page: Any, name: str, limit: int = 30) -> None:
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(FOCUSED)["name"] == name:
            return
    raise AssertionError(f"{path_of(page)}: Tab never reaches the field {name!r}")


def path_of(page: Any) -> str:
    parts = urlsplit(page.url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def goto(page: Any, url: str, status: int | None = 200) -> Any:
    """Open ``url`` (following redirects) and check the final status, unless it is None."""
    response = page.goto(url)
    assert response is not None, f"GET {url}: no response (same-document navigation?)"
    if status is not None:
        assert response.status == status, f"GET {url}: {response.status}\n{main_text(page)}"
    return response


def submit(page: Any, form: str, button: str = SUBMIT) -> Any:
    """Press a form's button (a real click: no JavaScript involved) and wait for the answer.

    Fails with the page's text if the answer is not a success, so a refused form explains
    itself (its error messages are in the text).
    """
    with page.expect_navigation() as navigation:
        page.locator(form).locator(button).click()
    response = navigation.value
    assert response is not None, f"{form}: the form led to no new page"
    assert response.ok, f"{form}: {response.status} at {path_of(page)}\n{main_text(page)}"
    return response


def follow(page: Any, link: str) -> Any:
    """Click the one link matching ``link`` and wait for the page it leads to."""
    target = page.locator(link)
    assert target.count() == 1, f"{path_of(page)}: {target.count()} links match {link}"
    with page.expect_navigation() as navigation:
        target.click()
    response = navigation.value
    assert response is not None and response.ok, f"{link}: {response and response.status}"
    return response


def main_text(page: Any) -> str:
    return page.locator("main").inner_text()[:2000]


def fill_fields(page: Any, form: str, values: dict[str, str | bool]) -> None:
    """Fill a form's fields by their ``name``: text, selects (by value) and checkboxes."""
    scope = page.locator(form)
    kinds = scope.evaluate(
        "form => Object.fromEntries([...form.querySelectorAll('[name]')].map("
        "el => [el.name, el.tagName === 'SELECT' ? 'select' : el.type]))"
    )
    for name, value in values.items():
        control = scope.locator(f'[name="{name}"]')
        if kinds.get(name) == "select":
            control.select_option(str(value))
        elif kinds.get(name) == "checkbox":
            control.set_checked(bool(value))
        else:
            control.fill(str(value))


def post_card(scope: Any, text: str) -> Any:
    """The one post card (``article.post``) in a page or locator that shows ``text``."""
    card = scope.locator("article.post", has_text=text)
    assert card.count() == 1, f"{card.count()} posts show {text!r}"
    return card


def post_id(card: Any) -> int:
    match = re.fullmatch(r"post-(\d+)", card.get_attribute("id") or "")
    assert match, card.get_attribute("id")
    return int(match.group(1))


def badge_count(page: Any) -> int:
    """The unread-notifications badge in the main navigation, 0 when there is none."""
    badge = page.locator(".site-nav .badge")
    return int(badge.inner_text()) if badge.count() else 0


@dataclass(frozen=True)
class Person:
    email: str
    handle: str
    name: str
    password: str

    def registration(self) -> dict[str, str | bool]:
        return {
            "email": self.email,
            "handle": self.handle,
            "display_name": self.name,
            "password": self.password,
            "password_confirm": self.password,
            "accept_rules": True,
        }
