#!/usr/bin/env python3
"""Traffic statistics benchmark (issue #21).

Ingests one day of 5-minute counters for every endpoint of a demo ISP (`--customers` generated
customers, one endpoint each, plus the fixed demo ones) through `ebok traffic import`, one file
per hour as a collector would hand them over (12 intervals x endpoints rows each), then rolls the
day up with `ebok traffic rollup`, and reports:

  * rows ingested per second (import wall time, CSV parsing included) and the roll-up time;
  * the rows and the database growth per kind (raw 5-minute, hourly, daily), and from them what a
    year costs at this size: raw rows kept EBOK_TRAFFIC_RAW_DAYS days, hourly and daily for good.

    python3 benches/traffic_ingest.py --backend sqlite --customers 100000
    python3 benches/traffic_ingest.py --backend postgres --customers 100000 \
        --postgres-url postgres://postgres@127.0.0.1:5432
    python3 benches/traffic_ingest.py --customers 200 --profile debug   # a quick check

The demo is seeded once per backend and size (target/bench-traffic/<backend>-<n>/seed) and copied
for every run (SQLite) or cloned from a template (PostgreSQL). A release build unless --profile
debug.
"""

import argparse
import datetime
import os
import random
import shutil
import sqlite3
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def target_dir():
    return os.environ.get("CARGO_TARGET_DIR") or subprocess.run(
        ["cargo", "metadata", "--format-version", "1", "--no-deps"], cwd=ROOT,
        capture_output=True, text=True, check=True).stdout.split('"target_directory":"')[1].split('"')[0]


def psql(url, sql):
    return subprocess.run(["psql", url, "-Atqc", sql], check=True, capture_output=True,
                          text=True).stdout.strip()


class Database:
    def __init__(self, backend, data_dir, url):
        self.backend, self.data_dir, self.url = backend, data_dir, url

    def query(self, sql):
        if self.backend == "sqlite":
            with sqlite3.connect(os.path.join(self.data_dir, "ebok.sqlite3")) as conn:
                return [tuple(str(v) for v in row) for row in conn.execute(sql).fetchall()]
        out = psql(self.url, sql)
        return [tuple(line.split("|")) for line in out.splitlines() if line]

    def size(self):
        """Bytes the database takes (SQLite: the file after a checkpoint; PostgreSQL: the database)."""
        if self.backend == "sqlite":
            path = os.path.join(self.data_dir, "ebok.sqlite3")
            with sqlite3.connect(path) as conn:
                conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            return os.path.getsize(path)
        psql(self.url, "CHECKPOINT")
        return int(psql(self.url, "SELECT pg_database_size(current_database())"))

    def table_size(self, table):
        if self.backend == "sqlite":
            try:
                rows = self.query(f"SELECT SUM(pgsize) FROM dbstat WHERE name = '{table}' "
                                  f"OR name IN (SELECT name FROM sqlite_master WHERE tbl_name = '{table}' AND type = 'index')")
                return int(float(rows[0][0] or 0))
            except sqlite3.OperationalError:
                return None  # SQLite built without dbstat
        return int(psql(self.url, f"SELECT pg_total_relation_size('{table}')"))

    def count(self, table):
        return int(self.query(f"SELECT COUNT(*) FROM {table}")[0][0])


