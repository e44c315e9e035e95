"""`report <network>` comes with a PNG chart per month, and the chart hides what the
small-number rule hides in the text report."""

from __future__ import annotations

import io
import threading
from datetime import UTC, datetime, timedelta

import pytest
from PIL import Image

from bot.app import Application
from bot.small_numbers import SmallNumbers
from handlers.sessions import chart_png
from handlers.sessions.chart_png import figure, png
from handlers.sessions.report_chart import Month, chart_data
from storage.models import NetworkSession
from storage.repositories.registrations import PlaceCounts
from tests.conftest import say_one
from tests.support.sessions import add_session

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
RULE = SmallNumbers(5)


def _session(session_id: int, starts: datetime, kind: str = "training") -> NetworkSession:
    return NetworkSession(
        id=session_id,
        network_id=1,
        title=f"Session {session_id}",
        kind=kind,
        starts_at=starts,
        duration_minutes=60,
        location="",
        description="",
        capacity=None,
        invite_only=False,
        created_at=starts,
    )


JAN, FEB, MAR = (datetime(2026, month, 10, 12, tzinfo=UTC) for month in (1, 2, 3))


def test_a_month_holding_a_small_count_is_not_drawn_as_a_number() -> None:
    sessions = [_session(1, JAN), _session(2, JAN), _session(3, FEB), _session(4, MAR, "webinar")]
    counts = {
        1: PlaceCounts(registered=12, attended=9),
        2: PlaceCounts(registered=7, attended=6),
        # The text report says "fewer than 5" for these: the chart must not give them away.
        3: PlaceCounts(registered=3, attended=2),
        4: PlaceCounts(registered=8, attended=5),
    }
    data = chart_data("Pride Network: per month", sessions, counts, [], UTC, RULE)
    assert [m.label for m in data.months] == ["Jan 2026", "Feb 2026", "Mar 2026"]
    registrations, attendance, trained = data.series
    assert registrations.values == (19, None, 8)
    assert attendance.values == (15, None, 5)
    assert trained.values == (None, None, 0)  # nobody trained: hidden where training ran

    chart = figure(data)
    drawn = {
        round(bar.get_height())
        for ax in chart.axes
        for bar in ax.patches
        if bar.get_gid() == "shown"
    }
    assert 3 not in drawn and 2 not in drawn
    texts = [text.get_text() for ax in chart.axes for text in ax.texts]
    assert "3" not in texts and "2" not in texts
    assert "19" in texts and "<5" in texts


def test_hidden_months_of_people_trained_never_add_up_to_a_small_number() -> None:
    sessions = [_session(1, JAN), _session(2, FEB), _session(3, MAR)]
    counts = {1: PlaceCounts(6, 0, 6), 2: PlaceCounts(6, 0, 2), 3: PlaceCounts(9, 0, 7)}
    firsts = [JAN] * 6 + [FEB] * 2 + [MAR] * 7
    data = chart_data("x", sessions, counts, firsts, UTC, RULE)
    # Feb's 2 is hidden; the total (15) is in the text report, so 15 - 6 - 7 would give it
    # away: the smallest month drawn (Jan's 6) is hidden as well.
    assert data.series[2].values == (None, None, 7)


def test_a_small_total_of_people_trained_hides_every_month() -> None:
    sessions = [_session(1, JAN), _session(2, FEB)]
    data = chart_data("x", sessions, {}, [JAN, FEB, FEB], UTC, RULE)
    assert data.series[2].values == (None, None)


def test_months_are_counted_in_the_configured_zone() -> None:
    late = datetime(2026, 1, 31, 23, 30, tzinfo=UTC)
    assert Month.of(late, UTC).label == "Jan 2026"
    from zoneinfo import ZoneInfo

    assert Month.of(late, ZoneInfo("Europe/Berlin")).label == "Feb 2026"


async def test_report_comes_with_a_png_chart(app: Application) -> None:
    for days in (3, 40):
        session_id = await add_session(app, starts_in=timedelta(days=days))
        for person in ("ana", "ben", "cat", "dev", "eli", "fay")[: 6 if days == 3 else 2]:
            await say_one(app, f"register {session_id}", user=person)
    report = await say_one(app, "report pride", user="alex")
    [chart] = report.attachments
    assert chart.filename == "report-pride.png" and chart.content_type == "image/png"
    assert isinstance(chart.content, bytes) and chart.content.startswith(PNG_MAGIC)
    with Image.open(io.BytesIO(chart.content)) as image:
        image.verify()
        assert image.format == "PNG" and image.size[0] >= 600
    assert "attached chart" in (report.context or "")


async def test_the_chart_is_drawn_off_the_event_loop(
    app: Application, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Drawing takes a good part of a second; on the loop's thread it would stop every other
    request and the scheduler meanwhile."""
    drawn_on: list[int] = []
    real_figure = chart_png.figure

    def recording_figure(data: chart_png.ChartData) -> chart_png.Figure:
        drawn_on.append(threading.get_ident())
        return real_figure(data)

    monkeypatch.setattr(chart_png, "figure", recording_figure)
    session_id = await add_session(app, starts_in=timedelta(days=3))
    await say_one(app, f"register {session_id}", user="ana")
    report = await say_one(app, "report pride", user="alex")
    [chart] = report.attachments
    assert isinstance(chart.content, bytes) and chart.content.startswith(PNG_MAGIC)
    assert drawn_on and threading.get_ident() not in drawn_on


def test_the_png_is_a_picture_of_the_chart() -> None:
    sessions = [_session(1, JAN), _session(2, FEB)]
    data = chart_data("x", sessions, {1: PlaceCounts(20, 0, 10)}, [JAN] * 10, UTC, RULE)
    picture = png(data)
    with Image.open(io.BytesIO(picture)) as image:
        assert image.format == "PNG"
