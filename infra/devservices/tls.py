"""A private certificate authority for the secured test services, made with `cryptography`.

Managed clusters present certificates from a CA the client must be told about (KAFKA_SSL_CAFILE,
AWS_CA_BUNDLE); the secured broker and store of the tests do the same, with a CA generated here
for the test run. A second, unrelated CA lets a test present a certificate nobody trusts.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

#: Long enough for any test session, short enough that a leaked test CA is soon worthless.
VALID_DAYS = 30


@dataclass(frozen=True, slots=True)
class Issued:
    """PEM files of one certificate: the certificate itself and its unencrypted PKCS#8 key."""

    cert: Path
    key: Path

    def cert_pem(self) -> str:
        return self.cert.read_text()

    def key_pem(self) -> str:
        return self.key.read_text()


def _key() -> ec.EllipticCurvePrivateKey:
    return ec.generate_private_key(ec.SECP256R1())


def _write(path: Path, cert: x509.Certificate, key: ec.EllipticCurvePrivateKey) -> Issued:
    path.parent.mkdir(parents=True, exist_ok=True)
    cert_file = path.with_suffix(".pem")
    key_file = path.with_name(path.name + "-key.pem")
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,  # the one form Java's PEM key store reads
            serialization.NoEncryption(),
        )
    )
    key_file.chmod(0o600)
    return Issued(cert_file, key_file)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC) - dt.timedelta(minutes=5)  # tolerate a little clock skew


def make_ca(path: Path, name: str) -> Issued:
    key = _key()
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(_now())
        .not_valid_after(_now() + dt.timedelta(days=VALID_DAYS))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    return _write(path, cert, key)


def issue(ca: Issued, path: Path, name: str, server: bool) -> Issued:
    """A leaf certificate signed by `ca`: a server's for 127.0.0.1 and localhost, or a client's
    (mutual TLS) with `name` as its subject, which is the principal the broker sees."""
    ca_cert = x509.load_pem_x509_certificate(ca.cert.read_bytes())
    ca_key = serialization.load_pem_private_key(ca.key.read_bytes(), password=None)
    assert isinstance(ca_key, ec.EllipticCurvePrivateKey)
    key = _key()
    builder = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)]))
        .issuer_name(ca_cert.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(_now())
        .not_valid_after(_now() + dt.timedelta(days=VALID_DAYS))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.ExtendedKeyUsage(
                [ExtendedKeyUsageOID.SERVER_AUTH if server else ExtendedKeyUsageOID.CLIENT_AUTH]
            ),
            critical=False,
        )
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_cert.public_key()),  # type: ignore[arg-type]
            critical=False,
        )
    )
    if server:
        builder = builder.add_extension(
            x509.SubjectAlternativeName(
                [x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
            ),
            critical=False,
        )
    cert = builder.sign(ca_key, hashes.SHA256())
    return _write(path, cert, key)


@dataclass(frozen=True, slots=True)
class TestPki:
    """What the secured services and their tests use: the CA clients must trust, the server's
    certificate, a client certificate for mutual TLS, and a CA that signed none of them."""

    ca: Issued
    server: Issued
    client: Issued
    stranger_ca: Issued


def make_pki(folder: Path) -> TestPki:
    """Create the files once; reused while they exist (a restarted service keeps its certs)."""
    names = ("ca", "server", "client", "stranger-ca")
    files = [folder / f"{n}.pem" for n in names] + [folder / f"{n}-key.pem" for n in names]
    if all(f.exists() for f in files):
        pem = {n: Issued(folder / f"{n}.pem", folder / f"{n}-key.pem") for n in names}
        return TestPki(pem["ca"], pem["server"], pem["client"], pem["stranger-ca"])
    ca = make_ca(folder / "ca", "newsflow test CA")
    return TestPki(
        ca=ca,
        server=issue(ca, folder / "server", "localhost", server=True),
        client=issue(ca, folder / "client", "newsflow-mtls", server=False),
        stranger_ca=make_ca(folder / "stranger-ca", "an unrelated CA"),
    )
