#!/usr/bin/env bash
# Known vulnerabilities in both locks (requirements/app.lock, requirements/rasa.lock), with pip-audit
# from its own pinned environment (.venv-audit, requirements/audit.lock). Fails on any finding that is
# not in requirements/audit-exceptions.txt. pip-audit asks PyPI's JSON API for each pinned version:
# when that service cannot be reached (an offline machine, a registry mirror without it), the audit is
# skipped with a message saying so, because an unreachable service would otherwise pass as « clean ».
set -uo pipefail
cd "$(dirname "$0")/.."
PROBE=${AUDIT_PROBE_URL:-https://pypi.org/pypi/jinja2/2.10/json}  # a version with published advisories
if ! curl -sf -m 15 "$PROBE" 2>/dev/null | grep -q '"vulnerabilities": *\[ *{'; then
  echo "AUDIT SKIPPED: PyPI's vulnerability data cannot be reached from here ($PROBE)." >&2
  echo "               Run 'make audit' on a machine with Internet access." >&2
  exit 0
fi
ignored=()
while read -r id _; do
  [ -n "$id" ] && [ "${id:0:1}" != "#" ] && ignored+=(--ignore-vuln "$id")
done <requirements/audit-exceptions.txt
status=0
for lock in requirements/app.lock requirements/rasa.lock requirements/dev.lock requirements/rasa-dev.lock; do
  echo "pip-audit $lock"
  .venv-audit/bin/pip-audit --progress-spinner off --disable-pip --require-hashes -r "$lock" "${ignored[@]}" \
    || status=1
done
exit $status
