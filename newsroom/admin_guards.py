"""Change lists that answer a nonsense filter with "check your filters", never a 500.

Django's change list refuses a date-hierarchy value that is not a date (`ValueError`)
with IncorrectLookupParameters, which the admin shows as a reset of the filters; but:

- a year too large for a date (`?published_at__year=99999999999999999999`) raises
  OverflowError and answers 500;
- any local field can be filtered on from the address (`?ip_address=x`), and a value
  the column cannot hold reaches the database, where PostgreSQL's `inet` refuses it
  with a 500 (the fuzz suite found it on comments and on django-axes's three lists).

Every model admin, ours and those of contrib and third-party apps, gets a change list
that checks such a value against its field first and resets the filters when it does
not fit, as it does for a bad date.
"""

from __future__ import annotations

from django.contrib import admin
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models


class GuardedChangeList(ChangeList):
    def get_filters(self, request):
        try:
            filters = super().get_filters(request)
        except OverflowError as error:
            raise IncorrectLookupParameters(error) from error
        # The parameters left for a plain filter(): check those on a local field.
        for lookup, values in filters[2].items():
            self.check_value(lookup, values if isinstance(values, list) else [values])
        return filters

    def check_value(self, lookup: str, values: list) -> None:
        name, _, operator = lookup.partition("__")
        if operator not in ("", "exact"):
            return
        try:
            field = self.model._meta.get_field(name)
        except FieldDoesNotExist:
            return
        # Files are filtered by name; their validators read uploads, not names.
        if field.is_relation or not field.concrete or isinstance(field, models.FileField):
            return
        for value in values:
            if value in ("", None):
                continue
            try:
                field.run_validators(field.to_python(value))
            except ValidationError as error:
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
