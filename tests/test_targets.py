"""Figures a province can sign (issue 15 points 1, 2, 5): targets that name their plan and
are judged against their own deadline, milestones or rate; totals over localities that say
who reported and compare like with like; task deadlines as plans write them."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from test_progress import INDICATORS, seen

from binhdan.common.problems import Problems
from binhdan.figures.progress import (
    Indicator,
    Observation,
    Progress,
    Target,
    Task,
    parse_deadline,
    parse_period,
)
from binhdan.model.dates import DateProblem
from binhdan.model.site import load_site
from conftest import ROOT, Built, Result, build, check

POSTS = Indicator("tin-bai", {"vi": "Tin bài"}, "count")
SHARE = Indicator("ty-le", {"vi": "Tỷ lệ"}, "percent")
# The example province: Tuyên Quang with nine wards and communes under it.
COMMUNES = ("minh-xuan", "nong-tien", "ha-giang-1", "na-hang", "lam-binh", "chiem-hoa",
            "son-duong", "dong-van", "meo-vac")


def province(observations: list[Observation], targets: list[Target],
             today: date = date(2026, 11, 21)) -> Progress:
    site = load_site(ROOT, Problems())
    assert site is not None
    return Progress(site, {"tin-bai": POSTS, "ty-le": SHARE}, targets, observations, [], today)


def month(label: str):  # type: ignore[no-untyped-def]
    found = parse_period(label)
    assert found is not None
    return found


def test_missing_reporters_are_the_localities_without_a_figure() -> None:
    progress = province(
        [seen("tin-bai", code, "2026-09", 90) for code in COMMUNES]
        + [seen("tin-bai", code, "2026-10", 100) for code in COMMUNES if code != "meo-vac"]
        + [seen("ty-le", "na-hang", "2026-10", 50, 5, 10)], [])
    assert progress.missing_reporters("tin-bai", month("2026-09")) == []
    assert progress.missing_reporters("tin-bai", month("2026-10")) == ["meo-vac"]
    assert progress.missing_reporters("ty-le", month("2026-10")) == [
        code for code in COMMUNES if code != "na-hang"]
    # under a locality with nobody beneath it, nobody is missing
    assert progress.missing_reporters("tin-bai", month("2026-10"), "meo-vac") == []


# ---------------------------------------------------------------- like with like ---------

# The example's October: Chiêm Hóa has not reported its posts yet.
SEPTEMBER = {"chiem-hoa": 117, "dong-van": 122, "ha-giang-1": 117, "lam-binh": 43,
             "meo-vac": 38, "minh-xuan": 113, "na-hang": 118, "nong-tien": 114,
             "son-duong": 124}
OCTOBER = {"dong-van": 136, "ha-giang-1": 132, "lam-binh": 48, "meo-vac": 41,
           "minh-xuan": 125, "na-hang": 129, "nong-tien": 128, "son-duong": 137}


def october(targets: list[Target]) -> Progress:
    return province([seen("tin-bai", code, "2026-09", value)
                     for code, value in SEPTEMBER.items()]
                    + [seen("tin-bai", code, "2026-10", value)
                       for code, value in OCTOBER.items()], targets)


def test_the_issues_october_no_longer_falls_or_lags() -> None:
    """Issue 15: 876 for 8 communes summed against 9 communes' path showed "−30" and
    "behind", although the 8 were ahead of their own path (800)."""
    progress = october([Target("tin-bai", 2026, 120, None, each=True,
                               plan="documents/ke-hoach-tuyen-quang-2025", section="III.1.1")])
    total = progress.value("tin-bai", "tuyen-quang", month("2026-10"))
    assert total is not None
    assert sum(OCTOBER.values()) == 876
    assert total.value == 876 + 117  # Chiêm Hóa's September carried forward: no fall
    assert (total.reporting, total.expected) == (8, 9)
    assert total.carried == (("chiem-hoa", month("2026-09")),)
    change = progress.change("tin-bai", "tuyen-quang", month("2026-10"))
    assert change is not None
    assert change.amount == 876 - (906 - 117)  # +87 over the same eight
    assert (change.compared, change.expected) == (8, 9)
    standing = progress.standing("tin-bai", "tuyen-quang", month("2026-10"))
    assert standing.expected == pytest.approx(1080 * 304 / 365)  # 899.5
    assert standing.status == "on-track"  # a floor above the path: Chiêm Hóa cannot undo it


def test_an_incomplete_period_is_not_enough_data_unless_the_verdict_is_certain() -> None:
    # the floor (993) is below a steeper path: Chiêm Hóa's report could still make it
    progress = october([Target("tin-bai", 2026, 150, None, each=True, illustrative=True)])
    standing = progress.standing("tin-bai", "tuyen-quang", month("2026-10"))
    assert standing.expected == pytest.approx(1350 * 304 / 365)
    assert standing.status == "not-enough-data"
    # the same figures with every report in: behind
    complete = province([seen("tin-bai", code, "2026-10", value)
                         for code, value in {**OCTOBER, "chiem-hoa": 118}.items()],
                        [Target("tin-bai", 2026, 150, None, each=True, illustrative=True)])
    assert complete.standing("tin-bai", "tuyen-quang", month("2026-10")).status == "behind"
    # a percentage: the missing commune could be at 0 % or 100 %, whatever the others
    shares = province([seen("ty-le", code, "2026-10", 90, 90, 100) for code in COMMUNES[1:]],
                      [Target("ty-le", 2026, 50, None, illustrative=True)])
    assert shares.standing("ty-le", "tuyen-quang", month("2026-10")).status \
        == "not-enough-data"
    shares_all = province([seen("ty-le", code, "2026-10", 90, 90, 100) for code in COMMUNES],
                          [Target("ty-le", 2026, 50, None, illustrative=True)])
    assert shares_all.standing("ty-le", "tuyen-quang", month("2026-10")).status == "met"


def test_a_count_is_carried_within_its_year_only() -> None:
    progress = province([seen("tin-bai", code, "2026-12", 100) for code in COMMUNES]
                        + [seen("tin-bai", code, "2027-01", 10) for code in COMMUNES[1:]], [])
    january = progress.value("tin-bai", "tuyen-quang", month("2027-01"))
    assert january is not None
    assert january.value == 80 and january.carried == ()  # December's 100 is not carried
    assert progress.missing_reporters("tin-bai", month("2027-01")) == ["minh-xuan"]
    # in January a running count restarts: what was added is the whole figure
    change = progress.change("tin-bai", "tuyen-quang", month("2027-01"))
    assert change is not None and (change.amount, change.compared) == (80, 8)


def test_percentage_changes_compare_the_same_localities() -> None:
    progress = province([
        seen("ty-le", "na-hang", "2026-09", 50, 50, 100),
        seen("ty-le", "lam-binh", "2026-09", 10, 100, 1000),
        seen("ty-le", "na-hang", "2026-10", 60, 60, 100),
    ], [])
    # the unit's figure moves from 13.6 % to 60 %, but only Na Hang reported both: +10
    change = progress.change("ty-le", "tuyen-quang", month("2026-10"))
    assert change is not None
    assert change.amount == pytest.approx(10) and change.compared == 1


# ---------------------------------------------------------------- the on-track rule ------

def level(value: float, **timing: object) -> Progress:
    """Na Hang's VNeID share against a 2026 target of 80 % due 30/11 with a milestone of 60 %
    on 30/06, after a 2025 target of 50 % (the baseline)."""
    targets = [Target("ty-le", 2025, 50, None, illustrative=True),
               Target("ty-le", 2026, 80, None, illustrative=True, **timing),  # type: ignore[arg-type]
               Target("ty-le", 2027, 90, None, illustrative=True)]
    return province([seen("ty-le", "na-hang", label, value)
                     for label in ("2025-12", "2026-03", "2026-06", "2026-07", "2026-11",
                                   "2026-12", "2027-01", "2026-Q4")], targets)


MILESTONED = {"due": date(2026, 11, 30), "milestones": ((date(2026, 6, 30), 60.0),)}


def test_the_path_runs_through_the_milestones_to_the_due_date() -> None:
    progress = level(60, **MILESTONED)
    goal = progress.goal("ty-le", 2026, "na-hang")
    assert goal is not None and goal.start == 50  # the previous year's target
    # before the first milestone: on the straight line from 31/12 to 30/06
    assert progress.expected("ty-le", month("2026-03"), "na-hang") \
        == pytest.approx(50 + 10 * 90 / 181)
    # on the milestone, and the day after it
    assert progress.expected("ty-le", month("2026-06"), "na-hang") == pytest.approx(60)
    assert goal.path(date(2026, 7, 1)) == pytest.approx(60 + 20 * 1 / 153)
    assert goal.path(date(2026, 11, 30)) == 80 and goal.path(date(2026, 12, 1)) == 80
    statuses = {label: progress.standing("ty-le", "na-hang", month(label)).status
                for label in ("2026-03", "2026-06", "2026-07", "2026-11", "2026-12")}
    assert statuses == {"2026-03": "on-track", "2026-06": "on-track", "2026-07": "behind",
                        "2026-11": "missed", "2026-12": "missed"}


def test_on_the_due_date_and_after_it_a_target_is_met_or_missed() -> None:
    assert level(79.9, **MILESTONED).standing("ty-le", "na-hang", month("2026-11")).status \
        == "missed"  # the period ends on the due date: no more "behind"
    assert level(80, **MILESTONED).standing("ty-le", "na-hang", month("2026-11")).status \
        == "met"
    # without a due date the target is due on 31 December: a quarter ending then
    december = level(79.9)
    assert december.standing("ty-le", "na-hang", month("2026-11")).status == "on-track"
    assert december.standing("ty-le", "na-hang", month("2026-Q4")).status == "missed"
    assert december.standing("ty-le", "na-hang", month("2025-12")).status == "met"  # 79.9 ≥ 50


def test_a_new_year_starts_from_last_years_target() -> None:
    progress = level(80.5)
    # 31 December 2026 judged against 2026's 80 %, 31 January 2027 on the way to 90 %
    assert progress.standing("ty-le", "na-hang", month("2026-12")).status == "met"
    assert progress.expected("ty-le", month("2027-01"), "na-hang") \
        == pytest.approx(80 + 10 * 31 / 365)
    assert progress.standing("ty-le", "na-hang", month("2027-01")).status == "behind"
    # a baseline given in targets.yml replaces the previous year's target
    based = province([seen("ty-le", "na-hang", "2027-01", 80.5)],
                     [Target("ty-le", 2026, 80, None, illustrative=True),
                      Target("ty-le", 2027, 90, None, baseline=70, illustrative=True)])
    assert based.expected("ty-le", month("2027-01"), "na-hang") \
        == pytest.approx(70 + 20 * 31 / 365)
    assert based.standing("ty-le", "na-hang", month("2027-01")).status == "on-track"


def test_a_rate_compares_each_period_with_the_rate() -> None:
    """"More than 10 posts a month" (at least 11) for each commune: what each month added."""
    rate = [Target("tin-bai", 2026, 11, None, each=True, per="month",
                   due=date(2026, 11, 30), illustrative=True)]
    figures = {"2026-01": 12, "2026-02": 20, "2026-04": 40, "2026-05": 52, "2026-12": 70}
    progress = province([seen("tin-bai", "na-hang", label, value)
                         for label, value in figures.items()], rate)
    standings = {label: progress.standing("tin-bai", "na-hang", month(label))
                 for label in figures}
    assert standings["2026-01"].status == "met"  # 12 added since the count restarted
    assert standings["2026-02"].status == "missed"  # 8 added
    assert standings["2026-02"].target == 11 and standings["2026-02"].expected == 23
    assert standings["2026-04"].status == "not-enough-data"  # March unknown: how much in April?
    assert standings["2026-05"].status == "met"  # 12 added
    assert standings["2026-12"].status == "no-target"  # the rate ran until 30 November
    # a quarter against a monthly rate: three months' worth
    quarter = province([seen("tin-bai", "na-hang", "2026-Q1", 30),
                        seen("tin-bai", "na-hang", "2026-Q2", 66)], rate)
    q2 = quarter.standing("tin-bai", "na-hang", month("2026-Q2"))
    assert (q2.target, q2.status) == (33, "met")
    assert quarter.standing("tin-bai", "na-hang", month("2026-Q1")).status == "missed"


def test_the_unit_meets_a_rate_on_what_its_localities_added() -> None:
    rate = [Target("tin-bai", 2026, 11, None, each=True, per="month", illustrative=True)]
    progress = october(rate)
    october_ = progress.standing("tin-bai", "tuyen-quang", month("2026-10"))
    assert october_.target == 99  # 11 for each of 9 communes
    assert october_.status == "not-enough-data"  # 87 from 8; Chiêm Hóa could add 12
    all_in = province([seen("tin-bai", code, "2026-09", value)
                       for code, value in SEPTEMBER.items()]
                      + [seen("tin-bai", code, "2026-10", value)
                         for code, value in {**OCTOBER, "chiem-hoa": 117}.items()], rate)
    assert all_in.standing("tin-bai", "tuyen-quang", month("2026-10")).status == "missed"
    generous = province([seen("tin-bai", code, "2026-09", 0) for code in COMMUNES]
                        + [seen("tin-bai", code, "2026-10", 20) for code in COMMUNES[1:]], rate)
    assert generous.standing("tin-bai", "tuyen-quang", month("2026-10")).status == "met"


def test_a_count_made_anew_each_month_is_never_carried_and_is_its_own_rate() -> None:
    """An indicator with `per: month` (f15-pages) meets targets and totals (f15-core): a
    month's count is what was added, and a missing commune's last month is not carried."""
    flow = Indicator("tin-bai", {"vi": "Tin bài trong tháng"}, "count", per="month")
    site = load_site(ROOT, Problems())
    assert site is not None
    rate = [Target("tin-bai", 2026, 11, None, each=True, per="month", illustrative=True)]
    progress = Progress(site, {"tin-bai": flow, "ty-le": SHARE}, rate,
                        [seen("tin-bai", code, "2026-12", 12) for code in COMMUNES]
                        + [seen("tin-bai", code, "2027-01", 10) for code in COMMUNES[1:]]
                        + [seen("tin-bai", code, "2026-10", 12) for code in COMMUNES[1:]]
                        + [seen("tin-bai", code, "2026-09", 13) for code in COMMUNES],
                        [], date(2027, 2, 1))
    october_ = progress.value("tin-bai", "tuyen-quang", month("2026-10"))
    assert october_ is not None and october_.value == 96 and october_.carried == ()
    # 96 posts in October from 8 communes: 99 were due, and the ninth may have posted some
    standing = progress.standing("tin-bai", "tuyen-quang", month("2026-10"))
    assert (standing.target, standing.status) == (99, "not-enough-data")
    assert progress.standing("tin-bai", "tuyen-quang", month("2026-12")).status == "met"
    assert progress.standing("tin-bai", "na-hang", month("2026-10")).status == "met"
    # January against December, month by month (no restart): 10 against 12 in each of 8
    change = progress.change("tin-bai", "tuyen-quang", month("2027-01"))
    assert change is not None and (change.amount, change.compared) == (-16, 8)


# ---------------------------------------------------------------- provenance --------------

PLAN = """---
title: Kế hoạch Bình dân học vụ số năm 2026 của xã Ea Trang
date: 2026-05-06
summary: Chỉ tiêu năm 2026 của xã.
number: 76/KH-UBND
issued: 2026-04-15
issuer: Ủy ban nhân dân xã Ea Trang
doc_kind: ke-hoach
{localities}
---
Kế hoạch của xã.
"""


def with_targets(project: Path, targets: str, plan_localities: str = "localities: [ea-trang]"
                 ) -> Result:
    (project / "content/documents").mkdir(exist_ok=True)
    (project / "content/documents/ke-hoach-76-kh-ubnd.vi.md").write_text(
        PLAN.format(localities=plan_localities), encoding="utf-8")
    (project / "data/indicators.yml").write_text(INDICATORS, encoding="utf-8")
    (project / "data/targets.yml").write_text(targets, encoding="utf-8")
    return check(project)


def test_a_target_names_a_plan_of_this_unit_or_says_it_is_illustrative(project: Path) -> None:
    result = with_targets(project, """\
