#!/usr/bin/env python3
"""A test SMTP server on loopback that keeps what it receives: for tools/demo.

    smtp_sink.py PORT DIR

Listens on 127.0.0.1:PORT (plain SMTP, as a relay on the same host is) with aiosmtpd and writes
each message it receives to DIR/NNN.eml, until it is stopped (SIGTERM or SIGINT). Prints
"listening" once it accepts connections.
"""

import asyncio
import signal
import sys
from pathlib import Path

from aiosmtpd.controller import Controller


class Keep:
    def __init__(self, directory):
        self.directory = directory
        self.count = 0

    async def handle_DATA(self, server, session, envelope):
        self.count += 1
        (self.directory / f"{self.count:03d}.eml").write_bytes(envelope.original_content)
        return "250 Message accepted for delivery"


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__.strip().splitlines()[2])
    directory = Path(sys.argv[2])
    directory.mkdir(parents=True, exist_ok=True)
    controller = Controller(Keep(directory), hostname="127.0.0.1", port=int(sys.argv[1]))
    controller.start()
    print("listening", flush=True)
    stop = asyncio.Event()
    loop = asyncio.new_event_loop()
    for name in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(name, stop.set)
    loop.run_until_complete(stop.wait())
    controller.stop()


if __name__ == "__main__":
    main()
