"""Outbound HTTP to addresses that staff typed in (webhook subscriptions), without letting the platform
be pointed at itself or its network (server-side request forgery).

- Only https, and http where the platform's operator sets WEBHOOK_ALLOW_HTTP.
- The host is resolved at every request, every address it resolves to must be public (not loopback,
  private, link-local such as cloud metadata at 169.254.169.254, shared, reserved or multicast) unless
  it lies in WEBHOOK_ALLOWED_NETWORKS, and the connection goes to the address that was checked, so a
  DNS answer that changes between check and connect cannot slip through.
- Redirects are never followed (http.client does not follow them; a 3xx is a failed attempt).
- What is kept of an answer is a short excerpt with control characters removed, and errors are
  described in a few fixed words, never with the text of an internal page or socket error.
"""

import contextlib
import http.client
import ipaddress
import socket
import ssl
import threading
import time
import urllib.parse
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

EXCERPT = 200


class AddressRefused(Exception):
    """The URL's scheme or address is one the platform does not send to."""


@dataclass
class Answer:
    status: int | None
    text: str = ""
    error: str = ""
    retry_after: str | None = None
    duration_ms: int = 0


def _allowed_networks():
    return [
        ipaddress.ip_network(net.strip(), strict=False)
        for net in settings.WEBHOOK_ALLOWED_NETWORKS
        if net.strip()
    ]


# IPv6 ranges that carry an IPv4 address in their last 32 bits (NAT64, IPv4-compatible, SIIT), and the
# deprecated site-local range that Python still counts as global.
_CARRIES_IPV4 = [
    ipaddress.ip_network(n) for n in ("64:ff9b::/96", "64:ff9b:1::/48", "::/96", "::ffff:0:0:0/96")
]
_NEVER = [ipaddress.ip_network("fec0::/10")]


def _embedded_ipv4(ip) -> ipaddress.IPv4Address | None:
    if ip.version != 6:
        return None
    if ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    if ip.sixtofour is not None:
        return ip.sixtofour
    if ip.teredo is not None:
        return ip.teredo[1]
    if any(ip in network for network in _CARRIES_IPV4):
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return None


def address_allowed(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if any(ip in network for network in _allowed_networks()):
        return True
    embedded = _embedded_ipv4(ip)
    if embedded is not None:
        return address_allowed(str(embedded))
    if any(ip in network for network in _NEVER):
        return False
    return ip.is_global and not ip.is_multicast


def check_scheme(url: str) -> urllib.parse.SplitResult:
    parts = urllib.parse.urlsplit(url)
    schemes = {"https", "http"} if settings.WEBHOOK_ALLOW_HTTP else {"https"}
    if parts.scheme not in schemes:
        raise AddressRefused(_("Only https addresses are allowed."))
    if not parts.hostname:
        raise AddressRefused(_("The address has no host name."))
    if parts.username or parts.password:
        raise AddressRefused(_("The address may not carry a user name or password."))
    try:
        parts.port  # noqa: B018  urlsplit checks the port only when it is read
    except ValueError:
        raise AddressRefused(_("The address has an invalid port.")) from None
    return parts


def resolve(host: str, port: int) -> str:
    """The address to connect to: the first of the host's addresses, once every one is allowed."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError):
        raise AddressRefused(_("The host name could not be resolved.")) from None
    addresses = [info[4][0] for info in infos]
    if not addresses or not all(address_allowed(a) for a in addresses):
        raise AddressRefused(_("The host resolves to an address that is not public."))
    return addresses[0]


def validate_url(url: str) -> None:
    """For the subscription form: the scheme, and an address that is public now (checked again at every
    delivery, since DNS can change)."""
    try:
        parts = check_scheme(url)
        resolve(parts.hostname, parts.port or (443 if parts.scheme == "https" else 80))
    except AddressRefused as exc:
        raise ValidationError(str(exc), code="address_refused") from None


class _PinnedHTTP(http.client.HTTPConnection):
    def __init__(self, host, port, *, address, timeout):
        super().__init__(host, port, timeout=timeout)
        self._address = address

    def connect(self):
        self.sock = socket.create_connection((self._address, self.port), self.timeout)


class _PinnedHTTPS(http.client.HTTPSConnection):
    def __init__(self, host, port, *, address, timeout):
        super().__init__(host, port, timeout=timeout, context=ssl.create_default_context())
        self._address = address

    def connect(self):
        sock = socket.create_connection((self._address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


def post(url: str, body: bytes, headers: dict[str, str], *, timeout: float) -> Answer:
    """POST with `timeout` as the limit for the whole exchange, not for each read: a receiver that
    trickles its answer a byte at a time is cut off when the time is up (the socket is shut down from
    here, which ends the blocked read), so a worker is never held longer."""
    started = time.monotonic()
    box: dict = {}
    worker = threading.Thread(target=lambda: box.update(answer=_post(url, body, headers, timeout, box)))
    worker.daemon = True
    worker.start()
    worker.join(timeout)
    if worker.is_alive():
        connection = box.get("connection")
        sock = getattr(connection, "sock", None)
        if sock is not None:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
        worker.join(1)
        answer = Answer(None, error=str(_("timed out")))
    else:
        answer = box["answer"]
    answer.duration_ms = int((time.monotonic() - started) * 1000)
    return answer


def _post(url, body, headers, timeout, box) -> Answer:
    try:
        parts = check_scheme(url)
        https = parts.scheme == "https"
        port = parts.port or (443 if https else 80)
        address = resolve(parts.hostname, port)
    except (AddressRefused, ValueError) as exc:
        return Answer(None, error=str(exc))
    connection_class = _PinnedHTTPS if https else _PinnedHTTP
    connection = box["connection"] = connection_class(parts.hostname, port, address=address, timeout=timeout)
    target = parts.path or "/"
    if parts.query:
        target += "?" + parts.query
    try:
        connection.request("POST", target, body=body, headers=headers)
        response = connection.getresponse()
        text = response.read(EXCERPT).decode(errors="replace")
        return Answer(
            response.status,
            excerpt(text),
            error=str(_("redirect not followed")) if 300 <= response.status < 400 else "",
            retry_after=response.getheader("Retry-After"),
        )
    except TimeoutError:
        return Answer(None, error=str(_("timed out")))
    except ssl.SSLError:
        return Answer(None, error=str(_("TLS handshake or certificate failed")))
    except ConnectionRefusedError:
        return Answer(None, error=str(_("connection refused")))
    except (OSError, http.client.HTTPException):
        return Answer(None, error=str(_("connection failed")))
    finally:
        connection.close()


def excerpt(text: str) -> str:
    """At most EXCERPT printable characters of an answer, for the delivery log."""
    return "".join(ch if ch.isprintable() else " " for ch in text[:EXCERPT]).strip()
