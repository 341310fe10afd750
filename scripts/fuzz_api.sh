#!/usr/bin/env bash
# Fuzz the REST API against its own served schema: a live gunicorn on a scratch PostgreSQL database with
# the demo loaded, schemathesis with every check, a fixed seed so a failure reproduces, a bounded number
# of cases. Exits non-zero on any server error or conformance failure. `make fuzz` runs it; CI too.
#   FUZZ_DATABASE_URL  scratch database, dropped and created afresh (default: childcare_fuzz on 127.0.0.1)
#   FUZZ_EXAMPLES      cases per operation and phase (default 400: about 2,000 requests in all)
#   FUZZ_SEED          hypothesis seed (default 20261203)
set -euo pipefail
cd "$(dirname "$0")/.."

BIN=.venv/bin
export DJANGO_SETTINGS_MODULE=config.settings.local
export DEBUG=false
export DATABASE_URL="${FUZZ_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/childcare_fuzz}"
export REDIS_URL=
export API_THROTTLE_RATE=off   # thousands of requests from one client: the budget is not under test
export LOG_LEVEL=ERROR         # every 400 would log a warning line
export STATIC_ROOT="$(mktemp -d)"  # the API serves no static files; whitenoise only wants the folder
EXAMPLES="${FUZZ_EXAMPLES:-400}"
SEED="${FUZZ_SEED:-20261203}"
PORT="${FUZZ_PORT:-8765}"

"$BIN/python" - <<'PY'
import os, urllib.parse
import psycopg
url = urllib.parse.urlparse(os.environ["DATABASE_URL"])
name = url.path.lstrip("/")
admin = url._replace(path="/postgres").geturl()
with psycopg.connect(admin, autocommit=True) as conn:
    conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    conn.execute(f'CREATE DATABASE "{name}"')
PY
"$BIN/python" manage.py migrate --noinput >/dev/null
"$BIN/python" manage.py load_demo --force >/dev/null
TOKEN=$("$BIN/python" manage.py create_api_token --region 441802 --kind market_regulation --name fuzz | tail -n 1)

"$BIN/gunicorn" config.wsgi:application --bind "127.0.0.1:$PORT" --workers 2 --log-level warning &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true' EXIT

"$BIN/st" --config-file scripts/schemathesis.toml run "http://127.0.0.1:$PORT/api/schema/" \
  --wait-for-schema 30 \
  --checks all \
  --max-examples "$EXAMPLES" \
  --seed "$SEED" \
  --workers 2 \
  --header "Authorization: Token $TOKEN" \
  --header "Accept-Language: zh-hans" \
  --request-timeout 20
