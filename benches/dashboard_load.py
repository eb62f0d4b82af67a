#!/usr/bin/env python3
"""Dashboard load benchmark (issue #4).

Runs the release binary on the demo ISP (100 000 generated customers by default), logs in as many
different subscribers (each with the cookies a browser keeps after its first page), then drives
the same server with wrk, the two routes taking turns (three rounds by default): a trivial route
(`/health`: one database ping, a small JSON) and the dashboard (`/`) rotating through the
subscribers' sessions. Prints each round, then the median requests per second and p99 latency
of both and the dashboard/trivial ratio.

    python3 benches/dashboard_load.py --backend sqlite
    python3 benches/dashboard_load.py --backend postgres --postgres-url postgres://postgres@127.0.0.1:5432

Needs `wrk` (apt-get install wrk). The demo database is generated once per backend under
target/bench-dashboard/ (100 000 customers take about 15 minutes: every invoice is issued
through the real path with its PDF) and reused by later runs.
"""

import argparse
import concurrent.futures
import http.client
import html.parser
import os
import re
import shutil
import statistics
import subprocess
import sys
import time
import urllib.parse

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PASSWORD = "Klient-ebok-2026"


class CsrfField(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.token = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "input" and attrs.get("name") == "csrf_token" and self.token is None:
            self.token = attrs.get("value")


def cookies_of(response):
    jar = {}
    for name, value in response.getheaders():
        if name.lower() == "set-cookie":
            pair = value.split(";", 1)[0]
            key, _, val = pair.partition("=")
            jar[key] = val
    return jar


def log_in(port, number):
    """One subscriber's login through the real form; returns the Cookie header for later requests.
    Each login comes 'from' its own address (X-Real-IP, trusted from 127.0.0.1 for this run), as
    real subscribers do, so per-IP throttling does not stop the driver."""
    fake_ip = f"10.{(number >> 16) & 255}.{(number >> 8) & 255}.{number & 255}"
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    conn.request("GET", "/logowanie", headers={"X-Real-IP": fake_ip})
    page = conn.getresponse()
    jar = cookies_of(page)
    parser = CsrfField()
    parser.feed(page.read().decode("utf-8"))
    body = urllib.parse.urlencode(
        {"identifier": f"klient{number}", "password": PASSWORD, "csrf_token": parser.token}
    )
    cookie = "; ".join(f"{k}={v}" for k, v in jar.items())
    conn.request(
        "POST",
        "/logowanie",
        body=body,
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Origin": f"http://127.0.0.1:{port}",
            "Cookie": cookie,
            "X-Real-IP": fake_ip,
        },
    )
    answer = conn.getresponse()
    answer.read()
    jar.update(cookies_of(answer))
    conn.close()
    if answer.status != 303 or "ebok_session" not in jar:
        raise RuntimeError(f"klient{number} could not log in (HTTP {answer.status})")
    # Login rotates the CSRF token; a browser keeps the new one from its first page after login,
    # so the measured requests carry it as returning visitors do.
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    conn.request("GET", "/", headers={"Cookie": "; ".join(f"{k}={v}" for k, v in jar.items() if v)})
    first_page = conn.getresponse()
    first_page.read()
    jar.update(cookies_of(first_page))
    conn.close()
    return "; ".join(f"{k}={v}" for k, v in jar.items() if v)


