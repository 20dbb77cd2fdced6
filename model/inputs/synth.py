"""Synthetic township tables, seeded and calibrated to published figures (see docs/data.md).

These are SYNTHETIC data for planning exercises and tests, not official statistics: names,
ids and counts are generated. Aggregates (townships, counties, population, elderly share,
recipient prevalence, existing stations and workers) are calibrated to the figures cited in
docs/data.md; how they spread over townships is a modelling assumption.

    table = synthesize("prefecture", townships=297, counties=18, seed=7)

Each stochastic ingredient (kinds, population, recipients, stations, ...) draws from its own
stream spawned from the seed, so changing one ingredient leaves the others' draws unchanged.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from model.errors import Bi, InputError

GROUPS: tuple[str, ...] = (
    "dibao",
    "tekun",
    "left_behind_children",
    "left_behind_women",
    "left_behind_elderly",
    "children_in_distress",
    "elderly_in_difficulty",
    "disabled",
    "relocated",
)
"""The standard recipient groups every synthetic table carries (labels in scenarios/base.yaml)."""

PREVALENCE: dict[str, dict[str, float]] = {
    # persons in the group per resident, by township kind
    # (elderly_in_difficulty: per elderly person)
    "dibao": {"rural": 0.070, "urban": 0.008, "relocation": 0.100},
    "tekun": {"rural": 0.0088, "urban": 0.0004, "relocation": 0.0060},
    "left_behind_children": {"rural": 0.014, "urban": 0.0, "relocation": 0.010},
    "left_behind_women": {"rural": 0.040, "urban": 0.0, "relocation": 0.020},
    "left_behind_elderly": {"rural": 0.032, "urban": 0.0, "relocation": 0.015},
    "children_in_distress": {"rural": 0.0030, "urban": 0.0015, "relocation": 0.0040},
    "elderly_in_difficulty": {"rural": 0.050, "urban": 0.030, "relocation": 0.060},
    "disabled": {"rural": 0.029, "urban": 0.024, "relocation": 0.030},
    "relocated": {"rural": 0.0, "urban": 0.0, "relocation": 0.850},
}
PER_ELDERLY: frozenset[str] = frozenset({"elderly_in_difficulty"})
ELDERLY_RATIO_RURAL_URBAN = 23.81 / 15.82
"""Rural over urban share of people aged 60+ (7th national census, 2020)."""
CARE_BEDS_PER_ELDERLY = 0.030
"""Elderly-care beds per elderly person, about 30 per 1,000 (MCA statistical bulletin, 2021)."""
REMOTENESS_MEAN: dict[str, float] = {"rural": 0.15, "urban": 0.04, "relocation": 0.06}
"""Mean share of working time lost to travel, by kind (assumption, see docs/data.md)."""


@dataclass(frozen=True)
class ProfileSpec:
    """Calibration targets of one synthetic region profile."""

    name: str
    townships: int
    counties: int
    mean_population: float  # persons per township
    urban_share: float  # share of townships that are urban streets (街道)
    relocation_share: float  # share that are relocation-settlement streets
    urban_pop_ratio: float  # mean population of an urban street / of a rural township
    elderly_share: float  # people aged 60+ / population, whole region
    coverage: float  # share of townships with a station at the start
    workers_per_station: float  # existing workers per existing station
    certified_share: float  # certified / all existing workers


PROFILES: dict[str, ProfileSpec] = {
    # a county of the national average size: 38,600 township units / 2,843 counties ≈ 14;
    # ≈ 36,500 residents per unit; about 23% of units are streets
    "county": ProfileSpec("county", 14, 1, 36_500, 0.23, 0.0, 2.0, 0.187, 0.0, 2.4, 0.30),
    # Ganzhou: 297 townships in 18 counties, 8.97 million residents (2020 census), 178 stations
    # at mid-term (60% covered); workers per station at the national 2.4
    "prefecture": ProfileSpec(
        "prefecture", 297, 18, 30_200, 0.15, 0.0, 2.0, 0.170, 178 / 297, 2.4, 0.15
    ),
    # Henan: about 2,460 township units in 157 counties, 99.37 million residents and 18.08%
    # aged 60+ (2020 census); national station coverage of 78% (January 2023)
    "province": ProfileSpec("province", 2460, 157, 40_400, 0.27, 0.0, 1.8, 0.1808, 0.78, 2.4, 0.25),
    # Guizhou: 64 new streets of poverty-relocation settlements across 40 counties
    "relocation": ProfileSpec("relocation", 64, 40, 20_000, 0.0, 1.0, 1.0, 0.12, 0.30, 2.0, 0.20),
}

_CHARS = (
    "安平和兴石桥河山林泉湖源溪阳东西南北新龙凤云金长青白田岭坪江丰宁福乐华清水茶竹梅塘坝岗洲"
    "城横沙柏松桂枫杨柳霞明光春秋德仁义礼信善"
)


TABLE_COLUMNS = [
    "township_id",
    "name",
    "county",
    "kind",
    "population",
    "elderly",
    *GROUPS,
    "has_station",
    "workers_certified",
    "workers_uncertified",
    "care_beds",
    "remoteness",
    "wage_index",
]
"""Columns of a synthetic township table, in order."""


def synthesize(
    profile: str,
    townships: int | None = None,
    counties: int | None = None,
    seed: int = 7,
    urban_share: float | None = None,
    coverage: float | None = None,
) -> pd.DataFrame:
    """Generate a synthetic township table (one row per township, the contract of docs/design.md).

    `profile` is one of county, prefecture, province, relocation; `townships` and `counties`
    default to the profile's; `urban_share` and `coverage` (share of townships with a station
    at the start) override the profile's. Same arguments, same table.
    """
    if profile not in PROFILES:
        raise InputError(
            "--profile", None, Bi("one of ", "以下之一：") + ", ".join(PROFILES), profile
        )
    spec = PROFILES[profile]
    n = spec.townships if townships is None else int(townships)
    c = spec.counties if counties is None else int(counties)
    if n < 1:
        raise InputError("--townships", None, Bi("a whole number ≥ 1", "不小于 1 的整数"), n)
    if not 1 <= c <= n:
        raise InputError(
            "--counties",
            None,
            Bi(
                f"a whole number from 1 to the number of townships ({n})",
                f"1 至乡镇数（{n}）之间的整数",
            ),
            c,
        )
    for flag, value in (("--urban-share", urban_share), ("--coverage", coverage)):
        if value is not None and not 0 <= value <= 1:
            raise InputError(flag, None, Bi("a share from 0 to 1", "0 至 1 之间的比例"), value)
    if urban_share is not None:
        spec = replace(
            spec,
            urban_share=urban_share,
            relocation_share=min(spec.relocation_share, 1 - urban_share),
        )
    if coverage is not None:
        spec = replace(spec, coverage=coverage)
    streams = _streams(seed)
    county = _assign_counties(n, c, streams["county"])
    kind = _assign_kinds(n, spec, streams["kind"])
    table = _figures(kind, county, c, spec, streams)
    county_names, township_names = _names(county, kind, c, streams["names"])
    table["county"] = [county_names[k] for k in county]
    table["name"] = township_names
    order = np.lexsort((np.arange(n), county))
    table = table.iloc[order].reset_index(drop=True)
    county_sorted = county[order]
    serial = table.groupby(county_sorted).cumcount().to_numpy() + 1
    table["township_id"] = [f"S{k + 1:03d}{i:03d}" for k, i in zip(county_sorted, serial)]
    return table[TABLE_COLUMNS]


def synthesize_units(
    units: pd.DataFrame, profile: str, seed: int = 7, coverage: float | None = None
) -> pd.DataFrame:
    """Synthetic figures for real township-level units (from model.inputs.divisions).

    The units keep their official codes (`township_id`), names and counties; streets are
    urban, towns and townships rural. Population, elderly, recipient groups, beds, remoteness,
    wages, today's stations and workers are drawn as in `synthesize` for the `profile` — they
    are SYNTHETIC, not official statistics. The table also carries `unit_kind`, `prefecture`
    and `province`. Same units and arguments, same table.
    """
    if profile not in PROFILES:
        raise InputError(
            "region.synthetic.profile",
            None,
            Bi("one of ", "以下之一：") + ", ".join(PROFILES),
            profile,
        )
    spec = PROFILES[profile] if coverage is None else replace(PROFILES[profile], coverage=coverage)
    streams = _streams(seed)
    counties = list(dict.fromkeys(units["county_code"]))
    index = {code: k for k, code in enumerate(counties)}
    county = units["county_code"].map(index).to_numpy()
    kind = np.where(units["unit_kind"].to_numpy() == "street", "urban", "rural")
    table = _figures(kind, county, len(counties), spec, streams)
    for column in ("township_id", "name", "unit_kind", "prefecture", "province"):
        table[column] = units[column].to_numpy()
    table["county"] = county_labels(units).to_numpy()
    return table[[*TABLE_COLUMNS, "unit_kind", "prefecture", "province"]]


def county_labels(units: pd.DataFrame) -> pd.Series:
    """Each unit's county name, made unique among the selection's county codes: a name two
    counties share (市中区 in 乐山市 and in 内江市; 和平区 in 天津市 and in 沈阳市) takes its
    prefecture, or its province where the prefecture is 市辖区 (the municipalities), in
    brackets: 市中区（乐山市）, 和平区（天津市）. The model keys counties by name (pools,
    centres, lay-offs), so two counties must never share one."""
    codes = units.drop_duplicates("county_code")
    shared = set(codes.loc[codes["county"].duplicated(keep=False), "county"])
    where = units["prefecture"].where(units["prefecture"] != "市辖区", units["province"])
    label = units["county"].where(
        ~units["county"].isin(shared), units["county"] + "（" + where + "）"
    )
    clash = label.groupby(label).transform(lambda x: units.loc[x.index, "county_code"].nunique())
    if (clash > 1).any():  # two counties of one prefecture share a name: the code tells them apart
        label = label.where(clash <= 1, label + "（" + units["county_code"] + "）")
    return label


STREAMS = (
    "county",
    "kind",
    "population",
    "elderly",
    "groups",
    "beds",
    "remote",
    "wage",
    "station",
    "workers",
    "names",
)
"""One random stream per part of a synthetic table, spawned from the seed in this order."""


def _streams(seed: int) -> dict[str, np.random.Generator]:
    return {
        name: np.random.default_rng(s)
        for name, s in zip(STREAMS, np.random.SeedSequence(seed).spawn(len(STREAMS)))
    }


def _figures(
    kind: np.ndarray,
    county: np.ndarray,
    c: int,
    spec: ProfileSpec,
    streams: dict[str, np.random.Generator],
) -> pd.DataFrame:
    """Population, elderly, recipient groups, beds, remoteness, wages, stations and workers of
    townships of the given kinds in the given counties (indices 0 .. c-1)."""
    n = len(kind)
    population = _population(kind, spec, n, streams["population"])
    elderly = _elderly(population, kind, spec, streams["elderly"])
    table = pd.DataFrame(
        {
            "township_id": "",
            "name": "",
            "county": "",
            "kind": kind,
            "population": population,
            "elderly": elderly,
        }
    )
    rng = streams["groups"]
    county_need = rng.lognormal(0.0, 0.25, size=c)
    county_need /= county_need.mean()  # poorer and richer counties, mean 1
    for group in GROUPS:
        rate = np.array([PREVALENCE[group][k] for k in kind]) * county_need[county]
        base = elderly if group in PER_ELDERLY else population
        table[group] = rng.binomial(base, np.clip(rate, 0.0, 1.0))
    rng = streams["beds"]
    beds_rate = CARE_BEDS_PER_ELDERLY * np.where(kind == "urban", 1.3, 0.9)
    table["care_beds"] = rng.poisson(elderly * beds_rate * rng.gamma(4.0, 0.25, size=n))
    rng = streams["remote"]
    hilly = rng.uniform(0.7, 1.4, size=c)[county]
    mean = np.array([REMOTENESS_MEAN[k] for k in kind]) * hilly
    table["remoteness"] = np.round(np.clip(rng.beta(4.0, 4.0 * (1 - mean) / mean), 0.0, 0.6), 3)
    rng = streams["wage"]
    wage = rng.lognormal(0.0, 0.08, size=c)[county] * np.where(kind == "urban", 1.08, 1.0)
    table["wage_index"] = np.round(wage / wage.mean(), 3)
    has_station = _stations(kind, population, spec, streams["station"])
    table["has_station"] = has_station
    rng = streams["workers"]
    workers = np.where(
        has_station == 1, 1 + rng.poisson(max(spec.workers_per_station - 1, 0.0), size=n), 0
    )
    workers = np.minimum(workers, 8)
    certified = rng.binomial(workers, spec.certified_share)
    table["workers_certified"] = certified
    table["workers_uncertified"] = workers - certified
    return table


def _assign_counties(n: int, c: int, rng: np.random.Generator) -> np.ndarray:
    """Every county gets at least one township; the rest spread by county size."""
    sizes = rng.gamma(6.0, 1.0, size=c)
    extra = rng.multinomial(n - c, sizes / sizes.sum())
    county = np.repeat(np.arange(c), 1 + extra)
    return rng.permutation(county)


def _assign_kinds(n: int, spec: ProfileSpec, rng: np.random.Generator) -> np.ndarray:
    n_urban = int(round(spec.urban_share * n))
    n_reloc = min(int(round(spec.relocation_share * n)), n - n_urban)
    kind = np.array(
        ["urban"] * n_urban + ["relocation"] * n_reloc + ["rural"] * (n - n_urban - n_reloc)
    )
    return rng.permutation(kind)


def _population(
    kind: np.ndarray, spec: ProfileSpec, n: int, rng: np.random.Generator
) -> np.ndarray:
    scale = np.where(kind == "urban", spec.urban_pop_ratio, 1.0)
    raw = rng.lognormal(0.0, 0.45, size=n) * scale
    target = spec.mean_population * n
    pop = np.maximum(np.round(raw / raw.sum() * target), 500).astype(np.int64)
    return pop


def _elderly(
    population: np.ndarray, kind: np.ndarray, spec: ProfileSpec, rng: np.random.Generator
) -> np.ndarray:
    """60+ shares with the census rural/urban ratio, scaled so the region hits its elderly share."""
    weight = np.where(kind == "urban", 1.0, ELDERLY_RATIO_RURAL_URBAN)
    weight = np.where(kind == "relocation", 1.1, weight)
    share = weight * spec.elderly_share * population.sum() / (weight * population).sum()
    share = share * rng.uniform(0.85, 1.15, size=len(population))
    return rng.binomial(population, np.clip(share, 0.0, 0.6))


def _stations(
    kind: np.ndarray, population: np.ndarray, spec: ProfileSpec, rng: np.random.Generator
) -> np.ndarray:
    """Existing stations: pilots went first to streets and larger townships."""
    n = len(kind)
    k = int(round(spec.coverage * n))
    weight = population / population.mean() * np.where(kind == "rural", 1.0, 3.0)
    chosen: np.ndarray | list[int] = (
        rng.choice(n, size=k, replace=False, p=weight / weight.sum()) if k else []
    )
    out = np.zeros(n, dtype=np.int64)
    out[chosen] = 1
    return out


def _names(
    county: np.ndarray, kind: np.ndarray, c: int, rng: np.random.Generator
) -> tuple[list[str], list[str]]:
    """Invented Chinese place names: unique county names, township names unique within a county."""
    chars = list(_CHARS)
    used: set[str] = set()
    county_names = []
    for _ in range(c):
        while True:
            stem = "".join(rng.choice(chars, size=2))
            if stem not in used:
                used.add(stem)
                break
        county_names.append(stem + ("县" if rng.random() < 0.8 else "区"))
    seen: dict[int, set[str]] = {}
    names = []
    for k, kd in zip(county, kind):
        taken = seen.setdefault(int(k), set())
        while True:
            stem = "".join(rng.choice(chars, size=2))
            if stem not in taken:
                taken.add(stem)
                break
        suffix = "街道" if kd != "rural" else ("镇" if rng.random() < 0.7 else "乡")
        names.append(stem + suffix)
    return county_names, names
