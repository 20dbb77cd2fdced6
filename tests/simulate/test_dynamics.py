"""Certified-only intake, workers leaving and replaced after the hiring lag, the yearly exam,
reach and 三个3."""

from __future__ import annotations

import numpy as np
import pytest
import simpy
from conftest import ROOT, unit

from model import load_scenario
from model.simulate import Station, Streams, simulate_township
from model.simulate.station import Worker
from model.simulate.township import STANDARD_333, Staffing

GANZHOU = ROOT / "scenarios" / "ganzhou.yaml"


@pytest.fixture(scope="module")
def ganzhou():
    return load_scenario(GANZHOU)


def test_only_certified_workers_take_case_intakes():
    env = simpy.Environment()
    station = Station(env, [Worker(certified=False)])
    intake = station.submit(1.0, priority=3, certified_only=True)
    visit = station.submit(1.0, priority=1)
    env.run(until=10)
    t = station.table()
    assert not t["started"][intake] and t["start_day"][visit] == 0.0
    env2 = simpy.Environment()
    both = Station(env2, [Worker(certified=False), Worker(certified=True)])
    visit2 = both.submit(1.0, priority=1)
    intake2 = both.submit(1.0, priority=3, certified_only=True)
    env2.run(until=10)
    t2 = both.table()
    assert t2["start_day"][intake2] == 0.0 and t2["start_day"][visit2] == 0.0


def test_a_leaver_is_replaced_after_the_hiring_lag_by_hand():
    env = simpy.Environment()
    station = Station(env, [Worker(leaves_at=5.0)], refill_days=10.0)
    late = station.schedule(6.0, 1.0)  # arrives after the only worker left on day 5
    env.run(until=30)
    t = station.table()
    assert (t["day"][late], t["start_day"][late], t["end_day"][late]) == (6.0, 15.0, 16.0)
    assert station.departures == 1 and station.arrivals_of_staff == 2


def test_a_busy_leaver_finishes_its_work_first():
    env = simpy.Environment()
    station = Station(env, [Worker(leaves_at=1.0)], refill_days=3.0)
    long = station.submit(4.0)
    after = station.schedule(2.0, 1.0)
    env.run(until=30)
    t = station.table()
    assert t["end_day"][long] == 4.0  # leaves when done, on day 4; the post is filled on day 7
    assert t["start_day"][after] == 7.0


def test_follow_ups_come_weekly_after_the_request_ends_and_count_as_unmet_when_late():
    env = simpy.Environment()
    station = Station(env, [Worker()], max_wait_days=2.0, horizon=30.0)
    case = station.submit(1.0, priority=2, follow_n=5, follow_work=0.5, follow_hours=3.0)
    env.run(until=40)
    t = station.table()
    sessions = t["parent"] == case
    assert list(t["day"][sessions]) == [
        8.0,
        15.0,
        22.0,
        29.0,
    ]  # ends day 1, weekly; day 36 is past the horizon
    assert list(t["start_day"][sessions]) == [8.0, 15.0, 22.0, 29.0]
    assert (t["hours"][sessions] == 3.0).all() and t["served"][sessions].all()


def test_exam_passes_trainees_at_the_pass_rate(ganzhou):
    every = load_scenario(GANZHOU, ["workforce.exam_pass_rate=1.0", "workforce.attrition=0"])
    none = load_scenario(GANZHOU, ["workforce.exam_pass_rate=0.0", "workforce.attrition=0"])
    staff = Staffing(uncertified=3, certified=1, trained=2)
    k = unit(ganzhou, "唐江镇")
    assert simulate_township(every, k, staff, Streams(1)).passed_exam == 2
    assert simulate_township(none, k, staff, Streams(1)).passed_exam == 0


def test_attrition_takes_capacity_for_the_hiring_lag(ganzhou):
    k = unit(ganzhou, "坪市乡")
    stay = simulate_township(
        load_scenario(GANZHOU, ["workforce.attrition=0"]), k, 1, Streams(3), dynamics=True
    )
    churn = simulate_township(
        load_scenario(GANZHOU, ["workforce.attrition=0.9", "workforce.hiring_lag_days=60"]),
        k,
        1,
        Streams(3),
    )
    assert stay.departures == 0 and churn.departures >= 1
    assert churn.utilisation < stay.utilisation


