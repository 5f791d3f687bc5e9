#!/bin/sh
# A streaming replica of the `db` service: copies the primary once (pg_basebackup -R), then follows it.
set -eu
if [ ! -s "$PGDATA/PG_VERSION" ]; then
  until pg_isready -h db -U postgres; do sleep 1; done
  pg_basebackup -h db -U replicator -D "$PGDATA" -R -X stream -c fast
  chmod 700 "$PGDATA"
fi
exec postgres -c hot_standby=on
