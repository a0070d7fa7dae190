"""A loopback SMTP server for smtp_test.cc, built on aiosmtpd (Debian: python3-aiosmtpd).

Listens on 127.0.0.1 at a port the kernel picks and prints "PORT <n>" on stdout once it
accepts connections. Every message it accepts becomes DIR/<n>.eml (the DATA bytes as
received, after SMTP dot-unstuffing) with DIR/<n>.json beside it: the envelope sender and
recipients, whether the session used TLS and who logged in. Each file is written to a
temporary name and renamed, before the server answers "250", so a client that got its 250
finds the files complete.

The server exits when its stdin closes (the test process ended, however it ended) or after
--lifetime seconds, so a crashed test never leaves it behind.
"""

import argparse
import asyncio
import itertools
import json
import logging
import os
import ssl
import sys

from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword


class SavingHandler:
    def __init__(self, directory):
        self.directory = directory
        self.counter = itertools.count(1)

    def _write(self, name, data):
        temporary = os.path.join(self.directory, "." + name + ".tmp")
        with open(temporary, "wb") as f:
            f.write(data)
        os.rename(temporary, os.path.join(self.directory, name))

    async def handle_DATA(self, server, session, envelope):
        number = next(self.counter)
        facts = {
            "mail_from": envelope.mail_from,
            "rcpt_tos": envelope.rcpt_tos,
            "tls": session.ssl is not None,
            "login": session.auth_data if session.authenticated else None,
        }
        self._write(f"{number}.json", json.dumps(facts).encode())
        self._write(f"{number}.eml", envelope.content)
        return "250 Message accepted for delivery"


def make_authenticator(user, password):
    def authenticate(server, session, envelope, mechanism, auth_data):
        ok = (isinstance(auth_data, LoginPassword)
              and auth_data.login.decode() == user
              and auth_data.password.decode() == password)
        # handled=False: aiosmtpd then answers a refusal with "535" itself.
        return AuthResult(success=ok, handled=False, auth_data=user if ok else None)
    return authenticate


async def serve(args):
    loop = asyncio.get_running_loop()
    stop = loop.create_future()
    loop.add_reader(sys.stdin.fileno(), lambda: stop.done() or stop.set_result(None))
    loop.call_later(args.lifetime, lambda: stop.done() or stop.set_result(None))

    tls_context = None
    if args.tls_cert:
        tls_context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        tls_context.load_cert_chain(args.tls_cert, args.tls_key)
    authenticator = None
    if args.login:
        user, _, password = args.login.partition(":")
        authenticator = make_authenticator(user, password)
    handler = SavingHandler(args.dir)

    def protocol():
        return SMTP(handler, hostname="localhost", tls_context=tls_context,
                    require_starttls=args.require_starttls, authenticator=authenticator,
                    auth_required=authenticator is not None,
                    auth_require_tls=tls_context is not None)

    server = await loop.create_server(protocol, host="127.0.0.1", port=0)
    port = server.sockets[0].getsockname()[1]
    print(f"PORT {port}", flush=True)
    await stop
    server.close()


def main():
    # aiosmtpd logs a traceback for every failed handshake, which several tests cause on
    # purpose; the C++ side reports curl's view of each failure instead.
    logging.getLogger("mail.log").setLevel(logging.CRITICAL)
    parser = argparse.ArgumentParser()
    parser.add_argument("--dir", required=True)
    parser.add_argument("--tls-cert")
    parser.add_argument("--tls-key")
    parser.add_argument("--require-starttls", action="store_true")
    parser.add_argument("--login", help="USER:PASSWORD that AUTH must present")
    parser.add_argument("--lifetime", type=float, default=300)
    asyncio.run(serve(parser.parse_args()))


if __name__ == "__main__":
    main()