def test_reach_service_level_and_the_333_standard_are_consistent(ganzhou):
    k = unit(ganzhou, "赣江街道")
    roomy = simulate_township(ganzhou, k, 8, Streams(2))
    # one worker for a street whose work needs about 1.3
    tight = simulate_township(ganzhou, k, 1, Streams(2), max_wait_days=5, dynamics=False)
    row = ganzhou.townships.iloc[k]
    for r in (roomy, tight):
        assert all(0 <= n <= max(1, int(row[g])) for g, n in r.reached.items())
        cases, held, per_client = STANDARD_333
        assert r.standard_333 == (
            r.case_clients >= cases
            and r.group_activities_held >= held
            and r.sessions_per_client >= per_client
        )
    assert roomy.service_level > 0.95 > tight.service_level
    assert sum(roomy.reached.values()) > sum(tight.reached.values())


def test_volunteers_take_visits_and_activity_hours_off_the_workers(ganzhou):
    from model.workload import travel_hours, workload_table

    helped = load_scenario(GANZHOU, ["volunteers.visit_share=0.5", "volunteers.activity_share=0.5"])
    k = unit(ganzhou, "横市镇")
    alone = workload_table(ganzhou).iloc[k]
    with_help = workload_table(helped).iloc[k]
    travel = float(travel_hours(ganzhou)[k])  # each visit's round trip to the household
    visits = sum(
        float(ganzhou.townships.iloc[k][g]) * spec.visit_rate * (spec.visit_hours + travel)
        for g, spec in ganzhou.groups.items()
    )
    assert alone["client_hours"] - with_help["client_hours"] == pytest.approx(0.5 * visits)
    assert with_help["station_hours"] < alone["station_hours"]
    # the simulation agrees with the lighter workload (same check as without volunteers)
    workers = int(with_help["need_hours"] / with_help["available_hours_per_worker"] / 0.7) + 1
    runs = [
        simulate_township(helped, k, workers, Streams(s), max_wait_days=10_000, dynamics=False)
        for s in range(12)
    ]
    analytic = with_help["need_hours"] / (workers * with_help["available_hours_per_worker"])
    assert np.mean([r.utilisation for r in runs]) == pytest.approx(analytic, rel=0.05)
    assert all(r.volunteer_visits > 0 for r in runs)
    everyone = simulate_township(
        load_scenario(GANZHOU, ["volunteers.visit_share=1.0"]),
        k,
        workers,
        Streams(42),
        dynamics=False,
    )
    plain = simulate_township(ganzhou, k, workers, Streams(42), dynamics=False)
    assert everyone.requests < plain.requests and sum(everyone.reached.values()) >= sum(
        plain.reached.values()
    )


def test_working_calendar_by_hand():
    from model.simulate.station import WorkingCalendar

    cal = WorkingCalendar(
        hours_per_day=8.0, days_per_week=5, start_hour=9.0, first_weekday=0
    )  # day 0 a Monday
    hour = 1 / 24
    assert (
        cal.work_time(0.0) == 0.0 and cal.work_time(9 * hour) == 0.0
    )  # nothing done before opening
    assert cal.work_time(13 * hour) == pytest.approx(4 * hour)
    assert cal.work_time(4.8) == pytest.approx(5 * 8 * hour)  # Friday evening: the week's 40 h
    assert (
        cal.work_time(6.5) == cal.work_time(4.8) == cal.work_time(7 + 8 * hour)
    )  # the weekend adds nothing
    assert cal.start_day(0.0) == pytest.approx(9 * hour)
    assert cal.start_day(cal.work_time(4.8)) == pytest.approx(
        7 + 9 * hour
    )  # Friday evening -> Monday morning
    assert cal.end_day(cal.work_time(4.8)) == pytest.approx(
        4 + 17 * hour
    )  # ...but work done then ended Friday 17:00
    assert cal.end_day(cal.work_time(4 + 15 * hour) + 4 * hour) == pytest.approx(
        7 + 11 * hour
    )  # 2 h Fri, 2 h Mon
    # the same mappings on arrays
    days = np.array([0.0, 13 * hour, 4.8, 6.5, 7 + 10 * hour])
    assert np.allclose(cal.work_time(days), [cal.work_time(float(d)) for d in days])
    assert np.allclose(
        cal.start_day(cal.work_time(days)), [cal.start_day(cal.work_time(float(d))) for d in days]
    )
    # a deadline out of hours (Saturday noon) is missed by a start at Monday's opening
    assert cal.deadline(5.5) < cal.work_time(7 + 9 * hour)
    assert cal.deadline(2 + 12 * hour) > cal.work_time(2 + 12 * hour)
    env = simpy.Environment()
    station = Station(env, [Worker()], calendar=cal)
    weekend = station.schedule(5.5, 3 * hour, hours=3.0)  # Saturday noon, 3 h of work
    env.run(until=cal.work_time(14.0))
    t = station.table()
    assert t["start_day"][weekend] == pytest.approx(7 + 9 * hour) and t["end_day"][
        weekend
    ] == pytest.approx(7 + 12 * hour)


