"""Dates as Vietnamese editors write them, interpreted in Vietnam time (UTC+7, no DST)."""

from __future__ import annotations

import os
import re
from datetime import date, datetime, timedelta, timezone

VIETNAM = timezone(timedelta(hours=7), "ICT")
EARLIEST_YEAR, LATEST_YEAR = 1945, 2100

_ISO = re.compile(r"^(\d{1,5})-(\d{1,2})-(\d{1,2})$")
_DMY = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{1,5})$")
_TIME = re.compile(r"^(\d{1,2})[:h](\d{2})$")


class DateProblem(ValueError):
    """Why a value is not a usable date: code is a problems.MESSAGES key."""

    def __init__(self, code: str, **params: object) -> None:
        super().__init__(code)
        self.code = code
        self.params = params


def parse_date(value: object) -> date:
    """2026-10-10 or 10/10/2026 (day first, as written in Vietnam)."""
    text = str(value).strip()
    match = _ISO.match(text)
    if match:
        year, month, day = (int(g) for g in match.groups())
    else:
        match = _DMY.match(text)
        if not match:
            raise DateProblem("bad_date", value=text)
        day, month, year = (int(g) for g in match.groups())
    if not EARLIEST_YEAR <= year <= LATEST_YEAR:
        raise DateProblem("implausible_year", year=year)
    try:
        return date(year, month, day)
    except ValueError:
        raise DateProblem("impossible_date", value=text) from None


def parse_datetime(value: object) -> datetime:
    """A date with an optional time (HH:MM or 8h30), in Vietnam time."""
    text = re.sub(r"\s+", " ", str(value).strip().replace("T", " "))
    day_part, _, time_part = text.partition(" ")
    try:
        day = parse_date(day_part)
    except DateProblem as problem:
        if problem.code == "bad_date":
            raise DateProblem("bad_datetime", value=text) from None
        raise
    hour = minute = 0
    if time_part:
        match = _TIME.match(time_part)
        if not match or int(match.group(1)) > 23 or int(match.group(2)) > 59:
            raise DateProblem("bad_datetime", value=text)
        hour, minute = int(match.group(1)), int(match.group(2))
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=VIETNAM)


def start_of_day(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=VIETNAM)


def today() -> date:
    """The publishing date: BINHDAN_TODAY (YYYY-MM-DD) when set, for reproducible builds."""
    fixed = os.environ.get("BINHDAN_TODAY")
    if fixed:
        return parse_date(fixed)
    return datetime.now(VIETNAM).date()
