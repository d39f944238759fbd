#!/usr/bin/env bash
# Start the action server, Rasa (intranet chat; with REST_CHANNEL=1 also the REST channel and the HTTP
# API) and the web server (chat widget, demo page, calendar files), all on localhost only. Ctrl-C stops them.
# Ports: RASA_PORT (5005), ACTIONS_PORT (5055), WEB_PORT (8080).
# DEV_SIGN_IN=1: the demo page and its development sign-in (`make run` turns it on; never in production).
# REST_CHANNEL=1: the REST channel and Rasa's HTTP API, for local tools (`make shell`, `make bench`, the tests);
#   off by default. The API then needs the token of the run, written to var/api-token (mode 0600).
# ACTION_SERVER_TOKEN: the secret Rasa sends the action server (one is made per run when unset).
# The intranet chat: INTRANET_JWT_SECRET or INTRANET_JWT_PUBLIC_KEY_FILE, INTRANET_ALLOWED_ORIGINS (README).
set -uo pipefail
umask 077  # everything the assistant writes (databases, logs, credentials, keys) is its owner's only
cd "$(dirname "$0")/.."
export RASA_TELEMETRY_ENABLED=false
# One TensorFlow thread per Rasa process: a message is a small graph, and threads only contend
# (measured: 13 % more replies/s on one instance, see bench/load.py); several instances use the cores.
export TF_INTRA_OP_PARALLELISM_THREADS=${TF_INTRA_OP_PARALLELISM_THREADS:-1}
export TF_INTER_OP_PARALLELISM_THREADS=${TF_INTER_OP_PARALLELISM_THREADS:-1}
RASA_PORT=${RASA_PORT:-5005} ACTIONS_PORT=${ACTIONS_PORT:-5055} WEB_PORT=${WEB_PORT:-8080}

