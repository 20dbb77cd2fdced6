"""Demand fitted to published station output: scale factors of the request rates and the
administrative share, by weighted least squares.

    cal = calibrate(load_scenario("scenarios/ganzhou.yaml"))
    cal.figures          # each published figure: the model before and after, residual, in band
    cal.groups           # each group's rates before and after
    cal.rewrite(text)    # a scenario file's text with its groups' rates scaled (comments kept)

The model's yearly output of a station serving all of its township's requests (expected values,
as the simulation draws them: a request's recipient is one of the group's P persons at random,
so a group with r requests per person a year has P (1 − e^−r) distinct persons asking):

    case clients   = Σ_g P_g (1 − e^(−s_case c_g))
    home visits    = Σ_g P_g s_visit v_g
    people reached = Σ_g P_g (1 − e^(−(s_case c_g + s_visit (v_g + a_g))))
    workers        = need hours / available hours of a worker        (workload.py, WISN)

averaged over the scenario's townships as if each had a station. Parameters: two factors,
s_case on every group's case rate and s_visit on its visit and assessment rates (outreach
contacts; no published figure tells assessments apart from visits), so the groups' relative
rates stay the planning assumptions of base.yaml; and the administrative
share a (staffing.admin_share, the WISN category allowance). Residuals are log(model /
published) divided by σ = log(high / low) / 4 (the figure's pass band read as ± 2σ), plus a
prior residual (a − a₀) / σ_a that keeps the administrative share near its assumed value where
the figures do not pin it down. scipy.optimize.least_squares (trust region reflective, bounded)
minimises their squares. See docs/calibration.md.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.optimize import least_squares

from model.errors import Bi
from model.inputs.published import compared, published_figures
from model.inputs.scenario import Scenario
from model.workload import available_hours, hours_by_kind, station_hours, travel_hours

RATES = ("case_rate", "visit_rate", "assessment_rate")
"""The request rates calibration scales."""
FACTORS = (("case_rate",), ("visit_rate", "assessment_rate"))
"""One factor per entry: cases, and outreach contacts (home visits with assessments)."""
ADMIN_PRIOR = (0.3, 0.15)
"""Assumed administrative share and its standard deviation (docs/calibration.md)."""


@dataclass(frozen=True)
class Calibration:
    """A fit: `factors` by rate, the fitted `admin_share`, per-figure and per-group tables."""

    scenario: str
    townships: int
    factors: dict[str, float]
    admin_share: float
    admin_before: float
    figures: pd.DataFrame
    groups: pd.DataFrame
    parameters: pd.DataFrame
    success: bool
    message: str
    cost: float

    def factor_text(self) -> str:
        """The fitted factors, one per group of rates, e.g. `case_rate × 0.118; …`."""
        return "; ".join(
            f"{' and '.join(rates)} × {self.factors[rates[0]]:.3f}" for rates in FACTORS
        )

    def summary(self) -> str:
        """One paragraph: the factors, the administrative share and how many figures fit."""
        ok = int(self.figures["in_band"].sum())
        return (
            f"calibrated on {self.scenario} ({self.townships} townships): {self.factor_text()}; "
            f"admin_share {self.admin_before:.2f} → {self.admin_share:.2f}; "
            f"{ok} of {len(self.figures)} published figures within their band"
        )

    def rewrite(self, text: str, source: str = "scenario file") -> str:
        """`text` of a scenario file with every group's rates scaled by the factors and
        staffing.admin_share set, comments and layout kept; the groups comment names the fit.

        Raises ValueError naming the group when a group sets no rate line to scale.
        """
        return rewrite_rates(text, self, source)


def station_output(sc: Scenario, factors: dict[str, float] | None = None) -> pd.DataFrame:
    """Expected yearly output per township if it had a station serving all its requests:
    case clients, home visits, people reached (persons), workers needed (workers)."""
    f = np.array([({r: 1.0 for r in RATES} | (factors or {}))[r] for r in RATES])
    persons = sc.townships[list(sc.groups)].to_numpy(float)
    rates = _rates(sc) * f
    per_person = (hours_by_kind(sc)[list(RATES)].to_numpy(float) * f).sum(axis=1)
    v = 1.0 - sc.volunteers.visit_share
    trips = persons @ (rates[:, 1] * v + rates[:, 2])  # home visits and assessments
    need = persons @ per_person + trips * travel_hours(sc).to_numpy(float) + station_hours(sc)
    avail = available_hours(sc).to_numpy(float)
    return pd.DataFrame(
        {
            "township_id": sc.townships["township_id"].to_numpy(),
            "case_clients": persons @ (1 - np.exp(-rates[:, 0])),
            "visits": persons @ rates[:, 1],
            "people_reached": persons @ (1 - np.exp(-rates.sum(axis=1))),
            "workers_needed": need / avail,
        }
    )


def _rates(sc: Scenario) -> np.ndarray:
    """groups × (case, visit, assessment) requests per person-year."""
    return np.array([[getattr(g, r) for r in RATES] for g in sc.groups.values()], dtype=float)


def model_measures(sc: Scenario, factors: dict[str, float], admin_share: float) -> dict:
    """The fitted measures per station-year, means over the scenario's townships."""
    staffing = sc.staffing
    sc2 = sc if admin_share == staffing.admin_share else _with_admin(sc, admin_share)
    out = station_output(sc2, factors)
    return {
        "case_clients_per_station": float(out["case_clients"].mean()),
        "visits_per_station": float(out["visits"].mean()),
        "people_reached_per_station": float(out["people_reached"].mean()),
        "workers_per_station": float(out["workers_needed"].mean()),
        "group_activities_per_station": float(sc.station.group_activities),
        "sessions_per_case_client": _sessions_per_client(sc, factors),
    }