- indicator: ty-le
  year: 2026
  value: 80
- indicator: lop-hoc
  year: 2026
  value: 5
  plan: ke-hoach-khong-co
- indicator: ty-le
  year: 2026
  value: 90
  locality: buon-mot
  plan: ke-hoach-76-kh-ubnd
  section: "II"
- indicator: lop-hoc
  year: 2026
  value: 5
  locality: thon-hai
  illustrative: true
""")
    assert result.code == 1
    assert "data/targets.yml:1 [plan]" in result.out
    assert "This target does not say which plan sets it." in result.out
    assert "data/targets.yml:4 [plan]" in result.out
    assert "'ke-hoach-khong-co' is not defined in content/documents/" in result.out
    assert "ke-hoach-76-kh-ubnd" in result.out  # the plans there are named
    # a commune plan sets its villages' targets; a made-up target says it is illustrative
    assert "targets.yml:8" not in result.out and "targets.yml:14" not in result.out
    assert result.out.count("LỖI / ERROR") == 2


def test_a_plan_of_another_unit_is_refused(project: Path) -> None:
    targets = "- indicator: ty-le\n  year: 2026\n  value: 80\n  plan: ke-hoach-76-kh-ubnd\n"
    elsewhere = with_targets(project, targets, "localities: [thon-hai]")
    assert elsewhere.code == 1
    assert "data/targets.yml:1 [plan]" in elsewhere.out
    assert "Plan 'ke-hoach-76-kh-ubnd' is not a plan of ea-trang (the document's " \
           "'localities': thon-hai)" in elsewhere.out
    nowhere = with_targets(project, targets, "")
    assert nowhere.code == 1 and "'localities': -)" in nowhere.out
    marked = with_targets(project, targets + "  illustrative: true\n", "")
    assert marked.code == 0, marked.out


@pytest.mark.parametrize(("row", "where", "says"), [
    ("  due: 30/06/2027\n", "[due]", "The due date '30/06/2027' is not in the target's year"),
    ("  due: 31/06/2026\n", "[due]", "31/06/2026"),
    ("  milestones:\n    30/06/2026: 60\n    31/12/2026: 70\n", "[milestones]",
     "dated in 2026 and before the target's due date"),
    ("  milestones: 60\n", "[milestones]", "Milestones must be 'date: number'"),
    ("  milestones:\n    30/06/2026: .nan\n", "[milestones]", "must be a number"),
    ("  per: month\n", "[per]", "'per: month' (a target for each period) is only for counted"),
    ("  per: week\n", "[per]", "Choose one of: month, quarter"),
])
def test_due_dates_milestones_and_rates_are_checked(project: Path, row: str, where: str,
                                                     says: str) -> None:
    result = with_targets(project, "- indicator: ty-le\n  year: 2026\n  value: 80\n"
                                   "  plan: ke-hoach-76-kh-ubnd\n" + row)
    assert result.code == 1
    assert f"data/targets.yml:1 {where}" in result.out
    assert says in result.out


def test_the_source_of_a_target_is_shown_where_the_target_is(project: Path,
                                                              tmp_path: Path) -> None:
    assert with_targets(project, """\
