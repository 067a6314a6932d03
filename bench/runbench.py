"""Run siteaudit and peer link checkers, interleaved, against generated sites.

Started by ``bench/run`` (which installs the peers into bench/out/tools).
For each size: generate the site (bench/gen_site.py), serve it with nginx on
127.0.0.1 (a Python fallback server when nginx is missing), run every tool
``--repeat`` times in rotating order, and print wall time, CPU time, peak
RSS (the whole process tree, sampled), pages/s, unique URLs/s, recall and
precision of broken links against the ground truth, and siteaudit/peer
ratios.  Results are also written to bench/out/results-<N>-<time>.json;
``--table FILE...`` prints the table of saved results again.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import shutil
import shlex
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import psutil

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
OUT = BENCH / "out"
TOOLS = OUT / "tools"
PROJECT_PY = REPO / ".venv" / "bin" / "python"

EXT_PAGE = "<!DOCTYPE html><html><head><title>Partner agency</title></head><body><p>Partner page.</p></body></html>"

NGINX_CONF = """\
worker_processes 1;
pid {dir}/nginx.pid;
error_log {dir}/nginx-error.log warn;
events {{ worker_connections 4096; }}
http {{
  access_log off;
  include /etc/nginx/mime.types;
  default_type application/octet-stream;
  sendfile on;
  keepalive_timeout 65;
  keepalive_requests 1000000;
  client_body_temp_path {dir}/tmp;
  # LinkChecker only exceeds 10 requests/s on a server that sends this header.
  add_header LinkChecker 1 always;
  server {{
    listen 127.0.0.1:{port};
    root {dir}/www;
    index index.html;
    include {dir}/nginx-locations.conf;
  }}
  server {{
    listen 127.0.0.1:{ext_port};
    default_type text/html;
    location = /robots.txt {{ return 200 "User-agent: *\\nDisallow:\\n"; }}
    location /page/ {{ return 200 '{ext_page}'; }}
    location /head405/ {{ if ($request_method = HEAD) {{ return 405; }} return 200 '{ext_page}'; }}
    location / {{ return 404; }}
  }}
}}
"""


# -- servers -------------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_port(port: int, timeout: float = 10.0) -> None:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"server on port {port} did not start")


SERVER = "auto"  # --server: auto (nginx when installed), nginx, python


def start_server(site: Path, port: int, ext_port: int) -> subprocess.Popen:
    """nginx in the foreground (so its PID is ours to stop), or the Python fallback."""
    nginx = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
    if SERVER == "nginx" and not nginx:
        raise SystemExit("nginx is not installed (apt-get install nginx-light), or use --server python")
    if nginx and SERVER != "python":
        (site / "tmp").mkdir(exist_ok=True)
        conf = site / "nginx.conf"
        conf.write_text(NGINX_CONF.format(dir=site, port=port, ext_port=ext_port, ext_page=EXT_PAGE))
        proc = subprocess.Popen([nginx, "-e", str(site / "nginx-error.log"), "-p", str(site), "-c", str(conf),
                                 "-g", "daemon off; user root;"], stdout=subprocess.DEVNULL)
        kind = "nginx"
    else:
        proc = subprocess.Popen([sys.executable, str(BENCH / "fallback_server.py"), str(site), str(port),
                                 str(ext_port)])
        kind = "python fallback"
    wait_port(port)
    wait_port(ext_port)
    print(f"  server: {kind} pid {proc.pid} on 127.0.0.1:{port} (external: {ext_port})", flush=True)
    return proc


def stop_server(proc: subprocess.Popen) -> None:
    proc.send_signal(signal.SIGQUIT if proc.args[0].endswith("nginx") else signal.SIGTERM)
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


# -- measuring -------------------------------------------------------------------

def tree_rss(proc: psutil.Process) -> int:
    total = 0
    try:
        procs = [proc] + proc.children(recursive=True)
    except psutil.Error:
        return 0
    for p in procs:
        try:
            total += p.memory_info().rss
        except psutil.Error:
            pass
    return total


def measure(cmd: list[str], stdout_path: Path, env=None, cwd=None) -> dict:
    """Run ``cmd``; return wall, cpu (user+sys of it and its children), peak RSS of the tree."""
    with open(stdout_path, "wb") as out, open(stdout_path.with_suffix(".err"), "wb") as err:
        t0 = time.perf_counter()
        popen = subprocess.Popen(cmd, stdout=out, stderr=err, env=env, cwd=cwd)
        ps = psutil.Process(popen.pid)
        peak = 0
        timeline = []  # (seconds, MiB) every ~0.5 s: shows which phase holds the memory
        while True:
            try:
                pid, status, ru = os.wait4(popen.pid, os.WNOHANG)
            except KeyboardInterrupt:  # stopping the bench stops the tool too
                popen.terminate()
                popen.wait()
                raise
            if pid:
                break
            rss = tree_rss(ps)
            peak = max(peak, rss)
            now = time.perf_counter() - t0
            if not timeline or now - timeline[-1][0] >= 0.5:
                timeline.append((round(now, 1), round(rss / 2**20)))
            time.sleep(0.05)
        wall = time.perf_counter() - t0
    stdout_path.with_name("rss-timeline.json").write_text(json.dumps(timeline))
    popen.returncode = os.waitstatus_to_exitcode(status)
    peak = max(peak, ru.ru_maxrss * 1024)
    return {"wall": wall, "cpu": ru.ru_utime + ru.ru_stime, "rss_mib": peak / 2**20, "rc": popen.returncode}


# -- tools -------------------------------------------------------------------------

class Tool:
    name = ""

    def __init__(self, args, site: Path, truth: dict):
        self.args, self.site, self.truth = args, site, truth
        self.base = truth["base"]

    def command(self, work: Path) -> list[str]:
        raise NotImplementedError

    def broken(self, work: Path, stdout: Path) -> set[str]:
        raise NotImplementedError

    def env(self):
        return None


class Siteaudit(Tool):
    name = "siteaudit"
    extra: list[str] = []  # CLI arguments of a --variant

    def command(self, work):
        db = work / "siteaudit.db"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)
        for lock in work.glob("siteaudit.db.run-*.lock"):
            lock.unlink()
        extra = list(self.extra)
        cmd = [str(PROJECT_PY), "-m", "siteaudit", "crawl", self.base, "--db", str(db),
               "--concurrency", str(self.args.concurrency), "-q"]
        for kv in self.args.siteaudit_set:
            cmd += ["-s", kv]
        cmd += extra
        if self.args.profile:
            # collapsed stacks: bench/profile_summary.py reads them, flamegraph.pl / speedscope draw them
            cmd = [str(TOOLS / "venv" / "bin" / "py-spy"), "record", "--rate", "100", "--format", "raw",
                   "-o", str(work / "profile.txt"), "--"] + cmd
        return cmd

    def broken(self, work, stdout):
        res = subprocess.run([str(PROJECT_PY), "-m", "siteaudit", "links", "--db", str(work / "siteaudit.db"),
                              "--outcome", "broken,broken-fragment", "--format", "json"],
                             capture_output=True, text=True, check=True)
        found = set()
        for line in res.stdout.splitlines():
            if line.strip():
                row = json.loads(line)
                url = row.get("target") or row.get("url")
                if row.get("fragment"):
                    url = f"{url}#{row['fragment']}"
                found.add(url)
        return found


class Lychee(Tool):
    name = "lychee"

    def command(self, work):
        return [str(TOOLS / "venv" / "bin" / "lychee"), "--files-from", str(self.site / "pages.txt"),
                "--max-concurrency", str(self.args.concurrency), "--no-progress", "--format", "json",
                # the same number of retries as siteaudit's default (lychee's own is 3, 1 s apart)
                "--max-retries", "2",
                # lychee >= 0.20 paces each host (10 at once, 50 ms apart): give it the same concurrency
                "--host-concurrency", str(self.args.concurrency), "--host-request-interval", "0ms",
                "--output", str(work / "lychee.json")]

    def broken(self, work, stdout):
        data = json.loads((work / "lychee.json").read_text())
        found = set()
        for items in (data.get("error_map") or data.get("fail_map") or {}).values():
            for item in items:
                url = item.get("url") if isinstance(item, dict) else item
                found.add(url)
        return found


class Linkinator(Tool):
    name = "linkinator"

    def command(self, work):
        return [str(TOOLS / "node_modules" / ".bin" / "linkinator"), self.base, "--recurse",
                "--concurrency", str(self.args.concurrency), "--format", "json"]

    def broken(self, work, stdout):
        text = stdout.read_text(errors="replace")
        data = json.loads(text[text.index("{"):])
        return {link["url"] for link in data.get("links", []) if link.get("state") == "BROKEN"}


class LinkChecker(Tool):
    name = "linkchecker"

    def command(self, work):
        cfg = work / "linkcheckerrc"
        # Its default (10 requests/s/host) would make it a rate-limit benchmark; mail checks need DNS.
        cfg.write_text("[checking]\nmaxrequestspersecond=10000\nthreads=%d\n" % self.args.concurrency)
        os.chmod(work, 0o755)
        os.chmod(cfg, 0o644)
        return [str(TOOLS / "venv" / "bin" / "linkchecker"), "-f", str(cfg), "--threads", str(self.args.concurrency),
                "--check-extern", "--no-status", "-o", "csv", "--ignore-url", "^mailto:", "--ignore-url", "^tel:",
                self.base]

    def env(self):
        return {**os.environ, "HOME": str(TOOLS)}

    def broken(self, work, stdout):
        lines = [ln for ln in stdout.read_text(errors="replace").splitlines() if ln and not ln.startswith("#")]
        found = set()
        for row in csv.DictReader(io.StringIO("\n".join(lines)), delimiter=";"):
            if row.get("valid", "").strip().lower() in ("false", "0"):
                found.add(row.get("url") or row.get("urlname"))
        return found


class ScrapyFloor(Tool):
    """Not a peer: a minimal Scrapy link-following spider, the framework's own floor."""
    name = "scrapy-floor"

    def command(self, work):
        return [str(PROJECT_PY), str(BENCH / "floor_spider.py"), self.base, str(self.args.concurrency),
                str(work / "floor.json")]

    def broken(self, work, stdout):
        return set(json.loads((work / "floor.json").read_text()))


