"""Workshop mode: re-plan a scenario from three sliders and redraw, in seconds.

    from model.workshop import Workshop
    Workshop(load_scenario(shipped_scenario("ganzhou"))).show()     # in a notebook

The sliders are the yearly budget (a factor on every year's budget), the coverage target of
the last year and the certified share of the last year. Each change re-plans with a looser
gap (2%), a short time limit (20 s; Ganzhou needs 1–3 s at its budget or more, about 8 s at
80% of it) and unmet targets' shortfalls weighed at once rather than met one after the other
in the planner's order (one solve instead of one per target: a full run holds the order) —
enough for a meeting, where the answer has to come while people are still looking — and
redraws one large figure: stations and coverage, workers by grade, spend against the budget,
and the targets.
"""

from __future__ import annotations

import dataclasses
import time

import numpy as np

from model.errors import require
from model.inputs.scenario import Scenario
from model.output.figures import Figure, styled
from model.output.figures.plan import grade_bars
from model.output.i18n import t
from model.plan.result import PlanResult

FAST_SOLVER = {"gap": 0.02, "time_limit_s": 20.0}


@dataclasses.dataclass
class Workshop:
    """A scenario and the re-planning behind the sliders."""

    scenario: Scenario
    lang: str = "zh"

    def variant(
        self,
        budget_factor: float = 1.0,
        coverage: float | None = None,
        certified_share: float | None = None,
    ) -> Scenario:
        """The scenario with the sliders' values (budget factor on every year; last-year
        targets)."""
        sc = self.scenario
        last = sc.years[-1]
        changes: dict[str, object] = {
            f"budget.{y}": round(v * budget_factor, 3) for y, v in sc.budget.items()
        }
        if coverage is not None:
            changes[f"targets.coverage.{last}"] = float(coverage)
        if certified_share is not None:
            changes[f"targets.certified_share.{last}"] = float(certified_share)
        changes.update({f"solver.{k}": v for k, v in FAST_SOLVER.items()})
        changes["objective"] = "max_service"
        return sc.with_overrides(changes)

    def replan(
        self,
        budget_factor: float = 1.0,
        coverage: float | None = None,
        certified_share: float | None = None,
    ) -> PlanResult:
        """Plan the variant (about ten seconds for Ganzhou)."""
        from model.optimizer.optimize import optimize

        variant = self.variant(budget_factor, coverage, certified_share)
        return optimize(variant, estimate_gap=False, in_order=False)

    @styled
    def figure(self, result: PlanResult, seconds: float | None = None) -> Figure:
        """One large figure of a plan: stations and coverage, workers, money, targets."""
        lang = self.lang
        s, targets = result.summary, result.targets
        fig = Figure(figsize=(14, 8.5), dpi=100)
        axes = fig.subplots(2, 2)
        years = [str(int(y)) for y in s["year"]]
        ax = axes[0, 0]
        ax.bar(years, s["stations"], color="#457b9d")
        ax.set_title(t("workshop.stations", lang), fontsize=15)
        for k, (n, c) in enumerate(zip(s["stations"], s["coverage"], strict=True)):
            ax.text(k, n, f"{c:.0%}", ha="center", va="bottom", fontsize=14)
        ax.set_ylim(0, len(self.scenario.townships) * 1.15)
        ax = axes[0, 1]
        grade_bars(ax, years, s, lang)
        ax.set_title(t("workshop.workers", lang), fontsize=15)
        ax.legend(fontsize=11, frameon=False)
        ax = axes[1, 0]
        ax.bar(years, s["spend_total"], color="#2a9d8f", label=t("workshop.spend", lang))
        ax.scatter(
            years,
            s["budget"],
            marker="_",
            s=1500,
            lw=4,
            color="#e63946",
            label=t("fig.budget", lang),
        )
        ax.set_title(t("workshop.money", lang), fontsize=15)
        ax.legend(fontsize=11, frameon=False)
        ax = axes[1, 1]
        names = [
            t(
                "workshop.target",
                lang,
                name=t(f"target.{r.target.split('.')[0]}", lang),
                target=r.target,
                year=int(r.year),
            )
            for r in targets.itertuples()
        ]
        required = targets["required"]
        pct = np.where(required > 0, targets["achieved"] / required * 100, 100)
        ax.barh(
            names,
            np.minimum(pct, 150),
            color=["#2a9d8f" if m else "#e63946" for m in targets["met"]],
        )
        ax.axvline(100, color="#333333")
        ax.invert_yaxis()
        ax.set_title(t("workshop.targets", lang), fontsize=15)
        for a in axes.flat:
            a.tick_params(labelsize=12)
        met = int(targets["met"].sum())
        took = f" · {seconds:.1f} s" if seconds is not None else ""
        title = t("workshop.title", lang, name=self.scenario.name, met=met, n=len(targets))
        fig.suptitle(title + took, fontsize=17)
        fig.tight_layout()
        return fig

    def update(
        self,
        budget_factor: float = 1.0,
        coverage: float | None = None,
        certified_share: float | None = None,
    ) -> Figure:
        """Re-plan and draw (what the sliders call)."""
        t0 = time.perf_counter()
        result = self.replan(budget_factor, coverage, certified_share)
        return self.figure(result, time.perf_counter() - t0)

    def show(self) -> None:
        """Sliders (ipywidgets) that re-plan and redraw on release."""
        require("ipywidgets", "lab", "The workshop's sliders")
        import ipywidgets as w
        from IPython.display import display

        last = self.scenario.years[-1]
        cov = float(self.scenario.targets.coverage.get(last, 1.0))
        cert = float(self.scenario.targets.certified_share.get(last, 0.4))
        style = {"description_width": "initial"}
        controls = {
            "budget_factor": w.FloatSlider(
                value=1.0,
                min=0.5,
                max=1.5,
                step=0.05,
                continuous_update=False,
                description=t("workshop.budget_factor", self.lang),
                style=style,
            ),
            "coverage": w.FloatSlider(
                value=cov,
                min=0.3,
                max=1.0,
                step=0.05,
                continuous_update=False,
                description=t("workshop.coverage", self.lang, year=last),
                style=style,
            ),
            "certified_share": w.FloatSlider(
                value=cert,
                min=0.0,
                max=0.8,
                step=0.05,
                continuous_update=False,
                description=t("workshop.certified_share", self.lang, year=last),
                style=style,
            ),
        }
        out = w.interactive_output(lambda **kw: display(self.update(**kw)), controls)
        display(w.VBox([w.HBox(list(controls.values())), out]))
