#!/usr/bin/env bash
# nginx in the foreground with the deployed site (deploy/nginx.conf, its portal cache included), pointed at one
# gunicorn on loopback, everything it writes in a folder of its own: the load test's front as in production.
#   bench/load/nginx.sh <folder> <gunicorn port> <nginx port>
set -euo pipefail
cd "$(dirname "$0")/../.."
run=$1 app_port=$2 port=$3
chmod 755 "$run"  # nginx's workers run as nobody: they walk into the folder and write in these two
mkdir -p -m 777 "$run/cache" "$run/temp"
sed -e "s/server app1:8000;/server 127.0.0.1:${app_port};/" -e "/server app2:8000;/d" \
    -e "s/listen 80;/listen 127.0.0.1:${port};/" -e "s#/var/cache/nginx/tinhgon#${run}/cache#" \
    deploy/nginx.conf > "$run/site.conf"
grep -q "127.0.0.1:${app_port}" "$run/site.conf" || { echo "deploy/nginx.conf: upstream app1:8000 not found" >&2; exit 2; }
cat > "$run/nginx.conf" <<CONF
worker_processes 1;
pid $run/nginx.pid;
error_log $run/error.log warn;
daemon off;
events { worker_connections 4096; }
http {
    access_log off;
    client_body_temp_path $run/temp/body;
    proxy_temp_path $run/temp/proxy;
    fastcgi_temp_path $run/temp/fastcgi;
    uwsgi_temp_path $run/temp/uwsgi;
    scgi_temp_path $run/temp/scgi;
    include $run/site.conf;
}
CONF
exec nginx -c "$run/nginx.conf" -p "$run"
