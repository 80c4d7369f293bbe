#!/usr/bin/env bash
# Start a local PostgreSQL for the test suite and print a URL for a role that may create
# databases (each test makes and drops its own). Idempotent.
# If INDICIA_TEST_POSTGRES_URL is already set, it is printed and nothing is started.
set -euo pipefail

if [[ -n "${INDICIA_TEST_POSTGRES_URL:-}" ]]; then
  echo "$INDICIA_TEST_POSTGRES_URL"
  exit 0
fi
if [[ $(id -u) -ne 0 ]]; then
  echo "test-postgres: not root; set INDICIA_TEST_POSTGRES_URL to a server where you may CREATE DATABASE" >&2
  exit 1
fi
version=$(ls /usr/lib/postgresql | sort -V | tail -n 1)
if [[ -z "$(pg_lsclusters -h)" ]]; then
  pg_createcluster "$version" main >/dev/null
fi
read -r cversion cname cport cstatus _ < <(pg_lsclusters -h | head -n 1)
if [[ "$cstatus" != online* ]]; then
  pg_ctlcluster "$cversion" "$cname" start >&2
fi
for _ in $(seq 1 50); do
  runuser -u postgres -- pg_isready -q -p "$cport" && break
  sleep 0.2
done
psql_admin() { runuser -u postgres -- psql -p "$cport" -v ON_ERROR_STOP=1 -qtAc "$1"; }
if [[ "$(psql_admin "SELECT 1 FROM pg_roles WHERE rolname = 'indicia_test'")" != "1" ]]; then
  psql_admin "CREATE ROLE indicia_test LOGIN CREATEDB PASSWORD 'indicia_test'" >&2
fi
# Tests drop their databases WITH (FORCE); an autovacuum worker connected to one must be
# terminable by the test role.
psql_admin "GRANT pg_signal_backend TO indicia_test" >&2
echo "postgresql://indicia_test:indicia_test@127.0.0.1:${cport}/postgres"
