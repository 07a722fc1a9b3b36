"""Share links for an article: plain URLs, no third-party script, no tracking.

Every link is an ordinary `<a href>` to a network's documented share endpoint, so sharing
works with JavaScript off and the reader's browser talks to the network only when they
click. Query strings are percent-encoded as `urlencode(..., quote_via=quote)` would: spaces
become %20 and every reserved character (`&`, `#`, `?`, `=`, `/`, newlines…) is
percent-encoded, so a title can never add or cut off a parameter.
"""

from __future__ import annotations

import importlib.util
import re
from functools import lru_cache
from pathlib import Path
from urllib.parse import quote, urlsplit

from .networks import NETWORK_IDS, NETWORK_LABELS
from .settings import SettingsError
from .validation import did_you_mean

CONFIG_KEYS = ("networks", "mastodon_instance", "hashtags")
MAX_HASHTAGS = 10
MASTODON_PANEL_ID = "bs-share-mastodon"
_HASHTAG_RE = re.compile(r"\w{1,100}")
_HOST_LABEL_RE = re.compile(r"(?!-)[a-z0-9-]{1,63}(?<!-)")

# Icons come from the Font Awesome set bundled with Material (CC BY 4.0; the licence
# comment is kept in each inline SVG). Without Material the links show their names instead.
_ICON_FILES = {
    "x": "fontawesome/brands/x-twitter.svg",
    "facebook": "fontawesome/brands/facebook.svg",
    "linkedin": "fontawesome/brands/linkedin.svg",
    "reddit": "fontawesome/brands/reddit.svg",
    "bluesky": "fontawesome/brands/bluesky.svg",
    "mastodon": "fontawesome/brands/mastodon.svg",
    "whatsapp": "fontawesome/brands/whatsapp.svg",
    "telegram": "fontawesome/brands/telegram.svg",
    "hackernews": "fontawesome/brands/hacker-news.svg",
    "email": "fontawesome/solid/envelope.svg",
    "share": "fontawesome/solid/share-nodes.svg",
    "copy": "fontawesome/solid/link.svg",
}


# -- site configuration ----------------------------------------------------------------

def parse_share_config(options: dict) -> dict:
    """Check the site's `share:` options; raise SettingsError with a fixable message.

    Returns {"networks": tuple of ids in the site's order, "mastodon_instance": host or
    None, "hashtags": tuple without '#'}.
    """
    if options is None:
        options = {}
    if not isinstance(options, dict):
        raise SettingsError("share: must be a mapping — write `share:` then indented "
                            "`networks:`, `mastodon_instance:` or `hashtags:`")
    for key in options:
        if key not in CONFIG_KEYS:
            hint = did_you_mean(str(key), CONFIG_KEYS) or "known keys: " + ", ".join(CONFIG_KEYS)
            raise SettingsError(f"share.{key}: unknown option — {hint}")
    networks = _check_networks(options.get("networks"))
    instance = options.get("mastodon_instance")
    return {
        "networks": networks,
        "mastodon_instance": check_mastodon_instance(instance) if instance else None,
        "hashtags": _check_hashtags(options.get("hashtags")),
    }


def _check_networks(value) -> tuple[str, ...]:
    if value is None:
        return NETWORK_IDS
    if not isinstance(value, list):
        raise SettingsError("share.networks: must be a list — e.g. `networks: [x, mastodon, "
                            "email]`; known: " + ", ".join(NETWORK_IDS))
    networks: list[str] = []
    for item in value:
        name = str(item)
        if name not in NETWORK_IDS:
            hint = did_you_mean(name, NETWORK_IDS) or "known: " + ", ".join(NETWORK_IDS)
            raise SettingsError(f"share.networks: unknown network '{name}' — {hint}")
        if name in networks:
            raise SettingsError(f"share.networks: '{name}' is listed twice — keep one")
        networks.append(name)
    return tuple(networks)


def _check_hashtags(value) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list):
        raise SettingsError("share.hashtags: must be a list — e.g. `hashtags: [news, world]`")
    if len(value) > MAX_HASHTAGS:
        raise SettingsError(f"share.hashtags: {len(value)} hashtags, over the limit of "
                            f"{MAX_HASHTAGS} — remove some")
    tags: list[str] = []
    for item in value:
        tag = str(item).strip().lstrip("#")
        if not _HASHTAG_RE.fullmatch(tag):
            raise SettingsError(f"share.hashtags: {str(item)!r} is not a hashtag — use "
                                "letters, digits and underscores only")
        if tag not in tags:
            tags.append(tag)
    return tuple(tags)


def check_mastodon_instance(value) -> str:
    """The host name of a Mastodon server, from 'mastodon.social' or 'https://mastodon.social/'."""
    example = "— write the server's name, e.g. `mastodon_instance: mastodon.social`"
    if not isinstance(value, str):
        raise SettingsError(f"share.mastodon_instance: must be text {example}")
    text = value.strip()
    if "://" not in text:
        text = "https://" + text
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError:
        raise SettingsError(f"share.mastodon_instance: {value!r} is not a server name "
                            f"{example}") from None
    host = parts.hostname or ""
    try:
        host = host.encode("idna").decode("ascii")
    except UnicodeError:
        host = ""
    labels = host.split(".")
    if (parts.scheme != "https" or parts.username or parts.password or parts.path.strip("/")
            or parts.query or parts.fragment or len(labels) < 2
            or not all(_HOST_LABEL_RE.fullmatch(label) for label in labels)):
        raise SettingsError(f"share.mastodon_instance: {value!r} is not a server name "
                            f"{example}")
    return f"{host}:{port}" if port else host


