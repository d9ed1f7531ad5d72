"""Queries whose SQL is worked out once per process and run again with the time of day.

The home page's queries are the same on every request but for "now" (what is published
yet, which layout is live). The ORM took longer turning them into SQL (about 2 ms for
the latest stories, which filter `listed()` three times over and select three tables)
than PostgreSQL took to run them. `CompiledQuery` builds the queryset once, with a
stand-in for now, keeps its SQL and its compiler (which knows how to turn rows into
model instances, `select_related` and annotations included), and on each call runs the
same SQL with the real time in the stand-in's place.

Like `quick_reverse`'s link shapes, this keeps only what cannot change while the
process runs: the SQL of a fixed queryset, never its results (nothing here is a cache of
data). The SQL is checked when it is kept: the stand-in must occur among its parameters.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from django.db import connections, router
from django.db.models.query import ModelIterable, QuerySet

# Stands for "now" in the SQL kept; never a real publication time.
STAND_IN_NOW = datetime(1901, 2, 3, 4, 5, 6, 789012, tzinfo=UTC)


class CompiledQuery:
    """`build(now)`, a queryset of `model`, compiled once per database connection.

    `timed=False` for a query that does not depend on the time (`now` is then unused);
    otherwise the SQL must hold `now`, or the query is refused.
    """

    def __init__(self, model, build: Callable[[datetime], QuerySet], *, timed=True) -> None:
        self.model = model
        self.build = build
        self.timed = timed
        self._kept: dict[str, tuple] = {}

    def _compiled(self) -> tuple:
        alias = router.db_for_read(self.model)  # what the queryset's .db would say
        connection = connections[alias]
        kept = self._kept.get(alias)
        # Kept per connection object: a compiler belongs to one (one per thread).
        if kept is None or kept[0] is not connection:
            queryset = self.build(STAND_IN_NOW)
            compiler = queryset.query.get_compiler(using=alias)
            sql, params = compiler.as_sql()
            # The stand-in as the database is given it (SQLite's is text).
            marker = connection.ops.adapt_datetimefield_value(STAND_IN_NOW)
            if self.timed and marker not in params:
                raise ValueError("The query does not depend on its `now`.")
            # Django's own iterable will be given this compiler, which holds the select
            # list, the related models and the annotations, rather than compile anew.
            queryset.query.get_compiler = lambda *args, **kwargs: compiler
            places = [index for index, param in enumerate(params) if param == marker]
            kept = (connection, queryset, compiler, sql, list(params), places)
            self._kept[alias] = kept
        return kept

    def _params(self, now: datetime | None) -> list:
        if self.timed and now is None:
            raise TypeError("This query needs the time it is run at (`now`).")
        connection, _, _, _, params, places = self._compiled()
        params = params.copy()
        value = connection.ops.adapt_datetimefield_value(now)
        for index in places:
            params[index] = value
        return params

    def sql_and_compiler(self, now: datetime) -> tuple[str, list, object]:
        """The SQL, its parameters for `now`, and the compiler (for `results_iter`)."""
        _, _, compiler, sql, _, _ = self._compiled()
        return sql, self._params(now), compiler

    def instances(self, now: datetime | None = None) -> list:
        """The queryset's model instances for `now`, as `list(build(now))` gives them."""
        _, queryset, compiler, sql, _, _ = self._compiled()
        current = self._params(now)
        compiler.as_sql = lambda *args, **kwargs: (sql, current)  # the kept SQL, for `now`
        return list(ModelIterable(queryset))
