"""A deterministic generated site for long-crawl tests (kill-and-resume, reading while writing).

``generate_site(folder, pages=500, seed=8)`` writes ``index.html`` and
``p/NNN.html``: every page has its own title, a contact line, a link to the
next page (so all are reachable) and a few seeded random links to other
pages, to fragments, to missing pages and to mailto:/tel: targets.
"""

from __future__ import annotations

import random
from pathlib import Path


def generate_site(folder: Path, pages: int = 500, seed: int = 8) -> Path:
    rng = random.Random(seed)
    folder = Path(folder)
    (folder / "p").mkdir(parents=True, exist_ok=True)
    index = ['<!doctype html><html><head><title>Generated agency</title></head><body><h1>Programs</h1><ul>']
    index += [f'<li><a href="/p/{i:03d}.html">Program {i}</a></li>' for i in range(0, pages, 25)]
    index.append("</ul></body></html>")
    (folder / "index.html").write_text("\n".join(index), encoding="utf-8")
    for i in range(pages):
        links = [f'<a href="/p/{(i + 1) % pages:03d}.html">next program</a>']
        for _ in range(rng.randint(2, 5)):
            j = rng.randrange(pages)
            kind = rng.random()
            if kind < 0.1:
                links.append(f'<a href="/p/{j:03d}.html#sec-{rng.randint(1, 3)}">section of {j}</a>')
            elif kind < 0.15:
                links.append(f'<a href="/gone/{j:03d}.html">old page {j}</a>')
            elif kind < 0.2:
                links.append(f'<a href="mailto:program{j}@agency.example.gov">email {j}</a>')
            else:
                links.append(f'<a href="../p/{j:03d}.html">program {j}</a>')
        body = (f'<!doctype html><html><head><title>Program {i}</title></head><body>'
                f'<h1 id="sec-1">Program {i}</h1><p id="sec-2">Call 503-555-{i % 10000:04d} '
                f'Monday-Friday 8:00 am - 5:00 pm.</p><p>{" | ".join(links)}</p></body></html>')
        (folder / "p" / f"{i:03d}.html").write_text(body, encoding="utf-8")
    return folder
