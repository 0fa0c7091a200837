"""Who a figure comes from, in words: the one way the project credits a figure, used by the
corrections, the charts' source lines, the site's cards and the rules for words.

A figure is credited to the body that published it; where the project computed it, "computed from"
that body's figures; where it reached the project only through pages that quote the body (no page
of the body's own gives it), "as quoted by" those pages; and "a single source" where the data flag
that only one page gives it. A figure of the primary table (every page is the e-Stat portal's) is
credited to that publication.
"""

from __future__ import annotations

from urllib.parse import urlparse

from analysis import fmt
from analysis import vocabulary as v
from analysis.tables import ESTAT

#: The domain of official bodies' own sites (a page elsewhere quotes them).
OFFICIAL_DOMAIN = "go.jp"
#: The primary table's portal and its host.
PORTAL, _, _ADDRESS = ESTAT.portal.partition(" (")
PORTAL_HOST = urlparse(_ADDRESS.rstrip(")")).hostname
#: The primary table, as a correction names it.
PRIMARY = f"{ESTAT.statistics}, via {PORTAL}"


def hosts(sources) -> list[str]:
    """The web hosts of a space-separated list of pages, in order, each once.

    >>> hosts("https://a.jp/x https://a.jp/y http://b.org/")
    ['a.jp', 'b.org']
    """
    if not isinstance(sources, str):
        return []
    return list(dict.fromkeys(urlparse(u).hostname or u for u in sources.split()))


def is_official_host(host: str) -> bool:
    """Whether a page is an official body's own (a Japanese government domain).

    >>> is_official_host("www.e-stat.go.jp"), is_official_host("www.viet-jo.com")
    (True, False)
    """
    return host == OFFICIAL_DOMAIN or host.endswith("." + OFFICIAL_DOMAIN)


def quoting_hosts(sources) -> list[str]:
    """The pages a figure was seen on when none is the body's own: the pages that quote it
    (none, when the body's own page gives it too).

    >>> quoting_hosts("https://kizuna2581.org/a https://www.moj.go.jp/b.pdf"), quoting_hosts("https://op-ed.jp/a")
    ([], ['op-ed.jp'])
    """
    found = hosts(sources)
    return [] if any(is_official_host(h) for h in found) else found


def in_primary_table(sources) -> bool:
    """Whether every page of a figure is the primary table's portal.

    >>> in_primary_table("https://www.e-stat.go.jp/x"), in_primary_table("https://www.moj.go.jp/x")
    (True, False)
    """
    found = hosts(sources)
    return bool(found) and all(h == PORTAL_HOST for h in found)


def credit(publisher: str, basis: str, sources=None, single_source: bool = False) -> str:
    """Who a figure comes from, in words (see the module's docstring).

    >>> credit("Immigration Services Agency", "published", "https://www.e-stat.go.jp/")
    'Immigration Services Agency, Statistics on Foreign Residents, via e-Stat'
    >>> credit("Immigration Services Agency", "derived", "https://www.e-stat.go.jp/")
    "computed from the Immigration Services Agency's Statistics on Foreign Residents, via e-Stat"
    >>> credit("Immigration Services Agency", "derived")
    "computed from the Immigration Services Agency's figures"
    >>> credit("Ministry of Health Labour and Welfare", "reported", "https://www.viet-jo.com/a", True)
    'Ministry of Health, Labour and Welfare, as quoted by www.viet-jo.com; a single source'
    >>> credit("as reported by a fisheries trade journal", "reported", "https://x.jp/", True)
    'as reported by a fisheries trade journal; a single source'
    """
    name = fmt.body_name(publisher)
    single = "; a single source" if single_source else ""
    if name[:1].islower():  # a phrase already ('as reported by a fisheries trade journal')
        return name + single
    derived = basis == v.DERIVED
    if in_primary_table(sources):
        return (f"computed from {fmt.body(name)}'s {PRIMARY}" if derived else f"{name}, {PRIMARY}") + single
    said = f"computed from {fmt.body(name)}'s figures" if derived else name
    quoted = quoting_hosts(sources)
    if quoted:
        said += f", as quoted by {fmt.listing(quoted)}"
    return said + single
