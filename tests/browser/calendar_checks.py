"""What the events browser test reads from the month calendar and the iCalendar feeds.

Like ``ui.py``, nothing here relies on visible words: day cells, links and ``<time>``
elements of the month grid, and feeds parsed with ``icalendar``.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

import icalendar
import requests

from tests.browser.ui import assert_accessible_basics, path_of

BERLIN = ZoneInfo("Europe/Berlin")

# Every in-month day of the calendar that links to the event: its date and the link.
EVENT_DAYS = """(eventId) => {
  const found = [];
  for (const cell of document.querySelectorAll("table.calendar td.calendar__day")) {
    if (cell.classList.contains("calendar__day--other")) continue;
    for (const link of cell.querySelectorAll(`a[href^="/events/${eventId}?"]`)) {
      const time = link.querySelector("time");
      found.push({day: cell.querySelector(".calendar__date").textContent.trim(),
                  href: link.getAttribute("href"), text: link.textContent.trim(),
                  time: time ? time.textContent.trim() : "",
                  datetime: time ? time.getAttribute("datetime") : ""});
    }
  }
  return found;
}"""


# Entries of the month grid that run out of their day's cell (into the next day, or cut off).
SPILLING_ENTRIES = """() => [...document.querySelectorAll("table.calendar td li a")].filter((a) => {
  const cell = a.closest("td").getBoundingClientRect();
  const outside = (box) => box.right > cell.right + 0.5 || box.left < cell.left - 0.5;
  return [...a.getClientRects()].some(outside);
}).map((a) => a.textContent.trim())"""


def assert_calendar_readable(page: Any) -> None:
    """The accessibility basics, and every entry stays inside its day (no overlapping)."""
    assert_accessible_basics(page)
    spilling = page.evaluate(SPILLING_ENTRIES)
    assert spilling == [], f"{path_of(page)}: entries run out of their day: {spilling}"


def event_days(page: Any, event_id: int, title: str, starts: str) -> dict[date, dict[str, str]]:
    """The month page's dates of the event (one entry a day: a day twice would be a bug),
    each linking to its date (``?occurrence=<day>T<starts>``)."""
    month = parse_qs(urlsplit(page.url).query).get("month", [None])[0]
    first = date.fromisoformat(f"{month}-01") if month else datetime.now(BERLIN).date()
    found: dict[date, dict[str, str]] = {}
    for item in page.evaluate(EVENT_DAYS, event_id):
        day = first.replace(day=int(item["day"]))
        assert day not in found, f"{day} shows the event twice"
        assert item["text"].endswith(title), item
        key = parse_qs(urlsplit(item["href"]).query)["occurrence"][0]
        assert key == f"{day.isoformat()}T{starts}", item
        found[day] = {**item, "key": key}
    return found


def fetch_calendar(url: str | None) -> icalendar.Calendar:
    assert url, "no feed address"
    answer = requests.get(url, timeout=10)
    assert answer.status_code == 200, f"{url}: {answer.status_code}"
    assert answer.headers["content-type"].startswith("text/calendar"), answer.headers
    return icalendar.Calendar.from_ical(answer.content)


def the_vevent(calendar: icalendar.Calendar, title: str) -> Any:
    found = [e for e in calendar.walk("VEVENT") if str(e.get("SUMMARY")) == title]
    assert len(found) == 1, [str(e.get("SUMMARY")) for e in calendar.walk("VEVENT")]
    return found[0]
