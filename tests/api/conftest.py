import pytest
from rest_framework.test import APIClient


@pytest.fixture
def api():
    """``api(account)``: a client logged in by session as ``account`` (anonymous if None)."""

    def client_for(account=None) -> APIClient:
        client = APIClient()
        if account is not None:
            client.force_login(account)
        return client

    return client_for
