"""The demo newsroom's gallery, three pictures drawn like the demo's lead images
(articles/demo/pictures.py, nothing is downloaded) placed in the footbridge story, and
an inline picture placed in the body of two river stories (one library image, shown
twice, as the desk reuses photos).

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
# The inline picture, and the stories whose bodies place it after their first paragraph.
INLINE_PICTURE = (
    "river-trail-inline", "river", ("teal", "sage"), "The Calder from the river trail",
    "The river trail follows the Calder for four miles north of downtown.",
)  # fmt: skip
INLINE_STORY_SLUGS = [
    "eagle-scout-bird-boxes-river-trail",
    "marlow-state-mussels-filter-river-water",
]
# Smaller than a lead image (a grid shows them at most 480 pixels wide), so loading the
# demo, which makes a dozen renditions of each picture, stays quick.
PICTURE_SIZE = (720, 450)
INLINE_PICTURE_SIZE = (1200, 750)


def _demo_images():
    from library.models import Image

    titles = [title for _, _, _, title, _ in [*PICTURES, INLINE_PICTURE]]
    return Image.objects.filter(title__in=titles)


def remove_demo(**kwargs) -> None:
    from articles.demo.builder import DemoBuilder
    from articles.models import BodyImage
    from library.media import Gallery

    titles = {title for _, _, _, title, _ in PICTURES}
    # The demo's own stories are deleted next: they no longer hold the inline picture.
    BodyImage.objects.filter(image__in=_demo_images(), story__slug__in=INLINE_STORY_SLUGS).delete()
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

    def picture(seed, motif, colours, title, caption, size=PICTURE_SIZE) -> Image:
        first, second = colours
        image = Image(
            title=title,
            alt_text=describe_lead_image(motif, first, second),
            caption=caption,
            credit=credit,
        )
        drawn = draw_lead_image(seed, motif, first, second).resize(size)
        image.file.save(f"{seed}.jpg", jpeg(drawn), save=False)
        written.append((image.file.storage, image.file.name))
        image.save()
        return image

    try:
        gallery = Gallery.objects.create(title=GALLERY_TITLE, caption=GALLERY_CAPTION)
        for position, data in enumerate(PICTURES):
            GalleryImage.objects.create(gallery=gallery, image=picture(*data), position=position)
        inline = picture(*INLINE_PICTURE, size=INLINE_PICTURE_SIZE)
    except BaseException:
        from articles.demo.builder import DemoBuilder

        DemoBuilder._delete_files(written)
        raise
    place_after_first_paragraph(story, gallery.placement)
    placed_in = Story.objects.filter(slug__in=INLINE_STORY_SLUGS).order_by("pk")
    for river_story in placed_in:
        place_after_first_paragraph(river_story, f"[image {inline.pk}]")
    if log:
        log(f"  Gallery: {len(PICTURES)} pictures in “{story.headline}”")
        log(f"  Inline picture: in {len(placed_in)} stories")


def place_after_first_paragraph(story, placement: str) -> None:
    # As an editor would place it.
    first, sep, rest = story.body.partition("</p>")
    story.body = f"{first}{sep}<p>{placement}</p>{rest}"
    story.save(update_fields=["body"])


@receiver(demo_built)
def build_demo_gallery(sender, **kwargs) -> None:
    build_demo(**kwargs)


@receiver(demo_removing)
def remove_demo_gallery(sender, **kwargs) -> None:
    remove_demo(**kwargs)
