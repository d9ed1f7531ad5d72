import pytest


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """`with committed():` runs what the code queued for after commit (e-mails, tasks),
    as a real request's commit would."""
    return lambda: django_capture_on_commit_callbacks(execute=True)
