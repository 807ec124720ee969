"""What the network map shows: the quarters of the network and their places.

Quarters are the directory entries with coordinates (on the coordination node its register
of approved members, on a quarter node its copy of the directory) plus this node's own
entry from its settings. Places come from the enabled plugins through the
``quarter_map_places`` hook (the events plugin answers with the venues of current events),
so the map needs no plugin of its own kind and shows nothing a viewer may not see.
A place is listed under the quarter whose server published it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from quarter_node.plugin_api import MapPlace, base_url, map_places, node_name

from . import settings
from .aggregation import node_url
from .queries import member_nodes

HERE = ""  # the domain of places published on this node


@dataclass
class Point:
    """One marker, numbered as in the list below the map."""

    label: str
    url: str
    latitude: float
    longitude: float
    kind: str  # "quarter" or "place"
    detail: str = ""
    starts_at: datetime | None = None
    number: int = 0


@dataclass
class Section:
    """An initiative (``title`` empty for places whose server is no known member), its
    marker (None without coordinates) and the places published on its server."""

    title: str
    quarter: Point | None = None
    places: list[Point] = field(default_factory=list)


def map_sections(viewer: Any) -> list[Section]:
    """The quarters with their places, numbered in reading order."""
    sections = {domain: section for domain, section in _quarters()}
    strangers = Section("")
    for place in map_places(viewer):
        sections.get(place.domain, strangers).places.append(_place_point(place))
    found = [section for section in sections.values() if section.quarter or section.places]
    if strangers.places:
        found.append(strangers)
    _number(found)
    return found


def all_points(sections: list[Section]) -> list[Point]:
    return [
        point
        for section in sections
        for point in ([section.quarter] if section.quarter else []) + section.places
    ]


def _quarters() -> list[tuple[str, Section]]:
    """``(domain, section)`` of this node and of every known member, with a marker where
    the coordinates are known (without, its places still find their section)."""
    found = [(HERE, _own_section())]
    for node in member_nodes():
        title = node.name or node.domain
        section = Section(title)
        if node.has_location:
            url = node_url(node)
            section.quarter = Point(
                title, url, node.latitude, node.longitude, "quarter", node.quarter
            )
        found.append((node.domain, section))
    return found


def _own_section() -> Section:
    title = node_name() or urlsplit(base_url()).netloc
    section = Section(title)
    latitude, longitude = settings.coordinate("latitude"), settings.coordinate("longitude")
    if latitude is not None and longitude is not None:
        quarter = settings.setting("quarter")
        section.quarter = Point(title, base_url() + "/", latitude, longitude, "quarter", quarter)
    return section


def _place_point(place: MapPlace) -> Point:
    return Point(
        place.title, place.url, place.latitude, place.longitude, "place", "", place.starts_at
    )


def _number(sections: list[Section]) -> None:
    for number, point in enumerate(all_points(sections), start=1):
        point.number = number
