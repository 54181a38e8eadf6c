"""What every answer reader returns: a value with its evidence and how sure it is, or why there is none."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

UNREADABLE, FUTURE, AMBIGUOUS = "unreadable", "future", "ambiguous"
#: A number that cannot be the answer (an age of 150, of 12): re-asked as implausible, not as unreadable.
OUT_OF_RANGE = "out_of_range"
#: "ok, it's gone, let's continue": the person wants to go on, and has not answered yet. Ask again.
RESUME = "resume"
#: Why a reading must be confirmed before it is taken (``Parsed.confirm``). The value is the proposal.
#: SIGN: a T-score typed without its minus ("2.5"): the proposal is negative.
#: POSITIVE: a positive lowest T-score, rare in people who may join.
#: UNIT: a lab value whose unit decides the criterion (vitamin D 20-50 without a unit): ng/mL or nmol/L?
#: IMPLAUSIBLE: a duration that is possible but unlikely for the person's age.
#: INFERRED: a value worked out rather than read (an age from a year of birth, a misspelt word).
SIGN, POSITIVE, UNIT, IMPLAUSIBLE, INFERRED = "sign", "positive", "unit", "implausible", "inferred"
CONFIRM_REASONS = (SIGN, POSITIVE, UNIT, IMPLAUSIBLE, INFERRED)


@dataclass(frozen=True)
class Parsed:
    """One reading of an answer: a value, "don't know", or a problem; with how sure it is and why."""

    value: Any = None
    dont_know: bool = False
    #: Why the answer could not be used (UNREADABLE, FUTURE, AMBIGUOUS), if it could not.
    problem: str | None = None
    #: Why the value must be confirmed before it decides anything (a CONFIRM_REASONS entry), if it must.
    confirm: str | None = None
    #: The words the value was read from ("-2.5", "since 2010"): what the echo and a reviewer see.
    evidence: str = ""
    #: Other questions the same words answer ("yes, the last one in March 2024" to a gate: its date).
    also: Mapping[str, Any] = field(default_factory=dict)

    @property
    def understood(self) -> bool:
        return self.problem is None

    @property
    def confidence(self) -> float:
        """1 for a value taken as read, 0.5 for one to confirm first, 0 for no value."""
        if not self.understood:
            return 0.0
        return 0.5 if self.confirm else 1.0


DONT_KNOW = Parsed(dont_know=True)


def not_understood(problem: str = UNREADABLE) -> Parsed:
    return Parsed(problem=problem)
