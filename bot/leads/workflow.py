"""The coordinator's status workflow for a lead."""

from __future__ import annotations

from enum import Enum


class LeadStatus(str, Enum):
    NEW = "new"
    CONTACTED = "contacted"
    SCHEDULED = "scheduled"
    ENROLLED = "enrolled"
    NOT_ELIGIBLE = "not_eligible"
    WITHDRAWN = "withdrawn"


# new -> contacted -> scheduled -> enrolled | not_eligible | withdrawn.
# A person may withdraw, or be found not eligible, at any step before the end;
# an enrolled person can still withdraw (taking part is voluntary).
TRANSITIONS: dict[LeadStatus, frozenset[LeadStatus]] = {
    LeadStatus.NEW: frozenset({LeadStatus.CONTACTED, LeadStatus.NOT_ELIGIBLE, LeadStatus.WITHDRAWN}),
    LeadStatus.CONTACTED: frozenset({LeadStatus.SCHEDULED, LeadStatus.NOT_ELIGIBLE, LeadStatus.WITHDRAWN}),
    LeadStatus.SCHEDULED: frozenset({LeadStatus.ENROLLED, LeadStatus.NOT_ELIGIBLE, LeadStatus.WITHDRAWN}),
    LeadStatus.ENROLLED: frozenset({LeadStatus.WITHDRAWN}),
    LeadStatus.NOT_ELIGIBLE: frozenset(),
    LeadStatus.WITHDRAWN: frozenset(),
}


class TransitionError(ValueError):
    """A status change the workflow does not allow."""


def check_transition(current: str, new: str) -> LeadStatus:
    """Return the new status, or raise ``TransitionError`` naming what is allowed."""
    try:
        source, target = LeadStatus(current), LeadStatus(new)
    except ValueError:
        raise TransitionError(
            f"unknown status {new!r}; statuses are {', '.join(s.value for s in LeadStatus)}"
        ) from None
    if target not in TRANSITIONS[source]:
        allowed = ", ".join(sorted(s.value for s in TRANSITIONS[source])) or "none (final status)"
        raise TransitionError(f"cannot go from {source.value} to {target.value}; allowed: {allowed}")
    return target
