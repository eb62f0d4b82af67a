#!/bin/bash
# Billing run on a seeded PostgreSQL demo (issue #25): the run is killed with SIGKILL once HALF
# customers are billed, then run again to the end; prints both runs' figures (GNU time) and
# checks that every customer is billed once, the numbers have no gap or duplicate and every
# invoice has its PDF. Runs on the database itself (a period can be billed once per database).
#
#   CUSTOMERS=30000 DATABASE=ebok_scale HALF=15000 PERIOD=2027-01 benches/billing_kill_resume.sh
#
# The demo is the one benches/dashboard_load.py seeded under target/bench-dashboard/.
set -u
ROOT=$(cd "$(dirname "$0")/.." && pwd)
CUSTOMERS=${CUSTOMERS:-100000}
DATABASE=${DATABASE:-ebok_bench_$CUSTOMERS}
PG=${PG:-postgres://postgres@127.0.0.1:5432}
PERIOD=${PERIOD:?the period to bill, e.g. 2027-01}
HALF=${HALF:-$((CUSTOMERS / 2))}
B=${BINARY:-${CARGO_TARGET_DIR:-$ROOT/target}/release/ebok}
cd "$ROOT"
export EBOK_DATA_DIR=$ROOT/target/bench-dashboard/postgres-$CUSTOMERS/data
export EBOK_INVOICES_DIR=$ROOT/target/bench-billing/postgres-$CUSTOMERS/invoices
export EBOK_DATABASE_URL="$PG/$DATABASE?sslmode=disable" RUST_LOG=warn
DB=$PG/$DATABASE
OUT=$(mktemp -d)
rm -rf "$EBOK_INVOICES_DIR"; mkdir -p "$EBOK_INVOICES_DIR"
q() { psql "$DB" -Atc "$1"; }
echo "first run start $(date -u +%T) load $(cut -d' ' -f1-3 /proc/loadavg)"
/usr/bin/time -v "$B" billing run --period "$PERIOD" > "$OUT/1.out" 2> "$OUT/1.err" &
TPID=$!
while sleep 1; do
  n=$(q "select count(*) from billed_periods where period='$PERIOD'")
  if [ "$n" -ge "$HALF" ]; then break; fi
  if ! kill -0 $TPID 2>/dev/null; then break; fi
done
EPID=$(pgrep -P $TPID)
[ -n "$EPID" ] && kill -9 $EPID
wait $TPID
echo "killed at $(date -u +%T) with $(q "select count(*) from billed_periods where period='$PERIOD'") billed; pdf files $(find "$EBOK_INVOICES_DIR" -name '*.pdf' | wc -l)"
grep -E 'Elapsed|Maximum resident|User time|System time' "$OUT/1.err"
echo "second run start $(date -u +%T) load $(cut -d' ' -f1-3 /proc/loadavg)"
/usr/bin/time -v "$B" billing run --period "$PERIOD" > "$OUT/2.out" 2> "$OUT/2.err"
RC=$?
echo "second run end $(date -u +%T) load $(cut -d' ' -f1-3 /proc/loadavg) exit $RC"
cat "$OUT/2.out"; grep -E 'Elapsed|Maximum resident|User time|System time' "$OUT/2.err"
echo "--- checks"
q "select 'billed', count(*), count(distinct customer_id) from billed_periods where period='$PERIOD'"
q "select 'runs', id, status, customers_total, customers_done, issued, skipped from billing_runs order by id"
q "select 'numbers', i.period_key, count(*), count(distinct i.seq), min(i.seq), max(i.seq), count(*) filter (where i.pdf_path is null) from invoices i join billed_periods b on b.invoice_id = i.id where b.period='$PERIOD' group by i.period_key"
q "select 'series-wide', period_key, count(*), count(distinct seq), min(seq), max(seq) from invoices where period_key in (select distinct i.period_key from invoices i join billed_periods b on b.invoice_id=i.id where b.period='$PERIOD') group by period_key"
q "select 'customers billed twice', count(*) from (select customer_id from billed_periods where period='$PERIOD' group by customer_id having count(*)>1) d"
echo "pdf files $(find "$EBOK_INVOICES_DIR" -name '*.pdf' | wc -l)"
rm -rf "$OUT"
