"""Company-side pages, one module per concept: registration.py (asking to register, accepting an invitation),
members.py, filings.py (the filing format, a company's filings), uploads.py (progress and error reports) and
api_keys.py."""