- indicator: ty-le
  year: 2026
  value: 80
  due: 30/11/2026
  plan: ke-hoach-76-kh-ubnd
  section: "II"
- indicator: lop-hoc
  year: 2026
  value: 11
  per: month
  each: true
  plan: ke-hoach-76-kh-ubnd
  section: "III.1.1"
""").code == 0
    (project / "data/observations").mkdir()
    (project / "data/observations/2026.csv").write_text(
        "locality,indicator,period,numerator,denominator,value,source,note\n"
        "buon-mot,ty-le,2026-10,70,100,,,\nthon-hai,ty-le,2026-10,80,100,,,\n"
        "buon-mot,lop-hoc,2026-10,,,12,,\n", encoding="utf-8")
    built = build(project, tmp_path / "site")
    assert built.result.code == 0, built.result.out
    page = built.html("so-lieu/ty-le/")
    text = page.get_text(" ", strip=True)
    assert "Mục tiêu 2026: 80,0% (hạn 30/11/2026) (KH 76/KH-UBND, mục II)" in text
    sources = [s.get_text() for s in page.select("td .data-source")]
    assert sources and set(sources) == {"KH 76/KH-UBND, mục II"}
    classes = built.html("so-lieu/lop-hoc/").get_text(" ", strip=True)
    assert "Mục tiêu 2026: 22 mỗi tháng (KH 76/KH-UBND, mục III.1.1)" in classes
    english = built.html("en/data/ty-le/").get_text(" ", strip=True)
    assert "KH 76/KH-UBND, section II" in english
    targets = (built.site / "open-data/targets.csv").read_text(encoding="utf-8-sig")
    assert ',2026-11-30,,documents/ke-hoach-76-kh-ubnd,II,"KH 76/KH-UBND, mục II",False' \
        in targets
    assert "month,2026-12-31,,documents/ke-hoach-76-kh-ubnd,III.1.1" in targets


# ---------------------------------------------------------------- task deadlines ----------

@pytest.mark.parametrize(("written", "kind", "due"), [
    ("2025-10-30", "date", date(2025, 10, 30)),
    (date(2025, 10, 30), "date", date(2025, 10, 30)),  # YAML reads 2025-10-30 as a date
    ("30/10/2025", "date", date(2025, 10, 30)),
    ("10/2025", "month", date(2025, 10, 31)),
    ("tháng 2/2028", "month", date(2028, 2, 29)),
    ("Tháng 10/2025", "month", date(2025, 10, 31)),
    ("2025-02", "month", date(2025, 2, 28)),
    ("Quý III/2025", "quarter", date(2025, 9, 30)),
    ("quý IV/2026", "quarter", date(2026, 12, 31)),
    ("Q3/2025", "quarter", date(2025, 9, 30)),
    ("q1 2026", "quarter", date(2026, 3, 31)),
    ("2026-Q2", "quarter", date(2026, 6, 30)),
    ("regular", "regular", None),
    ("Thường xuyên", "regular", None),
    ("theo hướng dẫn của Trung ương", "text", None),
])
def test_deadlines_are_read_as_plans_write_them(written: object, kind: str,
                                                due: date | None) -> None:
    deadline = parse_deadline(written)
    assert (deadline.kind, deadline.due) == (kind, due)


@pytest.mark.parametrize("written", ["13/2025", "Quý V/2025", "Q0/2025", "31/02/2025",
                                     "2025-13", "30.10"])
def test_a_deadline_that_looks_like_a_date_but_is_none_is_refused(written: str) -> None:
    with pytest.raises(DateProblem):
        parse_deadline(written)


def task(deadline: str, status: str = "in-progress") -> Task:
    return Task("t", {"vi": "Việc"}, {"vi": "UBND"}, {}, parse_deadline(deadline), {}, status,
                None, None, True)


def test_only_a_deadline_with_a_last_day_can_be_overdue() -> None:
    # a month or a quarter is overdue after its last day, not on it
    assert not task("10/2026").overdue(date(2026, 10, 31))
    assert task("10/2026").overdue(date(2026, 11, 1))
    assert not task("Quý III/2026").overdue(date(2026, 9, 30))
    assert task("Quý III/2026").overdue(date(2026, 10, 1))
    assert not task("Quý III/2026", "done").overdue(date(2027, 1, 1))
    for words in ("regular", "theo hướng dẫn của Trung ương"):
        assert not task(words).overdue(date(2099, 1, 1))


def test_a_wrong_deadline_or_locality_is_named(project: Path) -> None:
    (project / "data/tasks.yml").write_text("""\
