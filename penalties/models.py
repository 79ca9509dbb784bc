"""Escalation policies, penalty cases and fine notices arrive with the penalties issue (docs/DESIGN.md §3, §4.3)."""
