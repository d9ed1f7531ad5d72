"""Caching anonymous public pages, and invalidating exactly the pages a change affects.

- `keys`: the surrogate keys, the only place one is spelled;
- `purging`: `purge(keys)`, once per transaction, to the app's cache and to Varnish;
- `middleware`: the shared page cache and page lifetimes;
- `receivers`: what each kind of change purges.
"""

from .keys import set_surrogate_keys, teaser_keys
from .purging import purge

__all__ = ["purge", "set_surrogate_keys", "teaser_keys"]
