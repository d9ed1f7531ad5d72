vcl 4.1;
# Varnish in front of Newsroom's gunicorn. Anonymous pages are cached for as long as
# the app's s-maxage says; the app purges exactly the pages a change affects by
# surrogate key (the Surrogate-Key header, read by the xkey vmod from varnish-modules).
# Logged-in staff bypass the cache. See docs/deployment.md.

import std;
import xkey;

backend default {
    .host = "127.0.0.1";
    .port = "8000";
}

# Who may purge: the app servers.
acl purgers {
    "127.0.0.1";
    "::1";
}

sub vcl_recv {
    if (req.method == "PURGE") {
        if (client.ip !~ purgers) {
            return (synth(403, "Forbidden"));
        }
        if (req.http.xkey-purge) {
            # Soft purge: objects go stale at once and are refetched on the next request.
            set req.http.n-gone = xkey.softpurge(req.http.xkey-purge);
            return (synth(200, "Purged " + req.http.n-gone + " objects"));
        }
        return (synth(400, "xkey-purge header required"));
    }
    if (req.method != "GET" && req.method != "HEAD") {
        return (pass);
    }
    # Staff screens, previews, forms and search are never cached.
    if (req.url ~ "^/(admin|newsdesk|preview|comments|search)(/|$)") {
        return (pass);
    }
    # A session cookie means a logged-in user: their pages are private.
    if (req.http.Cookie ~ "(^|; )sessionid=") {
        return (pass);
    }
    # Readers' other cookies (analytics, csrftoken) do not change the page.
    unset req.http.Cookie;
    return (hash);
}

sub vcl_backend_response {
    if (beresp.http.Surrogate-Key) {
        set beresp.http.xkey = beresp.http.Surrogate-Key;
    }
    # Keep serving a page briefly while a fresh one is fetched, as the app allows.
    if (beresp.http.Cache-Control ~ "stale-while-revalidate=") {
        set beresp.grace = std.duration(
            regsub(beresp.http.Cache-Control, ".*stale-while-revalidate=([0-9]+).*", "\1s"), 0s);
    } else {
        set beresp.grace = 0s;
    }
    return (deliver);
}

sub vcl_deliver {
    # The keys are for caches, not readers.
    unset resp.http.xkey;
    if (obj.hits > 0) {
        set resp.http.X-Varnish-Cache = "HIT";
    } else {
        set resp.http.X-Varnish-Cache = "MISS";
    }
}
