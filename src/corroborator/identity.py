"""Which stored article a newly read one is a version of: the same canonical URL, else the same outlet and
external id (a feed entry's guid, a JSON record's id).

The canonical form drops what changes between fetches of one page without changing the page: the
fragment, tracking parameters (``utm_*``, ``fbclid``, ``gclid``), a trailing slash, the case of the
scheme and host, a default port. Other query parameters stay (``?id=12`` names a page).
"""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from corroborator.model import Article

_TRACKING = ("utm_", "fbclid", "gclid", "mc_cid", "mc_eid", "ocid", "cmpid")
_DEFAULT_PORTS = {"http": "80", "https": "443"}


def canonical_url(url: str) -> str:
    """``url`` in the form two fetches of one page share (see the module docstring)."""
    url = url.strip()
    try:
        parts = urlsplit(url)
    except ValueError:  # a malformed URL is its own identity
        return url
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    if parts.port is not None and str(parts.port) != _DEFAULT_PORTS.get(scheme):
        host = f"{host}:{parts.port}"
    query = urlencode([(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
                       if not k.lower().startswith(_TRACKING)])  # fmt: skip
    path = parts.path.rstrip("/") or "/"
    return urlunsplit((scheme, host, path, query, ""))


def identity_keys(article: Article) -> tuple[str | None, tuple[str | None, str] | None]:
    """(canonical URL, (source, external id)) of an article, each None when it has none. The URL decides
    when there is one; the external id only names an article within its outlet."""
    url = canonical_url(article.url) if article.url and article.url.strip() else None
    ext = (article.source, article.external_id) if article.external_id and article.external_id.strip() else None
    return url, ext
