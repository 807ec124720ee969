"""``/.well-known/host-meta`` (RFC 6415): the XRD that points to our WebFinger.

Few servers still need it (some older OStatus-era software asks for it first), but it is
cheap to serve and saves those peers a failed discovery.
"""

from __future__ import annotations

from xml.sax.saxutils import quoteattr

XRD_XML = "application/xrd+xml"


def build_host_meta(base_url: str) -> str:
    """The host-meta XRD for our node, with the WebFinger template on ``base_url``."""
    template = base_url.rstrip("/") + "/.well-known/webfinger?resource={uri}"
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<XRD xmlns="http://docs.oasis-open.org/ns/xri/xrd-1.0">\n'
        f'  <Link rel="lrdd" type="application/jrd+json" template={quoteattr(template)}/>\n'
        "</XRD>\n"
    )