TOOL_CLASSES = {t.name: t for t in (Siteaudit, Lychee, Linkinator, LinkChecker, ScrapyFloor)}


def add_variant(spec: str) -> str:
    """``label=ARGS``: siteaudit with extra CLI arguments, run as a tool of its own (``siteaudit:label``)."""
    label, _, extra = spec.partition("=")
    name = f"siteaudit:{label}"
    TOOL_CLASSES[name] = type(f"Siteaudit_{label}", (Siteaudit,), {"name": name, "extra": shlex.split(extra)})
    return name


# -- scoring ---------------------------------------------------------------------

def score(found: set[str], truth: dict) -> tuple[float, float, int, int]:
    expected = set(truth["broken"])
    aliases = truth.get("aliases", {})
    reported = {aliases.get(u.split("#", 1)[0], u.split("#", 1)[0]) if "#" not in u else u for u in found if u}
    hits = len(reported & expected)
    recall = hits / len(expected) if expected else 1.0
    precision = hits / len(reported) if reported else (1.0 if not expected else 0.0)
    return recall, precision, len(reported - expected), len(expected - reported)


# -- one size ----------------------------------------------------------------------

PROSE = 0  # --prose: extra paragraphs a page


def generate(pages: int) -> tuple[Path, dict, int, int]:
    port, ext_port, dead_port = free_port(), free_port(), free_port()
    site = OUT / (f"site-{pages}" + (f"-prose{PROSE}" if PROSE else ""))
    t0 = time.perf_counter()
    subprocess.run([sys.executable, str(BENCH / "gen_site.py"), "--pages", str(pages), "--port", str(port),
                    "--ext-port", str(ext_port), "--dead-port", str(dead_port), "--prose", str(PROSE),
                    "--out", str(site)], check=True)
    print(f"  generated in {time.perf_counter() - t0:.1f} s", flush=True)
    return site, json.loads((site / "truth.json").read_text()), port, ext_port


