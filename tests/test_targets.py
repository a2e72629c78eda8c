"""Figures a province can sign (issue 15 points 1, 2, 5): targets that name their plan and
are judged against their own deadline, milestones or rate; totals over localities that say
who reported and compare like with like; task deadlines as plans write them."""

from __future__ import annotations

from datetime import date

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
