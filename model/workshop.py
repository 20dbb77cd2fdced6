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

The deck (notebooks/04_workshop.ipynb) shows its figures through `Workshop.picture`: an <img>
with alt text, so that every figure of the exported reveal.js slides has a description.
"""

from __future__ import annotations

import base64
import dataclasses
import html
import time

import numpy as np
import pandas as pd

from model.errors import Bi, require
from model.inputs.scenario import Scenario
from model.output.figures import Figure, county_map_figure, styled
from model.output.figures.maps import last_year_values
from model.output.figures.plan import grade_bars
from model.output.i18n import t
from model.plan.equity import QUARTILES
from model.plan.result import PlanResult

FAST_SOLVER = {"gap": 0.02, "time_limit_s": 20.0}


@dataclasses.dataclass
class Picture:
    """A figure shown in notebooks as an HTML <img> (inline PNG) with alt text: nbconvert writes
    a PNG output as an <img> without a description, an HTML one as it is."""

    figure: Figure
    alt: str

    def _repr_html_(self) -> str:
        data = base64.b64encode(self.figure._repr_png_()).decode("ascii")
        alt = html.escape(self.alt, quote=True)
        return f'<img src="data:image/png;base64,{data}" alt="{alt}" style="max-width:100%">'


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
        extra: float = 0.0,
        time_limit_s: float | None = None,
    ) -> Scenario:
        """The scenario with the sliders' values (budget factor on every year; last-year
        targets); `extra` 万元 added to every year's budget after the factor; `time_limit_s`
        instead of FAST_SOLVER's (for plans prepared before a meeting)."""
        sc = self.scenario
        last = sc.years[-1]
        changes: dict[str, object] = {
            f"budget.{y}": round(v * budget_factor + extra, 3) for y, v in sc.budget.items()
        }
        if coverage is not None:
            changes[f"targets.coverage.{last}"] = float(coverage)
        if certified_share is not None:
            changes[f"targets.certified_share.{last}"] = float(certified_share)
        changes.update({f"solver.{k}": v for k, v in FAST_SOLVER.items()})
        if time_limit_s is not None:
            changes["solver.time_limit_s"] = float(time_limit_s)
        changes["objective"] = "max_service"
        return sc.with_overrides(changes)

    def replan(
        self,
        budget_factor: float = 1.0,
        coverage: float | None = None,
        certified_share: float | None = None,
        extra: float = 0.0,
        time_limit_s: float | None = None,
    ) -> PlanResult:
        """Plan the variant (Ganzhou: 1–3 s at its budget or more, about 20 s at 80% of it)."""
        from model.optimizer.optimize import optimize

        variant = self.variant(budget_factor, coverage, certified_share, extra, time_limit_s)
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
        top = float(max(s["budget"].max(), s["spend_total"].max()))
        ax.set_ylim(0, top * 1.25)  # the legend above the bars and the budget marks
        ax.legend(fontsize=11, frameon=False, loc="upper left", ncol=2, markerscale=0.4)
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
        title = t(
            "workshop.title",
            lang,
            name=self.scenario.title or self.scenario.name,
            met=met,
            n=len(targets),
        )
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

    @staticmethod
    def picture(figure: Figure, alt: str | None = None) -> Picture:
        """`figure` with its alt text: `alt`, or else the figure's own titles (suptitle and the
        titles of its axes, in the figure's language)."""
        if alt is None:
            titles = [figure.get_suptitle()] + [ax.get_title() for ax in figure.axes]
            alt = " · ".join(x for x in titles if x)
        return Picture(figure, alt)

    def county_values(self, result: PlanResult) -> pd.DataFrame:
        """Per county in the plan's last year: coverage (share of townships with a station),
        workers and served share (client hours served / needed), the county map's values."""
        return last_year_values(result.plan, self.scenario.townships, "county")

    def map_figure(
        self, result: PlanResult, title: str | None = None, measure: str = "served_share"
    ) -> Figure:
        """The county map (figures/map_counties.png) of one measure of the plan's last year
        ("coverage", "workers" or "served_share"), under `title` (a slide's one message)."""
        return county_map_figure(
            result.plan, self.scenario.townships, self.lang, panels=(measure,), title=title
        )

    def today(self) -> pd.DataFrame:
        """The region today as a table of formatted numbers (measure, value; for a slide)."""
        lang, tw = self.lang, self.scenario.townships
        n, stations = len(tw), int(tw["has_station"].sum())
        certified = int(tw["workers_certified"].sum())
        workers = certified + int(tw["workers_uncertified"].sum())
        elderly = int(tw["elderly"].sum())
        rows = [
            (t("deck.townships", lang), f"{n:,}"),
            (t("deck.counties", lang), f"{tw['county'].nunique():,}"),
            (t("deck.elderly", lang), t("deck.persons", lang, n=elderly)),
            (
                t("deck.stations", lang),
                t("deck.count_of", lang, n=stations, total=n, share=stations / n),
            ),
            (t("deck.workers", lang), t("deck.persons", lang, n=workers)),
            (
                t("deck.certified", lang),
                t(
                    "deck.persons_of",
                    lang,
                    n=certified,
                    total=workers,
                    share=certified / max(workers, 1),
                ),
            ),
            (t("deck.per_1000", lang), f"{1000 * workers / max(elderly, 1):.2f}"),
        ]
        return pd.DataFrame(rows, columns=[t("deck.metric", lang), t("deck.value", lang)])

    @styled
    def service_figure(self, result: PlanResult) -> Figure:
        """Who waits: client hours served and not served per year (in 10,000 hours)."""
        lang, s = self.lang, result.summary
        years = [str(int(y)) for y in s["year"]]
        served = s["served_hours"] / 1e4
        waiting = (s["client_hours"] - s["served_hours"]).clip(lower=0) / 1e4
        fig = Figure(figsize=(12, 6.5), dpi=100)
        ax = fig.subplots()
        ax.bar(years, served, color="#2a9d8f", label=t("deck.served", lang))
        ax.bar(years, waiting, bottom=served, color="#e63946", label=t("deck.waiting", lang))
        for k, (a, b, share) in enumerate(zip(served, waiting, s["served_share"], strict=True)):
            ax.text(k, a + b, f"{share:.0%}", ha="center", va="bottom", fontsize=16)
        ax.set_ylabel(t("deck.hours_axis", lang), fontsize=14)
        ax.set_ylim(0, float((served + waiting).max()) * 1.3)  # room for the legend on top
        ax.set_title(t("deck.served_title", lang), fontsize=17)
        ax.legend(fontsize=13, frameon=False, loc="upper left", ncol=2)
        ax.tick_params(labelsize=13)
        fig.tight_layout()
        return fig

    @styled
    def remote_figure(self, result: PlanResult) -> Figure:
        """The remote townships: the last year's served share by remoteness quartile
        (model.plan.equity; q1 least remote)."""
        lang, last = self.lang, result.summary.iloc[-1]
        quarters = [q for q in QUARTILES if f"served_share_{q}" in last.index]
        shares = [float(last[f"served_share_{q}"]) * 100 for q in quarters]
        fig = Figure(figsize=(12, 6.5), dpi=100)
        ax = fig.subplots()
        colours = ["#a8dadc", "#457b9d", "#1d3557", "#e63946"][: len(quarters)]
        ax.bar([t(f"deck.{q}", lang) for q in quarters], shares, color=colours)
        for k, v in enumerate(shares):
            ax.text(k, v, f"{v:.0f}%", ha="center", va="bottom", fontsize=16)
        ax.set_ylim(0, 115)
        ax.set_ylabel(t("deck.share_axis", lang), fontsize=14)
        ax.set_title(t("deck.remote_title", lang, year=int(last["year"])), fontsize=17)
        ax.tick_params(labelsize=13)
        fig.tight_layout()
        return fig

    def binds(self, result: PlanResult) -> str:
        """What binds, as Markdown bullet sentences (the report's "what binds")."""
        from model.output.report import limit_sentences

        sentences = limit_sentences(result.limits, self.lang)
        return "\n".join(f"- {x}" for x in sentences) or t("deck.binds_none", self.lang)

    @styled
    def paths_figure(self, paths: dict[float, PlanResult]) -> Figure:
        """Funding paths side by side (budget factor -> plan): the last year's coverage, served
        share and certified share (%), and how many targets each meets."""
        lang = self.lang
        measures = ("coverage", "served_share", "certified_share")
        fig = Figure(figsize=(13, 6.5), dpi=100)
        ax = fig.subplots()
        width = 0.8 / len(paths)
        colours = ["#e63946", "#457b9d", "#2a9d8f", "#1d3557"]
        year = 0
        for k, (factor, res) in enumerate(sorted(paths.items())):
            last = res.summary.iloc[-1]
            year = int(last["year"])
            total = float(res.summary["budget"].sum())
            met = t("deck.targets_met", lang, met=int(res.targets["met"].sum()), n=len(res.targets))
            label = t("deck.path", lang, factor=factor, total=total) + " · " + met
            xs = np.arange(len(measures)) + (k - (len(paths) - 1) / 2) * width
            values = [float(last[m]) * 100 for m in measures]
            ax.bar(xs, values, width, color=colours[k % len(colours)], label=label)
            for x, v in zip(xs, values, strict=True):
                ax.text(x, v, f"{v:.0f}%", ha="center", va="bottom", fontsize=12)
        ax.set_xticks(range(len(measures)), [t(f"deck.{m}", lang) for m in measures])
        ax.set_ylim(0, 125)
        ax.set_ylabel(t("deck.percent_axis", lang), fontsize=14)
        ax.set_title(t("deck.paths_title", lang, year=year), fontsize=17)
        ax.legend(fontsize=12, frameon=False, loc="upper left")
        ax.tick_params(labelsize=13)
        fig.tight_layout()
        return fig

    def more_money(self, base: PlanResult, more: PlanResult, extra: float, at: float = 1.0) -> str:
        """What `extra` 万元 more a year buys in the last year, as Markdown bullets; `at`: the
        factor on the scenario's budgets that `base` was planned with (said in the title)."""
        lang, a, b = self.lang, base.summary.iloc[-1], more.summary.iloc[-1]
        n = len(self.scenario.townships)
        lines = [
            t("deck.more_stations", lang, a=int(a["stations"]), b=int(b["stations"]), n=n),
            t(
                "deck.more_workers",
                lang,
                a=int(a["workers"]),
                b=int(b["workers"]),
                d=int(b["workers"]) - int(a["workers"]),
            ),
            t(
                "deck.more_hours",
                lang,
                a=a["served_hours"],
                b=b["served_hours"],
                n=a["client_hours"],
                sa=a["served_share"],
                sb=b["served_share"],
            ),
            t("deck.more_spend", lang, a=a["spend_total"], b=b["spend_total"]),
        ]
        title = t("deck.more_title", lang, extra=extra, year=int(a["year"]))
        if at != 1.0:
            title += t("deck.more_at", lang, at=at)
        return f"**{title}**\n\n" + "\n".join(f"- {x}" for x in lines)

    def show(self, first: PlanResult | None = None, alt: str | None = None) -> None:
        """Sliders (ipywidgets) that re-plan and redraw on release, in JupyterLab.

        Displaying them re-plans nothing: the plan at the sliders' starting values is `first`
        (or is planned here once), drawn as an ordinary figure output (a `picture` with `alt`,
        or the figure's titles, as its alt text), so that a notebook executed without a front
        end (nbclient, nbconvert) shows it and has no widget callback or Output-widget capture
        to wait for. A moved slider re-plans into an Output widget under the sliders.
        """
        require("ipywidgets", "lab", Bi("The workshop's sliders", "研讨会的滑块"))
        import ipywidgets as w
        from IPython.display import Markdown, display

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
        out = w.Output()

        def redraw(_change: object = None) -> None:
            values = {name: c.value for name, c in controls.items()}
            figure = self.update(**values)
            out.clear_output(wait=True)
            with out:
                display(self.picture(figure))

        for c in controls.values():
            c.observe(redraw, names="value")
        display(w.VBox([w.HBox(list(controls.values())), out]))
        t0 = time.perf_counter()
        result = first if first is not None else self.replan(1.0, cov, cert)
        took = None if first is not None else time.perf_counter() - t0
        display(Markdown(t("workshop.first", self.lang)))
        display(self.picture(self.figure(result, took), alt))
