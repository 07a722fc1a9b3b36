"""The HTML of an article's card on listing pages, rendered once and reused.

An article is listed on the home page, its month, each of its tags and its author's page: at
5,000 articles that is ~24,000 cards. Rendering each once instead saves 1.5 s of a 28 s
build on one core (measured without the second process or search, where nothing else
differs), for ~13 MB of HTML (in UTF-8) kept until the build ends. A card's HTML depends
only on the article, its heading level and the address of the page it is on; the address
enters only through the `url` filter. So the card is rendered once with its links made from
a marker standing for the page's way back to the site's root (`base_url`), and each listing
page puts its own in place.

The marker is random for each build: no article's text can contain it. partials/card.html
may use `card`, `listing.card_level`, `strings` and the `url` filter; anything else that
depends on the page would show the first listing's value on every listing.
"""

from __future__ import annotations

import secrets

from jinja2 import pass_context
from markupsafe import Markup

TEMPLATE = "partials/card.html"


class CardMarkup:
    """`broadsheet_card(card)` for the templates; one per Jinja environment (one per build)."""

    def __init__(self, env) -> None:
        self.env = env
        self.marker = f"bs-root-{secrets.token_hex(16)}"
        self._html: dict[tuple[int, int], tuple[dict, bytes]] = {}
        """(card, heading level) -> the card, its HTML in UTF-8: half the memory of a str,
        which curly quotes make two bytes a character (13 MB at 5,000 articles)."""

    @pass_context
    def __call__(self, context, card: dict) -> Markup:
        listing = context.get("listing") or {}
        level = listing.get("card_level") or 2
        key = (id(card), level)
        known = self._html.get(key)
        if known is None or known[0] is not card:
            # With no page, MkDocs' `url` filter joins the path to `base_url`.
            html = self.env.get_template(TEMPLATE).render(
                dict(context.get_all(), card=card, page=None, base_url=self.marker))
            known = self._html[key] = (card, html.encode("utf-8"))
        base = context.get("base_url") or "."
        return Markup(known[1].decode("utf-8").replace(
            self.marker + "/", "" if base == "." else base + "/"))