def serve(pages: int) -> int:
    site, truth, port, ext_port = generate(pages)
    server = start_server(site, port, ext_port)
    print(f"  serving {truth['base']} (truth: {site / 'truth.json'}); Ctrl-C or SIGTERM to stop", flush=True)
    try:
        server.wait()
    except KeyboardInterrupt:
        pass
    finally:
        stop_server(server)
    return 0


def run_size(args, pages: int, tools: list[str]) -> list[dict]:
    site, truth, port, ext_port = generate(pages)
    server = start_server(site, port, ext_port)
    results = []
    try:
        for rnd in range(-args.warmup, args.repeat):
            order = tools[rnd % len(tools):] + tools[:rnd % len(tools)]  # rotate: interleaved runs
            for name in order:
                tool = TOOL_CLASSES[name](args, site, truth)
                work = OUT / f"work-{pages}" / f"{name}-{rnd}"
                work.mkdir(parents=True, exist_ok=True)
                stdout = work / "stdout.txt"
                m = measure(tool.command(work), stdout, env=tool.env(), cwd=work)
                if rnd < 0:  # a warm-up run: disk cache, node's and Python's first start; not counted
                    print(f"    {name:<12} warm-up:  {m['wall']:7.1f} s wall", flush=True)
                    continue
                try:
                    found = tool.broken(work, stdout)
                    recall, precision, fp, fn = score(found, truth)
                except Exception as exc:  # a tool that crashed or printed nothing scores zero
                    print(f"    {name}: cannot read its output ({exc!r}); see {work}", flush=True)
                    recall = precision = 0.0
                    fp = fn = -1
                row = {"pages": pages, "tool": name, "round": rnd, **m, "recall": recall, "precision": precision,
                       "false_pos": fp, "missed": fn, "site_pages": truth["pages"],
                       "unique_urls": truth["unique_targets"], "occurrences": truth["link_occurrences"]}
                results.append(row)
                print(f"    {name:<12} round {rnd}: {m['wall']:7.1f} s wall {m['cpu']:7.1f} s cpu "
                      f"{m['rss_mib']:6.0f} MiB  recall {recall:.3f} precision {precision:.3f} "
                      f"(fp {fp}, missed {fn}) rc {m['rc']}", flush=True)
    finally:
        stop_server(server)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    (OUT / f"results-{pages}-{stamp}.json").write_text(json.dumps(results, indent=1) + "\n")
    return results


