#!/usr/bin/env python3
"""Route load benchmark (issues #4 and #17): every subscriber GET page and the staff queues.

Runs the release binary on the demo ISP (100 000 generated customers by default), logs in as many
different subscribers (each with the cookies a browser keeps after its first page) and a few staff
sessions, finds each subscriber's own contract, service, invoice and ticket (opening a ticket
through the real form for a subscriber who has none), then drives the same server with wrk: for
every route, a run of the trivial route (`/health`: one database ping, a small JSON) and right
after it a run of the route rotating through the sessions, three rounds by default. Prints each
round, then a markdown table of the median requests per second, p99 latency and the
route/trivial ratio against the targets.

    python3 benches/dashboard_load.py --backend sqlite
    python3 benches/dashboard_load.py --backend postgres --postgres-url postgres://postgres@127.0.0.1:5432
    python3 benches/dashboard_load.py --routes dashboard,invoice   # only these (labels below)
    python3 benches/dashboard_load.py --build debug --customers 200 --sessions 20 --seconds 2 --rounds 1
        # a quick check of the driver itself; debug numbers mean nothing

Needs `wrk` (apt-get install wrk). The demo database is generated once per backend under
target/bench-dashboard/ (100 000 customers take about 15 minutes: every invoice is issued
through the real path with its PDF) and reused by later runs.
"""

import argparse
import collections
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
STAFF_LOGIN, STAFF_PASSWORD = "admin", "Admin-ebok-2026"

# (label, path, where the id comes from): an id-taking route uses the first link of that shape
# on the session's own list page.
SUBSCRIBER_ROUTES = [
    ("dashboard", "/", None),
    ("contracts", "/umowy", None),
    ("contract", "/umowy/{id}", ("/umowy", r'href="/umowy/(\d+)"')),
    ("services", "/uslugi", None),
    ("service", "/uslugi/{id}", ("/uslugi", r'href="/uslugi/(\d+)"')),
    ("domains", "/domeny", None),
    ("notices", "/powiadomienia", None),
    ("news", "/wiadomosci", None),
    ("invoices", "/faktury", None),
    ("invoice", "/faktury/{id}", ("/faktury", r'href="/faktury/(\d+)"')),
    ("balance", "/saldo", None),
    ("profile", "/dane", None),
    ("contacts", "/kontakty", None),
    ("security", "/bezpieczenstwo", None),
    ("tickets", "/zgloszenia", None),
    ("ticket", "/zgloszenia/{id}", ("/zgloszenia", r'href="/zgloszenia/(\d+)"')),
]
STAFF_ROUTES = [
    ("staff home", "/staff"),
    ("staff tickets", "/staff/tickets"),
    ("staff data changes", "/staff/zmiany-danych"),
    ("staff payments review", "/staff/platnosci/do-przypisania"),
    ("staff paper invoices", "/staff/faktury/papierowe"),
    ("staff KSeF queue", "/staff/ksef"),
    ("staff dunning", "/staff/windykacja"),
]
STAFF_SESSIONS = 4


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
    return "; ".join(f"{k}={v}" for k, v in jar.items() if v), first_page.status


