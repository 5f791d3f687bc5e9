"""SQLite FTS5 tables as Django sees them: an unmanaged model whose `match` field is the table's hidden column.

FTS5 names a hidden column after its table; `<table>.<table> MATCH 'query'` is the full-text match. Declaring it
as a `FullTextField` (db_column = the table name) lets a queryset join the FTS5 table through a one-to-one field
on `rowid` and filter with `match`:

    SearchEntry.objects.filter(fts__text__match='"khen"')

gives `... INNER JOIN <fts> ON (<entry>.id = <fts>.rowid) WHERE <fts>.<fts> MATCH '"khen"'`, which SQLite runs
from the FTS5 rowids (in ascending order) with one primary-key lookup per match: faster than `id IN (SELECT rowid
...)`, which first copies the rowids into a temporary index (bench/README.md, Search).
"""

from django.db import models
from django.db.models import Lookup


class FullTextField(models.TextField):
    """The hidden column of an FTS5 table (db_column = the table's name). Only the `match` lookup makes sense."""


class RowidOneToOneField(models.OneToOneField):
    """A one-to-one primary key that SQLite stores as the table's rowid, so that an FTS5 table can use it as its
    `content_rowid` and a lookup by it is one B-tree search. SQLite makes a column the rowid only when its declared
    type is exactly INTEGER; Django declares a key to a BigAutoField `bigint`, which would give the table a hidden
    rowid beside it and every lookup two searches (the key's index, then the table). Same 64-bit values."""

    def db_type(self, connection):
        return "integer" if connection.vendor == "sqlite" else super().db_type(connection)


@FullTextField.register_lookup
class Match(Lookup):
    """`column MATCH query`: the query is an FTS5 query string (quote user words: `procedures.search.fts_string`)."""

    lookup_name = "match"

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} MATCH {rhs}", [*lhs_params, *rhs_params]
