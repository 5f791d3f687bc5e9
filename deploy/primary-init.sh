#!/bin/sh
# Run once by the postgres image when the primary's data directory is created: a role for replication, allowed
# from the compose network.
set -eu
psql -v ON_ERROR_STOP=1 -U postgres -c "CREATE ROLE replicator WITH REPLICATION LOGIN PASSWORD '${REPLICATION_PASSWORD}'"
echo "host replication replicator all scram-sha-256" >> "$PGDATA/pg_hba.conf"
