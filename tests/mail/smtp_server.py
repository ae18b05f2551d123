"""A real SMTP server for the tests (aiosmtpd), listening on 127.0.0.1 only, that keeps every
message it accepts as DIR/NNN.eml with its envelope in DIR/NNN.json.

Usage: python3 smtp_server.py DIR [--starttls | --tls] [--auth USER:PASSWORD] [--refuse ADDRESS]...

--starttls  STARTTLS required before MAIL (a self-signed certificate for 127.0.0.1, written to
            DIR/ca.pem for the client to trust); --tls: TLS from the first byte, same certificate.
--auth      AUTH (PLAIN, LOGIN) required, with this user and password.
--refuse    answer RCPT TO this address with 550 (the other recipients are accepted).

Prints "PORT n" on stdout once listening, and stops when its standard input closes.
"""

import argparse
import datetime
import ipaddress
import json
import os
import socket
import ssl
import sys

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


def self_signed(directory):
    """A key and a self-signed certificate for 127.0.0.1 (and localhost), as an SSL context."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "cchc test SMTP server")])
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=7))
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.IPAddress(ipaddress.ip_address("127.0.0.1")), x509.DNSName("localhost")]
            ),
            critical=False,
        )
        # An end entity trusted as itself: rustls refuses a CA certificate serving a host.
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.ExtendedKeyUsage([x509.oid.ExtendedKeyUsageOID.SERVER_AUTH]), critical=False
        )
        .sign(key, hashes.SHA256())
    )
    cert_path = os.path.join(directory, "ca.pem")
    key_path = os.path.join(directory, "key.pem")
    with open(cert_path, "wb") as f:
        f.write(cert.public_bytes(serialization.Encoding.PEM))
    with open(key_path, "wb") as f:
        f.write(
            key.private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
        )
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert_path, key_path)
    return context


class Keeper:
    def __init__(self, directory, refused):
        self.directory = directory
        self.refused = {r.lower() for r in refused}
        self.count = 0

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.lower() in self.refused:
            return f"550 5.1.1 <{address}>: Recipient address rejected: User unknown"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.count += 1
        stem = os.path.join(self.directory, f"{self.count:03}")
        with open(stem + ".eml", "wb") as f:
            f.write(envelope.original_content or envelope.content)
        with open(stem + ".json", "w") as f:
            json.dump(
                {
                    "mail_from": envelope.mail_from,
                    "rcpt_tos": envelope.rcpt_tos,
                    "tls": session.ssl is not None,
                    "login": session.auth_data.login.decode()
                    if isinstance(session.auth_data, LoginPassword)
                    else None,
                },
                f,
            )
        return "250 2.0.0 Ok: queued"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main():
    p = argparse.ArgumentParser()
    p.add_argument("dir")
    p.add_argument("--starttls", action="store_true")
    p.add_argument("--tls", action="store_true")
    p.add_argument("--auth")
    p.add_argument("--refuse", action="append", default=[])
    a = p.parse_args()
    os.makedirs(a.dir, exist_ok=True)
    context = self_signed(a.dir) if (a.starttls or a.tls) else None
    kwargs = {}
    if a.starttls:
        kwargs.update(tls_context=context, require_starttls=True)
    if a.tls:
        kwargs.update(ssl_context=context)
    if a.auth:
        user, password = a.auth.split(":", 1)

        def authenticator(server, session, envelope, mechanism, auth_data):
            ok = isinstance(auth_data, LoginPassword) and (
                auth_data.login.decode(),
                auth_data.password.decode(),
            ) == (user, password)
            return AuthResult(success=ok, auth_data=auth_data)

        kwargs.update(
            authenticator=authenticator,
            auth_required=True,
            # A plain test server may log in without TLS; with --starttls it must be after it.
            auth_require_tls=a.starttls,
        )
    port = free_port()
    controller = Controller(
        Keeper(a.dir, a.refuse), hostname="127.0.0.1", port=port, **kwargs
    )
    controller.start()
    print(f"PORT {port}", flush=True)
    try:
        sys.stdin.read()
    finally:
        controller.stop()


if __name__ == "__main__":
    main()
