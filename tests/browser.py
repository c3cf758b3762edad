"""Open an HTML file in headless Debian Chromium (via Playwright, no browser download) and report."""
from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]


@dataclass
class Bezoek:
    verzoeken: list[str]
    mislukt: list[str]
    afbeeldingen: list[int]  # naturalWidth per <img>; 0 = not rendered
    console_fouten: list[str]


def open_in_chromium(html: Path, screenshot: Path | None = None) -> Bezoek:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            pg = b.new_page(viewport={"width": 1200, "height": 900})
            reqs, failed, console = [], [], []
            pg.on("request", lambda r: reqs.append(r.url))
            pg.on("requestfailed", lambda r: failed.append(r.url))
            pg.on("console", lambda m: console.append(m.text) if m.type == "error" else None)
            pg.goto(html.resolve().as_uri(), wait_until="load")
            widths = pg.evaluate("Array.from(document.images).map(i => i.complete ? i.naturalWidth : 0)")
            if screenshot is not None:
                pg.screenshot(path=str(screenshot), full_page=True)
            return Bezoek(reqs, failed, widths, console)
        finally:
            b.close()
