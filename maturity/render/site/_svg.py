"""Charts as SVG text, generated here (no charting library): pillar profiles, band rulers,
level distributions, strip charts and the tile map.

Every chart is readable in grey-scale print: levels are a light-to-dark ramp *and* carry their
number, medians are told apart by shape (a line, a diamond) rather than by colour alone, and
every chart has a title and a description for screen readers; the page puts the same numbers
in a table beside it. Texts arrive already in the page's language and already formatted.
"""

from __future__ import annotations

from dataclasses import dataclass

from maturity.render.site._format import h

# Level colours, light to dark (ColorBrewer YlGnBu, with a darker 4 so that white text on it
# passes WCAG AA); their lightness alone orders the levels in grey-scale.
_RAMP = ("#ffffcc", "#a1dab4", "#41b6c4", "#225ea8", "#253494")
_DARK_TEXT_UP_TO = 3  # levels 1-3 carry black text, 4-5 white
UNSCORED = "#ffffff"
INK = "#1a1a1a"
BAR = "#3b4c63"
TRACK = "#ececec"
EDGE = "#767676"
WIDTH = 400.0  # user units of every chart but the map: about the width of a phone


def level_fill(level: int, levels: int = 5) -> str:
    """The fill of a level (1-based) on a scale of ``levels``; white when not scored.

    >>> level_fill(1), level_fill(5), level_fill(0), level_fill(2, 3)
    ('#ffffcc', '#253494', '#ffffff', '#41b6c4')
    """
    if level <= 0:
        return UNSCORED
    if levels == len(_RAMP):
        return _RAMP[level - 1]
    # another number of levels: interpolate along the ramp
    pos = (level - 1) / max(levels - 1, 1) * (len(_RAMP) - 1)
    low = min(int(pos), len(_RAMP) - 2)
    frac = pos - low
    a, b = _RAMP[low], _RAMP[low + 1]
    mix = [
        round(int(a[i : i + 2], 16) * (1 - frac) + int(b[i : i + 2], 16) * frac) for i in (1, 3, 5)
    ]
    return "#" + "".join(f"{c:02x}" for c in mix)


def level_ink(level: int, levels: int = 5) -> str:
    """Text colour on a level's fill."""
    if level <= 0:
        return INK
    return INK if (level - 1) / max(levels - 1, 1) <= 0.5 else "#ffffff"


def _open(chart_id: str, width: float, height: float, title: str, desc: str, cls: str) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart {cls}" role="img"'
        f' viewBox="0 0 {width:g} {height:g}" width="{width:g}" height="{height:g}"'
        f' aria-labelledby="{chart_id}-t {chart_id}-d">'
        f'<title id="{chart_id}-t">{h(title)}</title><desc id="{chart_id}-d">{h(desc)}</desc>'
    )


def _text(x: float, y: float, text: str, extra: str = "") -> str:
    """A text element; ``extra`` is literal attributes (``' text-anchor="end"'``)."""
    return f'<text x="{x:.1f}" y="{y:.1f}"{extra}>{h(text)}</text>'


@dataclass(frozen=True)
class ProfileBar:
    """One pillar of a profile: the unit's share of the pillar's maximum and two medians."""

    label: str
    share: float | None
    value_text: str
    tier_median: float | None
    group_median: float | None


def pillar_profile(chart_id: str, bars: list[ProfileBar], title: str, desc: str) -> str:
    """Horizontal bars, one per pillar (share of its maximum), with the tier's median as a
    black line and the group's median (the province's communes) as a white diamond; the
    page gives the legend (:func:`legend_icon`) in HTML, where it can wrap."""
    width, row = WIDTH, 46.0
    top = 4.0
    height = top + row * len(bars)
    out = [_open(chart_id, width, height, title, desc, "profile")]
    for i, bar in enumerate(bars):
        y = top + i * row
        out.append(_text(0, y + 12, bar.label))
        out.append(_text(width, y + 12, bar.value_text, ' text-anchor="end" class="strong"'))
        out.append(
            f'<rect x="0" y="{y + 18:.1f}" width="{width:g}" height="14" fill="{TRACK}"'
            f' stroke="{EDGE}" stroke-width="0.5"/>'
        )
        if bar.share is not None:
            w = max(0.0, min(1.0, bar.share)) * width
            out.append(
                f'<rect class="bar" x="0" y="{y + 18:.1f}" width="{w:.1f}" height="14"'
                f' fill="{BAR}"/>'
            )
        if bar.tier_median is not None:
            x = max(1.5, min(width - 1.5, bar.tier_median * width))
            out.append(
                f'<line class="median" x1="{x:.1f}" y1="{y + 14:.1f}" x2="{x:.1f}"'
                f' y2="{y + 36:.1f}" stroke="{INK}" stroke-width="2.5"/>'
            )
        if bar.group_median is not None:
            x = max(6.0, min(width - 6.0, bar.group_median * width))
            out.append(_diamond(x, y + 25))
    out.append("</svg>")
    return "".join(out)


