import pytest


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """`with committed():` runs what the code queued for after commit (e-mails, tasks),
    as a real request's commit would."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture(autouse=True)
def general_newsletters(request):
    """The daily, weekly and breaking newsletters the migration makes: a transactional
    test elsewhere empties every table, so they are made again when missing."""
    if "db" not in request.fixturenames and not request.node.get_closest_marker("django_db"):
        return
    from newsletters.models import Newsletter

    for kind, name, slug in [
        ("daily", "Daily digest", "daily-digest"),
        ("weekly", "Weekly digest", "weekly-digest"),
        ("breaking", "Breaking news", "breaking-news"),
    ]:
        Newsletter.objects.get_or_create(kind=kind, defaults={"name": name, "slug": slug})


@pytest.fixture
def mailbox():
    """A real SMTP server (aiosmtpd); `mailbox.recipients` lists whom it accepted mail for."""
    from tests.newsletters.servers import SMTPServer

    with SMTPServer() as box:
        yield box
