"""The demo newsroom's gallery: three pictures drawn like the demo's lead images
(articles/demo/pictures.py, nothing is downloaded), placed in the footbridge story.

Built after `manage.py load_demo` builds the stories (articles' demo_built signal) and
removed before `load_demo --reset` deletes them (demo_removing). It is found again by
its title and its pictures' titles, so a reset never touches a gallery of the desk's.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models.deletion import ProtectedError
from django.dispatch import receiver

from articles.signals import demo_built, demo_removing

GALLERY_TITLE = "The footbridge's first morning"
GALLERY_CAPTION = "Illustrations drawn for the demo newsroom."
STORY_SLUG = "calder-river-footbridge-reopens"
# (seed, motif, colours, title, caption): drawn with the lead images' motifs.
PICTURES = [
    ("footbridge-gallery-1", "river", ("sage", "teal"), "Footbridge: the river at dawn",
     "The Calder at first light, before the ribbon was cut."),
    ("footbridge-gallery-2", "skyline", ("navy", "amber"), "Footbridge: downtown from the span",
     "Downtown's steeple and water tower, seen from the middle of the bridge."),
    ("footbridge-gallery-3", "sun", ("rust", "gold"), "Footbridge: the east landing",
     "The Saturday market set up on the east landing."),
]  # fmt: skip
# Smaller than a lead image (a grid shows them at most 480 pixels wide), so loading the
# demo, which makes a dozen renditions of each picture, stays quick.
PICTURE_SIZE = (720, 450)


def _demo_images():
    from library.models import Image

    return Image.objects.filter(title__in=[title for _, _, _, title, _ in PICTURES])


def remove_demo(**kwargs) -> None:
    from articles.demo.builder import DemoBuilder
    from library.media import Gallery

    titles = {title for _, _, _, title, _ in PICTURES}
    galleries = [
        gallery
        for gallery in Gallery.objects.filter(title=GALLERY_TITLE).prefetch_related("items__image")
        if {item.image.title for item in gallery.items.all()} <= titles
    ]
    for gallery in galleries:
        gallery.delete()
    files = []
    for image in _demo_images():
        try:
            with transaction.atomic():
                image.delete()
        except ProtectedError:
            continue  # used outside the demo: kept
        files.append((image.file.storage, image.file.name))
    transaction.on_commit(lambda: DemoBuilder._delete_files(files))


def build_demo(*, content=None, log=None, **kwargs) -> None:
    from articles.demo.pictures import describe_lead_image, draw_lead_image, jpeg
    from articles.models import Story
    from library.media import Gallery, GalleryImage
    from library.models import Image

    story = Story.objects.filter(slug=STORY_SLUG).first()
    if story is None or "[gallery " in story.body:
        return  # not the demo's story, or it has its gallery already
    credit = getattr(content, "image_credit", "")
    written = []
    try:
        gallery = Gallery.objects.create(title=GALLERY_TITLE, caption=GALLERY_CAPTION)
        for position, (seed, motif, (first, second), title, caption) in enumerate(PICTURES):
            picture = draw_lead_image(seed, motif, first, second).resize(PICTURE_SIZE)
            image = Image(
                title=title,
                alt_text=describe_lead_image(motif, first, second),
                caption=caption,
                credit=credit,
            )
            image.file.save(f"{seed}.jpg", jpeg(picture), save=False)
            written.append((image.file.storage, image.file.name))
            image.save()
            GalleryImage.objects.create(gallery=gallery, image=image, position=position)
    except BaseException:
        from articles.demo.builder import DemoBuilder

        DemoBuilder._delete_files(written)
        raise
    # After the story's first paragraph, as an editor would place it.
    first, sep, rest = story.body.partition("</p>")
    story.body = f"{first}{sep}<p>{gallery.placement}</p>{rest}"
    story.save(update_fields=["body"])
    if log:
        log(f"  Gallery: {len(PICTURES)} pictures in “{story.headline}”")


@receiver(demo_built)
def build_demo_gallery(sender, **kwargs) -> None:
    build_demo(**kwargs)


@receiver(demo_removing)
def remove_demo_gallery(sender, **kwargs) -> None:
    remove_demo(**kwargs)
