#!/usr/bin/env bash
# Start the action server (127.0.0.1:5055) and Rasa (127.0.0.1:5005, REST channel
# and HTTP API on localhost only). Ctrl-C stops both.
set -uo pipefail
cd "$(dirname "$0")/.."
export RASA_TELEMETRY_ENABLED=false PYTHONPATH="$PWD"
start=$(date +%s)

pids=()
stop() {
  trap - INT TERM EXIT
  [ ${#pids[@]} -gt 0 ] && kill "${pids[@]}" 2>/dev/null
  wait 2>/dev/null
  echo "Assistant RH arrêté."
}
trap stop INT TERM EXIT

for port in 5005 5055; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    echo "ERROR: port $port is already in use (another 'make run'?). Stop it first." >&2
    exit 1
  fi
done

SANIC_HOST=127.0.0.1 ACTIONS_WARM_UP=1 .venv/bin/python -m rasa_sdk --actions actions -p 5055 --quiet &
pids+=($!)
.venv-rasa/bin/rasa run --enable-api --interface 127.0.0.1 --port 5005 \
  --model models/assistant.tar.gz --credentials credentials.yml --endpoints endpoints.yml &
pids+=($!)

ready() { curl -sf "$1" >/dev/null 2>&1; }
until ready http://127.0.0.1:5005/status && ready http://127.0.0.1:5055/health; do
  for pid in "${pids[@]}"; do
    kill -0 "$pid" 2>/dev/null || { echo "ERROR: a server failed to start (see above)." >&2; exit 1; }
  done
  sleep 1
done

cat <<MSG

Assistant RH is ready after $(( $(date +%s) - start )) s.
  Chat in a terminal:  make shell          (in another terminal)
  REST channel:        curl -s -XPOST http://127.0.0.1:5005/webhooks/rest/webhook \\
                         -H 'Content-Type: application/json' -d '{"sender": "moi", "message": "Bonjour"}'
  Stop:                Ctrl-C
MSG
wait -n "${pids[@]}"
