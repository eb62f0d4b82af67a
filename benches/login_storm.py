#!/usr/bin/env python3
"""Login storm benchmark (issue #25): 200 subscribers log in at once while others browse.

Starts the release binary (`ebok serve`) on the demo database the dashboard benchmark seeded
(target/bench-dashboard/<backend>-<customers>/, see benches/dashboard_load.py), signs in the
browsing subscribers, and then, in one run:

1. a quiet round: wrk drives the browsing sessions over the dashboard, the invoice list, the
   services and the balance pages (rotating through the sessions) for --seconds;
2. a storm round: the same wrk load, and after a second 200 other subscribers (--logins) post
   the real login form at the same moment (argon2id as configured: one hash per core at a time),
   each from its own address.

Prints the browsing p99 and req/s of both rounds, every login's time (max, p50, p99), the
failed logins, and the server's peak RSS (VmHWM) and its RSS after the storm.

    python3 benches/login_storm.py --backend postgres --customers 1000000 --database ebok_scale

Needs wrk (apt-get install wrk).
"""

import argparse
import concurrent.futures
import http.client
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import dashboard_load as dl  # noqa: E402

ROOT = dl.ROOT
BROWSING_PAGES = ["/", "/faktury", "/uslugi", "/saldo"]


def rss_kb(pid, field):
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return 0


def timed_login(port, number):
    started = time.monotonic()
    try:
        dl.log_in(port, number)
        return time.monotonic() - started, None
    except Exception as error:  # noqa: BLE001 - every failure is counted and shown
        return time.monotonic() - started, str(error)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--backend", choices=["sqlite", "postgres"], default="postgres")
    parser.add_argument("--postgres-url", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--database", help="PostgreSQL database (default ebok_bench_<customers>)")
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--binary", help="the ebok binary (default: the release build)")
    parser.add_argument("--browsers", type=int, default=100, help="browsing sessions")
    parser.add_argument("--connections", type=int, default=16, help="wrk connections")
    parser.add_argument("--logins", type=int, default=200, help="concurrent logins in the storm")
    parser.add_argument("--seconds", type=int, default=20)
    parser.add_argument("--think-ms", type=int, default=0,
                        help="each browsing connection's pause between pages (0: saturating load)")
    parser.add_argument("--port", type=int, default=8097)
    args = parser.parse_args()

    work = os.path.join(ROOT, "target", "bench-dashboard", f"{args.backend}-{args.customers}")
    if not os.path.exists(os.path.join(work, "seeded")):
        sys.exit(f"seed first: python3 benches/dashboard_load.py --backend {args.backend} "
                 f"--customers {args.customers} --seed-only")
    env = dict(os.environ)
    env.update({
        "EBOK_DATA_DIR": os.path.join(work, "data"),
        "EBOK_INVOICES_DIR": os.path.join(work, "invoices"),
        "EBOK_TRUSTED_PROXIES": "127.0.0.1",
        "ROCKET_PORT": str(args.port),
        "ROCKET_LOG_LEVEL": "off",
        "ROCKET_PROFILE": "release",
    })
    if args.backend == "postgres":
        database = args.database or f"ebok_bench_{args.customers}"
        env["EBOK_DATABASE_URL"] = f"{args.postgres_url.rstrip('/')}/{database}"
    binary = args.binary
    if binary is None:
        target = os.environ.get("CARGO_TARGET_DIR") or os.path.join(ROOT, "target")
        binary = os.path.join(target, "release", "ebok")

    server_log = open(os.path.join(work, "server.log"), "w")
    server = subprocess.Popen([binary, "serve"], cwd=ROOT, env=env,
                              stdout=subprocess.DEVNULL, stderr=server_log)
    try:
        for _ in range(300):
            try:
                conn = http.client.HTTPConnection("127.0.0.1", args.port, timeout=1)
                conn.request("GET", "/health")
                if conn.getresponse().status == 200:
                    break
            except OSError:
                time.sleep(0.2)
        else:
            sys.exit("the server did not start")

        # Browsers and stormers are different subscribers, spread over the whole base.
        step = max(1, args.customers // (args.browsers + args.logins + 1))
        numbers = [3 + i * step for i in range(args.browsers + args.logins)]
        browsers, stormers = numbers[:args.browsers], numbers[args.browsers:]
        with concurrent.futures.ThreadPoolExecutor(8) as pool:
            cookies = list(pool.map(lambda n: dl.log_in(args.port, n)[0], browsers))
        lines = [f"{page}\t{cookie}" for cookie in cookies for page in BROWSING_PAGES]
        with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as requests:
            requests.write("\n".join(lines) + "\n")
        wrk_env = dict(os.environ, EBOK_BENCH_REQUESTS=requests.name, EBOK_BENCH_THINK_MS=str(args.think_ms))
        script = os.path.join(ROOT, "benches", "dashboard.lua")

        quiet = dl.wrk(args.port, "/", args.seconds, args.connections, script, wrk_env)
        rss_before = rss_kb(server.pid, "VmRSS")
        anon_before = rss_kb(server.pid, "RssAnon")

        results = {}

        def browse():
            results["storm"] = dl.wrk(args.port, "/", args.seconds, args.connections, script, wrk_env)

        browsing = threading.Thread(target=browse)
        browsing.start()
        time.sleep(1)
        storm_started = time.monotonic()
        with concurrent.futures.ThreadPoolExecutor(args.logins) as pool:
            logins = list(pool.map(lambda n: timed_login(args.port, n), stormers))
        storm_took = time.monotonic() - storm_started
        rss_peak_during = rss_kb(server.pid, "VmHWM")
        browsing.join()
        storm = results["storm"]
        rss_after = rss_kb(server.pid, "VmRSS")
        anon_after = rss_kb(server.pid, "RssAnon")
        os.unlink(requests.name)
    finally:
        server.terminate()
        server.wait()

    times = sorted(t for t, _ in logins)
    failures = [e for _, e in logins if e]
    p99_login = times[min(len(times) - 1, int(len(times) * 0.99))]
    with open("/proc/loadavg") as load:
        loadavg = load.read().split()[:3]
    print(f"login storm: {args.backend}, {args.customers} customers, {args.browsers} browsing "
          f"sessions over {len(BROWSING_PAGES)} pages on {args.connections} connections, "
          f"{args.logins} concurrent logins, {os.cpu_count()} cores, load {' '.join(loadavg)}")
    print(f"| round | browsing req/s | browsing p99 (target < 50 ms) | non-200 |")
    print(f"|---|---|---|---|")
    print(f"| quiet | {quiet[0]:.0f} | {quiet[1]:.1f} ms | {quiet[2]} |")
    print(f"| storm | {storm[0]:.0f} | {storm[1]:.1f} ms | {storm[2]} |")
    print(f"logins: {len(times)} in {storm_took:.1f} s, max {times[-1]:.2f} s (target < 5 s), "
          f"p50 {statistics.median(times):.2f} s, p99 {p99_login:.2f} s, failed {len(failures)}")
    for error in failures[:5]:
        print(f"  failed: {error}")
    print(f"server RSS: {rss_before / 1024:.0f} MB before the storm, peak {rss_peak_during / 1024:.0f} MB "
          f"(VmHWM), {rss_after / 1024:.0f} MB after; of it the process's own memory (RssAnon, "
          f"without SQLite's memory-mapped database file) {anon_before / 1024:.0f} MB before, "
          f"{anon_after / 1024:.0f} MB after; server log: {server_log.name}")


if __name__ == "__main__":
    main()
