"""What a client's browser shows, measured: axe-core, reflow, label overlap, paths, numbers.

Shared by the browser tests and by anyone who wants the same figures for a folder of
reports (``python -m tests.report.audit OUTDIR report.html...``). axe-core comes from
the ``axe-playwright-python`` package, which bundles ``axe.min.js``: it is injected
into the page, never fetched.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
LOCAL = ("file:", "data:", "blob:", "about:")


def axe_script() -> str:
    from axe_playwright_python.base import AXE_FILE_PATH

    return Path(AXE_FILE_PATH).read_text("utf-8")


def run_axe(page: Any) -> list[dict[str, Any]]:
    """The page's WCAG 2.1 A/AA violations: [{id, impact, nodes: [target, summary]}]."""
    page.evaluate(axe_script())
    result = page.evaluate(
        "opts => axe.run(document, opts)",
        {"runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations"]},
    )
    return [
        {
            "id": v["id"],
            "impact": v.get("impact"),
            "nodes": [
                {"target": n.get("target"), "summary": (n.get("failureSummary") or "")[:200]}
                for n in v["nodes"]
            ],
        }
        for v in result["violations"]
    ]


# Elements wider than the viewport that no scrolling ancestor contains.
OVERFLOW = """() => {
  const vw = document.documentElement.clientWidth;
  const out = [];
  const inside = r => r.right <= vw + 1 && r.left >= -1;
  // contained: some ancestor that clips or scrolls sideways is itself on the screen
  const contained = e => {
    for (let a = e.parentElement; a && a !== document.body; a = a.parentElement) {
      if (/(auto|scroll|hidden|clip)/.test(getComputedStyle(a).overflowX)
          && inside(a.getBoundingClientRect())) return true; }
    return false; };
  for (const e of document.body.querySelectorAll('*')) {
    const r = e.getBoundingClientRect();
    if (!r.width || !r.height) continue;
    if (e.closest('.cx-sr, script, style, #js-plotly-tester')) continue;
    if (inside(r) || contained(e)) continue;
    const name = e.id ? '#' + e.id
      : e.tagName.toLowerCase() + '.' + (e.getAttribute('class') || '');
    out.push(name + ' ' + Math.round(r.left) + '..' + Math.round(r.right));
  }
  return {viewport: vw, scrollWidth: document.documentElement.scrollWidth,
          offenders: out.slice(0, 12), count: out.length};
}"""

# Text labels of each drawn chart whose boxes intersect (2 px of slack).
OVERLAPS = """() => {
  const sel = '.xtick text, .ytick text, .annotation-text-g text, .legendtext, .gtitle,'
    + ' .g-xtitle text, .g-ytitle text, .textpoint text, .bartext';
  const out = [];
  for (const d of document.querySelectorAll('.cx-chart[data-drawn]')) {
    if (!d.offsetParent) continue;
    const items = [...d.querySelectorAll(sel)].map(e => {
      const r = e.getBoundingClientRect();
      return {t: (e.textContent || '').trim(), r};
    }).filter(i => i.t && i.r.width > 0 && i.r.height > 0);
    for (let i = 0; i < items.length; i++)
      for (let j = i + 1; j < items.length; j++) {
        const a = items[i].r, b = items[j].r;
        const w = Math.min(a.right, b.right) - Math.max(a.left, b.left);
        const h = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
        if (w > 2 && h > 2) out.push(d.id + ': "' + items[i].t.slice(0, 30) + '" x "'
                                     + items[j].t.slice(0, 30) + '"');
      }
  }
  return out;
}"""

TEXT_WITH = """needle => {
  const out = [];
  const walk = document.createTreeWalker(document.documentElement, NodeFilter.SHOW_TEXT);
  for (let n = walk.nextNode(); n; n = walk.nextNode())
    if (n.nodeValue.includes(needle)) out.push(n.nodeValue.slice(0, 120));
  for (const e of document.querySelectorAll('*'))
    for (const a of e.attributes) if (a.value.includes(needle) && a.name !== 'src')
      out.push(e.tagName + '@' + a.name);
  return out;
}"""


