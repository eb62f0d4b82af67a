#!/usr/bin/env python3
"""Staff search on the seeded demo, through the real server (issue #25).

`cargo bench --bench staff_search` fills its own 100 000 customers by bulk SQL; this one asks
the staff panel's search (`/staff/klienci?q=…`) of the release binary on the demo database the
dashboard benchmark seeded (target/bench-dashboard/<backend>-<customers>/), so it measures the
demo as seeded, at a million customers too. The terms are read from a customer in the middle of
the base (number, contract, invoice, e-mail, phone, IP, MAC, PPPoE login, last name, first and
last name), plus a common last name and a term that matches nothing. Each term is asked five
times; the slowest answer counts (target: under a second for every kind of term).

    python3 benches/staff_search_http.py --backend postgres --customers 1000000 --database ebok_scale
"""

import argparse
import http.client
import os
import sqlite3
import subprocess
import sys
import time
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import dashboard_load as dl  # noqa: E402

ROOT = dl.ROOT

QUERY = """
SELECT c.customer_number, c.email, COALESCE(c.phone, ''), c.last_name, c.first_name,
       (SELECT number FROM contracts WHERE customer_id = c.id ORDER BY id LIMIT 1),
       (SELECT number FROM invoices WHERE customer_id = c.id AND number IS NOT NULL ORDER BY id LIMIT 1),
       (SELECT e.ipv4 FROM endpoints e JOIN services s ON s.id = e.service_id
         WHERE s.customer_id = c.id LIMIT 1),
       (SELECT e.mac FROM endpoints e JOIN services s ON s.id = e.service_id
         WHERE s.customer_id = c.id LIMIT 1),
       (SELECT e.pppoe_login FROM endpoints e JOIN services s ON s.id = e.service_id
         WHERE s.customer_id = c.id LIMIT 1)
FROM customers c WHERE c.customer_number = {number}
"""


def middle_customer(args, env):
    number = 2 + args.customers // 2
    sql = QUERY.format(number=number)
    if args.backend == "postgres":
        out = subprocess.run(["psql", env["EBOK_DATABASE_URL"], "-AtF", "\t", "-c", sql],
                             capture_output=True, text=True, check=True).stdout
        return out.strip().split("\t")
    data = os.path.join(env["EBOK_DATA_DIR"])
    path = next(os.path.join(r, f) for r, _, fs in os.walk(data) for f in fs
                if f.endswith((".sqlite", ".sqlite3", ".db")))
    row = sqlite3.connect(path).execute(sql).fetchone()
    return [str(v) for v in row]


def search(port, term, cookie):
    """(status, page or the card it redirects to): one hit goes straight to the customer's card."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    conn.request("GET", "/staff/klienci?q=" + urllib.parse.quote(term), headers={"Cookie": cookie})
    response = conn.getresponse()
    body = response.read().decode("utf-8", "replace")
    conn.close()
    return response.status, response.getheader("Location") or body


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--backend", choices=["sqlite", "postgres"], default="postgres")
    parser.add_argument("--postgres-url", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--database", help="PostgreSQL database (default ebok_bench_<customers>)")
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--binary", help="the ebok binary (default: the release build)")
    parser.add_argument("--port", type=int, default=8096)
    args = parser.parse_args()

    work = os.path.join(ROOT, "target", "bench-dashboard", f"{args.backend}-{args.customers}")
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
    binary = args.binary or os.path.join(
        os.environ.get("CARGO_TARGET_DIR") or os.path.join(ROOT, "target"), "release", "ebok")

    (number, email, phone, last, first, contract, invoice, ipv4, mac, pppoe) = middle_customer(args, env)
    terms = [
        ("customer number", number),
        ("contract number", contract),
        ("invoice number", invoice),
        ("e-mail", email),
        ("phone", phone),
        ("IP address", ipv4),
        ("MAC address", mac),
        ("PPPoE login", pppoe),
        ("common last name", "Nowak"),
        ("first and last name", f"{first} {last}"),
        ("no match (full scan)", "Żółćwski"),
    ]

    server = subprocess.Popen([binary, "serve"], cwd=ROOT, env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    slowest = 0.0
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
        cookie = dl.staff_log_in(args.port, 0)
        with open("/proc/loadavg") as load:
            loadavg = " ".join(load.read().split()[:3])
        print(f"staff search over HTTP: {args.backend}, {args.customers} customers, load {loadavg}")
        print("| term | example | found | slowest of 5 |")
        print("|---|---|---|---|")
        for kind, term in terms:
            worst, status, found = 0.0, 0, False
            for _ in range(5):
                started = time.monotonic()
                status, page = search(args.port, term, cookie)
                worst = max(worst, time.monotonic() - started)
                found = number in page or (status == 303 and page.startswith("/staff/klienci/"))
            if status not in (200, 303):
                sys.exit(f"the search for {term!r} answered HTTP {status}")
            slowest = max(slowest, worst)
            print(f"| {kind} | `{term}` | {'yes' if found else 'no'} | {worst * 1000:.0f} ms |")
    finally:
        server.terminate()
        server.wait()
    print(f"slowest: {slowest * 1000:.0f} ms (target < 1000 ms)")


if __name__ == "__main__":
    main()
