"""
Settings for Newsroom, read from the environment.

One file serves every environment: local development gets safe defaults, production
differs only through environment variables (see docs/deployment.md and .env.example).
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import environ
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from articles.embeds import FRAME_ORIGINS as EMBED_FRAME_ORIGINS

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
# A local .env file is a convenience for developers; the real environment wins.
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

# SECURITY WARNING: DEBUG is off unless asked for, so a deploy that forgets to set it is safe.
DEBUG = env.bool("DEBUG", default=False)
TESTING = env.bool("NEWSROOM_TESTING", default=False)

# SECURITY WARNING: the fallback key is only ever used with DEBUG on (local development).
SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if DEBUG or TESTING:
        SECRET_KEY = "django-insecure-local-development-key-do-not-use-in-production"  # noqa: S105
    else:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set the SECRET_KEY environment variable "
            "(for example: python -c 'import secrets; print(secrets.token_urlsafe(50))'), "
            "or set DEBUG=true for local development."
        )

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "newsroom.apps.NewsroomAdminConfig",  # django.contrib.admin with the desk's own site
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    # WhiteNoise serves static files in development too, so DEBUG on and off look the same.
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "taggit",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_prose_editor",
    "imagekit",
    "reversion",
    "adminsortable2",
    "users",
    "articles.apps.ArticlesConfig",
    # The media library: images uploaded once, reused by stories (docs/editors-guide.md).
    "library.apps.LibraryConfig",
    "fronts.apps.FrontsConfig",
    "wordpress",
    "comments.apps.CommentsConfig",
    "notifications.apps.NotificationsConfig",
    # Readers' e-mail newsletters (docs/newsletters.md), and what the task queue left
    # undone (background: failed tasks, shown on the desk).
    "newsletters.apps.NewslettersConfig",
    "background.apps.BackgroundConfig",
    "anymail",
    # Hardening: project-wide guards installed at start-up (newsroom/apps.py); login
    # attempts limited (django-axes); the Content-Security-Policy header (django-csp).
    "newsroom.apps.NewsroomConfig",
    "axes",
    "csp",
    # Hardening: `manage.py backup` and `manage.py restore` (docs/deployment.md).
    "backups",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Hardening: a Content-Security-Policy on every response, cached pages and errors too.
    "csp.middleware.CSPMiddleware",
    # Hardening: control characters in paths and query values, and NUL in posted fields,
    # are refused with 400 before anything reads them (newsroom/middleware.py).
    "newsroom.middleware.HostileInputMiddleware",
    # ETag on every page, and 304 Not Modified for a matching conditional request.
    "django.middleware.http.ConditionalGetMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Before anything reads the database: anonymous GETs go to the replica, if any.
    "newsroom.db_routers.ReplicaMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Hardening: a session in use has its expiry moved on (NEWSROOM_SESSION_IDLE_MINUTES).
    "newsroom.middleware.IdleSessionMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Before the page cache, so cached pages count too: an edition whose time has come is
    # handed to the task queue (one cache read a request; newsletters/middleware.py).
    "newsletters.middleware.DueEditionsMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # After authentication: anonymous GETs of public pages come from the shared cache.
    "articles.caching.middleware.PublicPageCacheMiddleware",
    "wordpress.middleware.LegacyURLMiddleware",
    # Old story addresses answer 301 to the current one (articles.StoryRedirect).
    "articles.middleware.StoryRedirectMiddleware",
    "articles.middleware.RequestBaseMiddleware",
    # Hardening: django-axes last, as it asks.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "newsroom.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "articles.context_processors.site",
            ],
        },
    },
]

WSGI_APPLICATION = "newsroom.wsgi.application"
ASGI_APPLICATION = "newsroom.asgi.application"

# SQLite by default, so a laptop needs nothing else; PostgreSQL through DATABASE_URL,
# e.g. postgres://user:password@127.0.0.1:5432/newsroom
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the development server read while a management command writes.
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].setdefault(
        "init_command", "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
    )
    DATABASES["default"]["CONN_MAX_AGE"] = 0

# An optional read replica for anonymous readers (newsroom/db_routers.py).
if env.str("DATABASE_REPLICA_URL", default=""):
    DATABASES["replica"] = env.db("DATABASE_REPLICA_URL")
    DATABASES["replica"]["CONN_MAX_AGE"] = DATABASES["default"]["CONN_MAX_AGE"]
    DATABASES["replica"]["CONN_HEALTH_CHECKS"] = True
    # Tests read the replica through the primary's test database.
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["newsroom.db_routers.ReplicaRouter"]

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "users.User"

REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            # Hardening: Django's Redis cache, with misses instead of errors while Redis
            # is down, so the site serves pages uncached (newsroom/cache.py).
            "BACKEND": "newsroom.cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env.str("CACHE_KEY_PREFIX", default="newsroom"),
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "OPTIONS": {"MAX_ENTRIES": 5000},
        }
    }
# The benchmark's "nothing cached" runs (bench/run.py): every lookup misses.
if env.bool("NEWSROOM_BENCHMARK_NO_CACHE", default=False):
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = env.str("LANGUAGE_CODE", default="en-us")
TIME_ZONE = env.str("TIME_ZONE", default="America/Chicago")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = env.str("MEDIA_URL", default="/media/")
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(BASE_DIR / "media")))
# Media: local files by default; S3-compatible object storage (AWS, MinIO, Ceph, R2...)
# when AWS_STORAGE_BUCKET_NAME is set, so any number of app machines share one store.
AWS_STORAGE_BUCKET_NAME = env.str("AWS_STORAGE_BUCKET_NAME", default="")
if AWS_STORAGE_BUCKET_NAME:
    _MEDIA_STORAGE = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": AWS_STORAGE_BUCKET_NAME,
            "endpoint_url": env.str("AWS_S3_ENDPOINT_URL", default="") or None,
            "region_name": env.str("AWS_S3_REGION_NAME", default="") or None,
            "custom_domain": env.str("AWS_S3_CUSTOM_DOMAIN", default="") or None,
            "querystring_auth": env.bool("AWS_QUERYSTRING_AUTH", default=False),
            "file_overwrite": False,
        },
    }
else:
    _MEDIA_STORAGE = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
STORAGES = {
    "default": _MEDIA_STORAGE,
    # Hashed, compressed file names: safe to cache forever, and the site looks the same
    # with DEBUG off. Tests use the plain storage so they need no collectstatic.
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if TESTING
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# Uploads larger than this are refused before Pillow sees them (see articles/images.py).
NEWSROOM_MAX_IMAGE_BYTES = env.int("NEWSROOM_MAX_IMAGE_BYTES", default=15 * 1024 * 1024)
NEWSROOM_MAX_IMAGE_PIXELS = env.int("NEWSROOM_MAX_IMAGE_PIXELS", default=40_000_000)
# Audio and video uploads larger than this are refused (library/media.py). The web server
# in front (deploy/) must accept request bodies at least this large.
NEWSROOM_MAX_MEDIA_BYTES = env.int("NEWSROOM_MAX_MEDIA_BYTES", default=200 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# The site's identity, set once by the operator.
NEWSROOM_SITE_NAME = env.str("NEWSROOM_SITE_NAME", default="The Riverside Ledger")
NEWSROOM_SITE_TAGLINE = env.str(
    "NEWSROOM_SITE_TAGLINE", default="News and people of the Riverside community"
)
# The public address, e.g. https://news.example.org: canonical URLs, feeds, sitemaps and
# structured data use it. Without it, the address of each request is used.
NEWSROOM_SITE_URL = env.str("NEWSROOM_SITE_URL", default="").rstrip("/")
# A raster logo (Google wants PNG or JPEG) in static files, for structured data and cards.
NEWSROOM_SITE_LOGO = env.str("NEWSROOM_SITE_LOGO", default="img/logo.png")
# Feed item GUIDs are tag URIs under this name; set it once and never change it, or feed
# readers will show every story again.
NEWSROOM_FEED_GUID_DOMAIN = env.str("NEWSROOM_FEED_GUID_DOMAIN", default="newsroom.local")
# The publication's name in the Google News sitemap (defaults to the site name).
NEWSROOM_NEWS_PUBLICATION_NAME = env.str("NEWSROOM_NEWS_PUBLICATION_NAME", default="")
NEWSROOM_STORIES_PER_PAGE = 20
# Anonymous public pages are cached this long at most (0 turns the page cache off).
# Changes purge affected pages at once; scheduled stories shorten the lifetime so no
# cached page outlives the moment a story goes live.
NEWSROOM_PAGE_CACHE_SECONDS = env.int("NEWSROOM_PAGE_CACHE_SECONDS", default=600)
NEWSROOM_STALE_WHILE_REVALIDATE = env.int("NEWSROOM_STALE_WHILE_REVALIDATE", default=30)
# Where cache purges go: the app's cache always; Varnish when VARNISH_PURGE_URLS is set.
VARNISH_PURGE_URLS = env.list("VARNISH_PURGE_URLS", default=[])
NEWSROOM_PURGERS = env.list(
    "NEWSROOM_PURGERS",
    default=["articles.caching.purging.AppCachePurger"]
    + (["articles.caching.purging.VarnishPurger"] if VARNISH_PURGE_URLS else []),
)
# Adds /bench/baseline/ (a bare view, the framework's floor) for bench/run.py only.
NEWSROOM_BENCHMARK_BASELINE = env.bool("NEWSROOM_BENCHMARK_BASELINE", default=False)
# Embeds (articles/embeds.py): fetch titles from the providers' oEmbed endpoints when a
# story is saved. Off by default: a newsroom without outside network loses nothing.
NEWSROOM_OEMBED = env.bool("NEWSROOM_OEMBED", default=False)
# How far ahead a story can be scheduled or embargoed (a typo like 9999 is refused).
NEWSROOM_SCHEDULE_HORIZON_DAYS = env.int("NEWSROOM_SCHEDULE_HORIZON_DAYS", default=5 * 366)
# A deleted story stays in the trash, restorable, this many days; then
# `manage.py empty_trash` (run daily, docs/deployment.md) deletes it.
NEWSROOM_TRASH_DAYS = env.int("NEWSROOM_TRASH_DAYS", default=30)
# How long a "share preview" link works, unless revoked sooner.
NEWSROOM_PREVIEW_LINK_HOURS = env.int("NEWSROOM_PREVIEW_LINK_HOURS", default=48)
# Reader comments (docs/comments.md): they close by themselves this many days after
# publication (0: never); at most COUNT per WINDOW from one IP address ("3/10m"; "0/1m": off).
NEWSROOM_COMMENTS_CLOSE_AFTER_DAYS = env.int("NEWSROOM_COMMENTS_CLOSE_AFTER_DAYS", default=30)
NEWSROOM_COMMENT_RATE_LIMIT = env.str("NEWSROOM_COMMENT_RATE_LIMIT", default="3/10m")
NEWSROOM_COMMENT_MAX_LENGTH = env.int("NEWSROOM_COMMENT_MAX_LENGTH", default=3000)
# A comment with this many links or more is held as likely spam (0: never).
NEWSROOM_COMMENT_SPAM_LINKS = env.int("NEWSROOM_COMMENT_SPAM_LINKS", default=3)

TAGGIT_CASE_INSENSITIVE = True

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Renditions are made by a task queued when an image is saved (background/renditions.py;
# `manage.py generateimages` for rows written in bulk), so pages never check for or make
# files while readers wait, and the request that saves an image does not make them either.
IMAGEKIT_DEFAULT_CACHEFILE_STRATEGY = "background.renditions.MadeByTheQueue"
IMAGEKIT_CACHEFILE_DIR = "renditions"

# Security headers. HTTPS settings are on unless DEBUG is, and can be switched off
# behind a proxy that terminates TLS differently.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
_HTTPS_DEFAULT = not DEBUG and not TESTING
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=_HTTPS_DEFAULT)
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=_HTTPS_DEFAULT)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=_HTTPS_DEFAULT)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000 if _HTTPS_DEFAULT else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
# Preloading is hard to undo, so it stays an explicit opt-in; not opting in is a choice,
# and `check --deploy` should not warn about it.
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]
if env.bool("USE_X_FORWARDED_PROTO", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Sessions live in the database (or in the shared cache, with a database copy, when
# REDIS_URL is set), so any app process can serve any request.
SESSION_ENGINE = (
    "django.contrib.sessions.backends.cached_db"
    if REDIS_URL
    else "django.contrib.sessions.backends.db"
)

# Hardening: logins, sessions, the admin's address, the client's address --------------------
# Failed logins are counted per username and address together (django-axes): after
# NEWSROOM_LOGIN_FAILURE_LIMIT failures, that username cannot log in from that address for
# NEWSROOM_LOGIN_LOCKOUT_MINUTES. Counting the pair, not the username alone, means nobody
# can lock an editor out by mistyping their name on purpose from elsewhere. A superuser
# unlocks early under "Axes > Access attempts", or `manage.py axes_reset_username NAME`.
AUTHENTICATION_BACKENDS = [
    "newsroom.clients.LoginAttemptsBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env.int("NEWSROOM_LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("NEWSROOM_LOGIN_LOCKOUT_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "newsroom.clients.locked_out"
AXES_CLIENT_IP_CALLABLE = "newsroom.clients.client_address"
# Behind a reverse proxy, the header it puts the client's address in (e.g. X-Forwarded-For)
# and how many proxies add to it; unset, REMOTE_ADDR is the client (newsroom/clients.py).
NEWSROOM_TRUSTED_PROXY_HEADER = env.str("NEWSROOM_TRUSTED_PROXY_HEADER", default="")
NEWSROOM_TRUSTED_PROXY_COUNT = env.int("NEWSROOM_TRUSTED_PROXY_COUNT", default=1)
# Only staff have sessions: one idle this long (no request) has expired. Requests move the
# expiry on (at most once a minute, newsroom/middleware.py), so a working editor is never
# logged out mid-story.
NEWSROOM_SESSION_IDLE_MINUTES = env.int("NEWSROOM_SESSION_IDLE_MINUTES", default=60)
SESSION_COOKIE_AGE = NEWSROOM_SESSION_IDLE_MINUTES * 60
# The admin's address ("admin/" by default); the page cache, robots.txt and the reserved
# section slugs follow it.
NEWSROOM_ADMIN_URL = env.str("NEWSROOM_ADMIN_URL", default="admin/").strip("/") + "/"

# Hardening: Content-Security-Policy (django-csp) ----------------------------------------
# Scripts, styles, fonts and images from the site itself only, no inline script or style
# (JSON-LD is a data block, which CSP does not treat as script), no plugins, no framing,
# forms post only here. Images may also come from the media domain when media are served
# from elsewhere (MEDIA_URL with a host), and from data: URLs (the admin's icons).
_MEDIA_ORIGIN = [MEDIA_URL] if MEDIA_URL.startswith(("http://", "https://")) else []
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        # NONCE is added only to responses that use one: the story form's import map
        # (the body editor's, see StoryAdmin.render_change_form). Public pages use none.
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:", *_MEDIA_ORIGIN],
        "media-src": [SELF, *_MEDIA_ORIGIN],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        # The embeds' iframes, loaded when a reader asks (static/js/embeds.js): exactly
        # the hosts of articles/embeds.py's provider table, and the site itself.
        "frame-src": [SELF, *EMBED_FRAME_ORIGINS],
        "frame-ancestors": [NONE],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        # A line per task that succeeded (every saved image has one) drowns the rest, in
        # a worker and under `make run`, where tasks run in-process; failures still show.
        "celery.app.trace": {"level": env.str("CELERY_TASK_LOG_LEVEL", default="WARNING")},
    },
}

# E-mail (desk notifications): SMTP from EMAIL_URL, e.g.
# smtp+tls://user:password@smtp.example.org:587; the console under `make run` (DEBUG).
if env.str("EMAIL_URL", default=""):
    globals().update(env.email_url("EMAIL_URL"))
else:
    EMAIL_BACKEND = (
        "django.core.mail.backends.console.EmailBackend"
        if DEBUG
        else "django.core.mail.backends.smtp.EmailBackend"
    )
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="newsroom@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Newsletters (docs/newsletters.md) -------------------------------------------------------
# The sender of newsletters (defaults to DEFAULT_FROM_EMAIL), and how many recipients one
# task sends to before the next batch is queued.
NEWSROOM_NEWSLETTER_FROM_EMAIL = env.str("NEWSROOM_NEWSLETTER_FROM_EMAIL", default="")
NEWSROOM_NEWSLETTER_BATCH_SIZE = env.int("NEWSROOM_NEWSLETTER_BATCH_SIZE", default=200)
# An e-mail service for newsletters only, e.g. anymail.backends.postmark.EmailBackend
# (django-anymail); its settings come from ANYMAIL_* variables, e.g.
# ANYMAIL_POSTMARK_SERVER_TOKEN. Unset, newsletters go the way of all e-mail (EMAIL_URL).
NEWSROOM_NEWSLETTER_EMAIL_BACKEND = env.str("NEWSROOM_NEWSLETTER_EMAIL_BACKEND", default="")
ANYMAIL = {
    name.removeprefix("ANYMAIL_"): value
    for name, value in env.ENVIRON.items()
    if name.startswith("ANYMAIL_") and value
}
# Sign-ups: at most COUNT per WINDOW from one address, like comments ("5/1h"; "0/1h": off).
NEWSROOM_NEWSLETTER_SIGNUP_RATE_LIMIT = env.str(
    "NEWSROOM_NEWSLETTER_SIGNUP_RATE_LIMIT", default="5/1h"
)
# A confirmation link works this long.
NEWSROOM_NEWSLETTER_CONFIRM_DAYS = env.int("NEWSROOM_NEWSLETTER_CONFIRM_DAYS", default=7)

# WordPress exports uploaded on the desk wait here for the worker that imports them: a
# directory the worker can read (default: the system's temporary directory).
NEWSROOM_IMPORTS_DIR = env.str("NEWSROOM_IMPORTS_DIR", default="")
# The uploads folder sent as a zip with the desk's import form: at most this many files
# and bytes once unpacked (larger archives: the import_wordpress command's --uploads).
NEWSROOM_MAX_UPLOADS_ZIP_BYTES = env.int("NEWSROOM_MAX_UPLOADS_ZIP_BYTES", default=4 * 1024**3)
NEWSROOM_MAX_UPLOADS_ZIP_FILES = env.int("NEWSROOM_MAX_UPLOADS_ZIP_FILES", default=100_000)

# The task queue (Celery, newsroom/celery.py; docs/deployment.md) ------------------------
# A broker from CELERY_BROKER_URL, or the Redis of REDIS_URL. Without one, tasks run
# in-process at once, so `make run` and the tests need no broker and no worker.
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default=REDIS_URL)
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = False
# A task is acknowledged when it ends, not when it starts: a worker killed mid-task
# leaves it on the queue for the next worker (tasks are written to be run again).
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_IGNORE_RESULT = True
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# With Redis as the broker, a task a dead worker had taken goes back to the queue after
# visibility_timeout seconds (longer than the longest task: a batch takes seconds), at
# the next check for such tasks (every 100 s by default). JSON, e.g.
# {"visibility_timeout": 600}.
CELERY_BROKER_TRANSPORT_OPTIONS = env.json(
    "CELERY_BROKER_TRANSPORT_OPTIONS", default={"visibility_timeout": 3600}
)
CELERY_TIMEZONE = TIME_ZONE
# The scheduler (`celery -A newsroom beat`): due newsletter editions, every minute.
CELERY_BEAT_SCHEDULE = {
    "send-due-editions": {"task": "newsletters.send_due_editions", "schedule": 60.0},
}

if TESTING:
    # Fast hashing in tests; PBKDF2 stays available for accounts that production-mode
    # processes started by a test must log into.
    PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.MD5PasswordHasher",
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    ]
    EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    # Tasks run in-process in tests, even when REDIS_URL points at a cache.
    CELERY_TASK_ALWAYS_EAGER = not env.str("CELERY_BROKER_URL", default="")
