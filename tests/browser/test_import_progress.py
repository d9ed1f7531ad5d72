"""The desk's WordPress import page follows a running import and shows its summary."""

from __future__ import annotations

import pytest

from tests.factories import TEST_PASSWORD, make_superuser
from wordpress.models import ImportRun

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_progress_page_updates_itself_until_the_import_ends(live_server, new_page, log_in):
    chief = make_superuser(username="chief")
    run = ImportRun.objects.create(
        source_name="big.xml", export_path="/nonexistent", status="running", total=400,
        done=10, unit="items", created_by=chief,
    )  # fmt: skip
    page = new_page()
    log_in(page, "chief", TEST_PASSWORD)
    page.goto(f"{live_server.url}/admin/wordpress/importeditem/import/{run.pk}/")
    page.locator("#import-status", has_text="10 of 400 items").wait_for()
    ImportRun.objects.filter(pk=run.pk).update(done=250)
    page.locator("#import-status", has_text="250 of 400 items").wait_for()
    assert page.locator("#import-progress").get_attribute("value") == "250"
    ImportRun.objects.filter(pk=run.pk).update(
        status="done", done=400, summary_html="<p id='summary'>Imported: 400 items.</p>"
    )
    page.locator("#summary", has_text="Imported: 400 items.").wait_for()
    assert page.locator("#import-progress").count() == 0
