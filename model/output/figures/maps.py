"""A labelled schematic map of a region's counties: each county a square tile placed by its
seat's longitude and latitude (snapped to a grid so tiles never overlap), coloured by the last
year's coverage, workers and served share, labelled with its name and value.

    fig = county_map_figure(plan, townships, lang="zh")      # figures/map_counties.png

Catchments (plan.csv `served_by`) are drawn on township maps: each served township hatched,
with a thin line to its station (draw_links; also figures/plan.py's tile and boundary maps).

Real units (9-digit township codes, model/inputs/divisions.py) take their county's point from
model/inputs/seats.py (cpca 0.5.5, MIT). A region of one county shows its townships instead, in
code order, and a synthetic region its counties in code order: both schematics without
geography, as the caption says. Labels never go below MIN_FONT points: a region of many
counties (Henan, 178) gets larger tiles and a larger figure instead; Ganzhou's 18 fit at 8.
"""

from __future__ import annotations

import math
from typing import Any

import matplotlib
import numpy as np
import pandas as pd
from matplotlib.cm import ScalarMappable
from matplotlib.colors import Normalize
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, Rectangle
from matplotlib.ticker import PercentFormatter

from model.output.catchments import served_links
from model.output.figures.style import Figure, styled
from model.output.i18n import t

GRADE_COLUMNS = ("workers_uncertified", "workers_junior", "workers_intermediate")


CATCHMENT_COLOUR = "#c44536"
"""Colour of the catchment lines and of the hatching of served townships on every map."""

SERVED_FACE = "#f6d5a8"
"""Fill of a township served by a nearby station on the map of opening years (the hatching
marks it on every map)."""

SERVED_HATCH = "////"


def last_year_links(plan: pd.DataFrame) -> tuple[int, pd.DataFrame]:
    """The plan's last year and its catchments: year, station_id, township_id of every township
    served by a neighbouring station that year (plan.csv `served_by`; empty without)."""
    year = int(plan["year"].max())
    links = served_links(plan)
    return year, links[links["year"] == year].reset_index(drop=True)


def draw_links(
    ax: Any, centres: dict[str, tuple[float, float]], links: pd.DataFrame, lw: float = 0.8
) -> None:
    """A thin line from each served township's centre to its station's (`centres` by township
    id; links whose ends have no centre are left out), with a dot at the station."""
    for r in links.itertuples():
        a, b = centres.get(str(r.township_id)), centres.get(str(r.station_id))
        if a is None or b is None:
            continue
        ax.plot([a[0], b[0]], [a[1], b[1]], color=CATCHMENT_COLOUR, lw=lw, zorder=4)
        ax.plot([b[0]], [b[1]], "o", color=CATCHMENT_COLOUR, ms=2.5, zorder=5)


def catchment_handles(year: int, lang: str, filled: bool = True) -> list[Any]:
    """Legend entries of the catchments: served townships (hatched; filled as on the map of
    opening years when `filled`) and the lines to their stations."""
    return [
        Patch(
            facecolor=SERVED_FACE if filled else "none",
            edgecolor=CATCHMENT_COLOUR,
            hatch=SERVED_HATCH,
            lw=0.0,
            label=t("map.served_by", lang, year=year),
        ),
        Line2D([], [], color=CATCHMENT_COLOUR, lw=0.8, label=t("map.catchment_link", lang)),
    ]


def tile_layout(lon: pd.Series, lat: pd.Series) -> pd.DataFrame:
    """Integer grid cells (`col` east, `row` north) for points given in degrees, one tile per
    cell: each point, the one nearest the middle first, takes the free cell nearest its own
    place on a grid about as fine as one tile per point. Same index as `lon`."""
    x = lon.to_numpy(float) * math.cos(math.radians(float(lat.mean())))
    y = lat.to_numpy(float)
    n = len(x)
    area = max(np.ptp(x), 1e-9) * max(np.ptp(y), 1e-9)
    cell = math.sqrt(area / n) * 0.8 if np.ptp(x) > 0 and np.ptp(y) > 0 else 1.0
    if np.ptp(x) == 0 or np.ptp(y) == 0:
        cell = max(np.ptp(x), np.ptp(y), 1e-9) / max(n - 1, 1)
    gx, gy = (x - x.min()) / cell, (y - y.min()) / cell
    order = np.argsort((gx - gx.mean()) ** 2 + (gy - gy.mean()) ** 2, kind="stable")
    taken: set[tuple[int, int]] = set()
    cells: list[tuple[int, int]] = [(0, 0)] * n
    for i in order:
        cx, cy = gx[i], gy[i]
        best, r = None, 0
        while best is None:
            ring = [
                (c, w)
                for c in range(math.floor(cx) - r, math.ceil(cx) + r + 1)
                for w in range(math.floor(cy) - r, math.ceil(cy) + r + 1)
                if (c, w) not in taken
            ]
            if ring:
                best = min(ring, key=lambda p: ((p[0] - cx) ** 2 + (p[1] - cy) ** 2, p[1], p[0]))
            r += 1
        taken.add(best)
        cells[i] = best
    return pd.DataFrame(cells, index=lon.index, columns=["col", "row"])


