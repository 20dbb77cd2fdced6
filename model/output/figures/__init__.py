"""Figures of runs and experiments: one function per figure, tables in, a Figure out.

Labels in Chinese (`zh`, default) or English (`en`). Chinese renders on any machine with the
Noto Sans CJK SC font shipped by the mplfonts package, no system fonts needed. Figures are
built without pyplot's global state, so a notebook shows each returned Figure once and scripts
need no display.
"""
from model.output.figures.experiments import (
    comparison_figure,
    frontier_figure,
    morris_figure,
    sobol_figure,
    tornado_figure,
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
from model.output.figures.style import TARGET_NAMES, label, save, use_cjk_font

__all__ = [
    "TARGET_NAMES", "boundary_map_figure", "comparison_figure", "frontier_figure", "label",
    "money_figure", "morris_figure", "rollout_figure", "save", "service_figure", "sobol_figure",
    "staffing_figure", "targets_figure", "tile_map_figure", "tornado_figure", "use_cjk_font",
]
