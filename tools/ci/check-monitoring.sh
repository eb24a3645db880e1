#!/usr/bin/env bash
# The monitoring profile's configuration, checked with promtool (Debian's `prometheus` package): the
# Prometheus config, the alert rules and their unit tests, and every query of the Grafana dashboard.
# Usage: tools/ci/check-monitoring.sh (npm run check:monitoring)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
monitoring=$root/docker/monitoring
command -v promtool >/dev/null || { echo "promtool is missing: apt-get install prometheus" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

promtool check config "$monitoring/prometheus/prometheus.yml"
promtool check rules "$monitoring/prometheus/alerts.yml"
(cd "$monitoring/prometheus" && promtool test rules alerts.test.yml)

# promtool parses PromQL only inside rules: each dashboard query becomes a recording rule to be checked.
node -e '
  const dashboard = require(process.argv[1]);
  const queries = dashboard.panels.flatMap((panel) => panel.targets.map((target) => target.expr));
  const rules = queries.map((expr, index) => ({ record: `dashboard:query_${index}`, expr }));
  console.log(JSON.stringify({ groups: [{ name: "dashboard", rules }] }));
' "$monitoring/grafana/dashboards/customer-pipeline.json" >"$work/dashboard-queries.yml"
promtool check rules "$work/dashboard-queries.yml" >/dev/null
echo "monitoring: Prometheus config, alert rules and their tests, and the dashboard's queries are valid"
