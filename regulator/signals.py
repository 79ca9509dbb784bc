"""Signals other apps listen to, so this layer never imports them."""

from django.dispatch import Signal

# Sent once an assessment is final, after the transaction commits. Arguments: assessment.
assessment_finalised = Signal()
