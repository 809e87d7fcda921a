#!/usr/bin/env python3
"""Soak: every logical request is stored exactly once, however it is retried and wherever sent.

usage: tools/soak_idempotency.py SVLEDGER [--seconds 45] [--writers 16]

Builds a demo ledger with a Procurement Officer's token and serves it twice: two
`svledger serve` processes on the same ledger. For --seconds, --writers threads each send
logical requests (a contract registration of its own, under an Idempotency-Key of its own) to
either server at random, and now and then send the same request again at once to the other
server, as a client does that lost an answer; a request that gets no answer is retried under
the same key until it does. Meanwhile the CLI records registrations of its own with
`svledger apply`, a third writer on the same file. At the end the first 100 keys are sent
again, to both servers: each must be answered 201 with `Idempotent-Replayed: true`.

Then both servers are stopped with SIGTERM and the log is read: every logical request must
have been recorded exactly once (one ContractRegistered per key), the CLI's too, and the
ledger must verify with both verifiers. Prints one summary line; exits 1 on any failure.
Bounded: the write phase lasts --seconds, each request has a 10 s timeout.
"""
import argparse
import http.client
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def run(svledger, *arguments):
    return subprocess.run([svledger, *arguments], check=True, capture_output=True, text=True).stdout


def registration(reference):
    return {"command": "contract.register", "contract": reference, "effectiveDate": "2025-02-03",
            "title": "Soak " + reference, "buyerDepartment": "Highways", "category": "works",
            "estimatedWholeLifeValueGBP": "£250,000", "startDate": "2025-04-01", "endDate": "2027-03-31",
            "areasServed": ["Preston"], "policyId": "lancashire-2024-28"}


class Server:
    def __init__(self, svledger, ledger, scratch, name):
        self.out = open(os.path.join(scratch, name + ".out"), "w+")
        self.log = open(os.path.join(scratch, name + ".log"), "w")
        self.process = subprocess.Popen([svledger, "serve", "--ledger", ledger, "--listen", "127.0.0.1:0"],
                                        stdout=self.out, stderr=self.log)
        deadline = time.time() + 60
        self.port = None
        while self.port is None and time.time() < deadline:
            self.out.seek(0)
            line = self.out.readline()
            if ":" in line and "listening" in line:
                self.port = int(line.split(":")[-1].split()[0])
            else:
                time.sleep(0.05)
        if self.port is None:
            raise SystemExit(f"FAIL: server {name} did not start")

    def stop(self):
        self.process.terminate()
        return self.process.wait(timeout=30)