def legend_icon(kind: str) -> str:
    """The symbol of a profile's legend: ``bar``, ``median`` (a line) or ``group`` (a
    diamond), as a small decorative SVG."""
    if kind == "bar":
        shape = f'<rect x="1" y="4" width="16" height="10" fill="{BAR}"/>'
    elif kind == "median":
        shape = f'<line x1="9" y1="1" x2="9" y2="17" stroke="{INK}" stroke-width="2.5"/>'
    else:
        shape = _diamond(9, 9)
    return (
        '<svg class="icon" viewBox="0 0 18 18" width="18" height="18" aria-hidden="true">'
        f"{shape}</svg>"
    )


def _diamond(x: float, y: float, r: float = 6.0) -> str:
    return (
        f'<path class="group-median" d="M{x:.1f} {y - r:.1f}L{x + r:.1f} {y:.1f}'
        f'L{x:.1f} {y + r:.1f}L{x - r:.1f} {y:.1f}Z" fill="#ffffff" stroke="{INK}"'
        ' stroke-width="1.5"/>'
    )


@dataclass(frozen=True)
class Band:
    level: int
    start: float  # points
    label: str  # the axis label at its start


def band_ruler(
    chart_id: str,
    bands: list[Band],
    scale: float,
    score: float | None,
    score_text: str,
    title: str,
    desc: str,
) -> str:
    """The scale from 0 to its maximum cut into the level bands, and a marker at the score."""
    width, height = WIDTH, 64.0
    out = [_open(chart_id, width, height, title, desc, "ruler")]
    levels = len(bands)
    for i, band in enumerate(bands):
        x0 = band.start / scale * width
        x1 = bands[i + 1].start / scale * width if i + 1 < levels else width
        out.append(
            f'<rect class="band" x="{x0:.1f}" y="24" width="{x1 - x0:.1f}" height="20"'
            f' fill="{level_fill(band.level, levels)}" stroke="{EDGE}" stroke-width="0.5"/>'
        )
        ink = level_ink(band.level, levels)
        extra = f' text-anchor="middle" fill="{ink}" class="strong"'
        out.append(_text((x0 + x1) / 2, 38, str(band.level), extra))
        anchor = "start" if i == 0 else "middle"
        out.append(_text(x0, 58, band.label, f' text-anchor="{anchor}" class="small"'))
    if score is not None:
        x = max(0.0, min(width, score / scale * width))
        out.append(
            f'<path class="marker" d="M{x - 6:.1f} 14L{x + 6:.1f} 14L{x:.1f} 24Z" fill="{INK}"/>'
            f'<line x1="{x:.1f}" y1="22" x2="{x:.1f}" y2="46" stroke="{INK}" stroke-width="2"/>'
        )
        tx = max(24.0, min(width - 24.0, x))
        out.append(_text(tx, 11, score_text, ' text-anchor="middle" class="strong"'))
    out.append("</svg>")
    return "".join(out)


@dataclass(frozen=True)
class LevelCount:
    level: int
    label: str
    count: int
    count_text: str


def level_bars(chart_id: str, counts: list[LevelCount], title: str, desc: str) -> str:
    """One bar per level, as long as the number of units at it."""
    width, row, label_w = WIDTH, 26.0, 150.0
    height = row * len(counts) + 4
    out = [_open(chart_id, width, height, title, desc, "levels")]
    most = max((c.count for c in counts), default=0) or 1
    levels = len(counts)
    for i, item in enumerate(counts):
        y = i * row + 2
        out.append(_text(0, y + 15, item.label))
        w = item.count / most * (width - label_w - 56)
        out.append(
            f'<rect class="bar" x="{label_w:g}" y="{y + 3:.1f}" width="{w:.1f}" height="16"'
            f' fill="{level_fill(item.level, levels)}" stroke="{INK}" stroke-width="0.75"/>'
        )
        out.append(_text(label_w + w + 6, y + 16, item.count_text, ' class="strong"'))
    out.append("</svg>")
    return "".join(out)


