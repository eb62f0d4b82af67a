#!/usr/bin/env python3
"""Dunning dry run benchmark (issue #20: under 30 s on the 100 000-customer demo).

Seeds the demo ISP with N generated customers into its own data directory (once; kept under
target/bench-dunning/), then times `ebok dunning run --dry-run` on it: the run reads every
customer who may owe past a due date, works out each overdue invoice's step and statutory
interest, prints the table and writes nothing. Takes the binary to measure, so the same script
validates a debug build on a small demo and times a release build on the full one:

    python3 benches/dunning_dry_run.py target/release/ebok --customers 100000
    python3 benches/dunning_dry_run.py target/debug/ebok --customers 2000 --runs 3
    python3 benches/dunning_dry_run.py target/release/ebok --backend postgres \
        --postgres-url postgres://postgres@127.0.0.1:5432

It prints each run's wall time, the table's row count and the CLI's summary line, then the
median. The demo's history ends around today, so its unpaid invoices are the overdue ones.
"""

import argparse
import os
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("binary", help="the ebok binary to measure (debug or release)")
    parser.add_argument("--backend", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--postgres-url", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    binary = os.path.abspath(args.binary)
    if not os.access(binary, os.X_OK):
        sys.exit(f"{binary} is not an executable")

    work = os.path.join(ROOT, "target", "bench-dunning", f"{args.backend}-{args.customers}")
    env = dict(os.environ)
    env.update({
        "EBOK_DATA_DIR": os.path.join(work, "data"),
        "EBOK_INVOICES_DIR": os.path.join(work, "invoices"),
        "RUST_LOG": "warn",
    })
    if args.backend == "postgres":
        database = f"ebok_bench_dunning_{args.customers}"
        env["EBOK_DATABASE_URL"] = f"{args.postgres_url.rstrip('/')}/{database}"
    marker = os.path.join(work, "seeded")
    if not os.path.exists(marker):
        os.makedirs(work, exist_ok=True)
        if args.backend == "postgres":
            base = args.postgres_url.rstrip("/") + "/postgres"
            subprocess.run(["psql", base, "-qc", f"DROP DATABASE IF EXISTS {database}"], check=True)
            subprocess.run(["psql", base, "-qc", f"CREATE DATABASE {database}"], check=True)
        started = time.monotonic()
        subprocess.run([binary, "demo", "--customers", str(args.customers), "--seed-only"],
                       cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)
        print(f"seeded {args.customers} customers in {time.monotonic() - started:.1f} s")
        open(marker, "w").close()

    times = []
    for attempt in range(1, args.runs + 1):
        started = time.monotonic()
        run = subprocess.run([binary, "dunning", "run", "--dry-run"], cwd=ROOT, env=env,
                             capture_output=True, text=True)
        elapsed = time.monotonic() - started
        if run.returncode != 0:
            sys.stderr.write(run.stdout + run.stderr)
            sys.exit(f"the dry run failed (exit {run.returncode})")
        lines = run.stdout.splitlines()
        summary = next((l for l in lines if "klientów sprawdzonych" in l), "(no summary line)")
        times.append(elapsed)
        print(f"run {attempt}: {elapsed:.2f} s, {len(lines)} lines; {summary}")
    print(f"median {statistics.median(times):.2f} s over {len(times)} runs "
          f"({args.backend}, {args.customers} customers, {binary})")


if __name__ == "__main__":
    main()
