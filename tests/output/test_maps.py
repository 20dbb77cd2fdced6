"""The county map: tiles placed by the county seats never overlap and keep the seats' order;
every run draws figures/map_counties.png."""

from __future__ import annotations

import pandas as pd

from model.inputs.divisions import select_divisions
from model.inputs.seats import county_seats
from model.output.figures.maps import (
    MIN_FONT,
    county_map_figure,
    map_units,
    tile_layout,
    tile_side,
)


def _ganzhou() -> pd.DataFrame:
    units = select_divisions(["3607"])
    return pd.DataFrame(
        {"township_id": units["township_id"], "name": units["name"], "county": units["county"]}
    )


def test_every_ganzhou_county_has_its_own_seat():
    seats = county_seats()
    codes = sorted(set(_ganzhou()["township_id"].str[:6]))
    assert len(codes) == 18
    assert set(seats.loc[codes, "match"]) <= {"code", "name"}


def test_tiles_do_not_overlap_and_keep_east_west_and_north_south():
    units, how = map_units(_ganzhou())
    assert how == "geo" and len(units) == 18
    assert not units[["col", "row"]].duplicated().any()
    cell = units.set_index("name")
    assert cell.at["瑞金市", "col"] > cell.at["章贡区", "col"]  # Ruijin lies east of the city
    assert cell.at["崇义县", "col"] < cell.at["会昌县", "col"]  # Chongyi in the west
    assert cell.at["宁都县", "row"] > cell.at["寻乌县", "row"]  # Ningdu north, Xunwu south
    assert cell.at["石城县", "row"] > cell.at["定南县", "row"]


def test_points_in_one_place_still_get_a_tile_each():
    lon = pd.Series([113.6, 113.6, 113.6, 114.9, 112.4])
    lat = pd.Series([34.7, 34.7, 34.7, 34.6, 34.6])
    cells = tile_layout(lon, lat)
    assert not cells.duplicated().any()
    assert cells.at[3, "col"] > cells.at[4, "col"]


def test_one_county_shows_its_townships_and_a_synthetic_region_its_counties_in_order():
    towns = _ganzhou()
    one = towns[towns["township_id"].str.startswith("360781")]
    units, how = map_units(one)
    assert how == "townships" and len(units) == len(one)
    synth = pd.DataFrame(
        {
            "township_id": ["S002001", "S001001", "S001002"],
            "name": ["丙", "甲", "乙"],
            "county": ["田春县", "光德县", "光德县"],
        }
    )
    units, how = map_units(synth)
    assert how == "codes" and list(units.index) == ["光德县", "田春县"]


def test_a_run_writes_the_county_map(case):
    from model.cli.commands import main

    out = case.folder / "res"
    args = ["run", str(case.yaml), "--set", "simulation.replications=1"]
    assert main([*args, "--set", "simulation.rounds=1", "--out", str(out)]) == 0
    assert (out / "mini" / "latest" / "figures" / "map_counties.png").stat().st_size > 1000


def _plan(towns: pd.DataFrame) -> pd.DataFrame:
    """A last-year plan for `towns`: every township a station, two workers, 80% served."""
    return towns.assign(
        year=2025,
        station=1,
        workers_uncertified=1,
        workers_junior=1,
        workers_intermediate=0,
        client_hours=100.0,
        served_hours=80.0,
    )


def test_a_province_gets_larger_tiles_never_smaller_labels():
    units = select_divisions(["41"])  # Henan: 178 county-level units
    towns = pd.DataFrame(
        {"township_id": units["township_id"], "name": units["name"], "county": units["county"]}
    )
    fig = county_map_figure(_plan(towns), towns)
    labels = [x for ax in fig.axes for x in ax.texts]
    assert len(labels) == 3 * towns["county"].nunique()
    assert min(x.get_fontsize() for x in labels) >= MIN_FONT
    assert tile_side(18) * 11 >= MIN_FONT and tile_side(8) == 0.75  # Ganzhou keeps its 0.75


def test_one_panel_with_a_title():
    towns = _ganzhou()
    fig = county_map_figure(_plan(towns), towns, panels=("served_share",), title="一句话")
    panels = [ax for ax in fig.axes if ax.texts]
    assert len(panels) == 1 and len(panels[0].texts) == 18
    assert fig.get_suptitle() == "一句话"
    assert panels[0].texts[0].get_text().endswith("80%")
