"""The production path for renditions: Redis as the broker and a real `celery -A newsroom
worker` (as docs/deployment.md starts it). A library image saved in another
process (a web worker, here `manage.py shell`) leaves the renditions to the worker, which
writes them all. Skipped when redis-server is not installed."""

from __future__ import annotations

import json
import os
import time

from tests.newsletters.servers import manage
from tests.newsletters.test_worker import redis, wait_until, worker  # noqa: F401 -- fixture

SAVE_A_STORY = """
import io, json
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image as Picture
from background.renditions import rendition_fields
from library.models import Image
buffer = io.BytesIO()
Picture.new("RGB", (1600, 900), (10, 120, 200)).save(buffer, "JPEG")
image = Image.objects.create(alt_text="Boats",
    file=SimpleUploadedFile("harbour.jpg", buffer.getvalue()))
names = [getattr(image, name).name for name in rendition_fields(Image, "file")]
made = [name for name in names if image.file.storage.exists(name)]
print(json.dumps({"renditions": names, "made_by_the_saving_process": made}))
"""


def test_a_worker_makes_the_renditions_of_an_image_saved_elsewhere(tmp_path, redis):  # noqa: F811
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("NEWSROOM_", "DATABASE", "EMAIL", "CELERY", "REDIS"))
    }
    media = tmp_path / "media"
    env.update(
        DEBUG="true",
        DATABASE_URL=f"sqlite:///{tmp_path / 'worker.sqlite3'}",
        MEDIA_ROOT=str(media),
        CELERY_BROKER_URL=redis.url(),
        LOG_LEVEL="WARNING",
    )
    migrate = manage(env, "migrate", "--noinput", "-v0")
    assert migrate.wait(timeout=120) == 0, migrate.stderr.read()

    # Saved while no worker runs: the saving process makes no rendition itself.
    save = manage(env, "shell", "-c", SAVE_A_STORY)
    out, err = save.communicate(timeout=120)
    assert save.returncode == 0, err
    result = json.loads(out.strip().splitlines()[-1])
    assert len(result["renditions"]) >= 8
    assert result["made_by_the_saving_process"] == []
    time.sleep(0.5)
    assert not any((media / name).exists() for name in result["renditions"])

    running = worker(env, "renditions", tmp_path)
    try:
        wait_until(
            lambda: all((media / name).is_file() for name in result["renditions"]),
            60,
            f"the worker made no renditions: {(tmp_path / 'renditions.log').read_text()}",
        )
    finally:
        running.terminate()
        running.wait(timeout=20)
