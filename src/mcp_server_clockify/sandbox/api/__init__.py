"""Every simulated route, gathered from the per-area modules (paths relative to /api/v1)."""

from __future__ import annotations

from ..routing import Route
from . import approvals, discovery, holidays, reports, scheduling, time_entries, time_off

__all__ = ["REPORT_ROUTES", "ROUTES"]

ROUTES: tuple[Route, ...] = (
    *discovery.ROUTES,
    *time_entries.ROUTES,
    *approvals.ROUTES,
    *time_off.ROUTES,
    *holidays.ROUTES,
    *scheduling.ROUTES,
)

REPORT_ROUTES: tuple[Route, ...] = tuple(reports.ROUTES)
"""The Reports API's routes (relative to its own base: /v1 on the reports host, or /report/v1)."""
