#!/usr/bin/env python3
"""The site-quality gate: `scripts/check_site.py SITE_DIR` (run with the project's venv).

The checks live in `broadsheet.quality` so that the tests run exactly the same code.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

from broadsheet.quality.__main__ import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main())