# -- share links -----------------------------------------------------------------------

def share_url(network: str, *, url: str, title: str, text: str,
              hashtags: tuple[str, ...] = (), mastodon_instance: str | None = None) -> str:
    """The documented share endpoint of `network`, with every value percent-encoded.

    `title` names the page (Reddit, Hacker News, email subject); `text` is what the post
    says (the article's `share.text`, else its title). Networks that take one text field
    get "text url #tags".
    """
    post = post_text(text, url, hashtags)
    if network == "x":
        params = {"text": text, "url": url}
        if hashtags:
            params["hashtags"] = ",".join(hashtags)
        return "https://x.com/intent/tweet?" + _query(params)
    if network == "facebook":
        return "https://www.facebook.com/sharer/sharer.php?" + _query({"u": url})
    if network == "linkedin":
        return "https://www.linkedin.com/sharing/share-offsite/?" + _query({"url": url})
    if network == "reddit":
        return "https://www.reddit.com/submit?" + _query({"url": url, "title": title})
    if network == "bluesky":
        return "https://bsky.app/intent/compose?" + _query({"text": post})
    if network == "mastodon":
        # Mastodon has no central server: without a configured one the link opens the
        # page's own Mastodon panel, where share.js asks for the reader's server.
        if not mastodon_instance:
            return "#" + MASTODON_PANEL_ID
        return f"https://{mastodon_instance}/share?" + _query({"text": post})
    if network == "whatsapp":
        return "https://wa.me/?" + _query({"text": post})
    if network == "telegram":
        return "https://t.me/share/url?" + _query({"url": url, "text": text})
    if network == "hackernews":
        return "https://news.ycombinator.com/submitlink?" + _query({"u": url, "t": title})
    if network == "email":
        # RFC 6068: line breaks in a mailto body are CRLF.
        return "mailto:?" + _query({"subject": title, "body": f"{text}\r\n\r\n{url}"})
    raise ValueError(f"unknown share network {network!r}")


def post_text(text: str, url: str, hashtags: tuple[str, ...] = ()) -> str:
    """One text field's worth: "text url #tag1 #tag2"."""
    tags = " ".join("#" + tag for tag in hashtags)
    return " ".join(part for part in (text, url, tags) if part)


def _query(params: dict[str, str]) -> str:
    # What urlencode(params, quote_via=quote) gives, with each value encoded once: an
    # article's address and title recur in every network's link of every page.
    return "&".join(f"{_percent_encoded(key)}={_percent_encoded(value)}"
                    for key, value in params.items())


@lru_cache(maxsize=4096)
def _percent_encoded(value: str) -> str:
    return quote(value, safe="")


def share_view(article, settings, canonical_url: str) -> dict | None:
    """What partials/share.html shows for one article.

    Network links need the article's public address; without `site_url` in mkdocs.yml the
    canonical URL is site-relative, so only "Share via…" and "Copy link" are offered (the
    script then shares the address the reader is looking at).
    """
    config = parse_share_config(settings.share)
    strings = settings.strings
    options = article.share
    text = options.text or article.title
    hashtags = options.hashtags or config["hashtags"]
    networks = options.networks if options.networks is not None else config["networks"]
    instance = config["mastodon_instance"]
    public = urlsplit(canonical_url).scheme in ("http", "https")
    links = []
    for network in networks if public else ():
        label = NETWORK_LABELS[network]
        href = share_url(network, url=canonical_url, title=article.title, text=text,
                         hashtags=hashtags, mastodon_instance=instance)
        links.append({
            "id": network,
            "label": label,
            "name": strings["share_by_email"] if network == "email" else _share_on(strings, label),
            "href": href,
            "icon": icon(network),
            # Networks open in a new tab so the article stays open; mail and the page's
            # own Mastodon panel do not.
            "external": href.startswith("https://"),
        })
    mastodon = None
    if "mastodon" in [link["id"] for link in links]:
        mastodon = {
            "panel_id": MASTODON_PANEL_ID,
            "text": post_text(text, canonical_url, hashtags),
            "instance": instance or "",
            "submit": _share_on(strings, NETWORK_LABELS["mastodon"]),
        }
    return {
        "title": article.title,
        "text": text,
        "url": canonical_url,
        "links": links,
        "mastodon": mastodon,
        "share_icon": icon("share"),
        "copy_icon": icon("copy"),
    }


def _share_on(strings: dict, network: str) -> str:
    return strings["share_on"].format(network=network)


# -- icons -----------------------------------------------------------------------------

@lru_cache(maxsize=None)
def _icons_dir() -> Path | None:
    spec = importlib.util.find_spec("material")
    if spec is None or not spec.submodule_search_locations:
        return None
    folder = Path(list(spec.submodule_search_locations)[0]) / "templates" / ".icons"
    return folder if folder.is_dir() else None


@lru_cache(maxsize=None)
def icon(name: str) -> str:
    """Inline SVG markup for `name` (decorative: hidden from screen readers), or ''."""
    folder = _icons_dir()
    relative = _ICON_FILES.get(name)
    if folder is None or relative is None:
        return ""
    try:
        svg = (folder / relative).read_text(encoding="utf-8").strip()
    except OSError:
        return ""
    if not svg.startswith("<svg "):
        return ""
    return svg.replace("<svg ", '<svg aria-hidden="true" focusable="false" class="bs-share__icon" ', 1)
