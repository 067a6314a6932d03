"""Generate a deterministic, agency-like static site of N pages and its ground truth.

The site is a tree (home -> 8 section indexes -> topic pages, 8 children a
page) with cross links, so every page is reachable breadth-first in about
log8(N) clicks.  Each page has a header nav, a breadcrumb, body text with
inline links, child and related-page lists, same-page and cross-page
``#fragment`` links, images with ``srcset``, PDFs, ``mailto:``/``tel:``
links and a footer with the agency's contacts; every 25th page is a field
office with its own address, phone, email and hours.

Known broken targets (the ground truth), about ``N / 400`` of each kind:
404 pages, 404 PDFs, 404 ``srcset``-only images, 410 pages, 500 pages,
redirect loops, a dead port, and 404s on the "external" server.
Traps that must NOT be reported: external URLs that answer HEAD with 405
(GET works), 301 redirects to real pages, valid fragments, mailto/tel.

Output (``--out DIR``): ``DIR/www`` (document root of the site),
``DIR/nginx-locations.conf`` (the site's special locations: 410, 500, loops,
redirects), ``DIR/truth.json`` and ``DIR/pages.txt`` (every page URL, to
seed tools that cannot recurse).  The same arguments give byte-identical
output.

Usage: python bench/gen_site.py --pages 2000 --port 38080 --ext-port 38081 \
           --dead-port 38082 --out bench/out/site-2000
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
from pathlib import Path

SECTIONS = ["services", "licenses", "programs", "offices", "news", "forms", "about", "resources"]
SECTION_TITLES = {"services": "Services", "licenses": "Licenses &amp; Permits", "programs": "Programs",
                  "offices": "Offices &amp; Locations", "news": "News", "forms": "Forms &amp; Publications",
                  "about": "About the Department", "resources": "Resources"}
TOPICS = ["permit", "renewal", "inspection", "benefit", "application", "grant", "complaint", "hearing",
          "license", "registration", "certificate", "appeal", "assistance", "program", "notice", "report"]
WORDS = ("the department provides residents businesses with information about applications renewals "
         "inspections eligibility requirements deadlines fees schedules and appeals please review the "
         "guidance before you submit your request staff will contact you within ten business days "
         "applicants must include proof of identity residency and any supporting documents required by "
         "state law the division processes requests in the order received and posts updates online "
         "questions about your case may be directed to the regional office serving your county public "
         "notices hearings and meeting agendas are published at least seven days in advance").split()
CITIES = [("Springfield", "IL", "627"), ("Columbus", "OH", "432"), ("Albany", "NY", "122"),
          ("Madison", "WI", "537"), ("Salem", "OR", "973"), ("Austin", "TX", "787"),
          ("Raleigh", "NC", "276"), ("Denver", "CO", "802"), ("Boise", "ID", "837"), ("Dover", "DE", "199")]
AREA = {"IL": "217", "OH": "614", "NY": "518", "WI": "608", "OR": "503", "TX": "512", "NC": "919",
        "CO": "303", "ID": "208", "DE": "302"}
STREETS = ["Main Street", "State Street", "Capitol Avenue", "Market Street", "Oak Boulevard", "Lincoln Way"]
BRANCH = 8
OFFICE_EVERY = 25
EMAIL_DOMAIN = "agency.example.gov"
PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000"
                    "1f15c4890000000d49444154789c6360000002000001e221bc330000000049454e44ae426082")
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def page_path(i: int) -> str:
    if i == 0:
        return "/"
    if i <= BRANCH:
        return f"/{SECTIONS[i - 1]}/"
    sec = SECTIONS[section_of(i)]
    slug = "office" if i % OFFICE_EVERY == 0 else TOPICS[i % len(TOPICS)]
    return f"/{sec}/{slug}-{i}.html"


def parent_of(i: int) -> int:
    return (i - 1) // BRANCH


def section_of(i: int) -> int:
    while i > BRANCH:
        i = parent_of(i)
    return i - 1


def file_of(path: str) -> str:
    return path + "index.html" if path.endswith("/") else path


class Site:
    def __init__(self, pages: int, port: int, ext_port: int, dead_port: int, seed: int = 7, prose: int = 0):
        self.n = pages
        self.prose = prose  # extra paragraphs of text a page (no links: the ground truth is the same)
        self.base = f"http://127.0.0.1:{port}"
        self.ext = f"http://127.0.0.1:{ext_port}"
        self.dead = f"http://127.0.0.1:{dead_port}"
        self.seed = seed
        k = max(3, pages // 400)
        self.k = k
        self.n_images = max(20, pages // 8)
        self.n_pdfs = max(10, pages // 20)
        self.n_redirects = max(5, pages // 100)
        self.n_ext_ok = 40
        self.n_head405 = 10
        # target path or URL -> kind, for every known broken target
        self.broken: dict[str, str] = {}
        for j in range(k):
            self.broken[f"{self.base}/archive/removed-{j}.html"] = "404"
            self.broken[f"{self.base}/docs/missing-{j}.pdf"] = "404-pdf"
            self.broken[f"{self.base}/img/banner-{j}-2x.jpg"] = "404-srcset"
            self.broken[f"{self.base}/programs/retired-{j}.html"] = "410"
            self.broken[f"{self.base}/apply/status-{j}"] = "500"
            self.broken[f"{self.base}/loop/{j}/a"] = "redirect-loop"
            self.broken[f"{self.dead}/partner/{j}.html"] = "dead-port"
            self.broken[f"{self.ext}/gone/{j}.html"] = "external-404"
        # each broken target is linked from 1-4 pages
        rng = random.Random(f"{seed}-broken")
        self.broken_on: dict[int, list[str]] = {}
        for url in self.broken:
            for _ in range(rng.randint(1, 4)):
                self.broken_on.setdefault(rng.randrange(BRANCH + 1, max(BRANCH + 2, pages)), []).append(url)
        self.occurrences = 0
        self.targets: set[str] = set()

    # -- pieces ----------------------------------------------------------------

    def office(self, i: int) -> dict:
        rng = random.Random(f"{self.seed}-office-{i}")
        city, state, zip3 = CITIES[i % len(CITIES)]
        number = rng.randint(100, 9899)
        line = f"{rng.randint(200, 899)}-{rng.randint(1000, 9999)}"
        return {"name": f"{city} Field Office {i // OFFICE_EVERY}", "street": f"{number} {rng.choice(STREETS)}",
                "city": city, "state": state, "zip": f"{zip3}{rng.randint(10, 99)}",
                "phone": f"({AREA[state]}) {line}", "tel": f"+1{AREA[state]}{line.replace('-', '')}",
                "email": f"{city.lower()}.office{i // OFFICE_EVERY}@{EMAIL_DOMAIN}",
                "hours": rng.choice(["Monday through Friday, 8:00 a.m. to 4:30 p.m.",
                                     "Mon-Fri 8:30 AM - 5:00 PM", "Monday–Thursday 7:30 a.m.–6:00 p.m."])}

    def para(self, rng: random.Random, links: list[tuple[str, str]]) -> str:
        words = [rng.choice(WORDS) for _ in range(rng.randint(40, 80))]
        for href, text in links:
            words.insert(rng.randrange(len(words)), f'<a href="{href}">{text}</a>')
        words[0] = words[0].capitalize()
        return "<p>" + " ".join(words) + ".</p>"

    def render(self, i: int) -> str:
        rng = random.Random(f"{self.seed}-page-{i}")
        path = page_path(i)
        sec = section_of(i) if i else 0
        title = ("Home" if i == 0 else SECTION_TITLES[SECTIONS[i - 1]] if i <= BRANCH
                 else f"{TOPICS[i % len(TOPICS)].capitalize()} information {i}")
        if i and i % OFFICE_EVERY == 0 and i > BRANCH:
            title = self.office(i)["name"]
        out: list[str] = []
        hrefs: list[str] = []

        def a(href: str, text: str, attrs: str = "") -> str:
            hrefs.append(href)
            return f'<a href="{href}"{attrs}>{text}</a>'

        def img(src: str, srcset: str, alt: str) -> str:
            hrefs.append(src)
            hrefs.extend(s.split()[0] for s in srcset.split(","))
            return f'<img src="{src}" srcset="{srcset}" alt="{alt}" width="600" height="300">'

        hrefs += ["/static/site.css", "/static/favicon.png", "/static/site.js"]
        out.append(f'<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
                   f'<title>{title} | State Department of Public Services</title>\n'
                   f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
                   f'<link rel="stylesheet" href="/static/site.css">\n<link rel="icon" href="/static/favicon.png">\n'
                   f'<script src="/static/site.js" defer></script>\n</head>\n<body>\n')
        out.append(a("#main", "Skip to main content", ' class="skip"'))
        out.append('\n<header id="top">\n' + a("/", '<img src="/static/logo.png" alt="State Department of '
                                                  'Public Services">') + "\n")
        hrefs.append("/static/logo.png")
        out.append('<nav id="nav" aria-label="Main"><ul>\n')
        for s, name in enumerate(SECTIONS):
            out.append(f"<li>{a(f'/{name}/', SECTION_TITLES[name])}</li>\n")
        out.append("</ul></nav>\n</header>\n<main id=\"main\">\n")
        if i:
            crumbs = [a("/", "Home")]
            if i > BRANCH:
                crumbs.append(a(f"/{SECTIONS[sec]}/", SECTION_TITLES[SECTIONS[sec]]))
            out.append('<nav class="breadcrumb" aria-label="Breadcrumb">' + " &rsaquo; ".join(crumbs) + "</nav>\n")
        out.append(f"<h1>{title}</h1>\n")
        # inline links to related pages (cross links) and the broken targets placed here
        related = [rng.randrange(1, self.n) for _ in range(rng.randint(3, 10))]
        inline = [(page_path(r), f"{TOPICS[r % len(TOPICS)]} details") for r in related[:3]]
        inline += [(self.rel(u), "more information") for u in self.broken_on.get(i, [])
                   if self.broken[u] not in ("404-srcset",)]
        if rng.random() < 0.15:
            inline.append((f"/old/{rng.randrange(self.n_redirects)}.html", "previous page"))
        if rng.random() < 0.3:
            inline.append((f"{self.ext}/page/{rng.randrange(self.n_ext_ok)}.html", "partner agency"))
        if rng.random() < 0.1:
            inline.append((f"{self.ext}/head405/{rng.randrange(self.n_head405)}", "federal resource"))
        for href, _ in inline:
            hrefs.append(href)
        out.append(self.para(rng, inline) + "\n")
        out.append('<h2 id="overview">Overview</h2>\n' + self.para(rng, []) + "\n")
        pic = rng.randrange(self.n_images)
        out.append("<figure>" + img(f"/img/photo-{pic}.jpg", f"/img/photo-{pic}-2x.jpg 2x", f"Photo {pic}")
                   + "</figure>\n")
        for u in self.broken_on.get(i, []):
            if self.broken[u] == "404-srcset":
                j = u.rsplit("-", 2)[-2]
                out.append("<figure>" + img(f"/img/banner-{j}.jpg", f"/img/banner-{j}.jpg 1x, {self.rel(u)} 2x",
                                            "Banner") + "</figure>\n")
        children = [c for c in range(i * BRANCH + 1, i * BRANCH + BRANCH + 1) if c < self.n]
        if children:
            out.append('<h2 id="topics">Topics in this section</h2>\n<ul class="children">\n')
            for c in children:
                out.append(f"<li>{a(page_path(c), f'{TOPICS[c % len(TOPICS)].capitalize()} information {c}')}</li>\n")
            out.append("</ul>\n")
        out.append('<h2 id="details">Details</h2>\n' + self.para(rng, [("#overview", "overview above")]) + "\n")
        if self.prose:  # longer pages (own generator: the rest of the page is the same with or without)
            more = random.Random(f"{self.seed}-prose-{i}")
            out.append('<section class="more">\n' + "\n".join(self.para(more, []) for _ in range(self.prose))
                       + "\n</section>\n")
        if rng.random() < 0.5:
            d = rng.randrange(self.n_pdfs)
            out.append(f"<p>Download the {a(f'/docs/form-{d}.pdf', f'application form {d} (PDF, 120 KB)')}.</p>\n")
        if i and i % OFFICE_EVERY == 0 and i > BRANCH:
            o = self.office(i)
            out.append(f'<section class="office" id="office">\n<h2>{o["name"]}</h2>\n'
                       f'<p class="address">{o["street"]}<br>{o["city"]}, {o["state"]} {o["zip"]}</p>\n'
                       f'<p>Phone: {a("tel:" + o["tel"], o["phone"])}<br>'
                       f'Email: {a("mailto:" + o["email"], o["email"])}</p>\n'
                       f'<p class="hours">Hours: {o["hours"]}</p>\n</section>\n')
        out.append('<h2 id="related">Related pages</h2>\n<ul class="related">\n')
        for r in related:
            frag = "#details" if r % 5 == 0 else ""
            out.append(f"<li>{a(page_path(r) + frag, f'{TOPICS[r % len(TOPICS)].capitalize()} information {r}')}"
                       "</li>\n")
        out.append("</ul>\n</main>\n")
        out.append('<footer id="footer">\n<div class="contact">\n<h2>Contact us</h2>\n'
                   '<p>State Department of Public Services<br>100 State Street<br>Albany, NY 12207</p>\n'
                   f'<p>Phone: {a("tel:+15185550100", "(518) 555-0100")} &middot; TTY: 711<br>'
                   f'Email: {a("mailto:info@" + EMAIL_DOMAIN, "info@" + EMAIL_DOMAIN)}</p>\n'
                   '<p>Office hours: Monday through Friday, 8:30 a.m. to 4:30 p.m.</p>\n</div>\n<ul>\n')
        for href, text in [("/about/accessibility.html", "Accessibility"), ("/about/privacy.html", "Privacy"),
                           ("/about/contact.html", "Contact"), ("/offices/", "Find an office")]:
            out.append(f"<li>{a(href, text)}</li>\n")
        out.append(f"</ul>\n<p>{a('#top', 'Back to top')}</p>\n</footer>\n</body>\n</html>\n")
        self.count(hrefs)
        return "".join(out)

    def rel(self, url: str) -> str:
        return url[len(self.base):] if url.startswith(self.base + "/") else url

    def count(self, hrefs: list[str]) -> None:
        self.occurrences += len(hrefs)
        for h in hrefs:
            if h.startswith("#"):
                continue
            h = h.split("#", 1)[0]
            self.targets.add(self.base + h if h.startswith("/") else h)

    # -- output ----------------------------------------------------------------

    def write(self, out: Path) -> dict:
        www = out / "www"
        if www.exists():
            shutil.rmtree(www)
        for d in ["static", "img", "docs", *SECTIONS]:
            (www / d).mkdir(parents=True, exist_ok=True)
        pages = []
        for i in range(self.n):
            path = page_path(i)
            (www / file_of(path).lstrip("/")).write_text(self.render(i), encoding="utf-8")
            pages.append(self.base + path)
        for name in ("accessibility", "privacy", "contact"):
            if not (www / "about" / f"{name}.html").exists():  # footer targets are real pages too
                (www / "about" / f"{name}.html").write_text(
                    f"<!DOCTYPE html><html><head><title>{name}</title></head><body><h1>{name}</h1>"
                    f'<p>Call <a href="tel:+15185550100">(518) 555-0100</a>.</p></body></html>\n')
                pages.append(f"{self.base}/about/{name}.html")
        (www / "static" / "site.css").write_text("body{font-family:sans-serif}\n")
        (www / "static" / "site.js").write_text("document.documentElement.className='js';\n")
        (www / "static" / "favicon.png").write_bytes(PNG)
        (www / "static" / "logo.png").write_bytes(PNG)
        (www / "robots.txt").write_text("User-agent: *\nDisallow:\n")
        for k in range(self.n_images):
            (www / "img" / f"photo-{k}.jpg").write_bytes(PNG)
            (www / "img" / f"photo-{k}-2x.jpg").write_bytes(PNG)
        for j in range(self.k):
            (www / "img" / f"banner-{j}.jpg").write_bytes(PNG)  # the 2x variant is the broken one
        for d in range(self.n_pdfs):
            (www / "docs" / f"form-{d}.pdf").write_bytes(PDF)
        rng = random.Random(f"{self.seed}-redirects")
        locations = []
        for r in range(self.n_redirects):
            locations.append(f"location = /old/{r}.html {{ return 301 {page_path(rng.randrange(1, self.n))}; }}")
        locations += ["location ^~ /programs/retired- { return 410; }",
                      "location ^~ /apply/status- { return 500; }",
                      r"location ~ ^/loop/(\d+)/a$ { return 302 /loop/$1/b; }",
                      r"location ~ ^/loop/(\d+)/b$ { return 302 /loop/$1/a; }"]
        (out / "nginx-locations.conf").write_text("\n".join(locations) + "\n")
        (out / "pages.txt").write_text("\n".join(pages) + "\n")
        truth = {"pages": len(pages), "base": self.base + "/", "ext": self.ext + "/", "dead": self.dead + "/",
                 "link_occurrences": self.occurrences, "unique_targets": len(self.targets),
                 "broken": dict(sorted(self.broken.items())),
                 # another spelling of the same broken target some tools report
                 "aliases": {f"{self.base}/loop/{j}/b": f"{self.base}/loop/{j}/a" for j in range(self.k)}}
        (out / "truth.json").write_text(json.dumps(truth, indent=1) + "\n")
        return truth


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--pages", type=int, default=2000)
    p.add_argument("--port", type=int, default=38080)
    p.add_argument("--ext-port", type=int, default=38081)
    p.add_argument("--dead-port", type=int, default=38082)
    p.add_argument("--seed", type=int, default=7)
    p.add_argument("--prose", type=int, default=0, metavar="N",
                   help="N more paragraphs of text on every page (longer pages; the same links)")
    p.add_argument("--out", type=Path, required=True)
    a = p.parse_args(argv)
    a.out.mkdir(parents=True, exist_ok=True)
    truth = Site(a.pages, a.port, a.ext_port, a.dead_port, a.seed, a.prose).write(a.out)
    print(f"{truth['pages']} pages, {truth['link_occurrences']} link occurrences, "
          f"{truth['unique_targets']} unique targets, {len(truth['broken'])} broken -> {a.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
