#!/usr/bin/env bash
# schemathesis against a live `svledger serve`, once per role token.
#
# usage: tools/check_api.sh [SVLEDGER]     (default: the debug build's svledger)
#
# Builds a demo-like ledger (policy, catalog, tools/demo-data/portfolio.ndjson), makes an
# administrator and one account and token per role with `svledger access`, serves it on a
# free loopback port, and runs schemathesis on the document the server serves
# (GET /openapi.json) with every check, the examples, coverage, fuzzing and stateful
# phases, a fixed seed and a bounded number of examples, once per token. Any failure fails
# the script. The server is then stopped with SIGTERM (it must exit 0) and the ledger,
# written to by the fuzzing, must still verify.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
svledger=${1:-$(swift build --show-bin-path)/svledger}
seed=${CHECK_API_SEED:-2026}
examples=${CHECK_API_EXAMPLES:-25}
scratch=$(mktemp -d)
server=""
cleanup() { [ -n "$server" ] && kill -TERM "$server" 2>/dev/null; rm -rf "$scratch"; }
trap cleanup EXIT

ledger="$scratch/ledger"
head_role=(--actor r.shah --role "Head of Procurement" --ledger "$ledger")
"$svledger" init --ledger "$ledger" >/dev/null
"$svledger" policy adopt --builtin lancashire-2024-28 "${head_role[@]}" >/dev/null
"$svledger" catalog publish --builtin portal-003 "${head_role[@]}" >/dev/null
"$svledger" apply tools/demo-data/portfolio.ndjson --ledger "$ledger" >/dev/null

access() { "$svledger" access "$@" --ledger "$ledger"; }
access grant ada --role administrator --actor installer --reason "set-up" >/dev/null
declare -A tokens
# role (as `--role` takes it), account, supplier organisation
while IFS='|' read -r role account supplier; do
  access grant "$account" --role "$role" ${supplier:+--supplier "$supplier"} --actor ada >/dev/null
  tokens[$role]=$(access token issue "$account" --role "$role" --actor ada | tail -1)
done <<'ROLES'
procurement-officer|a.patel|
supplier|p.okafor|Span Engineering LLP
auditor|i.audit|
cabinet-member|cllr.ward|
ROLES
tokens[administrator]=$(access token issue ada --role administrator --actor ada | tail -1)

"$svledger" serve --ledger "$ledger" --listen 127.0.0.1:0 >"$scratch/serve.out" 2>"$scratch/serve.log" &
server=$!
for _ in $(seq 100); do [ -s "$scratch/serve.out" ] && break; sleep 0.1; done
port=$(head -1 "$scratch/serve.out" | grep -oE '127\.0\.0\.1:[0-9]+' | cut -d: -f2) || { cat "$scratch/serve.out" "$scratch/serve.log"; echo "FAIL: the server did not start"; exit 1; }
base="http://127.0.0.1:$port"

schema=${CHECK_API_SCHEMA:-$base/openapi.json}   # CHECK_API_SCHEMA=Schemas/openapi.json: the file instead
failed=0
for role in procurement-officer supplier auditor cabinet-member administrator; do
  echo "-- schemathesis as $role"
  # Run in the scratch directory: schemathesis keeps a cache of failures (.schemathesis/) where it runs.
  if ! (cd "$scratch" && schemathesis --no-color --config-file "$root/tools/check_api.toml" run "$schema" --url "$base" \
       -H "Authorization: Bearer ${tokens[$role]}" --checks all --phases examples,coverage,fuzzing,stateful \
       --seed "$seed" --max-examples "$examples" --workers 1 --generation-database none \
       --report junit --report-junit-path "$scratch/$role.xml") >"$scratch/$role.out" 2>&1; then
    cat "$scratch/$role.out"
    echo "FAIL: schemathesis as $role"
    failed=1
  else
    # "operations tested N/M, cases: G generated, P passed, S skipped", and any warning
    awk '/^API Operations:/ {a=1} a && /Selected:/ {sel=$2} a && /Tested:/ {t=$2} /^Test cases:/ {getline; c=$0}
         /^Warnings:/ {w=1; next} w && NF == 0 {w=0} w {warn = warn $0 "\n"}
         END {sub(/^ +/, "", c); printf "   operations tested %s (selected %s); cases: %s\n", t, sel, c; if (warn != "") printf "   warnings:\n%s", warn}' "$scratch/$role.out"
  fi
done

kill -TERM "$server"
status=0; wait "$server" || status=$?
server=""
[ "$status" = 0 ] || { tail -20 "$scratch/serve.log"; echo "FAIL: the server exited $status on SIGTERM"; exit 1; }
# Each log line parsed: the status is logged as a string ("status":"500"), which a pattern for a
# bare number never matched (tools/server_errors.py --self-test, run by tools/test, shows it finds both).
python3 tools/server_errors.py "$scratch/serve.log" || { echo "FAIL: the server answered 5xx"; exit 1; }
"$svledger" verify --ledger "$ledger" >/dev/null || { echo "FAIL: the ledger does not verify after the fuzzing"; exit 1; }
[ "$failed" = 0 ] || exit 1
echo "schemathesis $(schemathesis --version | grep -oE '[0-9.]+$'): 0 failures for 5 roles (seed $seed, at most $examples examples per operation); the server stopped cleanly on SIGTERM; the ledger verifies"
