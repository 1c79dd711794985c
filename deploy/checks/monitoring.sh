#!/usr/bin/env bash
# Validates the monitoring files offline (issue 7), from the repository root:
#   bash deploy/checks/monitoring.sh
#
#   1. promtool check config deploy/prometheus/prometheus.yml   (also checks the rule files it loads)
#   2. promtool check rules  deploy/prometheus/alerts.yml
#   3. promtool test rules   deploy/prometheus/alerts_test.yml  (unit tests of every alert)
#   4. python3 deploy/checks/grafana_queries.py deploy/grafana/darkroom.json
#      (dashboard structure; every query parsed by promtool)
#
# Needs promtool (Debian: apt-get install prometheus; PROMTOOL=/path/to/promtool picks another) and
# python3. A missing tool fails the run: nothing is ever skipped. Every step runs; the last line counts
# them, and the exit status is non-zero if any failed.
#
# Debian's promtool is built without Kubernetes service discovery, so it refuses `kubernetes_sd_configs`
# as an unknown field. With such a promtool, step 1 checks a copy of prometheus.yml without those blocks
# (promtool still checks everything else in the file, the jobs' relabelling included, and alerts.yml),
# and checks the removed blocks' keys and roles itself; it says so. An upstream promtool checks the file
# as it is.
set -euo pipefail
cd "$(dirname "$0")/../.."

promtool=${PROMTOOL:-promtool}
if ! command -v "$promtool" > /dev/null 2>&1; then
  echo "monitoring.sh: promtool not found ($promtool). Install it (Debian: apt-get install prometheus)" \
    "or point PROMTOOL at one. Not skipping: failing." >&2
  exit 1
fi
if ! command -v python3 > /dev/null 2>&1; then
  echo "monitoring.sh: python3 not found; it runs deploy/checks/grafana_queries.py. Failing." >&2
  exit 1
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Whether this promtool knows kubernetes_sd_configs.
supports_kubernetes_sd() {
  printf 'scrape_configs:\n  - job_name: probe\n    kubernetes_sd_configs:\n      - role: pod\n' > "$work/probe.yml"
  local output
  if output=$("$promtool" check config "$work/probe.yml" 2>&1); then
    return 0
  fi
  if grep -q 'field kubernetes_sd_configs not found' <<< "$output"; then
    return 1
  fi
  echo "monitoring.sh: promtool failed on a minimal Kubernetes config:" >&2
  echo "$output" >&2
  exit 1
}

