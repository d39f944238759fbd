#!/usr/bin/env bash
# Run a command against a running assistant: the one `make run` started, or one
# started here for the command's duration (log: var/assistant.log).
set -uo pipefail
cd "$(dirname "$0")/.."
export PYTHONPATH="$PWD"
up() { curl -sf http://127.0.0.1:5005/status >/dev/null 2>&1 && curl -sf http://127.0.0.1:5055/health >/dev/null 2>&1; }
if ! up; then
  mkdir -p var
  echo "Starting the assistant (log: var/assistant.log)..." >&2
  scripts/run.sh >var/assistant.log 2>&1 &
  server=$!
  trap 'kill -INT $server 2>/dev/null; wait $server 2>/dev/null' EXIT
  until up; do
    kill -0 $server 2>/dev/null || { echo "ERROR: the assistant failed to start; see var/assistant.log" >&2; exit 1; }
    sleep 1
  done
fi
"$@"
