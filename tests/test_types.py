"""Argument types: ids, date-times (any offset, local, bare date, now), dates, times of day."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from pydantic import ValidationError

from mcp_server_clockify.registry import Operation
from mcp_server_clockify.types import AccountDateTime, Args, ClockTime, Date, DateTime, Id, NeedsTimezone

BERLIN = ZoneInfo("Europe/Berlin")


class M(Args):
    id: Id | None = None
    at: DateTime | None = None
    wall: AccountDateTime | None = None
    day: Date | None = None
    clock: ClockTime | None = None


OP = Operation(
    name="test",
    title="t",
    description="test tool",
    model=M,
    method="GET",
    path="/x",
)


def sent(args: dict, tz=None, account=None) -> dict:
    return dict(OP.build(M.model_validate(args), tz=tz, account_tz=account).params)


@pytest.mark.parametrize(
    ("given", "wire"),
    [
        ("2026-11-28T09:00:00Z", "2026-11-28T09:00:00Z"),
        ("2026-11-28T09:00:00.123456Z", "2026-11-28T09:00:00Z"),
        ("2026-11-28T10:00:00+01:00", "2026-11-28T09:00:00Z"),
        ("2026-11-28T01:30:00-08:00", "2026-11-28T09:30:00Z"),
        ("2026-11-28T10:00", "2026-11-28T09:00:00Z"),  # local (Berlin, winter)
        ("2026-07-01T10:00:00", "2026-07-01T08:00:00Z"),  # local (Berlin, summer)
        ("2026-11-28", "2026-11-27T23:00:00Z"),  # midnight local
    ],
)
def test_date_time_goes_out_in_utc(given: str, wire: str) -> None:
    assert sent({"at": given}, tz=BERLIN)["at"] == wire


def test_now() -> None:
    before = datetime.now(UTC).replace(microsecond=0)
    value = datetime.strptime(sent({"at": "now"})["at"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    assert before <= value <= datetime.now(UTC)


def test_naive_without_zone_asks_for_one() -> None:
    with pytest.raises(NeedsTimezone):
        sent({"at": "2026-11-28T10:00"})
    assert sent({"at": "2026-11-28T10:00:00Z"}) == {"at": "2026-11-28T10:00:00Z"}


def test_account_wall_clock() -> None:
    assert sent({"wall": "2026-11-28T09:00:00Z"}, account=BERLIN)["wall"] == "2026-11-28T10:00:00Z"
    assert sent({"wall": "2026-11-28"}, tz=BERLIN, account=BERLIN)["wall"] == "2026-11-28T00:00:00Z"
    with pytest.raises(NeedsTimezone):
        sent({"wall": "2026-11-28T09:00:00Z"})


@pytest.mark.parametrize("bad", ["yesterday", "28/11/2026", "2026-13-01", "2026-11-28T25:00", "", 20261128, None, []])
def test_bad_date_times(bad: object) -> None:
    with pytest.raises(ValidationError) as info:
        M.model_validate({"at": bad} if bad is not None else {"at": {}})
    assert info.value.errors()[0]["loc"] == ("at",)


@pytest.mark.parametrize("good", ["5f1d8c2e9a3b4c5d6e7f8a90", "ABCDEF0123456789abcdef01"])
def test_ids(good: str) -> None:
    assert M.model_validate({"id": good}).id == good


@pytest.mark.parametrize(
    "bad",
    [
        "../../x",
        "5f1d8c2e9a3b4c5d6e7f8a9",
        "5f1d8c2e9a3b4c5d6e7f8a90/",
        "zzzzzzzzzzzzzzzzzzzzzzzz",
        5,
        " 5f1d8c2e9a3b4c5d6e7f8a90",
    ],
)
def test_bad_ids(bad: object) -> None:
    with pytest.raises(ValidationError, match="24 hexadecimal"):
        M.model_validate({"id": bad})


def test_dates_and_clock_times() -> None:
    assert sent({"day": "2026-12-25", "clock": "09:30:00"}) == {"day": "2026-12-25", "clock": "09:30:00"}
    for bad in ({"day": "2026-12-25T00:00:00Z"}, {"day": "25.12.2026"}, {"clock": "9:30"}, {"clock": "24:00:00"}):
        with pytest.raises(ValidationError):
            M.model_validate(bad)