def mib(n):
    return "?" if n is None else f"{n / 1048576:,.1f} MiB"


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--backend", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--postgres-url", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--profile", choices=["release", "debug"], default="release")
    parser.add_argument("--raw-days", type=int, default=14, help="EBOK_TRAFFIC_RAW_DAYS for the yearly estimate")
    args = parser.parse_args()

    build = ["cargo", "build", "--quiet"] + (["--release"] if args.profile == "release" else [])
    subprocess.run(build, cwd=ROOT, check=True)
    binary = os.path.join(target_dir(), args.profile, "ebok")

    home = os.path.join(ROOT, "target", "bench-traffic", f"{args.backend}-{args.customers}")
    seed, work = os.path.join(home, "seed"), os.path.join(home, "run")
    base = args.postgres_url.rstrip("/")
    source, copy = f"ebok_bench_traffic_seed_{args.customers}", f"ebok_bench_traffic_{args.customers}"
    env = dict(os.environ, RUST_LOG="warn", EBOK_TRAFFIC_RAW_DAYS=str(max(args.raw_days, 2)))

    if not os.path.exists(os.path.join(seed, "seeded")):
        shutil.rmtree(seed, ignore_errors=True)
        os.makedirs(os.path.join(seed, "invoices"))
        seed_env = dict(env, EBOK_DATA_DIR=os.path.join(seed, "data"),
                        EBOK_INVOICES_DIR=os.path.join(seed, "invoices"))
        if args.backend == "postgres":
            psql(base + "/postgres", f"DROP DATABASE IF EXISTS {source}")
            psql(base + "/postgres", f"CREATE DATABASE {source}")
            seed_env["EBOK_DATABASE_URL"] = f"{base}/{source}"
        print(f"seeding the demo with {args.customers} customers (once) …", flush=True)
        # Without PDFs: the seeded invoices do not matter here, only the endpoints.
        subprocess.run([binary, "demo", "--customers", str(args.customers), "--seed-only", "--no-pdfs"],
                       cwd=ROOT, env=seed_env, check=True, stdout=subprocess.DEVNULL)
        open(os.path.join(seed, "seeded"), "w").close()

    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(os.path.join(work, "invoices"))
    env.update(EBOK_DATA_DIR=os.path.join(work, "data"), EBOK_INVOICES_DIR=os.path.join(work, "invoices"))
    if args.backend == "sqlite":
        shutil.copytree(os.path.join(seed, "data"), os.path.join(work, "data"))
        url = None
    else:
        psql(base + "/postgres", f"DROP DATABASE IF EXISTS {copy}")
        psql(base + "/postgres", f"CREATE DATABASE {copy} TEMPLATE {source}")
        url = f"{base}/{copy}"
        env["EBOK_DATABASE_URL"] = url
        os.makedirs(os.path.join(work, "data"))
    db = Database(args.backend, os.path.join(work, "data"), url)

    ips = [row[0] for row in db.query("SELECT ipv4 FROM endpoints WHERE ipv4 IS NOT NULL ORDER BY id")]
    # The demo's own week of counters is rolled up already; measure from here.
    before = {t: (db.count(t), db.table_size(t)) for t in ("traffic_samples", "traffic_hourly", "traffic_daily")}
    size_before = db.size()

    # Yesterday in UTC, hour by hour: 12 intervals x endpoints per file.
    day = datetime.datetime.now(datetime.timezone.utc).date() - datetime.timedelta(days=1)
    start = datetime.datetime(day.year, day.month, day.day, tzinfo=datetime.timezone.utc)
    rng = random.Random(21)
    path = os.path.join(work, "hour.csv")
    rows = 0
    import_seconds = 0.0
    for hour in range(24):
        with open(path, "w") as out:
            out.write("ip,timestamp,in,out\n")
            for interval in range(12):
                at = int((start + datetime.timedelta(hours=hour, minutes=5 * interval)).timestamp())
                for ip in ips:
                    down = rng.randrange(0, 400_000_000)
                    out.write(f"{ip},{at},{down},{down // 10}\n")
                    rows += 1
        began = time.perf_counter()
        run = subprocess.run([binary, "traffic", "import", path, "--no-rollup"], cwd=ROOT, env=env,
                             capture_output=True, text=True)
        import_seconds += time.perf_counter() - began
        if run.returncode != 0:
            sys.stderr.write(run.stdout + run.stderr)
            sys.exit(f"the import of hour {hour} failed (exit {run.returncode})")
        print(f"  hour {hour:02d}: {run.stdout.strip().splitlines()[0]}", flush=True)
    os.remove(path)
    raw_size = db.size()

    began = time.perf_counter()
    run = subprocess.run([binary, "traffic", "rollup"], cwd=ROOT, env=env, capture_output=True, text=True)
    rollup_seconds = time.perf_counter() - began
    if run.returncode != 0:
        sys.stderr.write(run.stdout + run.stderr)
        sys.exit(f"the roll-up failed (exit {run.returncode})")
    print(f"  {run.stdout.strip()}")
    after = {t: (db.count(t), db.table_size(t)) for t in before}
    size_after = db.size()

    endpoints = len(ips)
    added = {t: after[t][0] - before[t][0] for t in before}
    print()
    print(f"backend {args.backend}, {endpoints} endpoints, {args.profile} build")
    print(f"ingested {rows:,} counters in {import_seconds:.1f} s: {rows / import_seconds:,.0f} rows/s")
    print(f"rolled up in {rollup_seconds:.1f} s ({added['traffic_hourly']:,} hourly, "
          f"{added['traffic_daily']:,} daily rows; {rows / rollup_seconds:,.0f} raw rows/s)")
    print(f"database: {mib(size_before)} before, {mib(raw_size)} with the raw day, {mib(size_after)} rolled up")
    per_row = {}
    for table, (count, size) in after.items():
        grown = None if size is None or before[table][1] is None else size - before[table][1]
        per_row[table] = (grown / added[table]) if grown and added[table] else None
        print(f"  {table}: {count:,} rows, {mib(size)}"
              + (f" ({per_row[table]:.0f} bytes per row)" if per_row[table] else ""))
    if per_row.get("traffic_samples") is None:
        # No per-table sizes (SQLite without dbstat): the growth of the whole file.
        per_row["traffic_samples"] = (raw_size - size_before) / max(added["traffic_samples"], 1)
        per_row["traffic_hourly"] = per_row["traffic_daily"] = per_row["traffic_samples"]
    year = {
        "traffic_samples": endpoints * 288 * args.raw_days,
        "traffic_hourly": endpoints * 24 * 365,
        "traffic_daily": endpoints * 365,
    }
    total = sum(year[t] * per_row[t] for t in year)
    print(f"a year at {endpoints} endpoints (raw kept {args.raw_days} days):")
    for table, count in year.items():
        print(f"  {table}: {count:,} rows, ~{mib(count * per_row[table])}")
    print(f"  together ~{mib(total)}")


if __name__ == "__main__":
    main()
