"""The e-mail service's tracking webhook (bounces, complaints), and only that one.

django-anymail's URLconf has inbound and tracking webhooks for every service it knows;
those of a service that is not configured answer 500 (AnymailConfigurationError). Only
the tracking webhook of the service in NEWSROOM_NEWSLETTER_EMAIL_BACKEND is mounted,
at /newsletters/anymail/<service>/tracking/; with none configured, nothing is. Nor is
it without ANYMAIL_WEBHOOK_SECRET (HTTP basic auth on the webhook): otherwise anyone could
report any address as bounced and stop its mail.
"""

from __future__ import annotations

from django.conf import settings


def configured_service() -> str:
    """'postmark' for anymail.backends.postmark.EmailBackend; '' when none is set."""
    backend = settings.NEWSROOM_NEWSLETTER_EMAIL_BACKEND
    if not backend.startswith("anymail.backends."):
        return ""
    return backend.removeprefix("anymail.backends.").split(".", 1)[0]


def tracking_urlpatterns() -> list:
    service = configured_service()
    if not service or not settings.ANYMAIL.get("WEBHOOK_SECRET"):
        return []
    from anymail.urls import urlpatterns

    return [
        pattern
        for pattern in urlpatterns
        if (pattern.name or "").startswith(f"{service}_") and "tracking" in pattern.name
    ]
