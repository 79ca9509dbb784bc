"""The regulator app's pages, one module per concept: home.py (every role's home page), registrations.py,
companies.py, staff.py, filings.py (the review queue), assessments.py, rulebooks.py and public.py."""
