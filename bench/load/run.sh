#!/usr/bin/env bash
# The load test (issue 15): gunicorn on PostgreSQL with the generated data set, locust headless against it on
# loopback, bounded in users and time; writes bench/results/load-<profile>-<users>*.csv and .md, stops by itself,
# and exits non-zero when a run misses the bar (0 errors, p95 < 500 ms). The users arrive over about 50 seconds, as
# staff arriving at work sign in (all at once, the 20 sign-ins of 200 users in 10 s queue every request behind
# PBKDF2); the figures cover the whole run, arrival included.
#   bench/load/run.sh [users ...]        default: 50 200
# Environment: PROFILE (national), SEED (1), DURATION (3m), WORKERS (5), PORT (8765), BURST (300 anonymous visitors
# arriving in 2 s, then 1 minute; 0 skips it), FRESH=1 regenerates the data, VIA (nginx: through deploy/nginx.conf
# on port NGINX_PORT, 8766, with its cache, as deployed; gunicorn: the application alone, results ending in -app).
set -euo pipefail
cd "$(dirname "$0")/../.."
PY=.venv/bin/python
PROFILE=${PROFILE:-national}
DURATION=${DURATION:-3m}
WORKERS=${WORKERS:-5}
PORT=${PORT:-8765}
NGINX_PORT=${NGINX_PORT:-8766}
VIA=${VIA:-nginx}
DB=tinhgon_load_${PROFILE}
export DATABASE_URL=postgres://postgres@127.0.0.1:5432/${DB}
export DJANGO_SETTINGS_MODULE=settings PYTHONPATH=bench/load:. DEBUG=false ALLOWED_HOSTS=127.0.0.1
export SECRET_KEY=${SECRET_KEY:-load-test-only-$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')}
mkdir -p bench/results

if [ "${FRESH:-0}" = 1 ]; then psql -h 127.0.0.1 -U postgres -qc "DROP DATABASE IF EXISTS ${DB}"; fi
if ! psql -h 127.0.0.1 -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname='${DB}'" | grep -q 1; then
    psql -h 127.0.0.1 -U postgres -qc "CREATE DATABASE ${DB}"
    $PY manage.py migrate --noinput -v 0
    $PY manage.py generate_dataset --profile "$PROFILE" --seed "${SEED:-1}"
fi

$PY manage.py collectstatic --noinput -v 0  # as deployed: hashed names from the manifest
.venv/bin/gunicorn tinhgon.wsgi --bind 127.0.0.1:${PORT} --workers "$WORKERS" --log-level warning &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
for _ in $(seq 60); do curl -sf "http://127.0.0.1:${PORT}/healthz" >/dev/null && break; sleep 1; done

host=http://127.0.0.1:${PORT}
suffix=-app
if [ "$VIA" = nginx ]; then
  command -v nginx >/dev/null || { echo "nginx không có: apt-get install nginx-light, hoặc VIA=gunicorn" >&2; exit 2; }
  run=$(mktemp -d)
  trap 'kill $server ${proxy:-} 2>/dev/null || true; rm -rf "$run"' EXIT
  bench/load/nginx.sh "$run" "$PORT" "$NGINX_PORT" &
  proxy=$!
  for _ in $(seq 30); do curl -sf "http://127.0.0.1:${NGINX_PORT}/healthz" >/dev/null && break; sleep 1; done
  host=http://127.0.0.1:${NGINX_PORT}
  suffix=
fi

# One locust run: its CSV, its Markdown report with the CPU snapshots locust took (bench/load/cpu.py), and the bar.
status=0
measure() {
  local out=$1 label=$2
  shift 2
  TINHGON_LOAD_CPU=${out}_cpu .venv/bin/locust -f bench/load/locustfile.py --headless --host "$host" \
      --stop-timeout 10 --csv "$out" --only-summary "$@" || true
  $PY bench/load/summary.py "${out}_stats.csv" "$label" "$PROFILE" "${out}_cpu" > "${out}.md" || status=1
  rm -f "${out}_cpu.before" "${out}_cpu.after"
  cat "${out}.md"
}

for users in "${@:-50 200}"; do
  for n in $users; do
    measure "bench/results/load-${PROFILE}-${n}${suffix}" "$n" \
        --users "$n" --spawn-rate "$(( n / 60 + 1 ))" --run-time "$DURATION"
  done
done

# A burst of anonymous search: BURST visitors arriving within two seconds (0 to skip).
burst=${BURST:-300}
if [ "$burst" -gt 0 ]; then
  measure "bench/results/load-${PROFILE}-burst-${burst}${suffix}" "$burst (đột biến, chỉ khách)" \
      --users "$burst" --spawn-rate "$(( burst / 2 ))" --run-time 1m Visitor
fi
exit $status
