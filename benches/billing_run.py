#!/usr/bin/env python3
"""Billing run benchmark (issue #6).

Runs `ebok billing run` (release build) for the month after the demo's history on a copy of the
demo ISP (100 000 generated customers by default) and reports what the CLI reports (invoices per
second, total time, the PDF part and the database part) with the peak resident memory measured
by GNU time. Every run starts from the same seeded database: the SQLite file is copied, the
PostgreSQL database is cloned from a template, and the PDFs go to a fresh directory.

    python3 benches/billing_run.py --backend sqlite
    python3 benches/billing_run.py --backend postgres --postgres-url postgres://postgres@127.0.0.1:5432

The demo database is the one the dashboard benchmark seeds (target/bench-dashboard/), made on
first use: `python3 benches/dashboard_load.py --backend <b> --customers <n> --seed-only`.
Needs GNU time (apt-get install time).
"""

import argparse
import datetime
import os
import re
import shutil
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def next_month(today):
    year, month = (today.year + 1, 1) if today.month == 12 else (today.year, today.month + 1)
    return f"{year:04d}-{month:02d}"


def postgres_cpu_seconds(url):
    """CPU seconds the PostgreSQL cluster has used so far: the postmaster's own and its reaped
    children's (every backend that has ended, the run's own among them) plus its live children's.
    The difference of two readings is what the cluster spent in between, whatever started or
    ended then. Needs the cluster on this machine and a superuser (for data_directory)."""
    data = subprocess.run(["psql", url, "-Atc", "SHOW data_directory"], capture_output=True,
                          text=True, check=True).stdout.strip()
    with open(os.path.join(data, "postmaster.pid")) as f:
        postmaster = int(f.readline())
    tick = os.sysconf("SC_CLK_TCK")

    def fields(pid):
        with open(f"/proc/{pid}/stat") as f:
            # After the command name in parentheses: state is field 3, utime 14 … cstime 17.
            return f.read().rsplit(")", 1)[1].split()
    own = fields(postmaster)
    total = sum(int(x) for x in own[11:15])
    for pid in os.listdir("/proc"):
        if not pid.isdigit() or int(pid) == postmaster:
            continue
        try:
            stat = fields(pid)
        except OSError:
            continue
        if int(stat[1]) == postmaster:
            total += int(stat[11]) + int(stat[12])
    return total / tick


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--backend", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--postgres-url", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--period", default=next_month(datetime.date.today()))
    parser.add_argument("--database", help="PostgreSQL database seeded (default ebok_bench_<customers>)")
    parser.add_argument("--in-place", action="store_true",
                        help="PostgreSQL: run on the seeded database itself instead of a copy (a "
                             "million customers' copy costs as much disk again); the run can be "
                             "made once per period")
    parser.add_argument("--binary", help="an ebok binary to run as it is (default: cargo build --release)")
    args = parser.parse_args()
    if not os.path.exists("/usr/bin/time"):
        sys.exit("GNU time is not installed: apt-get install time")

    seeded = os.path.join(ROOT, "target", "bench-dashboard", f"{args.backend}-{args.customers}")
    if not os.path.exists(os.path.join(seeded, "seeded")):
        subprocess.run([sys.executable, os.path.join(ROOT, "benches", "dashboard_load.py"),
                        "--backend", args.backend, "--customers", str(args.customers),
                        "--postgres-url", args.postgres_url, "--seed-only",
                        *(["--database", args.database] if args.database else []),
                        *(["--binary", args.binary] if args.binary else [])], check=True)
    if args.binary:
        binary = args.binary
    else:
        subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=ROOT, check=True)
        target = os.environ.get("CARGO_TARGET_DIR") or subprocess.run(
            ["cargo", "metadata", "--format-version", "1", "--no-deps"], cwd=ROOT,
            capture_output=True, text=True, check=True).stdout.split('"target_directory":"')[1].split('"')[0]
        binary = os.path.join(target, "release", "ebok")

    work = os.path.join(ROOT, "target", "bench-billing", f"{args.backend}-{args.customers}")
    # Each run's PDFs go to a directory of their own, deleted by a run ten minutes later, which
    # then waits five minutes more: ext4 will not hand out an inode deleted in the last 5 s
    # (305 s while its inode table block is dirty, which the run's own new files make it) and
    # searches past each such one, so creating a run's files right after deleting the last
    # run's took more CPU than rendering them (perf). An ISP's run never follows the deletion of
    # a run's worth of files.
    os.makedirs(work, exist_ok=True)
    deleted = False
    for name in os.listdir(work):
        path = os.path.join(work, name)
        if name.startswith("invoices-") and time.time() - os.path.getmtime(path) > 600:
            shutil.rmtree(path)
            deleted = True
    if deleted:
        print("deleted earlier runs' PDFs; waiting 310 s before this run (see the comment)", flush=True)
        os.sync()
        time.sleep(310)
    shutil.rmtree(os.path.join(work, "data"), ignore_errors=True)
    invoices = os.path.join(work, f"invoices-{time.time_ns()}")
    os.makedirs(invoices)
    env = dict(os.environ)
    env.update({
        "EBOK_DATA_DIR": os.path.join(work, "data"),
        "EBOK_INVOICES_DIR": invoices,
        "RUST_LOG": "warn",
    })
    if args.backend == "sqlite":
        shutil.copytree(os.path.join(seeded, "data"), os.path.join(work, "data"))
    else:
        base = args.postgres_url.rstrip("/")
        source = args.database or f"ebok_bench_{args.customers}"
        copy = source if args.in_place else f"ebok_bench_billing_{args.customers}"
        if not args.in_place:
            for sql in (f"DROP DATABASE IF EXISTS {copy}", f"CREATE DATABASE {copy} TEMPLATE {source}"):
                subprocess.run(["psql", base + "/postgres", "-qc", sql], check=True)
        env["EBOK_DATABASE_URL"] = f"{base}/{copy}"
        # The seeded data directory holds the keys the database's secrets are sealed with (the
        # KSeF Offline certificate's among them): without them the run would have no KOD II.
        shutil.copytree(os.path.join(seeded, "data"), os.path.join(work, "data"))

    server_before = postgres_cpu_seconds(env["EBOK_DATABASE_URL"]) if args.backend == "postgres" else None
    run = subprocess.run(["/usr/bin/time", "-v", binary, "billing", "run", "--period", args.period],
                         cwd=ROOT, env=env, capture_output=True, text=True)
    server_cpu = (postgres_cpu_seconds(env["EBOK_DATABASE_URL"]) - server_before
                  if server_before is not None else None)
    if run.returncode != 0:
        sys.stderr.write(run.stdout + run.stderr)
        sys.exit(f"the billing run failed (exit {run.returncode})")
    peak_kb = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", run.stderr).group(1))
    wall = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (\S+)", run.stderr).group(1)
    print(run.stdout.strip())
    user = float(re.search(r"User time \(seconds\): (\S+)", run.stderr).group(1))
    system = float(re.search(r"System time \(seconds\): (\S+)", run.stderr).group(1))
    print(f"  peak RSS {peak_kb / 1024:.0f} MB, wall clock {wall} (whole process: start-up, fonts, run)")
    print(f"  CPU: ebok {user:.1f} s user + {system:.1f} s system"
          + (f", PostgreSQL {server_cpu:.1f} s (every server process; run nothing else against it)"
             if server_cpu is not None else ""))
    print(f"backend {args.backend}, {args.customers} customers, period {args.period}, "
          f"{os.cpu_count()} cores; target: under 2 minutes and under 300 MB")


if __name__ == "__main__":
    main()
