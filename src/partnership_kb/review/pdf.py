"""The review as PDF, printed by Debian's headless Chromium (never a downloaded browser)."""

from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path

from ..errors import PkbError

CHROMIUM = Path("/usr/bin/chromium")
TIMEOUT_SECONDS = 120


class NoBrowser(PkbError):
    """Chromium is missing or could not print."""


def print_pdf(html: str, out: Path, chromium: Path = CHROMIUM) -> Path:
    """Print the page to `out` as PDF (A4, with backgrounds); fails saying how to fix it."""
    if not chromium.exists():
        raise NoBrowser(f"{chromium} is missing, so the review cannot be printed to PDF.",
                        "Install it (`scripts/system-deps.sh --browser`, or apt-get install "
                        "chromium), or write HTML with --out review.html and print that.")
    with tempfile.TemporaryDirectory(prefix="pkb-review-") as folder:
        page = Path(folder) / "review.html"
        page.write_text(html, encoding="utf-8")
        done = subprocess.run(
            [str(chromium), "--headless", "--no-sandbox", "--disable-gpu",
             "--disable-background-networking", "--no-first-run", "--disable-sync",
             f"--user-data-dir={folder}/profile", "--no-pdf-header-footer",
             f"--print-to-pdf={out.resolve()}", page.as_uri()],
            capture_output=True, timeout=TIMEOUT_SECONDS, check=False)
    if done.returncode != 0 or not out.exists() or out.stat().st_size == 0:
        reason = (done.stderr.decode(errors="replace").strip().splitlines() or ["no output"])[-1]
        raise NoBrowser(f"Chromium could not print the review: {reason[:300]}",
                        "Check that `chromium --headless` runs on this machine.")
    return out
