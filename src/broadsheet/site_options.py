"""Check every site-level option block at once, for the build and for `broadsheet check`
alike, so an editor never learns of a config mistake only when deploying."""

from __future__ import annotations

from dataclasses import dataclass

from . import cards, newsletter, share
from .settings import Settings


@dataclass(frozen=True)
class SiteOptions:
    newsletter: dict | None
    cards: cards.CardOptions


def check_site_options(settings: Settings, cards_options: dict, config_dir: str,
                       docs_dir: str) -> SiteOptions:
    """Raise SettingsError (with a fixable message) on the first wrong option block."""
    share.parse_share_config(settings.share)
    return SiteOptions(
        newsletter=newsletter.newsletter_view(settings),
        cards=cards.parse_cards_config(cards_options or {}, config_dir, docs_dir),
    )
