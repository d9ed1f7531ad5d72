"""RSS 2.0 and Atom feeds for the whole site, each section, each byline and each tag.

Built on django.contrib.syndication. Two small generator subclasses add what the
stock ones lack: every byline as an author (not just the first), the source credit,
and the lead image as Media RSS with its dimensions.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Enclosure, Rss201rev2Feed, rfc3339_date
from taggit.models import Tag

from articles.caching import keys
from articles.images import PAGE_IMAGE_WIDTH, rendition_size
from articles.models import Byline, Section, Story

from .seo import absolute_url

FEED_LENGTH = 30
MEDIA_NS = "http://search.yahoo.com/mrss/"
DC_NS = "http://purl.org/dc/elements/1.1/"


class NewsroomRssFeed(Rss201rev2Feed):
    def rss_attributes(self):
        return {**super().rss_attributes(), "xmlns:dc": DC_NS, "xmlns:media": MEDIA_NS}

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        for name in item["authors"]:
            handler.addQuickElement("dc:creator", name)
        if item["updateddate"] is not None:
            handler.addQuickElement("atom:updated", rfc3339_date(item["updateddate"]))
        if item["source_name"]:
            # RSS's <source> names the channel an item came from: here, the wire service.
            handler.addQuickElement(
                "source", item["source_name"], {"url": item["source_url"] or item["link"]}
            )
        add_media_content(handler, item)


class NewsroomAtomFeed(Atom1Feed):
    def root_attributes(self):
        return {**super().root_attributes(), "xmlns:media": MEDIA_NS}

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        for name, link in zip(item["authors"], item["author_links"], strict=True):
            handler.startElement("author", {})
            handler.addQuickElement("name", name)
            handler.addQuickElement("uri", link)
            handler.endElement("author")
        if item["source_name"]:
            handler.startElement("source", {})
            handler.addQuickElement("title", item["source_name"])
            if item["source_url"]:
                handler.addQuickElement("link", "", {"href": item["source_url"]})
            handler.endElement("source")
        add_media_content(handler, item)


def add_media_content(handler, item) -> None:
    image = item.get("image")
    if image:
        handler.startElement(
            "media:content",
            {
                "url": image["url"],
                "medium": "image",
                "type": "image/jpeg",
                "width": str(image["width"]),
                "height": str(image["height"]),
            },
        )
        if image["alt"]:
            handler.addQuickElement("media:description", image["alt"])
        if image["credit"]:
            handler.addQuickElement("media:credit", image["credit"])
        handler.endElement("media:content")


class LatestStoriesFeed(Feed):
    """The newest public stories of the whole site."""

    feed_type = NewsroomRssFeed
    item_guid_is_permalink = False

    def __call__(self, request, *args, **kwargs):
        # Any change to a story, section, byline or tag purges the feeds (caching.receivers).
        return keys.set_surrogate_keys(super().__call__(request, *args, **kwargs), {keys.FEEDS})

    def title(self, obj=None) -> str:
        return settings.NEWSROOM_SITE_NAME

    def description(self, obj=None) -> str:
        return settings.NEWSROOM_SITE_TAGLINE

    def link(self, obj=None) -> str:
        return reverse("articles:home")

    def stories(self, obj):
        return Story.objects.listed()

    def items(self, obj=None):
        return self.stories(obj).for_teasers().prefetch_related("tags").newest_first()[:FEED_LENGTH]

    def item_title(self, story: Story) -> str:
        return story.headline

    def item_description(self, story: Story) -> str:
        text = story.teaser_text()
        if story.source_name:
            text = f"{text} (Source: {story.source_name})"
        return text

    def item_guid(self, story: Story) -> str:
        # Stable whatever happens to the URL: the story's id, not its slug or date.
        return f"tag:{settings.NEWSROOM_FEED_GUID_DOMAIN},2026:story:{story.pk}"

    def item_pubdate(self, story: Story):
        return story.published_at

    def item_updateddate(self, story: Story):
        return story.last_modified

    def item_categories(self, story: Story) -> list[str]:
        return [story.section.name, *(tag.name for tag in story.tags.all())]

    def item_enclosures(self, story: Story) -> list[Enclosure]:
        if not story.lead_image_url:
            return []
        rendition = story.lead_rendition(PAGE_IMAGE_WIDTH)
        length = rendition_size(rendition)
        return [
            Enclosure(absolute_url(story.lead_image_url), str(length), story.lead_image_mime_type)
        ]

    def item_extra_kwargs(self, story: Story) -> dict:
        credits = story.credited_bylines
        image = None
        if story.lead_image_url:
            width, height = story.lead_image_display_size(PAGE_IMAGE_WIDTH)
            image = {
                "url": absolute_url(story.lead_image_url),
                "width": width,
                "height": height,
                "alt": story.image_alt,
                "credit": story.image_credit,
            }
        return {
            "authors": [credit.byline.name for credit in credits],
            "author_links": [absolute_url(credit.byline.get_absolute_url()) for credit in credits],
            "source_name": story.source_name,
            "source_url": story.source_url,
            "image": image,
        }


class SectionFeed(LatestStoriesFeed):
    def get_object(self, request, slug: str):
        return get_object_or_404(Section.objects.active(), slug=slug)

    def title(self, section: Section) -> str:
        return f"{section.name} · {settings.NEWSROOM_SITE_NAME}"

    def description(self, section: Section) -> str:
        return section.description or f"The latest from {section.name}."

    def link(self, section: Section) -> str:
        return section.get_absolute_url()

    def stories(self, section: Section):
        return Story.objects.listed().in_section(section)


class BylineFeed(LatestStoriesFeed):
    def get_object(self, request, slug: str):
        return get_object_or_404(Byline, slug=slug)

    def title(self, byline: Byline) -> str:
        return f"Stories by {byline.name} · {settings.NEWSROOM_SITE_NAME}"

    def description(self, byline: Byline) -> str:
        return f"The latest stories by {byline.name}."

    def link(self, byline: Byline) -> str:
        return byline.get_absolute_url()

    def stories(self, byline: Byline):
        return Story.objects.listed().by_byline(byline)


class TagFeed(LatestStoriesFeed):
    def get_object(self, request, slug: str):
        return get_object_or_404(Story.objects.listed().tags_in_use(), slug=slug)

    def title(self, tag: Tag) -> str:
        return f"{tag.name} · {settings.NEWSROOM_SITE_NAME}"

    def description(self, tag: Tag) -> str:
        return f"The latest stories tagged {tag.name}."

    def link(self, tag: Tag) -> str:
        return reverse("articles:tag", args=[tag.slug])

    def stories(self, tag: Tag):
        return Story.objects.listed().tagged(tag)


def atom(feed_class: type[Feed]) -> type[Feed]:
    """The Atom twin of an RSS feed class."""
    return type(
        f"{feed_class.__name__}Atom",
        (feed_class,),
        {"feed_type": NewsroomAtomFeed, "subtitle": feed_class.description},
    )


site_rss, site_atom = LatestStoriesFeed(), atom(LatestStoriesFeed)()
section_rss, section_atom = SectionFeed(), atom(SectionFeed)()
byline_rss, byline_atom = BylineFeed(), atom(BylineFeed)()
tag_rss, tag_atom = TagFeed(), atom(TagFeed)()
