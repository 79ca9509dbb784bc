"""Signals other apps listen to, so this lower layer never imports them."""

from django.dispatch import Signal

# Sent after a filing version is accepted, once the transaction commits. Arguments: filing.
filing_accepted = Signal()