# The visual order of a number's characters: for each isolated number starting with a
# minus, is the minus drawn to the left of its first digit?
NUMBER_ORDER = """() => {
  const out = [];
  for (const b of document.querySelectorAll('bdi[dir="ltr"]')) {
    const text = b.textContent;
    const at = text.indexOf('\\u2212');
    if (at < 0 || !/[0-9]/.test(text[at + 1] || '')) continue;
    const node = [...b.childNodes].find(n => n.nodeType === 3 && n.nodeValue.includes('\\u2212'));
    if (!node) continue;
    const i = node.nodeValue.indexOf('\\u2212');
    const r = document.createRange();
    r.setStart(node, i); r.setEnd(node, i + 1);
    const minus = r.getBoundingClientRect();
    r.setStart(node, i + 1); r.setEnd(node, i + 2);
    const digit = r.getBoundingClientRect();
    if (!minus.width) continue;
    out.push({text, inOrder: minus.left < digit.left});
  }
  return out;
}"""

FOREIGN = "() => [...document.querySelectorAll('main [lang]')].map(e => [e.lang, e.dir])"


def new_page(browser: Any, width: int, height: int = 900) -> tuple[Any, list[str], list[str]]:
    """A page with every request that would leave the machine blocked (and recorded)."""
    left: list[str] = []
    errors: list[str] = []
    page = browser.new_page(viewport={"width": width, "height": height})

    def route(r: Any) -> None:
        if r.request.url.startswith(LOCAL):
            r.continue_()
        else:
            left.append(r.request.url)
            r.abort()

    page.route("**/*", route)
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    return page, left, errors


def settle(page: Any) -> None:
    page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")


def audit(
    browser: Any, html: Path, *, needle: str | None = None, shots: Path | None = None
) -> dict[str, Any]:
    """One report at 1440 px (axe, overlaps) and at 390 px (reflow, overlaps)."""
    out: dict[str, Any] = {}
    for width in (1440, 390):
        page, left, errors = new_page(browser, width)
        page.goto(html.as_uri(), wait_until="load")
        settle(page)
        key = str(width)
        out[key] = {
            "overflow": page.evaluate(OVERFLOW),
            "overlaps": page.evaluate(OVERLAPS),
            "left": left,
            "errors": errors,
        }
        if needle:
            out[key]["paths"] = page.evaluate(TEXT_WITH, needle)
        if width == 1440:
            out[key]["numbers"] = page.evaluate(NUMBER_ORDER)
            out[key]["foreign"] = page.evaluate(FOREIGN)
            out[key]["axe"] = run_axe(page)
        if shots is not None:
            shots.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(shots / f"{html.stem}-{width}.png"), full_page=width == 390)
        page.close()
    return out


def main(argv: list[str]) -> int:
    import shutil

    from playwright.sync_api import sync_playwright

    from tests.conftest import CHROMIUM_ARGS, ROOT

    shots = Path(argv[0])
    exe = shutil.which("chromium") or "/usr/bin/chromium"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=exe, args=CHROMIUM_ARGS)
        for f in argv[1:]:
            r = audit(browser, Path(f).resolve(), needle=str(ROOT), shots=shots)
            axe = r["1440"]["axe"]
            print(
                json.dumps(
                    {
                        "file": Path(f).name,
                        "bytes": Path(f).stat().st_size,
                        "axe_violations": sum(len(v["nodes"]) for v in axe),
                        "axe_rules": {v["id"]: len(v["nodes"]) for v in axe},
                        "overflow_390": r["390"]["overflow"]["count"],
                        "scroll_width_390": r["390"]["overflow"]["scrollWidth"],
                        "overlaps_1440": len(r["1440"]["overlaps"]),
                        "overlaps_390": len(r["390"]["overlaps"]),
                        "overlap_examples": (r["1440"]["overlaps"] + r["390"]["overlaps"])[:4],
                        "paths": len(r["1440"].get("paths", [])),
                        "errors": r["1440"]["errors"][:2],
                    },
                    ensure_ascii=False,
                )
            )
        browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
