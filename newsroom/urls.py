from django.conf import settings
from django.contrib import admin
from django.http import Http404, HttpResponse, HttpResponsePermanentRedirect
from django.templatetags.static import static
from django.urls import include, path
from django.views.static import serve

from articles.distribution.sitemaps import (
    SITEMAPS,
    keyed_sitemap,
    news_sitemap,
    robots_txt,
    sitemap_index,
)
from fronts.views import CuratedHomeView
from newsletters.webhooks import tracking_urlpatterns


def favicon(request):
    """Browsers ask for /favicon.ico where a page names no icon (the desk's pages). The
    icon's address is looked up when asked: with hashed static names it exists only
    after collectstatic."""
    return HttpResponsePermanentRedirect(static("img/favicon.svg"))


urlpatterns = [
    # NEWSROOM_ADMIN_URL moves the admin ("admin/" by default).
    path(settings.NEWSROOM_ADMIN_URL, admin.site.urls),
    path("robots.txt", robots_txt, name="robots"),
    path("favicon.ico", favicon),
    path("sitemap.xml", sitemap_index, name="sitemap-index"),
    path(
        "sitemap-<section>.xml",
        keyed_sitemap,
        {"sitemaps": SITEMAPS, "template_name": "sitemaps/sitemap.xml"},
        name="sitemap-section",
    ),
    path("news-sitemap.xml", news_sitemap, name="news-sitemap"),
    path("comments/", include("comments.urls")),
    path("newsdesk/inbox/", include("notifications.urls")),
    # Bounces and complaints from the configured e-mail service (django-anymail).
    path("newsletters/anymail/", include(tracking_urlpatterns())),
    path("newsletters/", include("newsletters.urls")),
]


def media_file(request, path: str):
    """A media file in development; a name the file system refuses (too long) is a 404."""
    try:
        return serve(request, path, document_root=settings.MEDIA_ROOT)
    except OSError:
        raise Http404("No such file.") from None


if settings.DEBUG or settings.TESTING:
    # In production, media files come from the web server, a CDN or object storage.
    urlpatterns.append(path(f"{settings.MEDIA_URL.strip('/')}/<path:path>", media_file))

if settings.NEWSROOM_BENCHMARK_BASELINE:

    def baseline(request):
        """A bare view returning `bytes` bytes of HTML: the floor bench/run.py measures."""
        size = min(int(request.GET.get("bytes", "20000")), 5_000_000)
        return HttpResponse(b"x" * size, content_type="text/html; charset=utf-8")

    urlpatterns.append(path("bench/baseline/", baseline))

# The home page as the desk arranges it (the fronts app), ahead of articles' own "".
urlpatterns.append(path("", CuratedHomeView.as_view(), name="home"))
urlpatterns.append(path("", include("articles.urls")))

# A database outage answers 503 with Retry-After; other errors, the usual 500 page.
handler500 = "newsroom.views.server_error"
