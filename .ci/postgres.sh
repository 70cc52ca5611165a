#!/usr/bin/env bash
# The platform's tests against PostgreSQL: install it from Debian's packages if needed, start a
# throw-away cluster on loopback, run tests/web against it, stop it and remove it. Any argument
# is passed to pytest (e.g. `.ci/postgres.sh -x`); MATURITY_PG_COMMAND runs another command
# against the cluster instead (the load benchmark does).
set -euo pipefail
cd "$(dirname "$0")/.."

if ! ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1; then
  if [ "$(id -u)" -eq 0 ]; then SUDO=""; else SUDO="sudo"; fi
  $SUDO apt-get update -qq && $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
fi
BIN=$(dirname "$(ls -d /usr/lib/postgresql/*/bin/pg_ctl | sort -V | tail -n 1)")
PORT=${MATURITY_PG_PORT:-55432}
DIR=$(mktemp -d "${TMPDIR:-/tmp}/maturity-pg.XXXXXX")
RUN_AS=()
if [ "$(id -u)" = 0 ]; then  # the server refuses to run as root
  chown postgres "$DIR"
  RUN_AS=(runuser -u postgres --)
fi
stop() {
  "${RUN_AS[@]}" "$BIN/pg_ctl" -D "$DIR/data" -m fast -w stop >/dev/null 2>&1 || true
  rm -rf "$DIR"
}
trap stop EXIT

"${RUN_AS[@]}" "$BIN/initdb" -D "$DIR/data" -U maturity --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
"${RUN_AS[@]}" "$BIN/pg_ctl" -D "$DIR/data" -w -l "$DIR/server.log" \
  -o "-c listen_addresses=127.0.0.1 -p $PORT -k $DIR -c fsync=${MATURITY_PG_FSYNC:-off} -c max_connections=200" start >/dev/null
"$BIN/createdb" -h 127.0.0.1 -p "$PORT" -U maturity maturity

export MATURITY_DATABASE_URL="postgresql://maturity@127.0.0.1:$PORT/maturity"
if [ -n "${MATURITY_PG_COMMAND:-}" ]; then
  bash -c "$MATURITY_PG_COMMAND"
else
  # --no-cov: the coverage floor is the whole suite's, measured by the README's test command
  .venv/bin/python -m pytest tests/web -q -p no:cacheprovider --no-cov "$@"
fi
