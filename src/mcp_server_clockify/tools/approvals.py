"""Approvals: list approval requests, submit and resubmit timesheets (your own or a user's), approve or reject."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from ..registry import Operation
from ..types import Args, DateTime, Id, PageSize
from ._common import OptSortOrder, PageArg, UserId, WorkspaceId, page_size_field

PeriodStart = Annotated[
    DateTime,
    Field(description="First day of the period, e.g. 2026-11-23."),
]
OptPeriod = Annotated[
    Literal["WEEKLY", "SEMI_MONTHLY", "MONTHLY"] | None,
    Field(description="Must equal the workspace's approval period."),
]


class GetApprovalRequests(Args):
    workspaceId: WorkspaceId
    status: Annotated[
        Literal["PENDING", "APPROVED", "WITHDRAWN_APPROVAL"] | None, Field(description="Only requests in this state.")
    ] = None
    sort_column: Annotated[
        Literal["ID", "USER_ID", "START", "UPDATED_AT"] | None,
        Field(alias="sort-column", description="Sort by this column."),
    ] = None
    sort_order: Annotated[OptSortOrder, Field(alias="sort-order")] = None
    page: PageArg = None
    page_size: PageSize | None = page_size_field(50)


class SubmitApproval(Args):
    workspaceId: WorkspaceId
    period: OptPeriod = None
    periodStart: PeriodStart


class SubmitApprovalForOther(SubmitApproval):
    userId: UserId


class UpdateApprovalStatus(Args):
    workspaceId: WorkspaceId
    approvalRequestId: Annotated[
        Id, Field(description="Approval request id (approvalRequest.id from get_approval_requests).")
    ]
    note: Annotated[str | None, Field(description="Note shown with the new state (e.g. why it was rejected).")] = None
    state: Annotated[
        Literal["PENDING", "APPROVED", "WITHDRAWN_SUBMISSION", "WITHDRAWN_APPROVAL", "REJECTED"],
        Field(description="New state of the request."),
    ]


OPERATIONS = [
    Operation(
        name="get_approval_requests",
        title="Get approval requests",
        description=(
            "List approval requests (submitted timesheets) with totals, entries and expenses. Items are "
            "large: use a small page-size."
        ),
        model=GetApprovalRequests,
        method="GET",
        path="/workspaces/{workspaceId}/approval-requests",
        read_only=True,
    ),
    Operation(
        name="create_apprroval_request",
        title="Submit an approval request",
        description=(
            "Submit your time (and expenses) of one approval period for approval. The name's typo is "
            "Clockify's own operation id."
        ),
        model=SubmitApproval,
        method="POST",
        path="/workspaces/{workspaceId}/approval-requests",
    ),
    Operation(
        name="create_approval_for_other",
        title="Submit an approval request for a user",
        description="Submit a user's time of one approval period for approval (admin or manager rights).",
        model=SubmitApprovalForOther,
        method="POST",
        path="/workspaces/{workspaceId}/approval-requests/users/{userId}",
    ),
    Operation(
        name="resubmit_approval_request",
        title="Resubmit entries for approval",
        description="Add your rejected or withdrawn entries/expenses to the period's existing approval request.",
        model=SubmitApproval,
        method="POST",
        path="/workspaces/{workspaceId}/approval-requests/resubmit-entries-for-approval",
        idempotent=True,
    ),
    Operation(
        name="resubmit_approval_request_for_other",
        title="Resubmit a user's entries for approval",
        description=(
            "Add a user's rejected or withdrawn entries/expenses to the period's approval request (admin or "
            "manager rights)."
        ),
        model=SubmitApprovalForOther,
        method="POST",
        path="/workspaces/{workspaceId}/approval-requests/users/{userId}/resubmit-entries-for-approval",
        idempotent=True,
    ),
    Operation(
        name="update_approval_status",
        title="Approve, reject or withdraw an approval request",
        description=(
            "Set an approval request's state: APPROVED or REJECTED (approvers), WITHDRAWN_SUBMISSION (the "
            "submitter), WITHDRAWN_APPROVAL (undo an approval) or PENDING."
        ),
        model=UpdateApprovalStatus,
        method="PATCH",
        path="/workspaces/{workspaceId}/approval-requests/{approvalRequestId}",
        destructive=True,
        idempotent=True,
    ),
]