def compact_layout(n: int) -> pd.DataFrame:
    """Cells for n tiles in order, row by row from the top left, on a near-square grid."""
    cols = max(1, math.ceil(math.sqrt(n)))
    return pd.DataFrame(
        {"col": [k % cols for k in range(n)], "row": [-(k // cols) for k in range(n)]}
    )


def map_units(townships: pd.DataFrame) -> tuple[pd.DataFrame, str]:
    """The tiles of a region's map and how they are placed: a frame indexed by tile key
    (county name, or township id in a one-county region) with `name`, `col`, `row`; and
    `geo` (placed by county seats), `townships` or `codes` (schematics in code order)."""
    from model.inputs.seats import county_seats

    towns = townships.assign(township_id=townships["township_id"].astype(str))
    counties = list(dict.fromkeys(towns["county"]))
    if len(counties) == 1:
        units = pd.DataFrame({"name": towns["name"].tolist()}, index=towns["township_id"])
        return units.join(compact_layout(len(units)).set_index(units.index)), "townships"
    code = towns.groupby("county", sort=False)["township_id"].first().str[:6]
    seats = county_seats()
    real = towns["township_id"].str.fullmatch(r"\d{9}").all() and code.isin(seats.index).all()
    units = pd.DataFrame({"name": counties}, index=pd.Index(counties, name="county"))
    if real:
        units["code"] = code.reindex(counties)
        units = units.sort_values("code")
        pos = seats.loc[units["code"].tolist()]
        cells = tile_layout(
            pd.Series(pos["longitude"].to_numpy(), units.index),
            pd.Series(pos["latitude"].to_numpy(), units.index),
        )
        return units.join(cells).drop(columns="code"), "geo"
    units = units.assign(code=code.reindex(counties)).sort_values("code").drop(columns="code")
    return units.join(compact_layout(len(units)).set_index(units.index)), "codes"


def last_year_values(plan: pd.DataFrame, townships: pd.DataFrame, by: str) -> pd.DataFrame:
    """Per tile (`by`: "county" or "township_id") in the plan's last year: coverage (share of
    townships with a station), workers (all grades) and served share (client hours served /
    needed; NaN where none are needed)."""
    county = dict(zip(townships["township_id"].astype(str), townships["county"], strict=True))
    last = plan[plan["year"] == plan["year"].max()].copy()
    last["township_id"] = last["township_id"].astype(str)
    last["county"] = last["township_id"].map(county)
    last["workers"] = last[[c for c in GRADE_COLUMNS if c in last]].sum(axis=1)
    g = last.groupby(by)
    out = pd.DataFrame(
        {
            "coverage": g["station"].mean(),
            "workers": g["workers"].sum(),
            "served_share": g["served_hours"].sum()
            / g["client_hours"].sum().where(lambda s: s > 0),
        }
    )
    return out


def _hatched(x: float, y: float, side: float = 0.92) -> Rectangle:
    """The hatching over a served township's tile (lower left corner x, y)."""
    return Rectangle(
        (x, y), side, side, fill=False, hatch=SERVED_HATCH, edgecolor=CATCHMENT_COLOUR, lw=0.0
    )


def _short(name: str) -> str:
    return name if len(name) <= 5 else name[:4] + "…"


PANELS = ("coverage", "workers", "served_share")
"""The measures a county map can show, one panel each (columns of last_year_values)."""

MIN_FONT = 7.0
"""The smallest label size (points): a region of many counties gets larger tiles, never
smaller labels (Henan's 178 county-level units: tiles of 0.64 inch, labels of 7 points)."""


def tile_side(cols: int) -> float:
    """Inches per tile for a map `cols` tiles wide: up to 0.75 inch, about 9 inches per panel,
    but never so small that the labels (font = side × 11 points) fall below MIN_FONT."""
    return max(min(0.75, 9 / max(cols, 1)), MIN_FONT / 11)


@styled
def county_map_figure(
    plan: pd.DataFrame,
    townships: pd.DataFrame,
    lang: str = "zh",
    panels: tuple[str, ...] = PANELS,
    title: str | None = None,
) -> Figure:
    """Panels of the region's tiles (by default coverage, workers and served share in the
    plan's last year; `panels` picks some of PANELS), each tile labelled with its name and
    value; `title` above them (e.g. a slide's one message); the caption says how tiles are
    placed. A one-county region's township tiles show the last year's catchments (plan.csv
    `served_by`): served townships hatched, a thin line to each one's station."""
    unknown = set(panels) - set(PANELS)
    if unknown or not panels:
        raise ValueError(f"panels must be some of {PANELS}, not {panels}")
    units, how = map_units(townships)
    values = last_year_values(plan, townships, "township_id" if how == "townships" else "county")
    values = values.reindex(units.index)
    year, links = last_year_links(plan)
    cols = int(units["col"].max() - units["col"].min() + 1)
    rows = int(units["row"].max() - units["row"].min() + 1)
    drawn = [
        ("coverage", "map.coverage", "YlGn", (0.0, 1.0), "{:.0%}"),
        (
            "workers",
            "map.workers",
            "Blues",
            (0.0, max(float(values["workers"].max()), 1.0)),
            "{:,.0f}",
        ),
        ("served_share", "map.served", "RdYlGn", (0.0, 1.0), "{:.0%}"),
    ]
    drawn = [d for d in drawn if d[0] in panels]
    n = len(drawn)
    side = tile_side(cols)
    stacked = cols > 8
    top = 0.5 if title else 0.0  # inches for the title
    pw, ph = max(cols * side, 3.2), max(rows * side, 2.4) + 0.6
    size = (pw + 1.2, n * ph + 0.6 + top) if stacked else (n * (pw + 1.2), ph + 0.8 + top)
    fig = Figure(figsize=size, dpi=110)
    axes = np.atleast_1d(fig.subplots(n, 1) if stacked else fig.subplots(1, n))
    font = min(8.0, side * 11)
    for ax, (column, key, cmap_name, (lo, hi), fmt) in zip(axes, drawn, strict=True):
        cmap = matplotlib.colormaps[cmap_name]
        norm = Normalize(lo, hi)
        for uid, u in units.iterrows():
            v = values.at[uid, column]
            colour = "#dddddd" if pd.isna(v) else cmap(norm(v))
            ax.add_patch(Rectangle((u["col"] - 0.46, u["row"] - 0.46), 0.92, 0.92, color=colour))
            dark = not pd.isna(v) and norm(v) > 0.65 and cmap_name != "RdYlGn"
            text = f"{_short(str(u['name']))}\n{'–' if pd.isna(v) else fmt.format(v)}"
            ax.text(
                u["col"],
                u["row"],
                text,
                ha="center",
                va="center",
                fontsize=font,
                color="white" if dark else "#222222",
                zorder=6,  # above the catchment lines
            )
        if how == "townships" and len(links):
            for tid in links["township_id"]:
                if tid in units.index:
                    u = units.loc[tid]
                    ax.add_patch(_hatched(u["col"] - 0.46, u["row"] - 0.46))
            centres = {str(k): (float(u["col"]), float(u["row"])) for k, u in units.iterrows()}
            draw_links(ax, centres, links)
        ax.set_xlim(units["col"].min() - 0.6, units["col"].max() + 0.6)
        ax.set_ylim(units["row"].min() - 0.6, units["row"].max() + 0.6)
        ax.set_aspect("equal")
        ax.set_axis_off()
        ax.set_title(t(key, lang, year=year), fontsize=10)
        bar = fig.colorbar(ScalarMappable(norm=norm, cmap=cmap), ax=ax, fraction=0.04, pad=0.02)
        if fmt.endswith("%}"):
            bar.formatter = PercentFormatter(1.0, decimals=0)
    if how == "townships" and len(links):
        axes[-1].legend(
            handles=catchment_handles(year, lang, filled=False),
            loc="upper center",
            bbox_to_anchor=(0.5, 0.0),
            fontsize=7,
            frameon=False,
            ncol=2,
        )
    fig.text(0.01, 0.005, t(f"map.caption_{how}", lang), fontsize=7, color="#555555")
    if title:
        fig.suptitle(title, fontsize=15)
    fig.tight_layout(rect=(0, 0.03, 1, 1))
    return fig


MAX_TOWNSHIP_TILES = 5_000
"""Townships up to which the township tile maps (opening year, simulated service) are drawn
without boundaries; above (the country: 38,642 tiles in 2,800 counties' rows, two minutes to
draw and no label readable) the county map (map_counties) stands for them."""

MAX_CATCHMENT_TILES = 400
"""Townships up to which the catchment map is drawn (one tile each); above, the tiles would be
too small to read and catchments.csv says it."""


@styled
def catchment_map_figure(plan: pd.DataFrame, townships: pd.DataFrame, lang: str = "zh") -> Figure:
    """One panel per plan year that has catchments (plan.csv `served_by`): every township a tile
    (in code order, county by county: a schematic, not geography), stations filled, townships
    served by a neighbouring station hatched with a line to their station, the others grey."""
    links = served_links(plan)
    years = sorted(int(y) for y in links["year"].unique())
    towns = townships.assign(township_id=townships["township_id"].astype(str))
    cells = compact_layout(len(towns)).set_index(towns["township_id"])
    cols = int(cells["col"].max() + 1)
    rows = int(-cells["row"].min() + 1)
    side = tile_side(cols)
    pw, ph = max(cols * side, 3.2), max(rows * side, 2.4) + 0.6
    fig = Figure(figsize=(len(years) * (pw + 0.4), ph + 1.2), dpi=110)
    axes = np.atleast_1d(fig.subplots(1, len(years)))
    names = dict(zip(towns["township_id"], towns["name"], strict=True))
    font = min(8.0, side * 11)
    for ax, year in zip(axes, years, strict=True):
        p = plan[plan["year"] == year]
        stations = set(p.loc[p["station"] == 1, "township_id"].astype(str))
        here = links[links["year"] == year]
        served = set(here["township_id"].astype(str))
        for tid, c in cells.iterrows():
            x, y = float(c["col"]) - 0.46, float(c["row"]) - 0.46
            colour = "#2e7d32" if tid in stations else SERVED_FACE if tid in served else "#dddddd"
            ax.add_patch(Rectangle((x, y), 0.92, 0.92, color=colour))
            if tid in served:
                ax.add_patch(_hatched(x, y))
            ax.text(
                float(c["col"]),
                float(c["row"]),
                _short(str(names[tid])),
                ha="center",
                va="center",
                fontsize=font,
                color="white" if tid in stations else "#222222",
                zorder=6,
            )
        centres = {str(k): (float(c["col"]), float(c["row"])) for k, c in cells.iterrows()}
        draw_links(ax, centres, here)
        ax.set_xlim(-0.6, cols - 0.4)
        ax.set_ylim(-rows + 0.4, 0.6)
        ax.set_aspect("equal")
        ax.set_axis_off()
        ax.set_title(
            t("map.catchment_title", lang, year=year, served=len(served), stations=len(stations)),
            fontsize=9,
        )
    served_patch, link = catchment_handles(years[-1], lang)
    served_patch.set_label(t("map.catchment_served", lang))  # every year's, not the last one's
    handles = [
        Patch(facecolor="#2e7d32", label=t("map.catchment_station", lang)),
        served_patch,
        Patch(facecolor="#dddddd", label=t("map.catchment_none", lang)),
        link,
    ]
    fig.legend(
        handles=handles,
        loc="lower center",
        bbox_to_anchor=(0.5, 0.035),
        ncol=4,
        fontsize=7,
        frameon=False,
    )
    fig.text(0.01, 0.005, t("map.caption_catchments", lang), fontsize=7, color="#555555")
    fig.tight_layout(rect=(0, 0.1, 1, 1))
    return fig
