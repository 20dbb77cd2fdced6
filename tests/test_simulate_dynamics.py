"""Certified-only intake, workers leaving and replaced after the hiring lag, the yearly exam, reach and 三个3."""
from __future__ import annotations

import pytest
import simpy

from conftest import ROOT
from model import load_scenario
from model.simulate import Request, Station, Streams, simulate_township
from model.simulate.station import Worker
from model.simulate.township import STANDARD_333, Staffing


GANZHOU = ROOT / "scenarios" / "ganzhou.yaml"


@pytest.fixture(scope="module")
def ganzhou():
    return load_scenario(GANZHOU)


def test_only_certified_workers_take_case_intakes():
    env = simpy.Environment()
    station = Station(env, [Worker(certified=False)])
    intake = Request("tekun", 3, 1.0, certified_only=True, kind="intake")
    visit = Request("dibao", 1, 1.0, kind="visit")
    station.submit(intake)
    station.submit(visit)
    env.run(until=10)
    assert intake.started is None and visit.started == 0.0
    env2 = simpy.Environment()
    both = Station(env2, [Worker(certified=False), Worker(certified=True)])
    intake2, visit2 = Request("tekun", 3, 1.0, certified_only=True), Request("dibao", 1, 1.0)
    both.submit(visit2)
    both.submit(intake2)
    env2.run(until=10)
    assert intake2.started == 0.0 and visit2.started == 0.0


def test_a_leaver_is_replaced_after_the_hiring_lag_by_hand():
    env = simpy.Environment()
    station = Station(env, [Worker(leaves_at=5.0)], refill_days=10.0)
    late = Request("dibao", 1, 1.0)
    station.schedule(late, 6.0)            # arrives after the only worker left on day 5
    env.run(until=30)
    assert late.arrived == 6.0 and late.started == 15.0 and late.ended == 16.0
    assert station.log.departures == 1 and station.log.arrivals_of_staff == 2


def test_a_busy_leaver_finishes_its_work_first():
    env = simpy.Environment()
    station = Station(env, [Worker(leaves_at=1.0)], refill_days=3.0)
    long = Request("dibao", 1, 4.0)
    after = Request("dibao", 1, 1.0)
    station.submit(long)
    station.schedule(after, 2.0)
    env.run(until=30)
    assert long.ended == 4.0               # leaves when done, on day 4; the post is filled on day 7
    assert after.started == 7.0


def test_exam_passes_trainees_at_the_pass_rate(ganzhou):
    every = load_scenario(GANZHOU, ["workforce.exam_pass_rate=1.0", "workforce.attrition=0"])
    none = load_scenario(GANZHOU, ["workforce.exam_pass_rate=0.0", "workforce.attrition=0"])
    staff = Staffing(uncertified=3, certified=1, trained=2)
    assert simulate_township(every, 4, staff, Streams(1)).passed_exam == 2
    assert simulate_township(none, 4, staff, Streams(1)).passed_exam == 0


def test_attrition_takes_capacity_for_the_hiring_lag(ganzhou):
    stay = simulate_township(load_scenario(GANZHOU, ["workforce.attrition=0"]), 1, 1, Streams(3), dynamics=True)
    churn = simulate_township(load_scenario(GANZHOU, ["workforce.attrition=0.9", "workforce.hiring_lag_days=60"]),
                              1, 1, Streams(3))
    assert stay.departures == 0 and churn.departures >= 1
    assert churn.utilisation < stay.utilisation


def test_reach_service_level_and_the_333_standard_are_consistent(ganzhou):
    roomy = simulate_township(ganzhou, 3, 8, Streams(2))
    tight = simulate_township(ganzhou, 3, 1, Streams(2), dynamics=False)
    row = ganzhou.townships.iloc[3]
    for r in (roomy, tight):
        assert all(0 <= n <= max(1, int(row[g])) for g, n in r.reached.items())
        cases, held, per_client = STANDARD_333
        assert r.standard_333 == (r.case_clients >= cases and r.group_activities_held >= held
                                  and r.sessions_per_client >= per_client)
    assert roomy.service_level > 0.95 > tight.service_level
    assert sum(roomy.reached.values()) > sum(tight.reached.values())


def test_volunteers_take_visits_and_activity_hours_off_the_workers(ganzhou):
    from model.workload import workload_table

    helped = load_scenario(GANZHOU, ["volunteers.visit_share=0.5", "volunteers.activity_share=0.5"])
    alone = workload_table(ganzhou).iloc[2]
    with_help = workload_table(helped).iloc[2]
    visits = sum(float(ganzhou.townships.iloc[2][g]) * spec.visit_rate * spec.visit_hours
                 for g, spec in ganzhou.groups.items())
    assert alone["client_hours"] - with_help["client_hours"] == pytest.approx(0.5 * visits)
    assert with_help["station_hours"] < alone["station_hours"]
    # the simulation agrees with the lighter workload (same check as without volunteers)
    workers = int(with_help["need_hours"] / with_help["available_hours_per_worker"] / 0.7) + 1
    r = simulate_township(helped, 2, workers, Streams(42), max_wait_days=10_000, dynamics=False)
    analytic = with_help["need_hours"] / (workers * with_help["available_hours_per_worker"])
    assert r.utilisation == pytest.approx(analytic, rel=0.05)
    assert r.volunteer_visits > 0
    everyone = simulate_township(load_scenario(GANZHOU, ["volunteers.visit_share=1.0"]), 2, workers, Streams(42),
                                 dynamics=False)
    plain = simulate_township(ganzhou, 2, workers, Streams(42), dynamics=False)
    assert everyone.requests < plain.requests and sum(everyone.reached.values()) >= sum(plain.reached.values())


def test_working_calendar_by_hand():
    from model.simulate.station import WorkingCalendar

    cal = WorkingCalendar(hours_per_day=8.0, days_per_week=5, start_hour=9.0, first_weekday=0)   # day 0 a Monday
    assert cal.next_open(0.0) == pytest.approx(9 / 24)
    assert cal.next_open(4.8) == pytest.approx(7 + 9 / 24)            # Friday evening -> Monday morning
    assert cal.finish(9 / 24, 4.0) == pytest.approx(13 / 24)
    assert cal.finish(4 + 15 / 24, 4.0) == pytest.approx(7 + 11 / 24)  # 2 h on Friday, 2 h on Monday
    env = simpy.Environment()
    station = Station(env, [Worker()], calendar=cal)
    weekend = Request("dibao", 1, 0.0, hours=3.0)
    station.schedule(weekend, 5.5)                                    # Saturday noon
    env.run(until=14)
    assert weekend.started == pytest.approx(7 + 9 / 24) and weekend.ended == pytest.approx(7 + 12 / 24)


def test_weekends_lengthen_waits_but_not_the_work_done(ganzhou):
    fluid = load_scenario(GANZHOU, ["simulation.calendar=fluid"])
    weekdays = simulate_township(ganzhou, 3, 4, Streams(5), max_wait_days=10_000, dynamics=False)
    even = simulate_township(fluid, 3, 4, Streams(5), max_wait_days=10_000, dynamics=False)
    assert weekdays.wait_mean_days > even.wait_mean_days
    assert weekdays.utilisation == pytest.approx(even.utilisation, rel=0.03)
