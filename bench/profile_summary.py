"""Summarise a py-spy ``--format raw`` profile (collapsed stacks): inclusive and self time.

    py-spy record --format raw -o prof.txt -- .venv/bin/python -m siteaudit crawl URL ...
    python bench/profile_summary.py prof.txt [--top 40] [--match siteaudit]

Inclusive = share of samples with the function anywhere on the stack (counted
once per sample); self = share where it is the innermost frame.  ``--match``
keeps only frames whose text contains the string (e.g. your own package).
"""

from __future__ import annotations

import argparse
import re
from collections import Counter

_FRAME = re.compile(r"^(?P<func>.*?) \((?P<file>[^()]*?)(?::(?P<line>\d+))?\)$")


def short(frame: str, with_line: bool = False) -> str:
    m = _FRAME.match(frame.strip())
    if not m:
        return frame.strip()
    path = m.group("file")
    for marker in ("site-packages/", "/src/", "/crawler/", "lib/python3"):
        if marker in path:
            path = path.split(marker, 1)[1]
            break
    return f"{m.group('func')} ({path}{':' + m.group('line') if with_line and m.group('line') else ''})"


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("profile")
    p.add_argument("--top", type=int, default=40)
    p.add_argument("--match", default="")
    a = p.parse_args(argv)
    inclusive, self_time = Counter(), Counter()
    total = 0
    for line in open(a.profile, encoding="utf-8", errors="replace"):
        stack, _, count = line.rstrip("\n").rpartition(" ")
        if not stack or not count.isdigit():
            continue
        n = int(count)
        total += n
        frames = [short(f) for f in stack.split(";")]
        for f in set(frames):
            if a.match in f:
                inclusive[f] += n
        if a.match in frames[-1]:
            self_time[frames[-1]] += n
    print(f"{total} samples")
    print(f"\n-- inclusive (top {a.top})")
    for f, n in inclusive.most_common(a.top):
        print(f"{100 * n / total:5.1f}%  {f}")
    print(f"\n-- self (top {a.top})")
    for f, n in self_time.most_common(a.top):
        print(f"{100 * n / total:5.1f}%  {f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
