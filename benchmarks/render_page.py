#!/usr/bin/env python3
"""Render a kolplan Markdown document roughly as GitHub shows it, for a person to look at.

Not a test and not a kolplan dependency: a GFM renderer (markdown-it-py, tables and
strikethrough on) turns the Markdown into HTML in GitHub's 890-pixel column, ``mermaid``
blocks are drawn by mermaid.js (npm's ``mermaid``), and headless Chromium takes screenshots.

    python3 -m venv /tmp/md && /tmp/md/bin/pip install markdown-it-py
    npm install --prefix /tmp/kolplan-mermaid mermaid@11 jsdom     # also what tests/views/test_mermaid.py uses
    apt-get install chromium
    /tmp/md/bin/python benchmarks/render_page.py docs/sample-report.md /tmp/shots/sample [--height 2400]

writes /tmp/shots/sample.html and /tmp/shots/sample-01.png, -02.png, ... (one per screen height
of the page), and prints the page's height and the Mermaid errors, if any.
"""

from __future__ import annotations

import argparse
import html
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from markdown_it import MarkdownIt

CSS = """
body { margin: 0; background: #fff; }
.markdown-body { box-sizing: border-box; width: 890px; margin: 0 auto; padding: 32px;
  font: 16px/1.5 -apple-system, "Segoe UI", "Noto Sans", Helvetica, Arial, sans-serif; color: #1f2328; }
.markdown-body h1, .markdown-body h2 { border-bottom: 1px solid #d1d9e0; padding-bottom: .3em; }
.markdown-body table { border-collapse: collapse; display: block; width: max-content; max-width: 100%;
  overflow: auto; margin: 0 0 16px; }
.markdown-body th, .markdown-body td { border: 1px solid #d1d9e0; padding: 6px 13px; }
.markdown-body tr:nth-child(2n) { background: #f6f8fa; }
.markdown-body code { background: #eff1f3; padding: .2em .4em; border-radius: 6px; font-size: 85%; }
.markdown-body pre.mermaid { background: #fff; text-align: center; }
"""


def to_html(markdown: str, mermaid_js: Path, title: str) -> str:
    md = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])
    default_fence = md.renderer.rules["fence"]

    def fence(self, tokens, idx, options, env):  # type: ignore[no-untyped-def]
        token = tokens[idx]
        if token.info.strip() == "mermaid":
            return f'<pre class="mermaid">{html.escape(token.content)}</pre>\n'
        return default_fence(tokens, idx, options, env)  # a bound rule of the renderer

    md.add_render_rule("fence", fence)
    body = md.render(markdown)
    return f"""<!doctype html><html><head><meta charset="utf-8"><title>{html.escape(title)}</title>
<style>{CSS}</style></head><body><article class="markdown-body">{body}</article>
<script src="{mermaid_js.as_uri()}"></script>
<script>
window.mermaidErrors = [];
mermaid.initialize({{startOnLoad: false, theme: "default"}});
mermaid.run({{querySelector: "pre.mermaid", suppressErrors: true,
  postRenderCallback: () => {{}}}}).catch(e => window.mermaidErrors.push(String(e))).finally(() => {{
  document.body.setAttribute("data-done", "1");
  const errs = [...document.querySelectorAll("pre.mermaid")].filter(p => p.textContent.includes("Syntax error")).length;
  document.title = JSON.stringify({{height: document.documentElement.scrollHeight, errors: errs}});
}});
</script></body></html>"""


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("markdown", type=Path)
    ap.add_argument("out", type=Path, help="output path without extension")
    ap.add_argument("--modules", type=Path, default=Path(os.environ.get("KOLPLAN_MERMAID_MODULES",
                                                                         "/tmp/kolplan-mermaid/node_modules")))
    ap.add_argument("--height", type=int, default=2400, help="height of one screenshot")
    ap.add_argument("--max-shots", type=int, default=40)
    args = ap.parse_args()
    chromium = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
    if chromium is None:
        print("render_page: no chromium on PATH (apt-get install chromium)", file=sys.stderr)
        return 2
    mermaid_js = args.modules / "mermaid" / "dist" / "mermaid.min.js"
    args.out.parent.mkdir(parents=True, exist_ok=True)
    page = args.out.with_suffix(".html")
    page.write_text(to_html(args.markdown.read_text(encoding="utf-8"), mermaid_js, args.markdown.name),
                    encoding="utf-8")
    common = [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
              "--allow-file-access-from-files", "--virtual-time-budget=20000"]
    dumped = subprocess.run([*common, "--dump-dom", page.as_uri()], capture_output=True, text=True, timeout=300)
    start = dumped.stdout.find("<title>") + 7
    info = json.loads(html.unescape(dumped.stdout[start:dumped.stdout.find("</title>")]) or "{}")
    height = int(info.get("height", args.height))
    print(f"{page}: {height} px high; Mermaid blocks with a syntax error: {info.get('errors')}")
    # one screenshot per screen: scroll by wrapping the page in an offset (headless takes the viewport)
    shots = min(args.max_shots, -(-height // args.height))
    for i in range(shots):
        framed = args.out.parent / f"{args.out.name}-frame.html"
        framed.write_text(page.read_text(encoding="utf-8").replace(
            "<body>", f'<body style="margin-top:-{i * args.height}px">', 1), encoding="utf-8")
        png = args.out.parent / f"{args.out.name}-{i + 1:02d}.png"
        subprocess.run([*common, f"--window-size=1000,{args.height}", f"--screenshot={png}", framed.as_uri()],
                       capture_output=True, timeout=300, check=False)
        print(png)
    return 0


if __name__ == "__main__":
    sys.exit(main())
