"""The share networks Broadsheet knows, by id, in the default order."""

from __future__ import annotations

NETWORK_LABELS = {
    "x": "X",
    "facebook": "Facebook",
    "linkedin": "LinkedIn",
    "reddit": "Reddit",
    "bluesky": "Bluesky",
    "mastodon": "Mastodon",
    "whatsapp": "WhatsApp",
    "telegram": "Telegram",
    "hackernews": "Hacker News",
    "email": "Email",
}
NETWORK_IDS = tuple(NETWORK_LABELS)
