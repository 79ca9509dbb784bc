"""Every write of the regulator app, one module per concept: assessments.py (compute, refresh, rescore,
finalise), overrides.py, notes.py and rulebooks.py."""
