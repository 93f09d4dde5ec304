"""What a printed report looks like, page by page: size, how full, where its headings sit.

Shared by the print tests and by a developer checking a PDF by hand
(``python -m tests.report.pdfcheck report.pdf``). Fill is measured on the page as
drawn (pdftoppm), headings from the PDF's text (pypdf): text of the report's heading sizes
(h2 30 px, h3 21 px, a persona's name 20 px, h4 16 px; Chromium embeds Hebrew glyphs in
fonts without a name, so the size is what tells a heading, and no body text uses these).
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from dataclasses import asdict, dataclass, field
from pathlib import Path

HEADING_PX = (16.0, 20.0, 21.0, 30.0)


@dataclass
class PageInfo:
    number: int
    width_mm: float
    height_mm: float
    fill: float  # the lowest ink on the page, as a share of its height
    headings: list[tuple[str, float]] = field(default_factory=list)  # (text, top as share)
    text: str = ""

    @property
    def a3(self) -> bool:
        return max(self.width_mm, self.height_mm) > 400


def _fills(pdf: Path) -> list[float]:
    from PIL import Image

    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(["pdftoppm", "-r", "18", "-gray", "-png", str(pdf), f"{tmp}/p"], check=True)
        out = []
        for png in sorted(Path(tmp).glob("p*.png")):
            with Image.open(png) as img:
                g = img.convert("L")
                w, h = g.size
                px = g.load()
                last = 0
                for y in range(h):
                    if any(px[x, y] < 235 for x in range(0, w, 2)):
                        last = y + 1
                out.append(last / h)
        return out


def pages(pdf: Path) -> list[PageInfo]:
    import pypdf

    reader = pypdf.PdfReader(str(pdf))
    fills = _fills(pdf)
    out = []
    for i, page in enumerate(reader.pages):
        box = page.mediabox
        w_pt, h_pt = float(box.width), float(box.height)
        heads: list[tuple[str, float]] = []

        def visit(
            text: str,
            cm: list[float],
            tm: list[float],
            font: dict | None,
            size: float,
            heads: list[tuple[str, float]] = heads,
            h_pt: float = h_pt,
        ) -> None:
            scale = abs(tm[3]) if tm[3] else 1.0
            px = round(size * scale, 1)
            if len(text.strip()) > 2 and px in HEADING_PX:
                y = cm[3] * tm[5] + cm[5]
                heads.append((text.strip()[:60], round((h_pt - y) / h_pt, 3)))

        text = page.extract_text(visitor_text=visit)
        out.append(
            PageInfo(i + 1, round(w_pt / 72 * 25.4), round(h_pt / 72 * 25.4), fills[i], heads, text)
        )
    return out


if __name__ == "__main__":
    for f in sys.argv[1:]:
        for p in pages(Path(f)):
            d = asdict(p)
            d.pop("text")
            print(json.dumps(d, ensure_ascii=False))
