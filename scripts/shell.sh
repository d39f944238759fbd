#!/usr/bin/env bash
# Terminal chat: uses the assistant started by `make run`, or starts one for the session.
set -uo pipefail
cd "$(dirname "$0")/.."
export PYTHONPATH="$PWD"
if ! curl -sf http://127.0.0.1:5005/status >/dev/null 2>&1; then
  mkdir -p var
  echo "Starting the assistant (log: var/shell-server.log)..."
  scripts/run.sh >var/shell-server.log 2>&1 &
  server=$!
  trap 'kill -INT $server 2>/dev/null; wait $server 2>/dev/null' EXIT
  until curl -sf http://127.0.0.1:5005/status >/dev/null 2>&1 && curl -sf http://127.0.0.1:5055/health >/dev/null 2>&1; do
    kill -0 $server 2>/dev/null || { echo "ERROR: the assistant failed to start; see var/shell-server.log" >&2; exit 1; }
    sleep 1
  done
fi
.venv/bin/python -m bot.chat "$@"
