"""The map's Web-Mercator arithmetic, checked against tile numbers any slippy map shows."""

from __future__ import annotations

import pytest

from plugins.network import map_math

DUESSELDORF = (51.2277, 6.7735)
OBERBILK = (51.2130, 6.8030)
HEERDT = (51.2290, 6.7230)


def test_duesseldorf_lies_on_the_tile_openstreetmap_shows_at_zoom_12() -> None:
    assert map_math.tile_for(*DUESSELDORF, 12) == (2125, 1367)
    assert map_math.tile_for(*DUESSELDORF, 0) == (0, 0)


def test_the_origin_of_the_world_map_is_the_top_left_corner() -> None:
    assert map_math.world_position(0.0, -180.0, 0) == pytest.approx((0.0, 128.0))
    assert map_math.tile_for(-85.0511, 179.9999, 3) == (7, 7)  # bottom right, clamped


def test_the_viewport_is_the_closest_block_showing_every_point() -> None:
    points = [DUESSELDORF, OBERBILK, HEERDT]
    viewport = map_math.fit_viewport(points)
    assert viewport.columns <= map_math.MAX_COLUMNS and viewport.rows <= map_math.MAX_ROWS
    for point in points:
        x, y = viewport.position(*point)
        assert map_math.MARGIN <= x <= viewport.width - map_math.MARGIN
        assert map_math.MARGIN <= y <= viewport.height - map_math.MARGIN
    closer = map_math._block_at(points, viewport.zoom + 1)
    assert closer is None, "one zoom closer would fit as well"


def test_a_single_point_gets_the_highest_zoom_and_the_smallest_block() -> None:
    viewport = map_math.fit_viewport([DUESSELDORF])
    assert viewport.zoom == map_math.MAX_ZOOM
    assert (viewport.columns, viewport.rows) == (map_math.MIN_COLUMNS, map_math.MIN_ROWS)


def test_no_points_show_the_world_and_far_points_a_low_zoom() -> None:
    assert map_math.fit_viewport([]).zoom == map_math.MIN_ZOOM
    points = [DUESSELDORF, (-33.87, 151.21)]  # and Sydney
    viewport = map_math.fit_viewport(points)
    assert viewport.zoom == 3
    for point in points:
        x, y = viewport.position(*point)
        assert 0 <= x <= viewport.width and 0 <= y <= viewport.height
    assert all(0 <= t.x < 2**viewport.zoom for t in viewport.tiles())


def test_tiles_are_listed_row_by_row_with_their_place_in_the_grid() -> None:
    viewport = map_math.Viewport(12, 2124, 1366, 3, 2)
    tiles = viewport.tiles()
    assert [(t.x, t.y) for t in tiles[:4]] == [
        (2124, 1366),
        (2125, 1366),
        (2126, 1366),
        (2124, 1367),
    ]
    assert (tiles[-1].column, tiles[-1].row) == (2, 1)


def test_tile_urls_fill_in_the_template_with_a_subdomain() -> None:
    tile = map_math.Tile(12, 2125, 1367, 0, 0)
    template = "https://{s}.tile.example/{z}/{x}/{y}.png"
    assert map_math.tile_url(template, tile) == "https://a.tile.example/12/2125/1367.png"
    assert map_math.origin(map_math.tile_url(template, tile)) == "https://a.tile.example"


@pytest.mark.parametrize(
    ("template", "usable"),
    [
        ("https://tile.openstreetmap.org/{z}/{x}/{y}.png", True),
        ("http://127.0.0.1:9/{z}/{x}/{y}.png", True),
        ("https://tile.example/{z}/{x}.png", False),
        ("javascript:alert(1)//{z}/{x}/{y}", False),
        ("", False),
    ],
)
def test_only_http_templates_with_all_three_numbers_are_used(template: str, usable: bool) -> None:
    assert map_math.usable_template(template) is usable


def test_the_scale_bar_is_a_round_distance_no_longer_than_asked() -> None:
    metres, pixels = map_math.scale_bar(DUESSELDORF[0], 12, max_pixels=120)
    assert str(metres)[0] in "125" and set(str(metres)[1:]) <= {"0"}
    assert 48 <= pixels <= 120
    # at zoom 12 near Düsseldorf one pixel is about 24 m: 2 km fit into 120 pixels
    assert metres == 2000
