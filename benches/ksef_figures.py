#!/usr/bin/env python3
"""KSeF figures (issue #16): what FA(3) generation adds to the billing run, and how fast the
local KSeF server accepts invoices in online and in batch sessions.

    python3 benches/ksef_figures.py --binary target/release/ebok --customers 100000
    python3 benches/ksef_figures.py --binary $CARGO_TARGET_DIR/debug/ebok --customers 2000

SQLite. One demo database is seeded (`ebok demo --seed-only`; the local KSeF server's demo
Offline certificate is stored, so issue-time PDFs carry KOD II), then copied for each run:

1. the billing run for the month after the demo's history, three times on fresh copies:
   with FA(3) XML and KOD II (as configured), with FA(3) but without an Offline certificate
   (no KOD II), with FA(3) XML but `EBOK_BENCH_WITHOUT_KOD1=1` (the XML made and stored, no
   KOD I on the PDF), and with `EBOK_BENCH_WITHOUT_FA3=1` (no FA(3) XML at issue, no KOD I/II);
   `--repeat N` runs them N times, interleaved, and compares the medians;
2. `ebok ksef send` of the run's invoices (the demo's history is set aside) to a fresh
   `ebok ksef sim` (FA(3) XSD validation on), once with online sessions only
   (`EBOK_KSEF_BATCH_THRESHOLD=0`) and once with batch sessions; invoices accepted per second,
   and where the time goes: CPU seconds of the sender and of the server (with its xmllint
   children), the rest being waiting.

Run it from the repository (the server finds ../shared/ksef-fa3, or set
EBOK_KSEF_SCHEMA_DIR).
"""

import argparse
import datetime
import os
import re
import resource
import shutil
import socket
import statistics
import sqlite3
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TOKEN = "ebok-bench-ksef-token"


def next_month(today):
    year, month = (today.year + 1, 1) if today.month == 12 else (today.year, today.month + 1)
    return f"{year:04d}-{month:02d}"


def base_env(work):
    env = {k: v for k, v in os.environ.items() if not k.startswith("EBOK_")}
    env.update({
        "EBOK_DATA_DIR": os.path.join(work, "data"),
        "EBOK_INVOICES_DIR": os.path.join(work, "invoices"),
        "RUST_LOG": "warn",
    })
    if "EBOK_KSEF_SCHEMA_DIR" in os.environ:
        env["EBOK_KSEF_SCHEMA_DIR"] = os.environ["EBOK_KSEF_SCHEMA_DIR"]
    return env


def copy_of(seed, name):
    work = os.path.join(os.path.dirname(seed), name)
    shutil.rmtree(work, ignore_errors=True)
    shutil.copytree(seed, work)
    return work


def database(work):
    for root, _, files in os.walk(os.path.join(work, "data")):
        for name in files:
            if name.endswith((".sqlite", ".sqlite3", ".db")):
                return os.path.join(root, name)
    sys.exit(f"no SQLite database under {work}/data")


def children_cpu():
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed(command, env, cwd=ROOT):
    """Runs to the end; returns (wall seconds, CPU seconds, stdout)."""
    cpu, started = children_cpu(), time.monotonic()
    run = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True)
    wall = time.monotonic() - started
    if run.returncode != 0:
        sys.stderr.write(run.stdout + run.stderr)
        sys.exit(f"{' '.join(command[:3])} failed (exit {run.returncode})")
    return wall, children_cpu() - cpu, run.stdout


def process_cpu(pid):
    """CPU seconds of a running process and its waited-for children (/proc/<pid>/stat)."""
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    ticks = os.sysconf("SC_CLK_TCK")
    return sum(int(fields[i]) for i in (11, 12, 13, 14)) / ticks


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def billing_run(binary, seed, name, period, extra_env=None, drop_certificate=False):
    work = copy_of(seed, name)
    if drop_certificate:
        with sqlite3.connect(database(work)) as db:
            db.execute("DELETE FROM ksef_offline_certificate")
    env = base_env(work)
    env.update(extra_env or {})
    wall, cpu, out = timed([binary, "billing", "run", "--period", period], env)
    issued = re.search(r"(\d[\d  ]*) invoices", out)
    return work, wall, cpu, out.strip(), issued.group(1) if issued else "?"


def queued(work):
    with sqlite3.connect(database(work)) as db:
        return db.execute("SELECT count(*) FROM ksef_documents WHERE state = 'queued'").fetchone()[0]


def last_invoice_id(work):
    with sqlite3.connect(database(work)) as db:
        return db.execute("SELECT coalesce(max(id), 0) FROM invoices").fetchone()[0]


