"""report.html measured in headless chromium at the sizes people look at it (no new dependencies).

Used by tests/output/test_report_browser.py and by `make report-check`:

    python tests/output/report_browser.py RUN_FOLDER [SCREENSHOT_FOLDER]

measures RUN_FOLDER/report.html at every size in SIZES, saves two screenshots per size in
SCREENSHOT_FOLDER (the first screen, report-<size>.png, and the whole page,
report-<size>-full.png) and exits 1 when a check fails.

A copy of the page (and its figures/ folder) gets a script that measures after window load and
after the fonts are ready and writes JSON into <pre id="__check">; chromium's --dump-dom prints
the page after its scripts ran, and the JSON is read back from that.
"""

from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

SIZES = {"desktop": (1920, 1080), "laptop": (1366, 768), "projector": (1024, 768)}
"""Window sizes in CSS pixels: a desktop screen, a laptop, and the projector of a meeting room."""

FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

PROBE = """<pre id="__check"></pre><script>
(function () {
  function measure() {
    var root = document.documentElement, width = root.clientWidth;
    var images = Array.prototype.map.call(document.images, function (img) {
      var box = img.getBoundingClientRect();
      return {alt: img.alt, complete: img.complete, natural: img.naturalWidth,
              left: box.left, right: box.right};
    });
    var outside = [];  /* elements reaching past the window, not inside a sideways-scrolling box */
    document.querySelectorAll('body *').forEach(function (el) {
      if (el.id === '__check' || el.closest('.scroll')) return;
      var box = el.getBoundingClientRect();
      if (box.right > width + 0.5 || box.left < -0.5) {
        outside.push(el.tagName.toLowerCase() + (el.className ? '.' + el.className : '') +
                     ' ' + Math.round(box.left) + '..' + Math.round(box.right));
      }
    });
    var footer = document.querySelector('footer');
    document.getElementById('__check').textContent = JSON.stringify({
      innerWidth: window.innerWidth, clientWidth: width, scrollWidth: root.scrollWidth,
      scrollHeight: root.scrollHeight, images: images, outside: outside.slice(0, 10),
      footer: footer ? footer.textContent : null,
      fonts: document.fonts ? document.fonts.status : null
    });
  }
  window.addEventListener('load', function () {
    (document.fonts ? document.fonts.ready : Promise.resolve()).then(measure);
  });
})();
</script>"""


def chromium() -> str | None:
    """The chromium executable on PATH, or None."""
    return shutil.which("chromium") or shutil.which("chromium-browser")


def _run(browser: str, profile: Path, *args: str) -> str:
    done = subprocess.run(
        [browser, *FLAGS, f"--user-data-dir={profile}", *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
        check=True,
    )
    return done.stdout


def _copy(folder: Path, into: Path) -> Path:
    """report.html of `folder` with the probe script before </body>, and its figures, in `into`."""
    page = (folder / "report.html").read_text(encoding="utf-8")
    end = page.rfind("</body>")
    assert end >= 0, "report.html has no </body>"
    if (folder / "figures").is_dir():
        shutil.copytree(folder / "figures", into / "figures", dirs_exist_ok=True)
    copy = into / "report.html"
    copy.write_text(page[:end] + PROBE + page[end:], encoding="utf-8")
    return copy


def measure(folder: Path, size: tuple[int, int], browser: str) -> dict:
    """What chromium measured in folder/report.html at `size` (width, height in CSS pixels)."""
    with tempfile.TemporaryDirectory(prefix="report-check-") as tmp:
        work = Path(tmp)
        page = _copy(folder, work)
        dom = _run(
            browser,
            work / "profile",
            f"--window-size={size[0]},{size[1]}",
            "--virtual-time-budget=5000",
            "--dump-dom",
            page.as_uri(),
        )
    found = re.search(r'<pre id="__check">(.*?)</pre>', dom, flags=re.S)
    assert found and found.group(1), "the measuring script did not run (no JSON in the DOM)"
    return json.loads(html.unescape(found.group(1)))


def problems(measured: dict, run_id: str) -> list[str]:
    """What is wrong with a page by its measurements (empty when it reads well at that size)."""
    out = []
    width = measured["clientWidth"]
    if measured["scrollWidth"] > width:
        out.append(
            f"the page scrolls sideways: {measured['scrollWidth']} px wide in a {width} px window "
            f"(reaching past it: {', '.join(measured['outside']) or 'nothing found'})"
        )
    for img in measured["images"]:
        if not img["complete"] or img["natural"] <= 0:
            out.append(f"image {img['alt']!r} did not load")
        elif img["left"] < -0.5 or img["right"] > width + 0.5:
            out.append(
                f"image {img['alt']!r} does not fit the window: "
                f"{img['left']:.0f}..{img['right']:.0f} px of {width}"
            )
    footer = measured["footer"] or ""
    if run_id not in footer or ".tmp-" in footer:
        out.append(f"the footer does not show the run id {run_id!r}: {footer[:120]!r}")
    return out


def run_id(folder: Path) -> str:
    """The run id of a result folder: manifest.json's run_id, else the folder's name."""
    manifest = folder / "manifest.json"
    if manifest.exists():
        found = json.loads(manifest.read_text(encoding="utf-8")).get("run_id")
        if found:
            return str(found)
    return folder.resolve().name


def screenshots(folder: Path, into: Path, browser: str) -> list[Path]:
    """report-<size>.png (the first screen) and report-<size>-full.png (the whole page) in `into`
    for every size in SIZES."""
    into.mkdir(parents=True, exist_ok=True)
    page = (folder / "report.html").resolve().as_uri()
    shots = []
    with tempfile.TemporaryDirectory(prefix="report-shot-") as tmp:
        for name, (width, height) in SIZES.items():
            full = measure(folder, (width, height), browser)["scrollHeight"]
            for suffix, tall in (("", height), ("-full", min(max(height, full), 16_000))):
                shot = into / f"report-{name}{suffix}.png"
                _run(
                    browser,
                    Path(tmp) / "profile",
                    "--hide-scrollbars",
                    f"--window-size={width},{tall}",
                    "--virtual-time-budget=5000",
                    f"--screenshot={shot.resolve()}",
                    page,
                )
                shots.append(shot)
    return shots


def main(argv: list[str]) -> int:
    """Check RUN_FOLDER/report.html at every size; screenshots into SCREENSHOT_FOLDER if given."""
    if not argv or len(argv) > 2:
        print(__doc__)
        return 2
    browser = chromium()
    if browser is None:
        print("error: chromium not found; on Debian: apt-get install chromium")
        return 2
    folder = Path(argv[0])
    failed = False
    for name, size in SIZES.items():
        found = problems(measure(folder, size, browser), run_id(folder))
        print(f"{name} {size[0]}×{size[1]}: " + ("ok" if not found else "; ".join(found)))
        failed = failed or bool(found)
    if len(argv) == 2:
        for shot in screenshots(folder, Path(argv[1]), browser):
            print(f"screenshot: {shot}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
