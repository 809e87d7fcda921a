#!/usr/bin/env python3
"""The web app's pages read by 16 people at once, each on a keep-alive connection with a
session of their own, as a browser asks (gzip taken): python3 pages_probe.py URL PATH COOKIES
SECONDS [TARGETS], where COOKIES is a comma-separated list of session ids (or `bearer:TOKEN`,
for the API read by 16 clients with one token), and a PATH holding
{contract} takes each contract of TARGETS (bench-server's, "CONTRACT QUARTER MEASURE" a line)
in turn. Prints one RESULT line in the form tools/bench-server reads from wrk.

Why not wrk for these runs: with the report's megabyte answers and one read waiting seconds for
a new view after a write, wrk's latency figures failed a check any latency sample must pass.
Each connection sends its requests one after another, so the latencies of all its requests add
up to at most the run's length: 16 connections for 10 s give at most some 160 s. wrk reported
14,989 answers at a 288 ms mean (4,317 s) and 65,493 at 12.9 ms (842 s). Here every request is
timed by the connection that sent it, and the same check is made before anything is printed.
"""
import http.client
import json
import sys
import threading
import time
import urllib.parse


def main():
    url, path, cookies, seconds = sys.argv[1], sys.argv[2], sys.argv[3].split(","), float(sys.argv[4])
    contracts = [line.split()[0] for line in open(sys.argv[5]) if line.strip()] if len(sys.argv) > 5 else [""]
    parsed = urllib.parse.urlsplit(url)
    latencies, statuses, errors = [], [], [0]
    lock = threading.Lock()
    started = time.monotonic()

    def person(index, cookie):
        connection = http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=30)
        mine, other = [], []
        end = started + seconds
        turn = index * 7919
        while time.monotonic() < end:
            turn += 1
            page = path.replace("{contract}", urllib.parse.quote(contracts[turn % len(contracts)]))
            sent = time.monotonic()
            try:
                who = {"Authorization": "Bearer " + cookie[7:]} if cookie.startswith("bearer:") else {"Cookie": "svledger_session=" + cookie}
                connection.request("GET", page, headers={**who, "Accept-Encoding": "gzip, deflate, br"})
                answer = connection.getresponse()
                answer.read()
            except (OSError, http.client.HTTPException):
                with lock:
                    errors[0] += 1
                connection.close()
                connection = http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=30)
                continue
            mine.append(time.monotonic() - sent)
            if not 200 <= answer.status < 300:
                other.append(answer.status)
        with lock:
            latencies.extend(mine)
            statuses.extend(other)

    people = [threading.Thread(target=person, args=(i, cookies[i % len(cookies)])) for i in range(16)]
    for thread in people:
        thread.start()
    for thread in people:
        thread.join()
    span = time.monotonic() - started
    latencies.sort()
    # The check wrk failed: each connection's requests run one after another.
    assert sum(latencies) <= len(people) * span * 1.01, f"latencies add up to {sum(latencies):.1f} s, more than {len(people)} connections x {span:.1f} s"

    def percentile(p):
        return latencies[min(len(latencies) - 1, int(len(latencies) * p / 100))] * 1000 if latencies else 0

    print("RESULT " + json.dumps({
        "ok": len(latencies) - len(statuses), "other": len(statuses), "span_s": span, "p50_ms": percentile(50), "p99_ms": percentile(99),
        "max_ms": latencies[-1] * 1000 if latencies else 0, "socket_errors": errors[0],
        "other_samples": "; ".join(str(status) for status in statuses[:20])}))


if __name__ == "__main__":
    main()
