"""Every write of the penalties app, one module per concept: escalation.py (proposing cases)."""