def wrk(port, path, seconds, connections, script=None, env=None):
    command = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", "--timeout", "10s"]
    if script:
        command += ["-s", script]
    command.append(f"http://127.0.0.1:{port}{path}")
    out = subprocess.run(command, capture_output=True, text=True, env=env, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p99 = re.search(r"99%\s+([\d.]+)(us|ms|s)\b", out)
    scale = {"us": 0.001, "ms": 1.0, "s": 1000.0}[p99.group(2)]
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if os.environ.get("EBOK_BENCH_SHOW_WRK"):
        print(out, flush=True)
    return rps, float(p99.group(1)) * scale, int(non_2xx.group(1)) if non_2xx else 0, out


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--backend", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--postgres-url", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--sessions", type=int, default=1000, help="different subscribers logged in")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--seconds", type=int, default=15)
    parser.add_argument("--rounds", type=int, default=3, help="turns of each route; medians count")
    parser.add_argument("--port", type=int, default=8099)
    parser.add_argument("--seed-only", action="store_true", help="prepare the demo database and stop")
    parser.add_argument("--perf", metavar="FILE",
                        help="also record a CPU profile of the server during the dashboard run "
                             "(perf record -g; read it with perf report -i FILE)")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("wrk is not installed: apt-get install wrk")

    work = os.path.join(ROOT, "target", "bench-dashboard", f"{args.backend}-{args.customers}")
    os.makedirs(work, exist_ok=True)
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
        database = f"ebok_bench_{args.customers}"
        env["EBOK_DATABASE_URL"] = f"{args.postgres_url.rstrip('/')}/{database}"
    subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=ROOT, check=True)
    target = os.environ.get("CARGO_TARGET_DIR") or subprocess.run(
        ["cargo", "metadata", "--format-version", "1", "--no-deps"], cwd=ROOT,
        capture_output=True, text=True, check=True).stdout.split('"target_directory":"')[1].split('"')[0]
    binary = os.path.join(target, "release", "ebok")

    marker = os.path.join(work, "seeded")
    if not os.path.exists(marker):
        if args.backend == "postgres":
            subprocess.run(["psql", args.postgres_url.rstrip("/") + "/postgres", "-qc",
                            f"DROP DATABASE IF EXISTS {database}"], check=True)
            subprocess.run(["psql", args.postgres_url.rstrip("/") + "/postgres", "-qc",
                            f"CREATE DATABASE {database}"], check=True)
        print(f"seeding the demo with {args.customers} customers (once) …", flush=True)
        started = time.time()
        subprocess.run([binary, "demo", "--customers", str(args.customers), "--seed-only"],
                       cwd=ROOT, env=env, check=True)
        print(f"seeded in {time.time() - started:.0f} s", flush=True)
        # The dashboard never reads invoice PDFs; the 100 000-customer demo writes ~9 GB of them.
        shutil.rmtree(os.path.join(work, "invoices"), ignore_errors=True)
        open(marker, "w").close()
    if args.seed_only:
        return

    server = subprocess.Popen([binary, "serve"], cwd=ROOT, env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
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
        # Generated subscribers are customers 3 … N+2; spread the sessions over all of them.
        step = max(1, args.customers // args.sessions)
        numbers = [3 + i * step for i in range(args.sessions)]
        started = time.time()
        with concurrent.futures.ThreadPoolExecutor(max_workers=4) as pool:
            cookies = list(pool.map(lambda n: log_in(args.port, n), numbers))
        print(f"logged in {len(cookies)} different subscribers in {time.time() - started:.0f} s", flush=True)
        cookie_file = os.path.join(work, "cookies.txt")
        with open(cookie_file, "w") as f:
            f.write("\n".join(cookies) + "\n")

        wrk_env = dict(os.environ, EBOK_BENCH_COOKIES=cookie_file)
        script = os.path.join(ROOT, "benches", "dashboard.lua")
        wrk(args.port, "/health", 3, args.connections)  # warm-up
        wrk(args.port, "/", 3, args.connections, script, wrk_env)  # warm-up
        # The machine is shared: the two routes take turns, and each one's median round counts.
        trivial_rounds, dashboard_rounds = [], []
        for round_number in range(args.rounds):
            trivial_rounds.append(wrk(args.port, "/health", args.seconds, args.connections))
            profiler = None
            if args.perf and round_number == 0:
                profiler = subprocess.Popen(
                    ["perf", "record", "-F", "499",
                     *os.environ.get("EBOK_BENCH_PERF_ARGS", "-g").split(), "-o", args.perf,
                     "-p", str(server.pid), "--", "sleep", str(args.seconds)],
                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            dashboard_rounds.append(wrk(args.port, "/", args.seconds, args.connections, script, wrk_env))
            if profiler:
                profiler.wait()
    finally:
        server.terminate()
        server.wait()

    def median(rounds, field):
        return statistics.median(r[field] for r in rounds)

    print(f"\nbackend {args.backend}, {args.customers} customers, {args.sessions} sessions, "
          f"{args.connections} connections, {args.rounds} rounds of {args.seconds} s per route, "
          f"same server, same run")
    for number, (t, d) in enumerate(zip(trivial_rounds, dashboard_rounds), start=1):
        print(f"  round {number}: /health {t[0]:.0f} req/s, / {d[0]:.0f} req/s "
              f"(p99 {d[1]:.2f} ms), ratio {d[0] / t[0]:.1%}")
    print(f"{'median':<28}{'req/s':>10}{'p99 ms':>10}{'non-2xx':>10}")
    trivial_rps, dashboard_rps = median(trivial_rounds, 0), median(dashboard_rounds, 0)
    non_2xx = sum(r[2] for r in dashboard_rounds)
    print(f"{'/health (trivial)':<28}{trivial_rps:>10.0f}{median(trivial_rounds, 1):>10.2f}"
          f"{sum(r[2] for r in trivial_rounds):>10}")
    print(f"{'/ (dashboard)':<28}{dashboard_rps:>10.0f}{median(dashboard_rounds, 1):>10.2f}{non_2xx:>10}")
    ratio = dashboard_rps / trivial_rps
    target = 0.15 if args.backend == "sqlite" else 0.10
    print(f"dashboard/trivial = {ratio:.1%} (target ≥ {target:.0%}); dashboard p99 target < 25 ms")
    if non_2xx:
        sys.exit("some dashboard requests did not answer 200")

if __name__ == "__main__":
    main()