# promtool check config, for a promtool without Kubernetes discovery: writes the config without its
# kubernetes_sd_configs blocks next to a copy of its rule files, checks the blocks' shape here, and runs
# promtool on the copy.
check_config_without_kubernetes_sd() {
  local config=$1
  cp deploy/prometheus/*.yml "$work/"
  # (errexit does not apply inside a function called from `if`: hence the explicit returns.)
  python3 - "$config" "$work/prometheus.yml" << 'PYTHON' || return 1
import re
import sys

source, target = sys.argv[1], sys.argv[2]
lines = open(source, encoding="utf-8").read().split("\n")
ROLES = {"pod", "node", "service", "endpoints", "endpointslice", "ingress"}
KEYS = {  # kubernetes_sd_config's keys, with the HTTP client's
    "role", "api_server", "kubeconfig_file", "namespaces", "selectors", "attach_metadata", "basic_auth",
    "authorization", "oauth2", "tls_config", "proxy_url", "no_proxy", "proxy_from_environment",
    "proxy_connect_header", "follow_redirects", "enable_http2", "bearer_token", "bearer_token_file",
}
NAMESPACES_KEYS = {"names", "own_namespace"}

def indent(line):
    return len(line) - len(line.lstrip(" "))

def meaningful(line):
    return line.strip() and not line.strip().startswith("#")

kept, problems, blocks, i = [], [], 0, 0
while i < len(lines):
    line = lines[i]
    match = re.match(r"^( *)kubernetes_sd_configs:\s*(#.*)?$", line)
    if not match:
        kept.append(line)
        i += 1
        continue
    blocks += 1
    key_indent = len(match.group(1))
    where = f"{source}:{i + 1}"
    i += 1
    block = []
    while i < len(lines) and (not meaningful(lines[i]) or indent(lines[i]) > key_indent
                              or (indent(lines[i]) == key_indent and lines[i].lstrip().startswith("- "))):
        block.append(lines[i])
        i += 1
    body = [l for l in block if meaningful(l)]
    if not body or not body[0].lstrip().startswith("- "):
        problems.append(f"{where}: kubernetes_sd_configs is not a list of configs")
        continue
    item_indent = indent(body[0])
    key_column = item_indent + 2
    entries = []
    for l in body:
        if indent(l) == item_indent and l.lstrip().startswith("- "):
            entries.append({})
            l = " " * key_column + l.lstrip()[2:]
        if indent(l) == key_column:
            key, _, value = l.strip().partition(":")
            value = value.split("#")[0].strip()
            entries[-1][key] = value
            entries[-1].setdefault("_keys", []).append(key)
        elif indent(l) > key_column and entries and entries[-1].get("_keys", [""])[-1] == "namespaces":
            sub = l.strip().lstrip("- ").partition(":")[0]
            if indent(l) == key_column + 2 and sub not in NAMESPACES_KEYS:
                problems.append(f"{where}: unknown key namespaces.{sub}")
    for n, entry in enumerate(entries):
        for key in entry.get("_keys", []):
            if key not in KEYS:
                problems.append(f"{where}: config {n}: unknown key {key}")
        role = entry.get("role")
        if role not in ROLES:
            problems.append(f"{where}: config {n}: role is {role!r}, not one of {sorted(ROLES)}")
    # The relabelling must read meta labels of the role it uses.
    job_tail = "\n".join(lines[i:])
    next_job = re.search(r"^\s*- job_name:", job_tail, re.M)
    relabel = job_tail[: next_job.start()] if next_job else job_tail
    for role in {e.get("role") for e in entries}:
        if role == "pod":
            for meta in set(re.findall(r"__meta_kubernetes_([a-z]+)_", relabel)):
                if meta not in {"pod", "namespace"}:
                    problems.append(f"{where}: role pod has no __meta_kubernetes_{meta}_* labels")

if problems:
    for p in problems:
        print(p, file=sys.stderr)
    sys.exit(1)
open(target, "w", encoding="utf-8").write("\n".join(kept))
print(f"  {blocks} kubernetes_sd_configs block(s): keys and roles checked by monitoring.sh")
PYTHON
  # Name the original files in promtool's output, not the copies.
  "$promtool" check config "$work/prometheus.yml" 2>&1 \
    | sed -e "s#$work/prometheus.yml#$config (without kubernetes_sd_configs)#g" -e "s#$work/#deploy/prometheus/#g"
}

check_config() {
  local config=deploy/prometheus/prometheus.yml
  if supports_kubernetes_sd; then
    "$promtool" check config "$config"
  else
    echo "NOTE: $promtool was built without Kubernetes service discovery (Debian's package drops it):"
    echo "      checking $config without its kubernetes_sd_configs blocks (see the header of this script)."
    echo "      Set PROMTOOL to an upstream promtool for the complete check."
    check_config_without_kubernetes_sd "$config"
  fi
}

passed=0
failed=0
step() {
  local title=$1
  shift
  echo "== $title"
  if "$@"; then
    passed=$((passed + 1))
  else
    echo "FAILED: $title" >&2
    failed=$((failed + 1))
  fi
}

step "promtool check config deploy/prometheus/prometheus.yml" check_config
step "promtool check rules deploy/prometheus/alerts.yml" "$promtool" check rules deploy/prometheus/alerts.yml
step "promtool test rules deploy/prometheus/alerts_test.yml" "$promtool" test rules deploy/prometheus/alerts_test.yml
step "grafana_queries.py deploy/grafana/darkroom.json" python3 deploy/checks/grafana_queries.py deploy/grafana/darkroom.json

echo "monitoring: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
