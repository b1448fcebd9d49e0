"""西市区 2025: the four streets and towns screened 4125 disputes and resolved 4122 (化解率 99%), 2216.1
per 100,000 residents — first of the city's districts, whose totals (entered for the city) are below."""

from __future__ import annotations

import datetime as dt

from fazhi.datasets.demo import demo_done, demo_report

DATASET = "dispute_screening"
XS_2025 = [("西城街道", 1210, 1210), ("河东街道", 1098, 1097), ("滨港街道", 964, 963), ("清河镇", 853, 852)]
# (district, screened, resolved): per 100,000 residents 1699.4, 1619.6, 1749.3 and 1028.6 (core/demo.py)
PEERS_2025 = [("南台区", 5380, 5302), ("北山区", 4010, 3968), ("清源县", 4720, 4688), ("新河县", 3120, 3096)]


def demo_build(ctx) -> int:
    if demo_done(DATASET):
        return 0
    admin = ctx.users["xs_admin"]
    entered = 0
    for name, screened, resolved in XS_2025:
        entered += demo_report(
            dataset=DATASET, unit=ctx.unit("西市区", name), period_start=dt.date(2025, 1, 1), entered_by=admin,
            approver=admin, values={("screened", None): screened, ("resolved", None): resolved},
            submitted_on=dt.date(2026, 1, 12), approved_on=dt.date(2026, 1, 14),
        )
    city_staff = ctx.users["admin"]  # the demo has no city users; the city's office enters the other totals
    for name, screened, resolved in PEERS_2025:
        entered += demo_report(
            dataset=DATASET, unit=ctx.peers[name], period_start=dt.date(2025, 1, 1), entered_by=city_staff,
            approver=city_staff, values={("screened", None): screened, ("resolved", None): resolved},
            submitted_on=dt.date(2026, 1, 15), approved_on=dt.date(2026, 1, 16),
        )
    return entered
