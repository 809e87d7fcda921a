#!/usr/bin/env python3
"""Checks `svledger remind` against a real SMTP server on loopback (aiosmtpd).

    check_reminders.py SVLEDGER LEDGER [--keep DIR]

On a copy of LEDGER (a demo ledger), starts aiosmtpd on 127.0.0.1 with STARTTLS required (a
self-signed certificate made here with openssl, which svledger is told to trust) and AUTH
required, then:
  1. runs `svledger remind` for 2025-11-10: every overdue return and every one due within the
     lead days is sent once, to its supplier, copied to its contract manager; each message is
     checked (headers, the body decoded);
  2. runs it again: nothing is sent twice;
  3. stops the server and runs it for a later day: the run fails with exit 75, every attempt is
     logged as failed, nothing is logged as sent;
  4. starts the server again and runs it once more: what was owed is sent;
  5. a wrong password: refused at AUTH, logged, exit 75.
Prints one line per step; exits 1 on the first thing that does not hold.
"""

import base64
import email
import json
import shutil
import socket
import subprocess
import sys
import tempfile
import logging
import socketserver
import threading
from email import policy
from pathlib import Path

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult

USER, PASSWORD = "svledger", "relay-secret"
MANAGER = "j.owusu@lancashire.example"
# aiosmtpd logs a warning of its own deprecated login_data at every AUTH: not ours to fix.
logging.getLogger("mail.log").setLevel(logging.ERROR)


def fail(message):
    print(f"check_reminders: FAIL: {message}")
    sys.exit(1)


class Inbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append({"from": envelope.mail_from, "rcpt": list(envelope.rcpt_tos),
                              "message": email.message_from_bytes(envelope.original_content, policy=policy.default)})
        return "250 Message accepted for delivery"


def authenticate(server, session, envelope, mechanism, auth_data):
    ok = mechanism == "PLAIN" and auth_data.login == USER.encode() and auth_data.password == PASSWORD.encode()
    return AuthResult(success=ok, handled=False)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start(inbox, port, cert, key):
    import ssl
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    controller = Controller(inbox, hostname="127.0.0.1", port=port, tls_context=context, require_starttls=True,
                            authenticator=authenticate, auth_require_tls=True, server_hostname="localhost")
    controller.start()
    return controller


def run(svledger, ledger, config, day):
    return subprocess.run([svledger, "remind", "--ledger", ledger, "--config", str(config), "--today", day],
                          capture_output=True, text=True, timeout=120)