def _sessions_per_client(sc: Scenario, factors: dict[str, float]) -> float:
    persons = sc.townships[list(sc.groups)].to_numpy(float).sum(axis=0)
    cases = persons * _rates(sc)[:, 0] * factors.get("case_rate", 1.0)
    sessions = np.array([g.sessions for g in sc.groups.values()], dtype=float)
    return float((cases * sessions).sum() / cases.sum()) if cases.sum() > 0 else 0.0


def _with_admin(sc: Scenario, admin_share: float) -> Scenario:
    from dataclasses import replace

    return replace(sc, staffing=replace(sc.staffing, admin_share=admin_share))


def calibrate(
    sc: Scenario,
    figures: pd.DataFrame | None = None,
    admin_prior: tuple[float, float] | None = ADMIN_PRIOR,
) -> Calibration:
    """Fit the rate factors (and the administrative share, unless `admin_prior` is None) to
    the published figures whose role is `fit` (default: model/inputs/data/published_outputs.csv).
    """
    table = published_figures() if figures is None else figures
    fit = table[table["role"] == "fit"]
    if fit.empty:
        raise ValueError("no published figure has role 'fit'")
    target = np.log(fit["value"].to_numpy(float))
    sigma = np.log(fit["high"].to_numpy(float) / fit["low"].to_numpy(float)) / 4.0
    measures = list(fit["measure"])
    free_admin = admin_prior is not None

    def unpack(x: np.ndarray) -> tuple[dict[str, float], float]:
        factors = {r: float(math.exp(x[k])) for k, rates in enumerate(FACTORS) for r in rates}
        return factors, float(x[-1]) if free_admin else sc.staffing.admin_share

    def residuals(x: np.ndarray) -> np.ndarray:
        factors, admin = unpack(x)
        got = model_measures(sc, factors, admin)
        r = (np.log([max(got[m], 1e-12) for m in measures]) - target) / sigma
        if admin_prior is not None:
            a0, sa = admin_prior
            r = np.append(r, (admin - a0) / sa)
        return r

    n = len(FACTORS)
    x0 = np.zeros(n + free_admin)
    lower, upper = np.full(len(x0), math.log(1e-3)), np.full(len(x0), math.log(1e3))
    if free_admin:
        x0[n], lower[n], upper[n] = sc.staffing.admin_share, 0.0, 0.85
    sol = least_squares(residuals, x0, bounds=(lower, upper), method="trf")
    factors, admin = unpack(sol.x)
    names = [f"{' and '.join(rates)} factor" for rates in FACTORS]
    names += ["staffing.admin_share"] * free_admin
    values = [factors[rates[0]] for rates in FACTORS] + [admin] * free_admin
    # standard errors from the Jacobian at the optimum (residuals are already in σ units);
    # a factor's by the delta method: exp(x) × se(x)
    cov = np.linalg.pinv(sol.jac.T @ sol.jac)
    se = np.sqrt(np.maximum(np.diag(cov), 0.0))
    se = [v * e if k < n else e for k, (v, e) in enumerate(zip(values, se))]
    parameters = pd.DataFrame(
        {
            "parameter": names,
            "before": [1.0] * n + [sc.staffing.admin_share] * free_admin,
            "after": np.round(values, 4),
            "std_error": np.round(se, 4),
        }
    )
    before = model_measures(sc, {}, sc.staffing.admin_share)
    after = model_measures(sc, factors, admin)
    return Calibration(
        scenario=sc.name,
        townships=len(sc.townships),
        factors=factors,
        admin_share=admin,
        admin_before=sc.staffing.admin_share,
        figures=_figure_table(table, before, after),
        groups=_group_table(sc, factors),
        parameters=parameters,
        success=bool(sol.success),
        message=str(sol.message),
        cost=float(sol.cost),
    )


