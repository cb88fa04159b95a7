"""accounts.client_address: the client address through trusted proxy hops only."""
import pytest
from django.test import RequestFactory

from accounts.client_address import address_parse, client_address, peer_address

PROXY = "10.0.0.2"


def _request(remote=PROXY, forwarded=None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


def test_without_trusted_proxies_the_header_is_ignored(settings):
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_address(_request(forwarded="203.0.113.7")) == PROXY
    assert client_address(_request(remote="198.51.100.1", forwarded="127.0.0.1")) == "198.51.100.1"


def test_one_trusted_proxy_gives_the_address_it_appended(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_address(_request(forwarded="203.0.113.7")) == "203.0.113.7"
    # What the client wrote itself stays to the left of what nginx appended and is not believed.
    assert client_address(_request(forwarded="127.0.0.1, 1.1.1.1,203.0.113.7")) == "203.0.113.7"
    # A request that reached the web process without the proxy is its own client.
    assert client_address(_request(remote="198.51.100.9")) == "198.51.100.9"


def test_two_hops_and_the_trusted_list(settings):
    settings.TRUSTED_PROXY_COUNT = 2
    assert client_address(_request(forwarded="9.9.9.9, 203.0.113.7, 10.0.0.1")) == "203.0.113.7"
    settings.TRUSTED_PROXIES = ["10.0.0.0/24"]
    assert client_address(_request(forwarded="9.9.9.9, 203.0.113.7, 10.0.0.1")) == "203.0.113.7"
    # A hop outside the list is the client, whatever it claims to forward for.
    assert client_address(_request(forwarded="9.9.9.9, 203.0.113.7, 192.0.2.1")) == "192.0.2.1"
    assert client_address(_request(remote="192.0.2.50", forwarded="127.0.0.1")) == "192.0.2.50"


@pytest.mark.parametrize("header", ["", "   ", "unknown", "not-an-ip", "1.2.3.999", "_hidden", ",,", "x" * 200])
def test_malformed_header_falls_back_to_the_proxy(settings, header):
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_address(_request(forwarded=header)) == PROXY


def test_ipv6_ports_and_mapped_addresses(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_address(_request(forwarded="2001:DB8::0:1")) == "2001:db8::1"
    assert client_address(_request(forwarded="[2001:db8::1]:443")) == "2001:db8::1"
    assert client_address(_request(forwarded="203.0.113.7:51234")) == "203.0.113.7"
    assert client_address(_request(forwarded="::ffff:203.0.113.7")) == "203.0.113.7"
    assert client_address(_request(remote="::1", forwarded="fe80::1%eth0")) == "fe80::1"
    assert address_parse("garbage") is None and address_parse(None) is None


def test_unusable_remote_addr_gives_none(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_address(_request(remote="", forwarded="203.0.113.7")) is None
    assert peer_address(_request(remote="", forwarded="203.0.113.7")) is None


@pytest.mark.django_db
def test_metrics_allow_list_cannot_be_opened_by_the_header(client, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    settings.METRICS_ALLOWED_IPS = {"127.0.0.1", "::1"}
    # An outside machine claiming to forward for 127.0.0.1.
    assert client.get("/metrics", REMOTE_ADDR="198.51.100.1", HTTP_X_FORWARDED_FOR="127.0.0.1").status_code == 404
    # The local proxy relaying an outside client.
    assert client.get("/metrics", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.1").status_code == 404
    assert client.get("/metrics", REMOTE_ADDR="127.0.0.1").status_code == 200


def test_axes_uses_the_same_function(settings):
    from axes.helpers import get_client_ip_address

    settings.TRUSTED_PROXY_COUNT = 1
    assert get_client_ip_address(_request(forwarded="203.0.113.7")) == "203.0.113.7"
