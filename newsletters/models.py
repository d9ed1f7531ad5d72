"""Readers' e-mail newsletters: what there is to subscribe to, who did, and what was sent.

- `Newsletter`: the daily or weekly digest, breaking news, or one section's newsletter.
- `SignupRequest`: an address asked for newsletters; nothing is sent to it but the
  confirmation e-mail until its signed link is followed (double opt-in).
- `Subscriber`: a confirmed address and the newsletters it takes now.
- `Edition`: one issue of a newsletter (subject, intro, chosen stories), built on the
  desk and sent now or at a time.
- `Delivery`: one edition to one subscriber. The unique (edition, subscriber) pair and
  its status are what makes sending idempotent: a restarted worker only sends what is
  still pending (newsletters/sending.py).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Count, Q
from django.db.models.functions import Lower
from django.utils import timezone

from articles.models import Section, Story


class NewsletterQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)


class Newsletter(models.Model):
    class Kind(models.TextChoices):
        DAILY = "daily", "Daily digest"
        WEEKLY = "weekly", "Weekly digest"
        BREAKING = "breaking", "Breaking news"
        SECTION = "section", "A section's newsletter"

    name = models.CharField(max_length=100)
    slug = models.SlugField(max_length=100, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    section = models.ForeignKey(
        Section,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="newsletters",
        help_text="For a section's newsletter only: its stories prefill new editions.",
    )
    description = models.CharField(
        max_length=300, blank=True, help_text="One line for the sign-up form."
    )
    is_active = models.BooleanField(
        "offered", default=True, help_text="Only offered newsletters can be subscribed to."
    )
    position = models.PositiveSmallIntegerField(default=0)

    objects = NewsletterQuerySet.as_manager()

    class Meta:
        ordering = ["position", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="section", section__isnull=False)
                | (~Q(kind="section") & Q(section__isnull=True)),
                name="newsletter_section_iff_section_kind",
            ),
            # The sign-up form on public pages offers the digests and breaking news by
            # kind (no query), so there is at most one of each.
            models.UniqueConstraint(
                fields=["kind"], condition=~Q(kind="section"), name="one_newsletter_per_kind"
            ),
            models.UniqueConstraint(
                fields=["section"], condition=Q(kind="section"), name="one_newsletter_per_section"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class SignupRequest(models.Model):
    """A request to subscribe, waiting for its confirmation link to be followed."""

    email = models.EmailField(max_length=254)
    newsletters = models.ManyToManyField(Newsletter, related_name="+")
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    requested_at = models.DateTimeField(default=timezone.now)
    confirmed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at"]
        indexes = [models.Index(fields=["ip_address", "requested_at"], name="signup_ip_time")]

    def __str__(self) -> str:
        return f"Sign-up request {self.pk}"


class SubscriberQuerySet(models.QuerySet):
    def receiving(self, newsletter: Newsletter):
        """Who an edition of `newsletter` goes to: confirmed, not suppressed, subscribed."""
        return self.filter(
            confirmed_at__isnull=False, suppressed_at__isnull=True, newsletters=newsletter
        )

    def for_email(self, email: str):
        return self.filter(email__iexact=email.strip())


class Subscriber(models.Model):
    class Suppression(models.TextChoices):
        BOUNCED = "bounced", "The address bounced"
        COMPLAINED = "complained", "The reader reported a newsletter as spam"
        OPERATOR = "operator", "Stopped by an operator"

    email = models.EmailField(max_length=254)
    newsletters = models.ManyToManyField(Newsletter, blank=True, related_name="subscribers")
    confirmed_at = models.DateTimeField(
        null=True, blank=True, help_text="Nothing is sent before the address is confirmed."
    )
    created_at = models.DateTimeField(default=timezone.now)
    suppressed_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="Set by bounces and complaints from the e-mail service: nothing is sent.",
    )
    suppression = models.CharField(max_length=20, choices=Suppression.choices, blank=True)

    objects = SubscriberQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(Lower("email"), name="unique_subscriber_email"),
        ]
        permissions = [
            ("view_subscriber_email", "Can see subscribers' e-mail addresses"),
            ("export_subscriber", "Can export and delete a subscriber's data"),
        ]

    def __str__(self) -> str:
        return f"Subscriber {self.pk}"

    def suppress(self, reason: str) -> None:
        """Stop every newsletter to this address (a bounce, a complaint, an operator)."""
        self.suppressed_at, self.suppression = timezone.now(), reason
        self.save(update_fields=["suppressed_at", "suppression"])
        self.newsletters.clear()


class EditionQuerySet(models.QuerySet):
    def due(self):
        return self.filter(status=Edition.Status.SCHEDULED, send_at__lte=timezone.now())

    def with_counts(self):
        return self.annotate(
            sent_count=Count("deliveries", filter=Q(deliveries__status="sent")),
            failed_count=Count("deliveries", filter=Q(deliveries__status="failed")),
            pending_count=Count("deliveries", filter=Q(deliveries__status="pending")),
            unsubscribed_count=Count(
                "deliveries", filter=Q(deliveries__unsubscribed_at__isnull=False)
            ),
        )


class Edition(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SCHEDULED = "scheduled", "Scheduled"
        SENDING = "sending", "Sending"
        SENT = "sent", "Sent"

    newsletter = models.ForeignKey(Newsletter, on_delete=models.PROTECT, related_name="editions")
    subject = models.CharField(max_length=150)
    intro = models.TextField(
        blank=True, help_text="Plain text above the stories. A blank line starts a paragraph."
    )
    stories = models.ManyToManyField(Story, through="EditionStory", related_name="+", blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    send_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="A scheduled edition is sent at this time (the queue's scheduler, or the "
        "first page request after it).",
    )
    site_url = models.CharField(
        max_length=200,
        blank=True,
        help_text="The site's address links are made with (NEWSROOM_SITE_URL, or the "
        "address of the desk when it was sent or scheduled).",
    )
    started_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    objects = EditionQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="scheduled") | Q(send_at__isnull=False),
                name="scheduled_edition_has_time",
            )
        ]
        permissions = [("send_edition", "Can send and schedule editions")]

    def __str__(self) -> str:
        return self.subject

    def ordered_stories(self) -> list[Story]:
        """The edition's stories in its order, public ones only (a story unpublished since
        it was chosen is left out)."""
        listed = Story.objects.listed()
        return [
            item.story
            for item in self.items.filter(story__in=listed)
            .select_related("story__section", "story__lead_image")
            .prefetch_related("story__bylines")
        ]

    @property
    def is_editable(self) -> bool:
        return self.status in (self.Status.DRAFT, self.Status.SCHEDULED)

    def send_now(self, *, by) -> None:
        """Send to every confirmed subscriber now (through the task queue)."""
        from .sending import start_sending

        start_sending(self, by=by)

    def schedule(self, *, by, at) -> None:
        """Send at `at`: the queue's scheduler or the first request after it starts it."""
        from .sending import schedule_edition

        schedule_edition(self, by=by, at=at)


class EditionStory(models.Model):
    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="items")
    story = models.ForeignKey(Story, on_delete=models.CASCADE, related_name="+")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = "story"
        verbose_name_plural = "stories"
        constraints = [
            models.UniqueConstraint(fields=["edition", "story"], name="edition_story_once")
        ]

    def __str__(self) -> str:
        return str(self.story)


class Delivery(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="deliveries")
    subscriber = models.ForeignKey(Subscriber, on_delete=models.CASCADE, related_name="deliveries")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING)
    sent_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)
    unsubscribed_at = models.DateTimeField(
        null=True, blank=True, help_text="The reader unsubscribed through this e-mail's link."
    )

    class Meta:
        verbose_name_plural = "deliveries"
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["edition", "subscriber"], name="one_delivery_each")
        ]
        indexes = [models.Index(fields=["edition", "status"], name="delivery_edition_status")]

    def __str__(self) -> str:
        return f"{self.edition} to subscriber {self.subscriber_id}"
