"""The site-quality gate: checks a built site the way a reader's browser and a validator see it.

Engine-independent (it reads the output folder, never MkDocs): `python -m broadsheet.quality
SITE_DIR` runs every check and exits non-zero on any finding. The pieces:
`pages` (parse the built HTML), `links` (internal links, fragments, foreign resources),
`nu` (Nu Html Checker), `axe` (axe-core in headless Chromium), `lighthouse` (Lighthouse,
mobile, every category at least 95), `serve` (a local server that compresses like a real
host), `tools` (finding the tools).
"""

from .findings import Finding

__all__ = ["Finding"]
