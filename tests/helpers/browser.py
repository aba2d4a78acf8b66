"""Open a page in headless Chromium (Debian's package, `make chromium`), offline.

Every network request goes to a proxy on a closed loopback port, so nothing
leaves the machine and a page that needs the network shows it broken.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

CONSOLE_LINE = re.compile(r":CONSOLE(?:\(\d+\)|:\d+)\]\s*(.*)")


@dataclass
class BrowserRun:
    dom: str
    console: list[str]


def chromium_missing_reason() -> str | None:
    if shutil.which("chromium") is None:
        return "chromium is not installed (make chromium installs it)"
    return None


def _command(profile: str) -> list[str]:
    return [shutil.which("chromium") or "chromium", "--headless", "--no-sandbox", "--disable-gpu",
            "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
            "--disable-extensions", "--proxy-server=http://127.0.0.1:9", f"--user-data-dir={profile}",
            "--enable-logging=stderr", "--v=0"]


def open_page(page: Path, screenshot: Path | None = None, window: tuple[int, int] = (1400, 4000)) -> BrowserRun:
    """Load `page`; return the DOM after load and every console message.
    With `screenshot`, also save a PNG of the window."""
    url = page.resolve().as_uri()
    with tempfile.TemporaryDirectory(prefix="rfm-chromium-") as profile:
        done = subprocess.run([*_command(profile), "--dump-dom", url], capture_output=True, text=True,
                              timeout=180, check=False)
        assert done.returncode == 0, f"chromium failed ({done.returncode}):\n{done.stderr[-3000:]}"
        console = [match.group(1) for line in done.stderr.splitlines() if (match := CONSOLE_LINE.search(line))]
    if screenshot is not None:
        screenshot.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(prefix="rfm-chromium-") as profile:
            shot = subprocess.run([*_command(profile), f"--window-size={window[0]},{window[1]}",
                                   "--hide-scrollbars", f"--screenshot={screenshot.resolve()}", url],
                                  capture_output=True, text=True, timeout=180, check=False)
            assert shot.returncode == 0 and screenshot.is_file(), f"no screenshot:\n{shot.stderr[-3000:]}"
    return BrowserRun(done.stdout, console)
