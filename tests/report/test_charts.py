"""The charts and the map: shapes where the numbers say, grey-scale order of the levels,
and a tile for every province of the 2025 registry."""

from __future__ import annotations

import re

from maturity.inputs.units import Registry
from maturity.render.site._svg import (
    Band,
    ProfileBar,
    Strip,
    band_ruler,
    level_fill,
    pillar_profile,
    strip_chart,
)
from maturity.render.site._tiles import VN_2025, layout_for


def _luminance(colour: str) -> float:
    r, g, b = (int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def test_levels_get_darker_so_that_grey_scale_keeps_their_order() -> None:
    for levels in (3, 5, 7):
        shades = [_luminance(level_fill(lv, levels)) for lv in range(1, levels + 1)]
        assert shades == sorted(shades, reverse=True)


def test_the_map_places_every_province_of_the_registry_once(national_registry: Registry) -> None:
    provinces = {u.id for u in national_registry.units.values() if u.tier == "province"}
    assert len(provinces) == 34
    assert layout_for(provinces) is VN_2025 and set(VN_2025) == provinces
    places = [(col, row) for col, row, _ in VN_2025.values()]
    assert len(set(places)) == 34
    assert layout_for(provinces | {"99"}) is None  # another registry: no map, no wrong one
    # north to south: Hà Nội above Huế above Hồ Chí Minh City above Cà Mau
    rows = {code: row for code, (_, row, _) in VN_2025.items()}
    assert rows["01"] < rows["46"] < rows["79"] < rows["96"]


def test_profile_bars_are_as_long_as_the_shares() -> None:
    bars = [
        ProfileBar("A", 0.5, "50%", 0.25, 0.75),
        ProfileBar("B", None, "—", None, None),
        ProfileBar("C", 1.0, "100%", 1.0, None),
    ]
    svg = pillar_profile("p", bars, "title", "desc")
    widths = [float(w) for w in re.findall(r'class="bar" x="0" y="[\d.]+" width="([\d.]+)"', svg)]
    assert widths == [200.0, 400.0]  # half and all of the 400-unit width; none for B
    assert svg.count('class="median"') == 2 and svg.count('class="group-median"') == 1
    assert '<title id="p-t">title</title><desc id="p-d">desc</desc>' in svg


def test_ruler_marker_stands_at_the_score() -> None:
    bands = [Band(1, 0, "0"), Band(2, 400, "400"), Band(3, 700, "700")]
    svg = band_ruler("r", bands, 1000, 250.0, "250", "t", "d")
    assert '<line x1="100.0" y1="22" x2="100.0"' in svg
    assert re.findall(r'class="band" x="([\d.]+)"', svg) == ["0.0", "160.0", "280.0"]


def test_strips_draw_one_dot_per_unit_and_the_median() -> None:
    svg = strip_chart("s", [Strip("A", [0.1, 0.2, 0.2], 0.2, "median 20%")], "t", "d")
    assert svg.count("<circle") == 3 and svg.count('class="median"') == 1
