"""Image renditions are made by a task on the queue, not in the request that saved the image.

imagekit calls a *cache-file strategy* when an original image is saved
(IMAGEKIT_DEFAULT_CACHEFILE_STRATEGY). `MadeByTheQueue` answers by queueing one
`background.make_renditions` task per saved image field, once the transaction that saved
it has committed (before that, a worker could not see the row, and a rolled-back upload
needs no renditions). The task finds the row again and writes every rendition of that
field that is not in storage yet.

Without a broker (`make run`, the tests) the task runs in-process at once, so the quick
start needs no worker. Pages never make or look for a rendition
file: a rendition's URL follows from its original's name and its spec alone
(`should_verify_existence` is False). Between an upload and the worker's run, a reader may
briefly meet a picture that is not there yet; the story itself never waits for it.
"""

from __future__ import annotations

import logging

from celery import shared_task
from django.apps import apps
from django.db import transaction
from imagekit.models.fields.utils import ImageSpecFileDescriptor
from PIL.Image import DecompressionBombError, UnidentifiedImageError

logger = logging.getLogger(__name__)


class MadeByTheQueue:
    """An imagekit cache-file strategy: renditions are queued when their original is saved."""

    def on_source_saved(self, file) -> None:
        source = getattr(file.generator, "source", None)
        instance = getattr(source, "instance", None)
        if not source or instance is None or instance.pk is None:
            return
        queue_renditions(instance, source.field.attname, source.name)

    def should_verify_existence(self, file) -> bool:
        return False


def queue_renditions(instance, field_name: str, file_name: str) -> None:
    # imagekit calls the strategy once per rendition of a field (a lead image has five);
    # one task makes them all, so a saved file is queued once (marked on the instance).
    key = (instance._meta.label_lower, instance.pk, field_name, file_name)
    queued = instance.__dict__.setdefault("_renditions_queued", set())
    if key in queued:
        return
    queued.add(key)

    if make_renditions.app.conf.task_always_eager:
        # No broker: the task runs here and now, on this connection, which sees the row
        # already (under `make run`, and in tests, whose transactions never commit).
        make_renditions.delay(*key)
        return

    def send() -> None:
        make_renditions.delay(*key)

    # robust: a broker that is down costs the pictures (`manage.py generateimages` makes
    # them later), never the saved story.
    transaction.on_commit(send, robust=True)


def rendition_fields(model, field_name: str) -> list[str]:
    """The names of `model`'s renditions (ImageSpecFields) made from the image `field_name`."""
    return [
        name
        for klass in model.__mro__
        for name, value in vars(klass).items()
        if isinstance(value, ImageSpecFileDescriptor) and value.source_field_name == field_name
    ]


def make_renditions_now(instance, field_name: str) -> int:
    """Write each rendition of `instance.<field_name>` that storage does not hold; how many
    were written. Raises OSError (and Pillow's errors) for an original that cannot be read."""
    if not getattr(instance, field_name):
        return 0
    made = 0
    for name in rendition_fields(type(instance), field_name):
        rendition = getattr(instance, name)
        if not rendition.storage.exists(rendition.name):
            rendition.generate(force=True)
            made += 1
    return made


@shared_task(
    name="background.make_renditions",
    autoretry_for=(OSError,),
    max_retries=3,
    retry_backoff=10,
    retry_backoff_max=120,
)
def make_renditions(model_label: str, pk, field_name: str, file_name: str) -> int:
    """Make the renditions of one saved image. Run again, it only makes what is missing."""
    model = apps.get_model(model_label)
    instance = model._default_manager.filter(pk=pk).first()
    if instance is None:  # deleted since: nothing to show, nothing to make
        return 0
    source = getattr(instance, field_name)
    if source.name != file_name:  # replaced since: the newer file queued its own task
        return 0
    try:
        return make_renditions_now(instance, field_name)
    except (UnidentifiedImageError, DecompressionBombError, ValueError, SyntaxError) as error:
        # Pillow's words for a damaged original: retrying will not mend it (an OSError
        # such as storage out of reach is retried). Reported on the desk (Failed tasks)
        # like any task that failed for good.
        raise RenditionFailed(f"{model_label} {pk}: {file_name}: {error}") from error


class RenditionFailed(Exception):
    pass
