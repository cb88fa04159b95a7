import pytest


@pytest.fixture
def post(client, django_capture_on_commit_callbacks):
    """POST through the test client, running on-commit callbacks (the SMS send) as a real commit would."""

    def _post(url, data=None, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(url, data or {}, **kwargs)

    return _post
