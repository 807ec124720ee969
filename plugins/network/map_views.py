"""``/network/map``: the network's quarters and places on a map drawn by the server.

The page is whole map tiles as ``<img>`` elements in a CSS grid, an SVG over them with
numbered markers that link to the initiative or place, and the same points as a list
below (the map's text alternative, and all a reader without pictures needs). Tiles come
from the ``map_tiles`` URL template; without one the grid of blank tiles and the scale bar
are the background. Pictures from the tile server are allowed on this page only.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import make_response, render_template

from quarter_node.plugin_api import content_security_policy, current_account

from . import map_math, settings
from .blueprint import bp
from .map_points import Point, all_points, map_sections

OSM_ATTRIBUTION = "© OpenStreetMap contributors"
OSM_COPYRIGHT = "https://www.openstreetmap.org/copyright"


@dataclass(frozen=True)
class Marker:
    point: Point
    x: float
    y: float


@dataclass(frozen=True)
class Drawing:
    """Everything the template draws, in the viewport's pixels."""

    viewport: map_math.Viewport
    tile_urls: list[str]  # row by row; empty: blank tiles
    markers: list[Marker]
    scale_metres: int
    scale_pixels: float
    attribution: str
    attribution_url: str

    @property
    def image_origins(self) -> tuple[str, ...]:
        return tuple({map_math.origin(url) for url in self.tile_urls})


def draw(points: list[Point]) -> Drawing:
    viewport = map_math.fit_viewport([(p.latitude, p.longitude) for p in points])
    markers = [Marker(p, *viewport.position(p.latitude, p.longitude)) for p in points]
    metres, pixels = map_math.scale_bar(viewport.centre_latitude(), viewport.zoom)
    template = settings.setting("map_tiles")
    tile_urls: list[str] = []
    attribution, attribution_url = "", ""
    if map_math.usable_template(template):
        tile_urls = [map_math.tile_url(template, tile) for tile in viewport.tiles()]
        attribution, attribution_url = _attribution(template)
    return Drawing(viewport, tile_urls, markers, metres, pixels, attribution, attribution_url)


def _attribution(template: str) -> tuple[str, str]:
    """The tile attribution setting, else OpenStreetMap's for its own tile servers."""
    written = settings.setting("map_attribution")
    if written:
        return written, ""
    if "openstreetmap.org" in template.lower():
        return OSM_ATTRIBUTION, OSM_COPYRIGHT
    return "", ""


@bp.get("/network/map")
def map_page() -> Any:
    sections = map_sections(current_account())
    drawing = draw(all_points(sections))
    page = render_template(
        "network/map.html",
        sections=sections,
        drawing=drawing,
        network_name=settings.setting("network_name"),
        coordination=settings.is_coordination(),
    )
    response = make_response(page)
    if drawing.tile_urls:
        policy = content_security_policy(image_origins=drawing.image_origins)
        response.headers["Content-Security-Policy"] = policy
    return response