def send_all(binary, work, name, threshold, history_up_to):
    """Sends the billing run's invoices (the demo's history, invoice ids up to `history_up_to`,
    is set aside as not for KSeF in this copy, so the figure is the run's 100 000, not 400 000)."""
    work = copy_of(work, name)
    with sqlite3.connect(database(work)) as db:
        db.execute("UPDATE ksef_documents SET state = 'local' WHERE state = 'queued' AND invoice_id <= ?",
                   (history_up_to,))
    waiting = queued(work)
    port = free_port()
    sim = subprocess.Popen([binary, "ksef", "sim", "--port", str(port), "--token", TOKEN],
                           cwd=ROOT, env=base_env(work), stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if time.monotonic() > deadline or sim.poll() is not None:
                    sys.exit("the local KSeF server did not start")
                time.sleep(0.2)
        env = base_env(work)
        env.update({
            "EBOK_KSEF_ENV": "local",
            "EBOK_KSEF_URL": f"http://127.0.0.1:{port}/v2",
            "EBOK_KSEF_TOKEN": TOKEN,
            "EBOK_KSEF_BATCH_THRESHOLD": str(threshold),
        })
        server_before = process_cpu(sim.pid)
        wall, sender_cpu, out = timed([binary, "ksef", "send"], env)
        server_cpu = process_cpu(sim.pid) - server_before
    finally:
        sim.terminate()
        sim.wait()
    accepted = int(re.search(r"accepted (\d+)", out).group(1))
    return waiting, accepted, wall, sender_cpu, server_cpu, out.strip()


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--binary", required=True, help="the ebok binary to measure (release for real figures)")
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--period", default=next_month(datetime.date.today()))
    parser.add_argument("--work", default=os.path.join(ROOT, "target", "bench-ksef"))
    parser.add_argument("--repeat", type=int, default=1,
                        help="rounds of the billing runs, interleaved; medians are compared")
    parser.add_argument("--without-kod2", action="store_true",
                        help="skip the run with KOD II (RSA signing dominates it)")
    parser.add_argument("--send", choices=["both", "online", "batch", "none"], default="both",
                        help="which sending to measure after the billing runs (default: both)")
    parser.add_argument("--without-sending", dest="send", action="store_const", const="none",
                        help="the same as --send none")
    args = parser.parse_args()
    binary = os.path.abspath(args.binary)

    seed = os.path.join(args.work, f"seed-{args.customers}")
    if not os.path.exists(os.path.join(seed, "seeded")):
        shutil.rmtree(seed, ignore_errors=True)
        os.makedirs(os.path.join(seed, "invoices"))
        wall, _, _ = timed([binary, "demo", "--customers", str(args.customers), "--seed-only", "--no-pdfs"],
                           base_env(seed))
        open(os.path.join(seed, "seeded"), "w").close()
        print(f"seeded {args.customers} customers in {wall:.0f} s")

    history_up_to = last_invoice_id(seed)
    print(f"billing run, period {args.period}, {args.customers} customers ({os.cpu_count()} cores):")
    kinds = [("run-fa3-kod2", None, False),
             ("run-fa3", None, True),
             ("run-fa3-no-kod1", {"EBOK_BENCH_WITHOUT_KOD1": "1"}, True),
             ("run-without-fa3", {"EBOK_BENCH_WITHOUT_FA3": "1"}, True)]
    if args.without_kod2:
        kinds = kinds[1:]
    # Interleaved rounds: the machine's drift (other work, the disk's write-back) falls on every
    # kind alike, and the medians are compared.
    walls = {name: [] for name, _, _ in kinds}
    cpus = {name: [] for name, _, _ in kinds}
    runs = {}
    for round_number in range(1, args.repeat + 1):
        for name, extra, drop in kinds:
            work, wall, cpu, out, issued = billing_run(binary, seed, name, args.period, extra, drop)
            walls[name].append(wall)
            cpus[name].append(cpu)
            if name in runs and runs[name] != work:
                shutil.rmtree(runs[name], ignore_errors=True)
            runs[name] = work
            summary = " / ".join(line.strip() for line in out.splitlines())
            print(f"  [{round_number}] {name:16} {wall:7.1f} s wall, {cpu:7.1f} s CPU, {issued} invoices | {summary}",
                  flush=True)
            if name != "run-fa3":
                # Only run-fa3's queue is sent below; the others' 3–4 GB of PDFs can go.
                shutil.rmtree(work, ignore_errors=True)
    median = {name: statistics.median(walls[name]) for name in walls}
    median_cpu = {name: statistics.median(cpus[name]) for name in cpus}
    base, base_cpu = median["run-without-fa3"], median_cpu["run-without-fa3"]
    print(f"medians of {args.repeat} round(s):")
    for name, _, _ in kinds:
        print(f"  {name:16} {median[name]:7.1f} s wall ({100 * (median[name] / base - 1):+.1f} %), "
              f"{median_cpu[name]:7.1f} s CPU ({100 * (median_cpu[name] / base_cpu - 1):+.1f} %)")
    if args.send == "none":
        return

    print("sending the queue to the local KSeF server (XSD validation on):")
    for name, threshold in (("send-online", 0), ("send-batch", 100)):
        if args.send not in ("both", name.removeprefix("send-")):
            continue
        waiting, accepted, wall, sender_cpu, server_cpu, _ = send_all(binary, runs["run-fa3"], name, threshold,
                                                                   history_up_to)
        rest = max(wall - sender_cpu - server_cpu, 0.0)
        print(f"  {name:12} {accepted}/{waiting} accepted in {wall:.1f} s = {accepted / wall:.1f} invoices/s; "
              f"sender CPU {sender_cpu:.1f} s, server CPU {server_cpu:.1f} s, waiting {rest:.1f} s")


if __name__ == "__main__":
    main()
