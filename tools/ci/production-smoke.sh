#!/usr/bin/env bash
# Runs the built apps the way their Docker images do (production dependencies only, `node dist/main.js`)
# and walks the README's newcomer path through them, with the pipeline in its two compose roles (an `api`
# and a `worker` process): a missing runtime dependency fails here, not in a container.
# Usage: DATABASE_URL=... tools/ci/production-smoke.sh
set -euo pipefail
database_url=${DATABASE_URL:?set DATABASE_URL to an existing, empty database}
root=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

# The build stage of docker/<app>.Dockerfile, command for command:
npx nx build mock-api >/dev/null
npx nx run-many -t build -p pipeline dashboard >/dev/null
for app in mock-api pipeline; do
  mkdir -p "$work/$app"
  cp "$root/package.json" "$root/package-lock.json" "$work/$app/"
  # The runtime stage of docker/<app>.Dockerfile, command for command:
  (cd "$work/$app" && npm ci --omit=dev --ignore-scripts --no-audit --no-fund --loglevel=error)
  cp -r "$root/dist/apps/$app" "$work/$app/dist"
done
cp -r "$root/dist/apps/dashboard" "$work/pipeline/dashboard"

for port in 15000 18000 18001; do
  # Something still answering there would be tested instead of the apps built here.
  if curl -fs "http://127.0.0.1:$port/api/health" >/dev/null 2>&1; then
    echo "production smoke: port $port is taken by another process"
    exit 1
  fi
done
# exec, so that the pid cleanup kills is node's and not a subshell's that would leave node running.
(cd "$work/mock-api" && MOCK_API_PORT=15000 NODE_ENV=production exec node dist/main.js >"$work/mock-api.log" 2>&1) &
pids+=($!)
for role in api worker; do
  port=$([[ $role == api ]] && echo 18000 || echo 18001)
  (cd "$work/pipeline" && DATABASE_URL=$database_url PIPELINE_ROLE=$role PIPELINE_PORT=$port \
    SOURCE_URL=http://127.0.0.1:15000 NODE_ENV=production exec node dist/main.js >"$work/pipeline-$role.log" 2>&1) &
  pids+=($!)
done

for port in 15000 18000 18001; do
  for _ in $(seq 1 60); do
    curl -fsS "http://127.0.0.1:$port/api/health" >/dev/null 2>&1 && break
    sleep 0.5
  done
done
# Bounded: a worker that failed to start would otherwise leave the run queued and this wait endless.
curl -fsS --max-time 120 -X POST http://127.0.0.1:18000/api/ingest | grep -q '"records_processed":21' \
  || { echo "production smoke: ingest failed"; cat "$work"/*.log; exit 1; }
curl -fsS http://127.0.0.1:18000/api/customers/CUST001 | grep -q '"customer_id":"CUST001"' \
  || { echo "production smoke: read-back failed"; exit 1; }
curl -fsS http://127.0.0.1:18000/docs >/dev/null
# The dashboard: its page and the script it names, from the api process.
page=$(curl -fsS http://127.0.0.1:18000/)
script=$(grep -o '/assets/[^"]*\.js' <<<"$page" | head -n 1)
[[ -n $script ]] && curl -fsS "http://127.0.0.1:18000$script" >/dev/null \
  || { echo "production smoke: the dashboard is not served"; exit 1; }
# Read whole before grep: grep -q stops at the first match, and curl on a closed pipe fails the pipeline.
# The run was the worker's job: its process counts it.
metrics=$(curl -fsS http://127.0.0.1:18001/metrics)
grep -q '^ingest_runs_total{outcome="success"} 1' <<<"$metrics" \
  || { echo "production smoke: metrics failed"; exit 1; }
# A worker serves health and metrics alone.
[[ $(curl -s -o /dev/null -w '%{http_code}' http://127.0.0.1:18001/api/customers) == 404 ]] \
  || { echo "production smoke: the worker serves the read API"; exit 1; }
[[ $(curl -s -o /dev/null -w '%{http_code}' http://127.0.0.1:18001/) == 404 ]] \
  || { echo "production smoke: the worker serves the dashboard"; exit 1; }
echo "production smoke: both apps run on production dependencies only, the pipeline as api and worker, the dashboard from the api"
