"""Who may do what in the penalties app: the one place that answers it (the staff are defined in core.roles).

Analysts propose cases and draft notices; a supervisor who did not draft a notice approves and issues it,
records its outcome, and publishes new escalation policy versions.
"""

from __future__ import annotations

from core import roles
from core.roles import ANALYST, SUPERVISOR, Decision

RUN_ESCALATION = Decision("penalties.run_escalation", "Only the regulator's analysts propose penalty cases.")
DRAFT_NOTICE = Decision("penalties.draft_notice", "Only the regulator's analysts draft notices.")
ISSUE_NOTICE = Decision("penalties.issue_notice", "Only a supervisor approves and issues notices.")
RECORD_OUTCOME = Decision("penalties.record_outcome", "Only a supervisor records a notice's outcome.")
EDIT_POLICY = Decision("penalties.edit_policy", "Only a supervisor edits the escalation policy.")

ANALYST_PERMISSIONS = ["penalties.view_penaltycase", "penalties.view_escalationpolicy", RUN_ESCALATION.codename,
                       DRAFT_NOTICE.codename]
roles.grant(ANALYST, ANALYST_PERMISSIONS)
roles.grant(SUPERVISOR, [*ANALYST_PERMISSIONS, ISSUE_NOTICE.codename, RECORD_OUTCOME.codename, EDIT_POLICY.codename])