@dataclass(frozen=True)
class Strip:
    label: str
    shares: list[float]  # one per unit, in [0, 1]
    median: float | None
    median_text: str


def strip_chart(chart_id: str, strips: list[Strip], title: str, desc: str) -> str:
    """Small multiples, one strip per pillar: a dot per unit at its share of the pillar's
    maximum (spread vertically so that equal values stay visible), the median a bold line."""
    width, row = WIDTH, 50.0
    height = row * len(strips) + 16
    out = [_open(chart_id, width, height, title, desc, "strips")]
    for i, strip in enumerate(strips):
        y = i * row
        out.append(_text(0, y + 12, strip.label))
        out.append(_text(width, y + 12, strip.median_text, ' text-anchor="end" class="strong"'))
        out.append(
            f'<rect x="0" y="{y + 17:.1f}" width="{width:g}" height="26" fill="{TRACK}"'
            f' stroke="{EDGE}" stroke-width="0.5"/>'
        )
        dots = []
        for n, share in enumerate(strip.shares):
            x = max(3.5, min(width - 3.5, share * width))
            jitter = (n * 0.6180339887) % 1.0  # golden-ratio spread: deterministic, even
            dots.append(f'<circle cx="{x:.1f}" cy="{y + 21 + jitter * 18:.1f}" r="3.5"/>')
        out.append(f'<g class="dots" fill="{BAR}" fill-opacity="0.5">{"".join(dots)}</g>')
        if strip.median is not None:
            x = max(1.5, min(width - 1.5, strip.median * width))
            out.append(
                f'<line class="median" x1="{x:.1f}" y1="{y + 14:.1f}" x2="{x:.1f}"'
                f' y2="{y + 46:.1f}" stroke="{INK}" stroke-width="3"/>'
            )
    for tick in (0, 0.25, 0.5, 0.75, 1.0):
        anchor = "start" if tick == 0 else "end" if tick == 1 else "middle"
        out.append(
            _text(
                tick * width,
                height - 2,
                f"{tick * 100:.0f}%",
                f' text-anchor="{anchor}" class="small"',
            )
        )
    out.append("</svg>")
    return "".join(out)


@dataclass(frozen=True)
class Tile:
    col: int
    row: int
    lines: tuple[str, ...]  # the short name, one or two lines
    level: int  # 0 = not scored
    mark: str  # what the tile shows big: the level number, or a dash
    href: str | None
    label: str  # the link's accessible name: name, level and score


def tile_map(chart_id: str, tiles: list[Tile], levels: int, title: str, desc: str) -> str:
    """A grid of tiles, one per province at its authored place, filled by level and marked
    with the level's number; each tile links to the province's page."""
    tw, th, gap = 64.0, 46.0, 4.0
    cols = max((t.col for t in tiles), default=0) + 1
    rows = max((t.row for t in tiles), default=0) + 1
    width, height = cols * (tw + gap), rows * (th + gap)
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart tilemap" role="group"'
        f' viewBox="0 0 {width:g} {height:g}" width="{width:g}" height="{height:g}"'
        f' aria-labelledby="{chart_id}-t {chart_id}-d">'
        f'<title id="{chart_id}-t">{h(title)}</title><desc id="{chart_id}-d">{h(desc)}</desc>'
    ]
    for tile in tiles:
        x, y = tile.col * (tw + gap), tile.row * (th + gap)
        ink = level_ink(tile.level, levels)
        dash = "" if tile.level else ' stroke-dasharray="3 2"'
        body = [
            f'<rect class="tile" x="{x:g}" y="{y:g}" width="{tw:g}" height="{th:g}" rx="3"'
            f' fill="{level_fill(tile.level, levels)}" stroke="{INK}" stroke-width="0.75"{dash}/>'
        ]
        for n, line in enumerate(tile.lines):
            body.append(_text(x + 4, y + 13 + n * 12, line, f' fill="{ink}" class="tile-name"'))
        body.append(
            _text(
                x + tw - 5,
                y + th - 6,
                tile.mark,
                f' fill="{ink}" text-anchor="end" class="tile-mark"',
            )
        )
        inner = "".join(body)
        if tile.href is not None:
            out.append(
                f'<a href="{h(tile.href)}" aria-label="{h(tile.label)}">'
                f"<title>{h(tile.label)}</title>{inner}</a>"
            )
        else:
            out.append(f'<g aria-label="{h(tile.label)}" role="img">{inner}</g>')
    out.append("</svg>")
    return "".join(out)
