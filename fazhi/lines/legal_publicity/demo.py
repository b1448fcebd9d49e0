"""Demo reports of 普法宣传: 东洲区 2024 spread over its units so that the district adds up to the
figures of its 2024 report (185 events by venue, 11000 materials, 12000 people, 230 consultations,
2153 new-media posts read 105万 times), and 西市区 2025 (21 events, 5000 materials, 2000 people,
51 short videos). Some units report late, one stays a draft and several never report."""

from __future__ import annotations

import datetime as dt

from fazhi.datasets.demo import demo_done, demo_report

DATASET = "legal_publicity"
VENUES = ("community", "village", "enterprise", "school", "agency", "online")


def _values(events: int, venues: tuple[int, ...] | None, materials: int, people: int, **more) -> dict:
    values: dict[tuple[str, str | None], int] = {
        ("events", None): events, ("materials", None): materials, ("people_reached", None): people}
    for venue, count in zip(VENUES, venues or (), strict=False):
        if count:
            values[("events", f"venue={venue}")] = count
    for element, value in more.items():
        values[(element, None)] = value
    return values


def demo_build(ctx) -> int:
    if demo_done(DATASET):
        return 0
    admin, clerk, xs_admin = ctx.users["dz_admin"], ctx.users["hd_clerk"], ctx.users["xs_admin"]
    d = dt.date
    # (unit, values, who enters, submitted on, approved on)
    dongzhou = [
        ("区司法局", _values(139, (40, 30, 13, 6, 12, 38), 8000, 8400, consultations=150, new_media_posts=2153,
                            new_media_reads=1050000, new_media_likes=18000, display_items=65, banners=20, banner_kinds=6, boards=33,
                            showcases=51, booklets=2000, giveaways=900), admin, d(2025, 2, 20), d(2025, 2, 24)),
        ("哈达镇", _values(18, (6, 12), 1200, 1300, consultations=30), clerk, d(2025, 2, 26), d(2025, 2, 28)),
        ("章党镇", _values(14, (4, 10), 900, 1000, consultations=20), admin, d(2025, 3, 5), d(2025, 3, 6)),
        ("新屯街道", _values(8, (8,), 500, 700, consultations=18), admin, d(2025, 2, 27), None),
        ("搭连街道", _values(6, (6,), 400, 600, consultations=12), admin, None, None),
        ("区营商局", _values(0, None, 0, 0), admin, d(2025, 2, 18), d(2025, 2, 24)),
        ("区审计局", _values(0, None, 0, 0), admin, d(2025, 2, 21), d(2025, 2, 24)),
    ]
    xishi = [
        ("区司法局", {**_values(13, None, 3200, 1300), ("new_media_posts", None): 51, ("themed_events", None): 8,
                      ("new_media_posts", "platform=douyin"): 51}, xs_admin, d(2026, 2, 16), d(2026, 2, 25)),
        ("西城街道", _values(4, None, 1000, 400), xs_admin, d(2026, 2, 26), d(2026, 2, 27)),
        ("河东街道", _values(4, None, 800, 300), xs_admin, d(2026, 3, 3), None),
    ]
    entered = 0
    for district, year, plan in (("东洲区", 2024, dongzhou), ("西市区", 2025, xishi)):
        for unit_name, values, user, submitted_on, approved_on in plan:
            entered += demo_report(
                dataset=DATASET, unit=ctx.unit(district, unit_name), period_start=d(year, 1, 1), values=values,
                entered_by=user, approver=ctx.users["dz_admin" if district == "东洲区" else "xs_admin"],
                submitted_on=submitted_on, approved_on=approved_on,
            )
    return entered
