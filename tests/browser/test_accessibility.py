"""WCAG 2.2 AA checks with axe-core in a real browser, on the demo newsroom's pages."""

from __future__ import annotations

import pytest

from tests.a11y_pages import NODE_MODULES, expected_status, load_demo_newsroom, public_pages

AXE = NODE_MODULES / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def axe_path():
    if not AXE.exists():
        pytest.skip("axe-core is not installed: run `npm ci` (make test does when npm exists)")
    return AXE


def describe(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        targets = [", ".join(node["target"]) for node in violation["nodes"][:3]]
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']} {targets}")
    return "\n".join(lines)


# Both widths in one test: the live server needs the demo committed, so a test cannot
# share it with another, and building it takes longer than checking the pages.
VIEWPORTS = [{"width": 1280, "height": 900}, {"width": 390, "height": 844}]


def test_public_pages_have_no_wcag_violations(chromium, live_server, axe_path):
    load_demo_newsroom()
    pages = public_pages()
    failures = {}
    for viewport in VIEWPORTS:
        # axe-core goes in as an inline script, which the site's Content-Security-Policy
        # refuses; the policy itself is tested in test_content_security_policy.py.
        page = chromium.new_page(viewport=viewport, bypass_csp=True)
        for name, path in pages.items():
            where = f"{name} at {viewport['width']}px"
            response = page.goto(live_server.url + path)
            assert response.status == expected_status(name), where
            page.add_script_tag(path=str(axe_path))
            result = page.evaluate(
                "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_TAGS
            )
            assert result["passes"], f"axe checked nothing on {where}"
            if result["violations"]:
                failures[where] = describe(result["violations"])
        page.close()
    assert not failures, "\n\n".join(f"{where}:\n{text}" for where, text in failures.items())
