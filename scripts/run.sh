#!/usr/bin/env bash
# Start the action server, Rasa (REST channel and HTTP API) and the web server
# (calendar files), all on localhost only. Ctrl-C stops them.
# Ports: RASA_PORT (5005), ACTIONS_PORT (5055), WEB_PORT (8080).
set -uo pipefail
cd "$(dirname "$0")/.."
export RASA_TELEMETRY_ENABLED=false PYTHONPATH="$PWD"
RASA_PORT=${RASA_PORT:-5005} ACTIONS_PORT=${ACTIONS_PORT:-5055} WEB_PORT=${WEB_PORT:-8080}
export PUBLIC_URL=${PUBLIC_URL:-http://127.0.0.1:$WEB_PORT}
start=$(date +%s)

pids=()
stop() {
  trap - INT TERM EXIT
  [ ${#pids[@]} -gt 0 ] && kill "${pids[@]}" 2>/dev/null
  wait 2>/dev/null
  echo "Assistant RH arrêté."
}
trap stop INT TERM EXIT

for port in "$RASA_PORT" "$ACTIONS_PORT" "$WEB_PORT"; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    echo "ERROR: port $port is already in use (another 'make run'?). Stop it first." >&2
    exit 1
  fi
done

# Rasa reaches the action server through endpoints.yml; point it at ACTIONS_PORT.
mkdir -p var
endpoints=var/endpoints-$ACTIONS_PORT.yml
sed "s#127.0.0.1:5055#127.0.0.1:$ACTIONS_PORT#" endpoints.yml >"$endpoints"

# Retention: conversation sessions past their period are deleted at every start (and by cron in production).
.venv/bin/python -m bot conversations purge || echo "WARNING: the conversation purge failed (see above)." >&2

SANIC_HOST=127.0.0.1 ACTIONS_WARM_UP=1 .venv/bin/python -m rasa_sdk --actions actions -p "$ACTIONS_PORT" --quiet &
pids+=($!)
.venv-rasa/bin/rasa run --enable-api --interface 127.0.0.1 --port "$RASA_PORT" \
  --model models/assistant.tar.gz --credentials credentials.yml --endpoints "$endpoints" &
pids+=($!)
WEB_HOST=127.0.0.1 WEB_PORT=$WEB_PORT .venv/bin/python -m bot.web &
pids+=($!)

ready() { curl -sf "$1" >/dev/null 2>&1; }
until ready "http://127.0.0.1:$RASA_PORT/status" && ready "http://127.0.0.1:$ACTIONS_PORT/health" \
      && ready "http://127.0.0.1:$WEB_PORT/health"; do
  for pid in "${pids[@]}"; do
    kill -0 "$pid" 2>/dev/null || { echo "ERROR: a server failed to start (see above)." >&2; exit 1; }
  done
  sleep 1
done

cat <<MSG

Assistant RH is ready after $(( $(date +%s) - start )) s.
  Chat in a terminal:  make shell          (in another terminal)
  REST channel:        curl -s -XPOST http://127.0.0.1:$RASA_PORT/webhooks/rest/webhook \\
                         -H 'Content-Type: application/json' -d '{"sender": "moi", "message": "Bonjour"}'
  Calendar files:      $PUBLIC_URL/agenda/...
  Stop:                Ctrl-C
MSG
wait -n "${pids[@]}"