def wait_until_settled(pid, limit_s=900):
    """Waits until the server has finished the work a freshly seeded database gives it at start
    (the dunning pass flagging overdue subscribers, renewal and outage notices queued and sent,
    KSeF documents): until it spends under 5 % of a core over two 2-second windows running, so
    the rounds measure pages, not a start-up backlog. Returns the seconds waited."""
    def cpu_seconds():
        with open(f"/proc/{pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    started = time.time()
    quiet, last = 0, cpu_seconds()
    # The background jobs make their first passes 20-30 s after start (web/*_worker.rs): a
    # server is not called quiet before they had their turn.
    while (quiet < 2 or time.time() - started < 40) and time.time() - started < limit_s:
        time.sleep(2)
        now = cpu_seconds()
        quiet = quiet + 1 if now - last < 0.1 else 0
        last = now
    return time.time() - started


def get(port, path, cookie):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    conn.request("GET", path, headers={"Cookie": cookie})
    response = conn.getresponse()
    body = response.read().decode("utf-8", "replace")
    conn.close()
    return response.status, body


def staff_log_in(port, number):
    """A staff session through the staff login form (each from its own address)."""
    fake_ip = f"10.255.0.{number + 1}"
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    conn.request("GET", "/staff/login", headers={"X-Real-IP": fake_ip})
    page = conn.getresponse()
    jar = cookies_of(page)
    parser = CsrfField()
    parser.feed(page.read().decode("utf-8"))
    body = urllib.parse.urlencode(
        {"login": STAFF_LOGIN, "password": STAFF_PASSWORD, "csrf_token": parser.token})
    conn.request("POST", "/staff/login", body=body, headers={
        "Content-Type": "application/x-www-form-urlencoded",
        "Origin": f"http://127.0.0.1:{port}",
        "Cookie": "; ".join(f"{k}={v}" for k, v in jar.items()),
        "X-Real-IP": fake_ip,
    })
    answer = conn.getresponse()
    answer.read()
    jar.update(cookies_of(answer))
    conn.close()
    if answer.status != 303 or "ebok_staff_session" not in jar:
        raise RuntimeError(f"staff could not log in (HTTP {answer.status})")
    cookie = "; ".join(f"{k}={v}" for k, v in jar.items() if v)
    get(port, "/staff", cookie)
    return cookie


def open_ticket(port, cookie):
    """Opens a ticket through the subscriber's form (multipart, the CSRF token first), so the
    ticket page has one to show."""
    status, page = get(port, "/zgloszenia/nowe", cookie)
    parser = CsrfField()
    parser.feed(page)
    boundary = "ebokbench" + os.urandom(8).hex()
    parts = [("csrf_token", parser.token), ("category", "other"), ("service", ""),
             ("subject", "Pytanie z testu obciążenia"),
             ("body", "Dzień dobry, to zgłoszenie założył skrypt benchmarku.")]
    body = "".join(f"--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n"
                   f"{value}\r\n" for name, value in parts) + f"--{boundary}--\r\n"
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    conn.request("POST", "/zgloszenia/nowe", body=body.encode("utf-8"), headers={
        "Content-Type": f"multipart/form-data; boundary={boundary}",
        "Origin": f"http://127.0.0.1:{port}",
        "Cookie": cookie,
    })
    answer = conn.getresponse()
    answer.read()
    conn.close()
    if answer.status != 303:
        raise RuntimeError(f"a ticket could not be opened (HTTP {answer.status})")


def requests_for(port, cookies, path, source):
    """Lines `<path>\t<cookie>` for wrk: every session on `path`, or on its own record when the
    path takes an id (sessions without one are left out)."""
    if source is None:
        return [f"{path}\t{c}" for c in cookies]
    list_path, pattern = source
    lines = []
    for cookie in cookies:
        status, page = get(port, list_path, cookie)
        found = re.search(pattern, page) if status == 200 else None
        if found:
            lines.append(f"{path.format(id=found.group(1))}\t{cookie}")
    return lines


def wrk(port, path, seconds, connections, script=None, env=None):
    command = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", "--timeout", "10s"]
    if script:
        command += ["-s", script]
    command.append(f"http://127.0.0.1:{port}{path}")
    run = subprocess.run(command, capture_output=True, text=True, env=env, check=True)
    out = run.stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p99 = re.search(r"99%\s+([\d.]+)(us|ms|s)\b", out)
    scale = {"us": 0.001, "ms": 1.0, "s": 1000.0}[p99.group(2)]
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    # 3xx count as fine for wrk; the script reports every answer that is not 200.
    not_200 = run.stderr.count("page answered")
    if not_200:
        answers = collections.Counter(re.findall(r"page answered (\d+)", run.stderr))
        print(f"    {path}: not 200: " + ", ".join(f"{n}× {status}" for status, n in sorted(answers.items())),
              flush=True)
    if os.environ.get("EBOK_BENCH_SHOW_WRK"):
        print(out, flush=True)
    bad = max(int(non_2xx.group(1)) if non_2xx else 0, not_200)
    return rps, float(p99.group(1)) * scale, bad, out


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
    parser.add_argument("--routes", help="comma-separated labels to run (default: all)")
    parser.add_argument("--build", choices=["release", "debug"], default="release",
                        help="which binary; debug only to check the driver quickly")
    parser.add_argument("--seed-only", action="store_true", help="prepare the demo database and stop")
    parser.add_argument("--no-pdfs", action="store_true",
                        help="seed the demo's past invoices without their PDFs (ebok demo --no-pdfs; "
                             "for a million customers)")
    parser.add_argument("--database", help="PostgreSQL database (default ebok_bench_<customers>)")
    parser.add_argument("--binary", help="an ebok binary to run as it is (default: cargo build)")
    parser.add_argument("--perf", metavar="FILE",
                        help="also record a CPU profile of the server during the first round of "
                             "the first route (perf record -g; read it with perf report -i FILE)")
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
        database = args.database or f"ebok_bench_{args.customers}"
        env["EBOK_DATABASE_URL"] = f"{args.postgres_url.rstrip('/')}/{database}"
    if args.binary:
        binary = args.binary
    else:
        build = ["cargo", "build", "--quiet"] + (["--release"] if args.build == "release" else [])
        subprocess.run(build, cwd=ROOT, check=True)
        target = os.environ.get("CARGO_TARGET_DIR") or subprocess.run(
            ["cargo", "metadata", "--format-version", "1", "--no-deps"], cwd=ROOT,
            capture_output=True, text=True, check=True).stdout.split('"target_directory":"')[1].split('"')[0]
        binary = os.path.join(target, args.build, "ebok")

    marker = os.path.join(work, "seeded")
    if not os.path.exists(marker):
        if args.backend == "postgres":
            subprocess.run(["psql", args.postgres_url.rstrip("/") + "/postgres", "-qc",
                            f"DROP DATABASE IF EXISTS {database}"], check=True)
            subprocess.run(["psql", args.postgres_url.rstrip("/") + "/postgres", "-qc",
                            f"CREATE DATABASE {database}"], check=True)
        print(f"seeding the demo with {args.customers} customers (once) …", flush=True)
        started = time.time()
        subprocess.run([binary, "demo", "--customers", str(args.customers), "--seed-only",
                        *(["--no-pdfs"] if args.no_pdfs else [])],
                       cwd=ROOT, env=env, check=True)
        print(f"seeded in {time.time() - started:.0f} s", flush=True)
        # The dashboard never reads invoice PDFs; the 100 000-customer demo writes ~9 GB of them.
        shutil.rmtree(os.path.join(work, "invoices"), ignore_errors=True)
        if args.backend == "postgres":
            # An ISP's cluster vacuums by itself; a bench machine may run with autovacuum off,
            # and without a visibility map the staff KSeF page's counts read every row's heap
            # (1.6 s instead of 0.3 s over four million documents).
            subprocess.run(["psql", env["EBOK_DATABASE_URL"], "-qc", "VACUUM ANALYZE"], check=True)
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
        print(f"server settled after {wait_until_settled(server.pid):.0f} s", flush=True)
        # Generated subscribers are customers 3 … N+2; spread the sessions over all of them, twice
        # as many candidates as sessions: a subscriber the dunning pass flagged is sent from every
        # page to /saldo/zaleglosci (303), so only those whose dashboard answers 200 are driven.
        step = max(1, args.customers // (2 * args.sessions))
        numbers = [3 + i * step for i in range(2 * args.sessions)]
        started = time.time()
        with concurrent.futures.ThreadPoolExecutor(max_workers=4) as pool:
            logged_in = list(pool.map(lambda n: log_in(args.port, n), numbers))
        cookies = [cookie for cookie, status in logged_in if status == 200][: args.sessions]
        redirected = sum(1 for _, status in logged_in if status != 200)
        if len(cookies) < args.sessions:
            sys.exit(f"only {len(cookies)} of {len(numbers)} subscribers see their dashboard")
        print(f"logged in {len(cookies)} different subscribers in {time.time() - started:.0f} s "
              f"({redirected} of {len(numbers)} candidates are sent to their arrears page and left out)",
              flush=True)
        staff_cookies = [staff_log_in(args.port, n) for n in range(STAFF_SESSIONS)]
        wanted = set(args.routes.split(",")) if args.routes else None
        routes = []  # (label, path shown, request lines, subscriber route?)
        for label, path, source in SUBSCRIBER_ROUTES:
            if wanted and label not in wanted:
                continue
            if label == "ticket":
                # Generated subscribers have no tickets: those without one open one, once.
                with concurrent.futures.ThreadPoolExecutor(max_workers=4) as pool:
                    has = list(pool.map(lambda c: re.search(source[1], get(args.port, "/zgloszenia", c)[1]), cookies))
                    list(pool.map(lambda c: open_ticket(args.port, c),
                                  [c for c, found in zip(cookies, has) if not found]))
            lines = requests_for(args.port, cookies, path, source)
            if not lines:
                sys.exit(f"no session has anything for {label} ({path})")
            routes.append((label, path, lines, True))
        for label, path in STAFF_ROUTES:
            if wanted and label not in wanted:
                continue
            routes.append((label, path, [f"{path}\t{c}" for c in staff_cookies], False))
        print(f"prepared {len(routes)} routes", flush=True)

        script = os.path.join(ROOT, "benches", "dashboard.lua")

        def measure(lines, seconds):
            request_file = os.path.join(work, "requests.txt")
            with open(request_file, "w") as f:
                f.write("\n".join(lines) + "\n")
            wrk_env = dict(os.environ, EBOK_BENCH_REQUESTS=request_file)
            first_path = lines[0].split("\t", 1)[0]
            return wrk(args.port, first_path, seconds, args.connections, script, wrk_env)

        wrk(args.port, "/health", 3, args.connections)  # warm-up
        for _, _, lines, _ in routes:
            measure(lines, 1)  # warm-up: every page's template and queries once
        # The machine is shared: each route runs right after its own /health run, and each
        # one's median round counts.
        results = {label: ([], []) for label, _, _, _ in routes}
        for round_number in range(args.rounds):
            for index, (label, path, lines, _) in enumerate(routes):
                trivial = wrk(args.port, "/health", args.seconds, args.connections)
                profiler = None
                if args.perf and round_number == 0 and index == 0:
                    profiler = subprocess.Popen(
                        ["perf", "record", "-F", "499",
                         *os.environ.get("EBOK_BENCH_PERF_ARGS", "-g").split(), "-o", args.perf,
                         "-p", str(server.pid), "--", "sleep", str(args.seconds)],
                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                page = measure(lines, args.seconds)
                if profiler:
                    profiler.wait()
                results[label][0].append(trivial)
                results[label][1].append(page)
                print(f"  round {round_number + 1} {label:<24} /health {trivial[0]:>8.0f} req/s, "
                      f"{path} {page[0]:>8.0f} req/s (p99 {page[1]:.2f} ms), "
                      f"ratio {page[0] / trivial[0]:.1%}", flush=True)
    finally:
        server.terminate()
        server.wait()

    def median(rounds, field):
        return statistics.median(r[field] for r in rounds)

    ratio_target = 0.25 if args.backend == "sqlite" else 0.20
    p99_target = 15.0
    print(f"\nbackend {args.backend}, {args.build} build, {args.customers} customers, "
          f"{args.sessions} subscriber sessions ({STAFF_SESSIONS} staff), {args.connections} "
          f"connections, {args.rounds} rounds of {args.seconds} s per route, each beside its own "
          f"/health run, same server\n")
    print("| route | path | req/s | p99 ms | /health req/s | ratio | target met | not 200 |")
    print("|---|---|---:|---:|---:|---:|:---:|---:|")
    failed = []
    for label, path, lines, subscriber in routes:
        trivial_rounds, page_rounds = results[label]
        rps, p99 = median(page_rounds, 0), median(page_rounds, 1)
        trivial_rps = median(trivial_rounds, 0)
        ratio = rps / trivial_rps
        bad = sum(r[2] for r in page_rounds)
        if subscriber:
            met = "yes" if ratio >= ratio_target and p99 < p99_target else "**no**"
        else:
            met = "—"
        if bad:
            failed.append(label)
        print(f"| {label} | `{path}` | {rps:.0f} | {p99:.2f} | {trivial_rps:.0f} | {ratio:.1%} | {met} | {bad} |")
    print(f"\nTargets for subscriber pages: ratio ≥ {ratio_target:.0%} of /health, p99 < {p99_target:.0f} ms "
          "(staff queues are measured, not targeted).")
    if failed:
        sys.exit(f"some requests did not answer 200: {', '.join(failed)}")


if __name__ == "__main__":
    main()
