"""Figures of runs and experiments: one function per figure, tables in, a Figure out.

Labels in Chinese (`zh`, default) or English (`en`), from model.output.i18n. Chinese renders on
any machine with the Noto Sans CJK SC font shipped by the mplfonts package, no system fonts
needed. Figures are built without pyplot and inside `style()` (a matplotlib.rc_context), so
importing or calling them changes no global setting; a notebook shows each returned Figure once
(through its `_repr_png_`) and scripts need no display.
"""

from model.output.figures.access import access_figure
from model.output.figures.equity import equity_figure
from model.output.figures.experiments import (
    comparison_figure,
    frontier_figure,
    morris_figure,
    sobol_figure,
    tornado_figure,
)
from model.output.figures.funding import funding_figure
from model.output.figures.maps import (
    MAX_CATCHMENT_TILES,
    MAX_TOWNSHIP_TILES,
    catchment_map_figure,
    county_map_figure,
)
from model.output.figures.plan import (
    boundary_map_figure,
    money_figure,
    rollout_figure,
    staffing_figure,
    targets_figure,
    tile_map_figure,
)
from model.output.figures.service import service_figure
from model.output.figures.style import Figure, save, style, styled

__all__ = [
    "Figure",
    "access_figure",
    "boundary_map_figure",
    "comparison_figure",
    "MAX_CATCHMENT_TILES",
    "MAX_TOWNSHIP_TILES",
    "catchment_map_figure",
    "county_map_figure",
    "equity_figure",
    "frontier_figure",
    "funding_figure",
    "money_figure",
    "morris_figure",
    "rollout_figure",
    "save",
    "service_figure",
    "sobol_figure",
    "staffing_figure",
    "style",
    "styled",
    "targets_figure",
    "tile_map_figure",
    "tornado_figure",
]