# A boolean setting is 1/true/yes/on or 0/false/no/off (any case); anything else stops the start.
flag() {
  local name=$1 value=${!1:-$2}
  case "${value,,}" in
    1|true|yes|on) echo 1 ;;
    0|false|no|off) echo 0 ;;
    *) echo "ERROR: $name=$value is not a boolean: use 1 (or true, yes, on) or 0 (or false, no, off)." >&2; return 1 ;;
  esac
}
DEV_SIGN_IN=$(flag DEV_SIGN_IN 0) || exit 2
REST_CHANNEL=$(flag REST_CHANNEL 0) || exit 2
export DEV_SIGN_IN REST_CHANNEL RASA_PORT PUBLIC_URL=${PUBLIC_URL:-http://127.0.0.1:$WEB_PORT}
export CHAT_SOCKET_URL=${CHAT_SOCKET_URL:-http://127.0.0.1:$RASA_PORT}
export INTRANET_ALLOWED_ORIGINS=${INTRANET_ALLOWED_ORIGINS:-$PUBLIC_URL}
mkdir -p var && chmod 700 var && chmod -R go-rwx var  # files of older runs too
start=$(date +%s)

api_token_file=var/api-token
[ "$RASA_PORT" != 5005 ] && api_token_file=var/api-token-$RASA_PORT
pids=()
stop() {
  trap - INT TERM EXIT
  [ ${#pids[@]} -gt 0 ] && kill "${pids[@]}" 2>/dev/null
  wait 2>/dev/null
  [ ${#pids[@]} -gt 0 ] && rm -f "$api_token_file"  # this run's token (not another run's, on a port conflict)
  echo "Assistant RH arrêté."
}
trap stop INT TERM EXIT

for port in "$RASA_PORT" "$ACTIONS_PORT" "$WEB_PORT"; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    echo "ERROR: port $port is already in use (another 'make run'?). Stop it first." >&2
    exit 1
  fi
done

# The secret Rasa sends the action server (bot/runtime/action_server.py): one per run unless set (several hosts).
if [ -z "${ACTION_SERVER_TOKEN:-}" ]; then
  export ACTION_SERVER_TOKEN=$(od -An -N32 -tx1 /dev/urandom | tr -d ' \n')
fi

# Rasa's endpoints from the environment: the action server on ACTIONS_PORT, conversations in the
# SQL tracker store of TRACKER_STORE_URL (var/tracker.db by default), Redis locks if LOCK_STORE_URL.
endpoints=var/endpoints-$RASA_PORT.yml
export ACTIONS_PORT
.venv/bin/python -m bot endpoints --out "$endpoints" || exit 1

# Retention: conversation sessions past their period are deleted at every start (and by cron in production).
.venv/bin/python -m bot conversations purge || echo "WARNING: the conversation purge failed (see above)." >&2
# ...and who held appointments past BOOKING_RETENTION_DAYS is forgotten (and by cron: `bookings forget`).
.venv/bin/python -m bot bookings forget || echo "WARNING: forgetting past bookings failed (see above)." >&2
# The development sign-in signs demo tokens itself: with no intranet key given, one for this run only.
if [ "$DEV_SIGN_IN" = 1 ] && [ -z "${INTRANET_JWT_SECRET:-}" ] && [ -z "${INTRANET_JWT_PUBLIC_KEY_FILE:-}" ]; then
  export INTRANET_JWT_SECRET=$(od -An -N32 -tx1 /dev/urandom | tr -d ' \n')
fi
# The channels Rasa opens: the intranet chat when its key is set, REST only with REST_CHANNEL=1.
credentials=var/credentials-$RASA_PORT.yml
web_chat=0
[ -n "${INTRANET_JWT_SECRET:-}${INTRANET_JWT_PUBLIC_KEY_FILE:-}" ] && web_chat=1
{
  [ "$web_chat" = 1 ] && cat credentials.yml
  [ "$REST_CHANNEL" = 1 ] && echo "rasa_components.rest_channel.LocalRestInput:"
} >"$credentials"
if [ ! -s "$credentials" ]; then
  echo "ERROR: no channel: set INTRANET_JWT_SECRET or INTRANET_JWT_PUBLIC_KEY_FILE, or REST_CHANNEL=1." >&2
  exit 1
fi
# The HTTP API only with the REST channel, and only with this run's token (`?token=…`), which local
# tools read from var/api-token (var/api-token-<port> for another port than 5005).
api=()
rm -f "$api_token_file"
if [ "$REST_CHANNEL" = 1 ]; then
  od -An -N32 -tx1 /dev/urandom | tr -d ' \n' >"$api_token_file" && chmod 600 "$api_token_file"
  api=(--enable-api --auth-token-file "$api_token_file")
fi

ACTIONS_HOST=${ACTIONS_HOST:-127.0.0.1} ACTIONS_WARM_UP=1 .venv/bin/python -m bot.runtime.action_server --actions actions \
  -p "$ACTIONS_PORT" --quiet &
pids+=($!)
.venv-rasa/bin/python -m rasa_components.serve run "${api[@]}" --interface 127.0.0.1 --port "$RASA_PORT" \
  --model models/assistant.tar.gz --credentials "$credentials" --endpoints "$endpoints" &
pids+=($!)
WEB_HOST=127.0.0.1 WEB_PORT=$WEB_PORT .venv/bin/python -m bot.web.server &
pids+=($!)

ready() { curl -sf "$1" >/dev/null 2>&1; }
until ready "http://127.0.0.1:$RASA_PORT/" && ready "http://127.0.0.1:$ACTIONS_PORT/health" \
      && ready "http://127.0.0.1:$WEB_PORT/health"; do
  for pid in "${pids[@]}"; do
    kill -0 "$pid" 2>/dev/null || { echo "ERROR: a server failed to start (see above)." >&2; exit 1; }
  done
  sleep 1
done

# The first messages trace the model's TensorFlow graphs (seconds): do it before the first person's.
[ "$REST_CHANNEL" = 1 ] && curl -sf -XPOST "http://127.0.0.1:$RASA_PORT/webhooks/rest/webhook" \
  -H 'Content-Type: application/json' -d '{"sender": "assistant-warm-up", "message": "bonjour"}' >/dev/null

echo
echo "Assistant RH is ready after $(( $(date +%s) - start )) s."
if [ "$DEV_SIGN_IN" = 1 ]; then
  echo "  Web chat (demo page):  $PUBLIC_URL/     (development sign-in: pick a demo agent)"
elif [ "$web_chat" = 1 ]; then
  echo "  Web chat:              include $PUBLIC_URL/widget/assistant-rh.js in the intranet (README)"
fi
if [ "$REST_CHANNEL" = 1 ]; then
  cat <<MSG
  Chat in a terminal:    make shell          (in another terminal)
  REST channel:          curl -s -XPOST http://127.0.0.1:$RASA_PORT/webhooks/rest/webhook \\
                           -H 'Content-Type: application/json' -d '{"sender": "moi", "message": "Bonjour"}'
  HTTP API:              needs ?token=\$(cat $api_token_file)
MSG
fi
echo "  Calendar files:        $PUBLIC_URL/agenda/..."
echo "  Stop:                  Ctrl-C"
wait -n "${pids[@]}"