def _figure_table(table: pd.DataFrame, before: dict, after: dict) -> pd.DataFrame:
    rows = []
    for fig in table.itertuples(index=False):
        if fig.measure in after:
            row = compared(fig, after[fig.measure])
            row["model_after"] = row.pop("model")
            row["model_before"] = round(before[fig.measure], 3)
            rows.append(row | {"role": fig.role})
    columns = "id figure measure role published low high unit model_before model_after"
    return pd.DataFrame(rows, columns=[*columns.split(), "relative_error", "in_band"])


def _group_table(sc: Scenario, factors: dict[str, float]) -> pd.DataFrame:
    rows = []
    for name, g in sc.groups.items():
        row: dict = {"group": name, "label": g.label}
        for r in RATES:
            row[f"{r}_before"] = getattr(g, r)
            row[f"{r}_after"] = _round(getattr(g, r) * factors[r])
        rows.append(row)
    return pd.DataFrame(rows)


def _round(value: float) -> float:
    """Three significant digits: what a scenario file shows."""
    return float(f"{value:.3g}")


_RATE_LINE = re.compile(r"^(\s+)(case_rate|visit_rate|assessment_rate):(\s*)([0-9.eE+-]+)(.*)$")
_GROUP_LINE = re.compile(r"^  ([A-Za-z_][A-Za-z0-9_]*):")
_TOP_KEY = re.compile(r"^([A-Za-z_][A-Za-z0-9_]*):")
_NOTE = "# Calibrated by `stationplan calibrate`"


def rewrite_rates(text: str, cal: Calibration, source: str = "scenario file") -> str:
    """See Calibration.rewrite."""
    lines = text.splitlines()
    out: list[str] = []
    section: str | None = None
    group: str | None = None
    seen: dict[str, set[str]] = {}
    for line in lines:
        top = _TOP_KEY.match(line)
        if top:
            section, group = top.group(1), None
        elif section == "groups" and _GROUP_LINE.match(line):
            group = _GROUP_LINE.match(line).group(1)  # type: ignore[union-attr]
            seen[group] = set()
        if line.startswith(_NOTE):
            continue
        m = _RATE_LINE.match(line)
        if section == "groups" and group and m:
            indent, key, space, number, rest = m.groups()
            seen[group].add(key)
            value = _round(float(number) * cal.factors[key])
            line = f"{indent}{key}:{space}{_fmt(value, len(number))}{rest}".rstrip()
        if section == "staffing" and line.lstrip().startswith("admin_share:"):
            line = re.sub(r"admin_share:(\s*)([0-9.eE+-]+)", _admin(cal), line)
        if top and section == "groups":
            ok = int(cal.figures["in_band"].sum()) if len(cal.figures) else 0
            out.append(
                f"{_NOTE} on {cal.scenario} ({cal.townships} townships): {ok} of "
                f"{len(cal.figures)} published figures within their band (docs/calibration.md)."
            )
        out.append(line)
    for name, keys in seen.items():
        lacking = [k for k in ("case_rate", "visit_rate") if k not in keys]
        if lacking and cal.factors[lacking[0]] != 1.0:
            raise ValueError(
                Bi(
                    f"{source}: groups.{name} sets no {lacking[0]}; write the rate in the file "
                    "to calibrate it (its default would stay unscaled)",
                    f"{source}：groups.{name} 没有写 {lacking[0]}；请在文件中写出该比率才能校准"
                    "（否则仍用默认值，不会按校准结果缩放）",
                )
            )
    return "\n".join(out) + ("\n" if text.endswith("\n") else "")


def _admin(cal: Calibration):
    return lambda m: f"admin_share:{m.group(1)}{_fmt(_round(cal.admin_share), len(m.group(2)))}"


def _fmt(value: float, width: int) -> str:
    """A rate as the file writes it: plain decimals, padded to keep inline comments aligned."""
    text = f"{value:g}" if value >= 1e-4 else f"{value:.6f}".rstrip("0")
    if "." not in text and "e" not in text:
        text += ".0"
    return text.ljust(width)
