#!/usr/bin/env bash
# Run a command against a running assistant: the one `make run` started, or one
# started here for the command's duration (log: var/assistant-$RASA_PORT.log).
# Ports as in scripts/run.sh (RASA_PORT, ACTIONS_PORT, WEB_PORT).
set -uo pipefail
cd "$(dirname "$0")/.."
export RASA_PORT=${RASA_PORT:-5005} ACTIONS_PORT=${ACTIONS_PORT:-5055} WEB_PORT=${WEB_PORT:-8080}
# REST_CHANNEL=1 (make shell, make bench, the tests): the command talks to the REST channel, so an
# assistant already running without it is of no use; one started here gets it.
REST_CHANNEL=${REST_CHANNEL:-0}
export REST_CHANNEL
up() {
  curl -sf "http://127.0.0.1:$RASA_PORT/" >/dev/null 2>&1 \
    && curl -sf "http://127.0.0.1:$ACTIONS_PORT/health" >/dev/null 2>&1 \
    && curl -sf "http://127.0.0.1:$WEB_PORT/health" >/dev/null 2>&1
}
rest_on() { curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$RASA_PORT/webhooks/rest/" | grep -q 200; }
if up && [ "$REST_CHANNEL" = 1 ] && ! rest_on; then
  echo "ERROR: the assistant running on port $RASA_PORT has no REST channel: restart it with REST_CHANNEL=1 make run." >&2
  exit 1
fi
if ! up; then
  mkdir -p var
  log=var/assistant-$RASA_PORT.log
  echo "Starting the assistant (log: $log)..." >&2
  scripts/run.sh >"$log" 2>&1 &
  server=$!
  trap 'kill -TERM $server 2>/dev/null; wait $server 2>/dev/null' EXIT  # background jobs ignore SIGINT
  until up; do
    kill -0 $server 2>/dev/null || { echo "ERROR: the assistant failed to start; see $log" >&2; exit 1; }
    sleep 1
  done
  # The first messages trace the model's TensorFlow graphs (seconds): do it before the command's.
  [ "$REST_CHANNEL" != 1 ] || curl -sf -XPOST "http://127.0.0.1:$RASA_PORT/webhooks/rest/webhook" -H 'Content-Type: application/json' \
    -d '{"sender": "assistant-warm-up", "message": "bonjour"}' >/dev/null || true
fi
"$@"