def table(results: list[dict]) -> str:
    """Median per (size, tool), with siteaudit/tool ratios of wall time, CPU time and RSS.

    The ratios' base is the plain ``siteaudit`` run, else the first siteaudit variant.
    """
    rows = []
    sizes = sorted({r["pages"] for r in results})
    lines = ["| pages | tool | wall s | CPU s | peak RSS MiB | pages/s | URLs/s | recall | precision | "
             "siteaudit/tool wall | siteaudit/tool CPU | siteaudit/tool RSS |", "|" + "---|" * 12]
    for size in sizes:
        by_tool: dict[str, dict] = {}
        for r in results:
            if r["pages"] == size:
                by_tool.setdefault(r["tool"], []).append(r)
        med = {}
        for tool, rs in by_tool.items():
            med[tool] = {k: statistics.median(r[k] for r in rs) for k in ("wall", "cpu", "rss_mib", "recall",
                                                                           "precision")}
            med[tool].update(site_pages=rs[0]["site_pages"], unique_urls=rs[0]["unique_urls"], n=len(rs))
        base = "siteaudit" if "siteaudit" in med else next((t for t in med if t.startswith("siteaudit")), None)
        sa = med.get(base) if base else None
        for tool, m in med.items():
            ratio_w = f"{sa['wall'] / m['wall']:.2f}" if sa and tool != base else ""
            ratio_c = f"{sa['cpu'] / m['cpu']:.2f}" if sa and tool != base else ""
            ratio_m = f"{sa['rss_mib'] / m['rss_mib']:.2f}" if sa and tool != base else ""
            lines.append(f"| {m['site_pages']:,} | {tool} | {m['wall']:.1f} | {m['cpu']:.1f} | {m['rss_mib']:.0f} | "
                         f"{m['site_pages'] / m['wall']:.0f} | {m['unique_urls'] / m['wall']:.0f} | "
                         f"{m['recall']:.3f} | {m['precision']:.3f} | {ratio_w} | {ratio_c} | {ratio_m} |")
        rows.append(med)
    return "\n".join(lines)


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description="siteaudit vs peer link checkers (see bench/README.md)")
    p.add_argument("--sizes", default="2000", help="comma-separated page counts (default 2000)")
    p.add_argument("--prose", type=int, default=0, metavar="N",
                   help="N more paragraphs of text on every page (pages ~4 KB -> ~21 KB at 40: real pages "
                        "cost the extractors more than the generated ones)")
    p.add_argument("--tools", default="siteaudit,lychee,linkinator,linkchecker")
    p.add_argument("--repeat", type=int, default=1, help="rounds per tool, interleaved (median reported)")
    p.add_argument("--warmup", type=int, default=0, help="untimed rounds before the timed ones")
    p.add_argument("--concurrency", type=int, default=16)
    p.add_argument("--siteaudit-set", action="append", default=[], metavar="KEY=VALUE",
                   help="extra Scrapy setting for siteaudit (-s), repeatable")
    p.add_argument("--variant", action="append", default=[], metavar="LABEL=ARGS",
                   help="also run siteaudit with extra CLI arguments, e.g. 'nothrottle=-s AUTOTHROTTLE_ENABLED=false'")
    p.add_argument("--server", choices=("auto", "nginx", "python"), default="auto",
                   help="web server for the site (auto: nginx when installed, else the Python fallback)")
    p.add_argument("--serve", type=int, metavar="PAGES", help="only generate and serve a site until Ctrl-C")
    p.add_argument("--profile", action="store_true", help="run siteaudit (and variants) under py-spy: work dir's profile.txt")
    p.add_argument("--quick", action="store_true", help="smoke test: 300 pages, siteaudit vs linkinator")
    p.add_argument("--table", nargs="+", type=Path, metavar="RESULTS_JSON", help="only print the table of saved results")
    args = p.parse_args(argv)
    global SERVER, PROSE
    SERVER, PROSE = args.server, args.prose
    if args.table:
        print(table([r for f in args.table for r in json.loads(f.read_text())]))
        return 0
    if args.quick:
        args.sizes, args.tools = "300", "siteaudit,linkinator"
    tools = [t.strip() for t in args.tools.split(",") if t.strip()]
    tools += [add_variant(v) for v in args.variant]
    tools = list(dict.fromkeys(tools))  # a variant also named in --tools runs once a round
    def interrupt(signum, frame):
        raise KeyboardInterrupt
    signal.signal(signal.SIGTERM, interrupt)  # so `kill PID` still stops nginx and the running tool
    signal.signal(signal.SIGINT, interrupt)  # even when started in the background (SIGINT ignored there)
    if args.serve:
        return serve(args.serve)
    for t in tools:
        if t not in TOOL_CLASSES:
            p.error(f"unknown tool {t!r}; choose from {', '.join(TOOL_CLASSES)}")
    results = []
    for size in (int(s) for s in args.sizes.split(",")):
        print(f"== {size} pages, concurrency {args.concurrency}, tools {', '.join(tools)}", flush=True)
        results += run_size(args, size, tools)
    print()
    print(table(results))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