def post(connections, port, token, key, body):
    """One attempt: (status, replayed) or None when no answer came."""
    connection = connections.get(port)
    if connection is None:
        connection = connections[port] = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request("POST", "/commands", body=body, headers={
            "Authorization": "Bearer " + token, "Content-Type": "application/json", "Idempotency-Key": key})
        response = connection.getresponse()
        response.read()
        return response.status, response.getheader("Idempotent-Replayed") == "true"
    except (OSError, http.client.HTTPException):
        connection.close()
        connections.pop(port, None)
        return None


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("svledger")
    parser.add_argument("--seconds", type=float, default=45)
    parser.add_argument("--writers", type=int, default=16)
    args = parser.parse_args()
    svledger = os.path.abspath(args.svledger)
    scratch = tempfile.mkdtemp(prefix="svledger-soak-")
    try:
        return soak(svledger, scratch, args)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def soak(svledger, scratch, args):
    ledger = os.path.join(scratch, "ledger")
    head = ["--actor", "r.shah", "--role", "Head of Procurement", "--ledger", ledger]
    run(svledger, "init", "--ledger", ledger)
    run(svledger, "policy", "adopt", "--builtin", "lancashire-2024-28", *head)
    run(svledger, "catalog", "publish", "--builtin", "portal-003", *head)
    run(svledger, "access", "grant", "ada", "--role", "administrator", "--actor", "installer", "--ledger", ledger)
    run(svledger, "access", "grant", "a.patel", "--role", "procurement-officer", "--actor", "ada", "--ledger", ledger)
    token = run(svledger, "access", "token", "issue", "a.patel", "--role", "procurement-officer",
                "--actor", "ada", "--ledger", ledger).strip().splitlines()[-1]
    servers = [Server(svledger, ledger, scratch, "one"), Server(svledger, ledger, scratch, "two")]
    ports = [server.port for server in servers]

    acknowledged = {}          # key -> reference, once answered 201
    sent = {}                  # key -> reference, every logical request
    order = []                 # keys in the order their first answer came
    lock = threading.Lock()
    failures = []
    counts = {"attempts": 0, "duplicates sent": 0, "unanswered": 0}
    stop = time.time() + args.seconds

    def writer(number):
        rng = random.Random(1000 + number)
        connections = {}
        n = 0
        while time.time() < stop:
            n += 1
            key = f"soak-{number}-{n}"
            reference = f"LCC-SOAK-{number}-{n}"
            body = json.dumps(registration(reference))
            with lock:
                sent[key] = reference
            answered = None
            while answered is None:
                port = rng.choice(ports)
                answered = post(connections, port, token, key, body)
                with lock:
                    counts["attempts"] += 1
                    if answered is None:
                        counts["unanswered"] += 1
                if answered is not None and rng.random() < 0.1:
                    # A client that lost the answer sends the same request to the other server.
                    other = ports[1] if port == ports[0] else ports[0]
                    again = post(connections, other, token, key, body)
                    with lock:
                        counts["attempts"] += 1
                        counts["duplicates sent"] += 1
                    if again is not None and again != (201, True):
                        with lock:
                            failures.append(f"{key}: a retry at once on the other server got {again}")
            status, _ = answered
            if status != 201:
                with lock:
                    failures.append(f"{key}: answered {status}")
                continue
            with lock:
                acknowledged[key] = reference
                order.append(key)

    cli_references = []

    def cli_writer():
        n = 0
        path = os.path.join(scratch, "cli.ndjson")
        while time.time() < stop:
            n += 1
            reference = f"LCC-SOAK-CLI-{n}"
            command = registration(reference)
            command["actor"] = {"id": "c.mensah", "role": "Contract Manager"}
            with open(path, "w") as file:
                file.write(json.dumps(command) + "\n")
            result = subprocess.run([svledger, "apply", path, "--ledger", ledger], capture_output=True, text=True)
            if result.returncode != 0:
                failures.append(f"the CLI's {reference}: {result.stderr.strip()}")
                return
            cli_references.append(reference)

    started = time.time()
    threads = [threading.Thread(target=writer, args=(n,)) for n in range(args.writers)]
    threads.append(threading.Thread(target=cli_writer))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.time() - started

    # The first 100 keys again, to both servers: each is replayed, nothing is written.
    connections = {}
    for key in order[:100]:
        body = json.dumps(registration(acknowledged[key]))
        for port in ports:
            answer = post(connections, port, token, key, body)
            if answer != (201, True):
                failures.append(f"{key}: the final retry at port {port} got {answer}")

    for server in servers:
        status = server.stop()
        if status != 0:
            failures.append(f"a server exited {status} on SIGTERM")
    for name in ("one", "two"):
        errors = subprocess.run([sys.executable, os.path.join(ROOT, "tools", "server_errors.py"),
                                 os.path.join(scratch, name + ".log")], capture_output=True, text=True)
        if errors.returncode != 0:
            failures.append(f"server {name} answered 5xx:\n{errors.stdout}")

    registered = {}
    log = run(svledger, "log", "--format", "json", "--ledger", ledger)
    for line in log.splitlines():
        event = json.loads(line)
        if event["eventType"] == "ContractRegistered":
            reference = event["streamId"][len("contract/"):]
            registered[reference] = registered.get(reference, 0) + 1
    for key, reference in sent.items():
        times = registered.get(reference, 0)
        if key in acknowledged and times != 1:
            failures.append(f"{key} ({reference}) acknowledged and recorded {times} times")
        elif times > 1:
            failures.append(f"{key} ({reference}) recorded {times} times")
    for reference in cli_references:
        if registered.get(reference, 0) != 1:
            failures.append(f"the CLI's {reference} recorded {registered.get(reference, 0)} times")
    if subprocess.run([svledger, "verify", "--ledger", ledger], capture_output=True).returncode != 0:
        failures.append("svledger verify fails")
    if subprocess.run([sys.executable, os.path.join(ROOT, "tools", "verify_ledger.py"), ledger],
                      capture_output=True).returncode != 0:
        failures.append("tools/verify_ledger.py fails")

    if failures:
        for failure in failures[:30]:
            print("FAIL: " + failure)
        print(f"FAIL: soak: {len(failures)} failures")
        return 1
    print(f"soak: {len(acknowledged)} logical requests by {args.writers} writers over two servers in "
          f"{elapsed:.0f} s ({counts['attempts']} attempts, {counts['duplicates sent']} sent again at once "
          f"to the other server, {counts['unanswered']} unanswered and retried), {len(cli_references)} by the "
          f"CLI meanwhile, the first 100 keys retried on both servers: each recorded exactly once; "
          f"the ledger verifies (both verifiers)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