def test_a_random_calendar_round_trip():
    from model.simulate.station import WorkingCalendar

    rng = np.random.default_rng(5)
    for days_per_week in (5, 6, 7):
        cal = WorkingCalendar(hours_per_day=7.5, days_per_week=days_per_week, first_weekday=2)
        t = np.sort(rng.uniform(0, 60, 2000))
        w = cal.work_time(t)
        assert (np.diff(w) >= 0).all()  # time never runs back
        start = cal.start_day(w)
        assert (start >= t - 1e-9).all()  # work begins at or after t
        assert np.allclose(cal.work_time(start), w)  # ...at the same working time
        inside = np.isclose(start, t)
        assert inside.any() and (~inside).any()  # in and out of hours both seen


def test_weekends_lengthen_waits_but_not_the_work_done(ganzhou):
    fluid = load_scenario(GANZHOU, ["simulation.calendar=fluid"])
    k = unit(ganzhou, "蓉江街道")
    weekdays = simulate_township(ganzhou, k, 4, Streams(5), max_wait_days=10_000, dynamics=False)
    even = simulate_township(fluid, k, 4, Streams(5), max_wait_days=10_000, dynamics=False)
    assert weekdays.wait_mean_days > even.wait_mean_days
    assert weekdays.utilisation == pytest.approx(even.utilisation, rel=0.03)


def test_requests_added_later_are_served_in_order_of_arrival_with_the_fed_ones():
    env = simpy.Environment()
    station = Station(env, [Worker()])
    station.feed(
        np.array([0.0, 1.0, 3.0]), np.array([5.0, 1.0, 1.0]), np.array([1, 1, 1])
    )  # 0 keeps the worker to day 5
    between = station.schedule(2.0, 1.0, priority=1)  # arrives between the two fed ones
    urgent = station.schedule(4.0, 1.0, priority=2)  # last to arrive, first in priority
    env.run()
    t = station.table()
    assert t["start_day"][urgent] == 5.0
    assert [t["start_day"][i] for i in (1, between, 2)] == [6.0, 7.0, 8.0]


def test_the_table_spells_out_each_requests_record_fed_added_and_follow_ups():
    env = simpy.Environment()
    station = Station(env, 2, horizon=100.0)
    station.feed(
        np.array([0.0, 1.0]),
        np.array([1.0, 1.0]),
        np.array([2, 1]),
        hours=np.array([4.0, 2.0]),
        certified_only=np.array([True, False]),
        follow_n=np.array([2, 0]),
        follow_work=np.array([0.5, 0.0]),
        follow_hours=np.array([3.0, 0.0]),
        follow_scale=[np.array([1.0, 2.0]), None],
    )  # the case's second session is twice as long
    env.run(until=0.5)
    added = station.submit(
        1.0,
        priority=3,
        hours=6.0,
        certified_only=True,
        follow_n=1,
        follow_work=0.25,
        follow_hours=1.5,
    )
    env.run(until=60)
    t = station.table()
    # ids: the fed 0, 1; request 0's sessions (added when it started, day 0) 2, 3;
    # the added one 4; its session 5
    assert added == 4
    assert list(t["parent"]) == [-1, -1, 0, 0, -1, 4]
    assert list(t["hours"]) == [4.0, 2.0, 3.0, 6.0, 6.0, 1.5]
    assert list(t["certified_only"]) == [True, False, False, False, True, False]
    assert list(t["follow_n"]) == [2, 0, 0, 0, 1, 0]
    assert list(t["day"]) == [0.0, 1.0, 8.0, 15.0, 0.5, 8.5]
    assert list(t["start_day"]) == [
        0.0,
        1.0,
        8.0,
        15.0,
        0.5,
        8.5,
    ]  # two workers, never both busy when one arrives
    assert list(t["end_day"]) == [1.0, 2.0, 8.5, 16.0, 1.5, 8.75]
    assert t["served"].all()


def test_the_same_streams_give_the_same_township_year_twice(ganzhou):
    streams = Streams(9)
    k = unit(ganzhou, "龙岭镇")
    first = simulate_township(ganzhou, k, 3, streams, year=2025)
    assert (
        simulate_township(ganzhou, k, 3, streams, year=2025) == first
    )  # the year's streams start afresh
    assert streams._cache == {}
