"""Every simulated route, gathered from the per-area modules (paths relative to /api/v1)."""

from __future__ import annotations

from ..routing import Route
from . import approvals, discovery, holidays, scheduling, time_entries, time_off

__all__ = ["ROUTES"]

ROUTES: tuple[Route, ...] = (
    *discovery.ROUTES,
    *time_entries.ROUTES,
    *approvals.ROUTES,
    *time_off.ROUTES,
    *holidays.ROUTES,
    *scheduling.ROUTES,
)
