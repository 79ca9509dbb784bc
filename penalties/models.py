"""Escalation policies, penalty cases and fine notices arrive with the penalties issue (DESIGN §3, §4.3)."""
