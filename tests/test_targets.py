"""Figures a province can sign (issue 15 points 1, 2, 5): targets that name their plan and
are judged against their own deadline, milestones or rate; totals over localities that say
who reported and compare like with like; task deadlines as plans write them."""

from __future__ import annotations

from datetime import date

import pytest

from binhdan.problems import Problems
from binhdan.progress import Indicator, Observation, Progress, Target, parse_period
from binhdan.site import load_site
from conftest import ROOT

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


def seen(indicator: str, locality: str, period: str, value: float,
         numerator: float | None = None, denominator: float | None = None) -> Observation:
    found = parse_period(period)
    assert found is not None
    return Observation(indicator, locality, found, value, numerator, denominator, "", "")


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
