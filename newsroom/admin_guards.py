"""Change lists that answer a nonsense filter with "check your filters", never a 500.

Django's change list refuses a date-hierarchy value that is not a date (`ValueError`)
with IncorrectLookupParameters, which the admin shows as a reset of the filters; but a
year too large for a date (`?published_at__year=99999999999999999999`) raises
OverflowError and answers 500. Every model admin, ours and those of contrib and
third-party apps, gets a change list that treats both alike.
"""

from __future__ import annotations

from django.contrib import admin
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.views.main import ChangeList


class GuardedChangeList(ChangeList):
    def get_filters(self, request):
        try:
            return super().get_filters(request)
        except OverflowError as error:
            raise IncorrectLookupParameters(error) from error


def install() -> None:
    """Make GuardedChangeList every model admin's change list (unless one has its own)."""
    original = admin.ModelAdmin.get_changelist
    if getattr(original, "guarded", False):
        return

    def get_changelist(self, request, **kwargs):
        changelist = original(self, request, **kwargs)
        if changelist is ChangeList:
            return GuardedChangeList
        return changelist

    get_changelist.guarded = True
    admin.ModelAdmin.get_changelist = get_changelist
