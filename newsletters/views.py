"""Readers' newsletter pages: sign up, confirm, manage preferences, unsubscribe.

None needs an account: the links in e-mails are signed (newsletters/tokens.py). None is
cached, and the pages behind links from e-mails carry `noindex`.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.cache import add_never_cache_headers
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from newsroom.clients import client_address

from . import subscriptions
from .forms import FULL_PAGE_FIELD, PreferencesForm, SignupForm
from .models import Newsletter
from .tokens import signup_from_token, subscriber_from_token, unsubscription_from_token

logger = logging.getLogger(__name__)

RATE_LIMITED_MESSAGE = (
    "Several sign-ups came from here, or for this address, in a short time. Please try again later."
)


def base_url(request: HttpRequest) -> str:
    return settings.NEWSROOM_SITE_URL or request.build_absolute_uri("/").rstrip("/")


def _page(request, template, context, *, status=200) -> HttpResponse:
    response = TemplateResponse(request, template, context, status=status)
    add_never_cache_headers(response)
    response["X-Robots-Tag"] = "noindex"
    return response


# Readers post without an account, so a forged post can do no more than anyone can: ask
# for a confirmation e-mail, which the honeypot and the rate limits bound. Without a
# CSRF token, the pages that carry the form set no cookie and stay cacheable.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":
        form = SignupForm(full=True)
        return _page(
            request, "newsletters/signup.html", {"form": form, "page_title": "Newsletters"}
        )
    # The small form on public pages posts kinds; the sign-up page posts newsletters.
    full = FULL_PAGE_FIELD in request.POST
    form = SignupForm(request.POST, full=full)
    if form.is_honeypot_filled:
        logger.info("Dropped a newsletter sign-up: the honeypot field was filled.")
        return redirect("newsletters:signup_sent")
    if not form.is_valid():
        # The same form again, with what the reader typed and what was wrong.
        return _page(
            request, "newsletters/signup.html", {"form": form, "page_title": "Newsletters"}
        )
    email = form.cleaned_data["email"]
    address = client_address(request)
    if subscriptions.is_rate_limited(address, email):
        form.add_error(None, RATE_LIMITED_MESSAGE)
        return _page(
            request,
            "newsletters/signup.html",
            {"form": form, "page_title": "Newsletters"},
            status=429,
        )
    subscriptions.request_signup(
        email, form.cleaned_data["chosen"], ip_address=address, base_url=base_url(request)
    )
    return redirect("newsletters:signup_sent")


@require_http_methods(["GET"])
def signup_sent(request: HttpRequest) -> HttpResponse:
    return _page(request, "newsletters/signup_sent.html", {"page_title": "Check your inbox"})


@require_http_methods(["GET", "POST"])
def confirm(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows a button (link scanners follow links); POST confirms."""
    signup = signup_from_token(token)
    if signup is None:
        return _page(
            request, "newsletters/link_invalid.html", {"page_title": "Link not valid"}, status=404
        )
    if request.method == "GET":
        context = {"signup": signup, "newsletters": list(signup.newsletters.all())}
        context["page_title"] = "Confirm your subscription"
        return _page(request, "newsletters/confirm.html", context)
    subscriber = subscriptions.confirm(signup)
    if subscriber is None:  # confirmed once, and the address deleted since
        return _page(
            request, "newsletters/link_invalid.html", {"page_title": "Link not valid"}, status=404
        )
    return redirect(subscriptions.manage_url(subscriber, "") + "?confirmed=1")


@require_http_methods(["GET", "POST"])
def manage(request: HttpRequest, token: str) -> HttpResponse:
    subscriber = subscriber_from_token(token)
    if subscriber is None:
        return _page(
            request, "newsletters/link_invalid.html", {"page_title": "Link not valid"}, status=404
        )
    if request.method == "POST" and "forget" in request.POST:
        subscriptions.delete_data(subscriber.email)
        return _page(request, "newsletters/forgotten.html", {"page_title": "Address deleted"})
    if request.method == "POST":
        form = PreferencesForm(request.POST)
        if form.is_valid():
            subscriptions.set_preferences(subscriber, list(form.cleaned_data["newsletters"]))
            return redirect(f"{request.path}?saved=1")
    else:
        form = PreferencesForm(initial={"newsletters": subscriber.newsletters.all()})
    context = {
        "form": form,
        "subscriber": subscriber,
        "confirmed": request.GET.get("confirmed") == "1",
        "saved": request.GET.get("saved") == "1",
        "page_title": "Your newsletters",
    }
    return _page(request, "newsletters/manage.html", context)


# Mail clients post here without a CSRF token (RFC 8058 one-click unsubscribe).
@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """GET asks (link scanners must not unsubscribe anyone); POST unsubscribes at once."""
    unsubscription = unsubscription_from_token(token)
    if unsubscription is None:
        return _page(
            request, "newsletters/link_invalid.html", {"page_title": "Link not valid"}, status=404
        )
    newsletter = Newsletter.objects.filter(pk=unsubscription.newsletter_id).first()
    context = {
        "newsletter": newsletter,
        "manage_url": subscriptions.manage_url(unsubscription.subscriber, ""),
    }
    if request.method == "GET":
        context["page_title"] = "Unsubscribe"
        return _page(request, "newsletters/unsubscribe.html", context)
    subscriptions.unsubscribe(unsubscription)
    context["page_title"] = "Unsubscribed"
    return _page(request, "newsletters/unsubscribed.html", context)
