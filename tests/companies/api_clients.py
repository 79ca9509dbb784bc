"""Clients of the integration API for tests: a committing DRF client and one that signs in with a key."""

from __future__ import annotations

from django.test import TestCase
from rest_framework.test import APIClient


class CommittingAPIClient(APIClient):
    """tests.conftest.CommittingClient for DRF: ``on_commit`` work of a request runs."""

    def request(self, **kwargs):
        with TestCase.captureOnCommitCallbacks(execute=True):
            return super().request(**kwargs)


def with_key(key: str) -> CommittingAPIClient:
    client = CommittingAPIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Api-Key {key}")
    return client
