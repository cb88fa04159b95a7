"""The real client address of a request, read through the trusted reverse proxies only.

Behind `deploy/nginx.conf` every request's REMOTE_ADDR is the proxy's address. The proxy appends
the address it saw to `X-Forwarded-For` ($proxy_add_x_forwarded_for), so the header reads
``client-supplied…, hop-1, …, hop-n`` and only its rightmost entries were written by proxies we run;
anything to their left came from the client and can be forged. `client_address` therefore walks
from the right: REMOTE_ADDR first, then one header entry per trusted proxy (TRUSTED_PROXY_COUNT),
stopping at the first address that is not a trusted proxy (when TRUSTED_PROXIES lists them).

With the default TRUSTED_PROXY_COUNT=0 (no proxy: the embedded `bin/run` server) the header is
ignored, so nobody can choose their address by sending it.

This one function is what django-axes (AXES_CLIENT_IP_CALLABLE), the SMS throttles, the
forgot-password attempt limit and the metrics allow-list use.
"""
import ipaddress

from django.conf import settings

Address = ipaddress.IPv4Address | ipaddress.IPv6Address
Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def address_parse(value: str | None) -> Address | None:
    """One address as a proxy writes it, or None when it is not one.

    Accepts ``1.2.3.4``, ``1.2.3.4:5678``, ``2001:db8::1``, ``[2001:db8::1]:443`` and a zone index
    (``fe80::1%eth0``, dropped); IPv4-mapped IPv6 (``::ffff:1.2.3.4``) becomes the IPv4 address, so one
    client has one spelling. ``unknown``, obfuscated identifiers (RFC 7239 ``_hidden``) and garbage
    give None.
    """
    text = (value or "").strip().strip('"')
    if not text or len(text) > 64:
        return None
    if text.startswith("["):
        text = text[1:].split("]", 1)[0]
    elif text.count(":") == 1:  # IPv4 with a port; a bare IPv6 address has at least two colons
        text = text.split(":", 1)[0]
    text = text.split("%", 1)[0]
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


def trusted_proxy_networks(values) -> tuple[Network, ...]:
    """TRUSTED_PROXIES as networks (``10.0.0.0/8``, ``127.0.0.1``); a bad entry is a configuration error."""
    return tuple(ipaddress.ip_network(str(v).strip(), strict=False) for v in values if str(v).strip())


def _is_trusted_proxy(address: Address, networks: tuple[Network, ...]) -> bool:
    # Without a list, every hop within TRUSTED_PROXY_COUNT is one of ours (the shipped single nginx).
    return not networks or any(address.version == n.version and address in n for n in networks)


def client_address(request) -> str | None:
    """The address of the client that sent `request`, as a string (None when REMOTE_ADDR is unusable).

    A malformed header entry where a trusted proxy should have written one stops the walk at the
    last address that could be read, i.e. the proxy: the request is then counted with the proxy's
    other unreadable requests rather than under an address the client chose.
    """
    meta = getattr(request, "META", {})
    address = address_parse(meta.get("REMOTE_ADDR"))
    if address is None:
        return None
    count = max(int(getattr(settings, "TRUSTED_PROXY_COUNT", 0) or 0), 0)
    if count:
        networks = trusted_proxy_networks(getattr(settings, "TRUSTED_PROXIES", ()))
        header = meta.get("HTTP_X_FORWARDED_FOR", "") or ""
        hops = [hop for hop in header.split(",") if hop.strip()]
        for _hop in range(count):
            if not hops or not _is_trusted_proxy(address, networks):
                break
            previous = address_parse(hops.pop())
            if previous is None:
                break
            address = previous
    return str(address)


def peer_address(request) -> str | None:
    """The address of the machine that opened the connection (REMOTE_ADDR), normalised."""
    address = address_parse(getattr(request, "META", {}).get("REMOTE_ADDR"))
    return None if address is None else str(address)