def log_lines(path):
    return [json.loads(line) for line in path.read_text().splitlines()] if path.exists() else []


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__.strip().splitlines()[2])
    svledger, source = sys.argv[1], sys.argv[2]
    with tempfile.TemporaryDirectory() as scratch:
        scratch = Path(scratch)
        ledger = scratch / "ledger"
        shutil.copytree(source, ledger)
        cert, key = scratch / "relay.pem", scratch / "relay.key"
        subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key), "-out", str(cert), "-days", "2",
                        "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1"], check=True, capture_output=True)
        def owed_on(day):
            return json.loads(subprocess.run([svledger, "due", "--ledger", str(ledger), "--today", day, "--format", "json"],
                                             capture_output=True, text=True, check=True).stdout)
        due = owed_on("2025-11-10")
        # One contract's manager, with an address: its reminders are copied to them.
        managed = next(r["contract"] for r in due["returns"] if r["status"] == "overdue")
        subprocess.run([svledger, "contract", "arrange-reporting", "--ledger", str(ledger), "--contract", managed, "--manager", "J. Owusu",
                        "--manager-email", MANAGER, "--actor", "a.patel", "--role", "Procurement Officer"], check=True, capture_output=True)
        suppliers = sorted({r["supplier"] for r in due["returns"] if r["supplier"]})
        addresses = {name: f"returns{number}@supplier{number}.example" for number, name in enumerate(suppliers)}
        (scratch / "password").write_text(PASSWORD + "\n")
        port = free_port()
        config = scratch / "reminders.json"
        settings = {"smtp": {"host": "localhost", "port": port, "security": "starttls", "username": USER, "passwordFile": "password",
                             "trustedCertificates": "relay.pem"},
                    "from": "social.value@lancashire.example", "council": "Lancashire County Council", "leadDays": 7, "attempts": 2,
                    "log": "reminders.ndjson", "suppliers": addresses}
        config.write_text(json.dumps(settings))
        log = scratch / "reminders.ndjson"

        inbox = Inbox()
        controller = start(inbox, port, cert, key)
        try:
            owed = [r for r in due["returns"] if r["status"] == "overdue" or 0 <= r["daysLeft"] <= 7]
            result = run(svledger, str(ledger), config, "2025-11-10")
            if result.returncode != 0:
                fail(f"first run exit {result.returncode}: {result.stderr}{result.stdout}")
            if len(inbox.messages) != len(owed) or not owed:
                fail(f"{len(inbox.messages)} messages for {len(owed)} returns owed: {result.stdout}")
            for received in inbox.messages:
                message = received["message"]
                body = message.get_content()
                subject = str(message["Subject"])
                match = next((r for r in owed if r["contract"] in subject and r["quarter"] in subject), None)
                if match is None:
                    fail(f"a message for no return owed: {subject}")
                if received["rcpt"][0] != addresses[match["supplier"]] or str(message["To"]) != addresses[match["supplier"]]:
                    fail(f"{subject}: sent to {received['rcpt']}, not to {match['supplier']}'s address")
                copied = received["rcpt"][1:] == [MANAGER] and str(message["Cc"]) == MANAGER
                if copied != (match["contract"] == managed):
                    fail(f"{subject}: copied to {received['rcpt'][1:]}; the manager of {managed} only is copied")
                if match["contract"] not in body or match["dueDate"] not in body or "Lancashire County Council" not in body:
                    fail(f"{subject}: the body does not name the contract, its due day and the council: {body!r}")
                if message["Content-Transfer-Encoding"] != "base64" or message["Auto-Submitted"] != "auto-generated":
                    fail(f"{subject}: headers {dict(message.items())}")
            sent = [line for line in log_lines(log) if line["status"] == "sent"]
            if len(sent) != len(owed):
                fail(f"{len(sent)} logged as sent for {len(owed)} messages")
            print(f"check_reminders: {len(owed)} reminders over STARTTLS with AUTH, each to its supplier ({managed}'s copied to its manager), each logged as sent")

            result = run(svledger, str(ledger), config, "2025-11-10")
            if result.returncode != 0 or len(inbox.messages) != len(owed):
                fail(f"the second run sent again: {len(inbox.messages)} messages, exit {result.returncode}")
            print("check_reminders: a second run sends nothing again")

            # A log that cannot be written: nothing is sent (else every run would send it again).
            unloggable = scratch / "unloggable.json"
            unloggable.write_text(json.dumps({**settings, "log": "no-such-directory/reminders.ndjson"}))
            result = run(svledger, str(ledger), unloggable, "2026-02-05")
            if result.returncode != 74 or "reminder-log" not in result.stderr or len(inbox.messages) != len(owed):
                fail(f"with a log that cannot be written: exit {result.returncode}, {len(inbox.messages) - len(owed)} sent: {result.stderr}")
            print("check_reminders: a log that cannot be written sends nothing (exit 74)")
        finally:
            controller.stop()

        # The relay is down: every attempt fails, is logged, and nothing is marked sent.
        before = len(log_lines(log))
        result = run(svledger, str(ledger), config, "2026-02-05")
        failed = [line for line in log_lines(log)[before:] if line["status"] == "failed"]
        if result.returncode != 75 or not failed or any(line["status"] == "sent" for line in log_lines(log)[before:]):
            fail(f"with the relay down: exit {result.returncode}, {len(failed)} failures logged: {result.stderr}")
        if "reminders-not-sent" not in result.stderr:
            fail(f"the failure does not name its kind: {result.stderr}")
        pending = {line["key"] for line in failed}
        print(f"check_reminders: relay down: exit 75, {len(failed)} failed attempts logged for {len(pending)} reminders, none marked sent")

        inbox = Inbox()
        controller = start(inbox, port, cert, key)
        try:
            result = run(svledger, str(ledger), config, "2026-02-05")
            sent = {line["key"] for line in log_lines(log) if line["status"] == "sent"}
            if result.returncode != 0 or not pending <= sent or len(inbox.messages) != len(pending):
                fail(f"after the relay came back: exit {result.returncode}, {len(inbox.messages)} sent for {len(pending)} pending: {result.stderr}")
            print(f"check_reminders: relay back: the {len(pending)} reminders owed are sent on the next run")

            # A relay (or a man in the middle) that answers STARTTLS and slips an answer in after
            # it, in clear: refused, never read as an answer inside TLS.
            class Injecting(socketserver.BaseRequestHandler):
                def handle(self):
                    self.request.sendall(b"220 fake relay\r\n")
                    self.request.recv(1024)
                    self.request.sendall(b"250-fake\r\n250 STARTTLS\r\n")
                    self.request.recv(1024)
                    self.request.sendall(b"220 go ahead\r\n250 INJECTED\r\n")
                    self.request.recv(1024)
            injector = socketserver.TCPServer(("127.0.0.1", 0), Injecting)
            threading.Thread(target=injector.serve_forever, daemon=True).start()
            injected = scratch / "injected.json"
            injected.write_text(json.dumps({**settings, "attempts": 1, "log": "injected.ndjson",
                                            "smtp": {**settings["smtp"], "port": injector.server_address[1]}}))
            result = run(svledger, str(ledger), injected, "2026-05-08")
            injector.shutdown()
            failed = log_lines(scratch / "injected.ndjson")
            if result.returncode != 75 or not failed or "injection" not in failed[0]["detail"]:
                fail(f"a STARTTLS answer with more after it: exit {result.returncode}, {failed[:1]}")
            print("check_reminders: an answer slipped in after STARTTLS is refused as an injection, logged, exit 75")

            (scratch / "password").write_text("wrong\n")
            before = len(log_lines(log))
            result = run(svledger, str(ledger), config, "2026-05-08")
            failed = [line for line in log_lines(log)[before:] if line["status"] == "failed"]
            if result.returncode != 75 or not failed or "AUTH" not in failed[0]["detail"]:
                fail(f"a wrong password: exit {result.returncode}, {failed[:1]}")
            print("check_reminders: a wrong password is refused at AUTH, logged, exit 75")
        finally:
            controller.stop()
    print("check_reminders: OK")


if __name__ == "__main__":
    main()
