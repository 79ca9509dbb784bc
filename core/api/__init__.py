"""What every API endpoint of every app shares: the base view (base.py), who may call (permissions.py), the rate
limit (throttling.py), renderers beyond JSON (renderers.py) and how errors are worded (exceptions.py)."""
