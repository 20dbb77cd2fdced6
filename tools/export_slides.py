"""Export an executed notebook as reveal.js slides that open offline.

    python tools/export_slides.py results/slides/04_workshop.ipynb results/slides

writes OUT/<notebook>.slides.html and copies tools/reveal/ (reveal.js 4.0.2, require.js,
jQuery; sources and licences in tools/reveal/README.md) to OUT/reveal/, which the page loads
by relative paths: the deck needs no network, no CDN and no Jupyter extension.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path
from typing import Any

VENDOR = Path(__file__).resolve().parent / "reveal"
"""reveal.js and its loaders, as the slides template expects them under its URL prefix."""

CJK_CSS = (
    ".reveal,.reveal *:not(code):not(pre):not(.fa){font-family:'Report CJK','Noto Sans CJK SC',"
    "'Microsoft YaHei','PingFang SC',sans-serif}"
)
"""The deck's text in the embedded Chinese font (the simple theme names Latin fonts only)."""

PREFIX = "reveal"
"""Where the page finds them, relative to the HTML file."""


def slides_html(nb: Any) -> str:
    """The reveal.js page of an executed notebook (a NotebookNode), loading reveal.js, require.js
    and jQuery from PREFIX/ beside it."""
    from nbconvert import SlidesExporter

    from model.output.report import embedded_font_css

    exporter = SlidesExporter(
        reveal_url_prefix=PREFIX,
        require_js_url=f"{PREFIX}/require.js",
        jquery_url=f"{PREFIX}/jquery.min.js",
        reveal_theme="simple",
        exclude_input=True,  # officials see results, not code
        exclude_input_prompt=True,
        exclude_output_prompt=True,
    )
    html, _ = exporter.from_notebook_node(nb)
    # the Chinese glyphs the deck uses, embedded: a projector laptop without a Chinese font
    # would show boxes
    font = embedded_font_css(html) + CJK_CSS
    return html.replace("</head>", f"<style>{font}</style>\n</head>", 1)


def export(notebook: Path, out: Path) -> Path:
    """Write out/<notebook stem>.slides.html and out/reveal/; return the page's path."""
    import nbformat

    nb = nbformat.read(notebook, as_version=4)
    out.mkdir(parents=True, exist_ok=True)
    page = out / f"{notebook.stem}.slides.html"
    page.write_text(slides_html(nb), encoding="utf-8")
    shutil.copytree(VENDOR, out / PREFIX, dirs_exist_ok=True)
    return page


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 2:
        print("usage: python tools/export_slides.py NOTEBOOK OUT_DIR", file=sys.stderr)
        return 2
    notebook, out = Path(args[0]), Path(args[1])
    if not notebook.is_file():
        print(f"error: {notebook}: no such notebook (run it first: make slides)", file=sys.stderr)
        return 2
    print(f"slides: {export(notebook, out)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
