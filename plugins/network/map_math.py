"""Web-Mercator arithmetic for a map drawn on the server, without JavaScript.

A slippy map (OpenStreetMap and every tile server like it) cuts the world at zoom ``z``
into ``2**z`` by ``2**z`` square tiles of 256 pixels. The map page shows a rectangular
block of whole tiles: the highest zoom at which every point fits into a block of at most
``MAX_COLUMNS`` by ``MAX_ROWS`` tiles. Whole tiles keep the page free of inline styles
(the node's Content-Security-Policy forbids them): the tiles sit in a CSS grid and the
markers in an SVG laid over it, whose coordinates are plain attributes.

Pure functions only: no Flask, no database, so the figures are easy to check by hand.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

TILE_SIZE = 256
MAX_LATITUDE = 85.0511287798  # Web Mercator's square world ends here
MIN_ZOOM, MAX_ZOOM = 1, 16
MAX_COLUMNS, MAX_ROWS = 4, 3
MIN_COLUMNS, MIN_ROWS = 3, 2
MARGIN = 24  # pixels a marker keeps from the block's edge
SUBDOMAINS = "abc"


def world_position(latitude: float, longitude: float, zoom: int) -> tuple[float, float]:
    """The point's pixel position in the whole world map at ``zoom`` (origin top left)."""
    latitude = max(-MAX_LATITUDE, min(MAX_LATITUDE, latitude))
    scale = TILE_SIZE * 2**zoom
    x = (longitude + 180.0) / 360.0 * scale
    sin_lat = math.sin(math.radians(latitude))
    y = (0.5 - math.log((1 + sin_lat) / (1 - sin_lat)) / (4 * math.pi)) * scale
    return x, y


def tile_for(latitude: float, longitude: float, zoom: int) -> tuple[int, int]:
    """The ``(x, y)`` number of the tile holding the point at ``zoom``."""
    x, y = world_position(latitude, longitude, zoom)
    last = 2**zoom - 1
    return min(last, int(x // TILE_SIZE)), min(last, int(y // TILE_SIZE))


def metres_per_pixel(latitude: float, zoom: int) -> float:
    """Ground distance of one map pixel at ``latitude`` (for the scale bar)."""
    equator = 2 * math.pi * 6378137.0 / (TILE_SIZE * 2**zoom)
    return equator * math.cos(math.radians(latitude))


@dataclass(frozen=True)
class Tile:
    zoom: int
    x: int
    y: int
    column: int  # position in the block, from 0
    row: int


@dataclass(frozen=True)
class Viewport:
    """A block of whole tiles at one zoom: columns ``x0 .. x0+columns-1``, rows likewise."""

    zoom: int
    x0: int
    y0: int
    columns: int
    rows: int

    @property
    def width(self) -> int:
        return self.columns * TILE_SIZE

    @property
    def height(self) -> int:
        return self.rows * TILE_SIZE

    def position(self, latitude: float, longitude: float) -> tuple[float, float]:
        """The point's pixel position inside the block (may lie outside for far points)."""
        x, y = world_position(latitude, longitude, self.zoom)
        return x - self.x0 * TILE_SIZE, y - self.y0 * TILE_SIZE

    def tiles(self) -> list[Tile]:
        """The block's tiles row by row, as a grid lays them out."""
        return [
            Tile(self.zoom, self.x0 + column, self.y0 + row, column, row)
            for row in range(self.rows)
            for column in range(self.columns)
        ]

    def centre_latitude(self) -> float:
        """Latitude of the block's middle (the scale bar is true there)."""
        y = (self.y0 + self.rows / 2) * TILE_SIZE / (TILE_SIZE * 2**self.zoom)
        return math.degrees(math.atan(math.sinh(math.pi * (1 - 2 * y))))


def fit_viewport(points: Sequence[tuple[float, float]]) -> Viewport:
    """The closest block of tiles showing every ``(latitude, longitude)``.

    No points: the whole world at zoom 1 (two by two tiles)."""
    if not points:
        return Viewport(MIN_ZOOM, 0, 0, 2, 2)
    for zoom in range(MAX_ZOOM, MIN_ZOOM - 1, -1):
        block = _block_at(points, zoom)
        if block is not None:
            return block
    return Viewport(MIN_ZOOM, 0, 0, 2, 2)


def _block_at(points: Sequence[tuple[float, float]], zoom: int) -> Viewport | None:
    positions = [world_position(lat, lon, zoom) for lat, lon in points]
    first, last = _span((x for x, _ in positions), zoom)
    top, bottom = _span((y for _, y in positions), zoom)
    columns, rows = last - first + 1, bottom - top + 1
    if columns > MAX_COLUMNS or rows > MAX_ROWS:
        return None
    x0, columns = _widen(first, columns, MIN_COLUMNS, zoom)
    y0, rows = _widen(top, rows, MIN_ROWS, zoom)
    return Viewport(zoom, x0, y0, columns, rows)


def _span(values: Iterable[float], zoom: int) -> tuple[int, int]:
    """First and last tile number covering ``values`` with ``MARGIN`` pixels around them."""
    values = list(values)
    last_tile = 2**zoom - 1
    low = max(0, int((min(values) - MARGIN) // TILE_SIZE))
    high = min(last_tile, int((max(values) + MARGIN) // TILE_SIZE))
    return low, high


def _widen(start: int, count: int, minimum: int, zoom: int) -> tuple[int, int]:
    """Grow a run of tiles to ``minimum`` (both sides alike), staying inside the world."""
    tiles_in_world = 2**zoom
    wanted = min(max(count, minimum), tiles_in_world)
    start -= (wanted - count) // 2
    start = max(0, min(start, tiles_in_world - wanted))
    return start, wanted


def tile_url(template: str, tile: Tile) -> str:
    """``template`` with ``{z}``, ``{x}``, ``{y}`` and ``{s}`` (a, b or c) filled in."""
    subdomain = SUBDOMAINS[(tile.x + tile.y) % len(SUBDOMAINS)]
    return (
        template.replace("{z}", str(tile.zoom))
        .replace("{x}", str(tile.x))
        .replace("{y}", str(tile.y))
        .replace("{s}", subdomain)
    )


def usable_template(template: str) -> bool:
    """Whether ``template`` is an http(s) address with the three numbers to fill in."""
    template = template.strip()
    if not all(part in template for part in ("{z}", "{x}", "{y}")):
        return False
    parts = urlsplit(template.replace("{s}", "a"))
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def origin(url: str) -> str:
    """``scheme://host[:port]`` of ``url`` (what a Content-Security-Policy allows)."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def scale_bar(latitude: float, zoom: int, max_pixels: int = 120) -> tuple[int, float]:
    """A round distance in metres (1, 2 or 5 times a power of ten) and its length in
    pixels, as long as possible up to ``max_pixels``."""
    per_pixel = metres_per_pixel(latitude, zoom)
    longest = per_pixel * max_pixels
    power = 10 ** math.floor(math.log10(longest))
    metres = max(step * power for step in (1, 2, 5) if step * power <= longest)
    return int(metres), metres / per_pixel
