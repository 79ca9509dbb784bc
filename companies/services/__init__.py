"""Every write about companies lives in this package, one module per concept:

- registrations.py: a platform's request to register, approved or rejected by a supervisor;
- members.py: invitations and memberships;
- periods.py: the reporting quarters;
- filings.py: drafts, the narrative, submission and review (drafts.py: the locked draft they share);
- uploads.py: files and API batches that fill a draft;
- api_keys.py: integration keys;
- reminders.py: deadline reminders.

Views, the API, tasks and commands call these functions; nothing else writes.
"""
