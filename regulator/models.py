"""Rulebooks, assessments and publications arrive with the scoring issue (DESIGN §3, §4.1)."""