- id: mot
  text: Mở lớp học
  lead: UBND xã
  deadline: Quý V/2026
- id: hai
  text: Mở lớp học
  lead: UBND xã
  deadline: tháng 10/2026
  locality: thon-ba
""", encoding="utf-8")
    result = check(project)
    assert result.code == 1
    assert "data/tasks.yml:1 [deadline]" in result.out
    assert "The deadline 'Quý V/2026' cannot be read." in result.out
    assert "data/tasks.yml:5 [locality]" in result.out
    assert "'thon-ba' is not defined in data/localities.yml" in result.out


# ---------------------------------------------------------------- the example -------------

def test_the_example_october_report_compares_like_with_like(example: Built) -> None:
    page = example.html("so-lieu/bao-cao/2026-10/")
    columns = [th.get_text(strip=True) for th in page.select("table thead th")][1:]
    rows = {tr.th.get_text(strip=True): dict(zip(columns, (td.get_text(" ", strip=True)
                                                           for td in tr.select("td")),
                                                 strict=True))
            for tr in page.select("table tbody tr")}
    # posts are counted by the site (every commune has a figure); the rate is the plan's
    posts = rows["Tin, bài về phong trào đã đăng trong năm"]
    assert posts["Mục tiêu năm"] == "99 mỗi tháng KH ngày 15/04/2026, mục III.1.1 (minh họa)"
    # classes are typed: Chiêm Hóa's September figure is carried forward, not dropped (no
    # fall), and the change is over the eight communes that reported both months
    classes = rows["Lớp học Bình dân học vụ số đã tổ chức trong năm"]
    assert classes["Kết quả"] == "63"
    assert classes["So với kỳ trước"] == "+6 (8/9 địa phương có số liệu cả hai kỳ)"
    assert "tạm giữ số kỳ trước: Xã Chiêm Hóa (tháng 9/2026)" in classes["Ghi chú"]
    assert classes["Đánh giá"] == "Đạt mục tiêu"
    # a percentage with a commune missing cannot be judged yet
    staff_now = rows["Cán bộ, công chức, viên chức có kỹ năng số phục vụ công việc"]
    assert staff_now["Đánh giá"] == "Chưa đủ số liệu"
    assert "Chưa báo cáo: Xã Chiêm Hóa" in page.get_text(" ", strip=True)
    # the province's own targets name its plan; no other unit's target passes as its own
    staff = rows["Cán bộ, công chức, viên chức có kỹ năng số phục vụ công việc"]
    assert staff["Mục tiêu năm"] == "100,0% KH ngày 09/09/2025, mục III.2"
    for cells in rows.values():
        target = cells["Mục tiêu năm"]
        assert "KH ngày 09/09/2025" in target or "(minh họa)" in target


def test_the_dashboard_says_who_reported_and_where_targets_come_from(example: Built) -> None:
    page = example.html("so-lieu/")
    posts = page.select_one("#tin-bai-chuyen-muc")
    assert posts is not None
    cards = {card.h3.get_text(strip=True): card.get_text(" ", strip=True)
             for card in page.select(".data-card")}
    card = cards["Lớp học Bình dân học vụ số đã tổ chức trong năm"]  # typed: one missing
    assert "8/9 địa phương có số liệu" in card and "Xã Chiêm Hóa (tháng 9/2026)" in card
    assert "Nguồn mục tiêu: KH ngày 15/04/2026, mục III.3 (minh họa)" in card
    posts = cards["Tin, bài về phong trào đã đăng trong năm"]  # counted by the site
    assert "Nguồn mục tiêu: KH ngày 15/04/2026, mục III.1.1 (minh họa)" in posts
    indicator = example.html("so-lieu/vneid-xac-nhan/").get_text(" ", strip=True)
    assert "Mục tiêu 2026: 80,0% (KH ngày 09/09/2025, mục III.2)" in indicator
    assert "Phường Minh Xuân" in indicator and "Mục tiêu minh họa, không lấy từ kế hoạch nào" \
        in indicator


def test_tasks_show_deadlines_as_written_and_filter_by_locality(example: Built) -> None:
    page = example.html("so-lieu/nhiem-vu/")
    tasks = {li.select_one(".task__text").get_text(strip=True): li for li in page.select("li.task")}
    central = next(li for text, li in tasks.items() if text.startswith("Áp dụng Khung kỹ năng số"))
    assert "theo hướng dẫn của Trung ương" in central.get_text(" ", strip=True)
    assert "task--overdue" not in central["class"]
    minh_xuan = next(li for li in tasks.values() if li["data-locality"] == "minh-xuan")
    assert "quý 3/2026" in minh_xuan.get_text(" ", strip=True)
    assert "task--overdue" in minh_xuan["class"]  # the quarter ended on 30/09/2026
    na_hang = next(li for li in tasks.values() if li["data-locality"] == "na-hang")
    assert "tháng 10/2026" in na_hang.get_text(" ", strip=True)
    link = na_hang.select_one("a[href$='/dia-phuong/na-hang/']")
    assert link is not None and link.get_text() == "Xã Na Hang"
    options = [o["value"] for o in page.select("select[name=locality] option")]
    assert options[0] == "" and set(options[1:]) == {"lam-binh", "minh-xuan", "na-hang"}
