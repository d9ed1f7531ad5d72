"""Every public page is valid HTML according to the Nu HTML Checker (vnu-jar, run with Java)."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest

from tests.a11y_pages import NODE_MODULES, add_a_correction, expected_status, public_pages

VNU = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"
JAVA_OPTIONS = ["-Xss4m", "-XX:TieredStopAtLevel=1"]

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def vnu():
    # Module-scoped and requested before the demo, so a missing checker skips before the
    # demo is built.
    if not VNU.exists():
        pytest.skip("vnu-jar is not installed: run `npm ci` (make test does when npm exists)")
    if shutil.which("java") is None:
        pytest.skip("Java is needed to run the Nu HTML Checker")
    return VNU


def test_public_pages_are_valid_html(vnu, demo_newsroom, client, tmp_path):
    add_a_correction()
    files = {}
    for name, path in public_pages().items():
        response = client.get(path)
        assert response.status_code == expected_status(name), path
        file = tmp_path / f"{name}.html"
        file.write_bytes(response.content)
        files[str(file)] = name
    # The checker runs once, for seconds: the quick JIT tier alone starts it several seconds
    # sooner than the default tiers, with the same messages. The stack size is the
    # checker's own advice (its schema code recurses deeply).
    command = ["java", *JAVA_OPTIONS, "-jar", str(vnu), "--errors-only", "--format", "json"]
    result = subprocess.run(  # noqa: S603 -- fixed arguments, our own files
        [*command, "--stdout", *files],
        capture_output=True,
        text=True,
        timeout=240,
    )
    messages = json.loads(result.stdout or "{}").get("messages", [])
    errors = [
        f"{files.get(m.get('url', '').removeprefix('file:'), m.get('url'))}:{m.get('lastLine')}: "
        f"{m['message']} [{m.get('extract', '').strip()}]"
        for m in messages
        if m.get("type") == "error"
    ]
    assert result.returncode == 0 or errors, result.stderr
    assert not errors, "\n".join(errors)
