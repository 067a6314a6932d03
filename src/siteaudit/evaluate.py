"""Score the contact-information extractors against a labelled corpus.

Run as ``python -m siteaudit.evaluate CORPUS_DIR [--json]``.  ``CORPUS_DIR``
holds ``labels.json`` and a ``pages/`` folder (see the corpus README).  Each
page goes through :func:`siteaudit.extract.extract_page`, exactly as a crawl
would, and its findings are compared with the labels per page, as sets:

* phones: key ``(e164, ext)``; phone_type accuracy on the matched pairs;
* emails: lower-cased; ``link_only`` gold emails are neutral;
* addresses: key ``(number, zip5)``; gold with ``number: null`` matches a
  left-over prediction with the same ZIP5; predictions that match a
  ``partial_addresses`` entry are neutral; kind accuracy where gold is not
  ``unknown``.  An address written with no ZIP ("PO Box 14020, Salem, OR")
  is keyed ``(number, city.lower())`` instead, so it can only match another
  ZIP-less entry of the same number and city (a ZIP-less prediction never
  matches gold that has a ZIP, and vice versa);
* hours: canonicalized opening_hours strings (:func:`canonical_hours`);
* appointment: a page-level boolean, positive if any ``appointment`` finding
  offers or requires appointments (``data["offered"]``, default True); a page
  with only "Walk-ins welcome" / "no appointment is needed" findings is negative;
* short codes (311, 711, ``*911``): their own set, never counted as phones.

Counts are summed over pages (micro average).  Findings with
``source="structured"`` are left out: the labels cover visible text only.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from .extract import extract_page
from .model import Finding

__all__ = ["BASELINE", "Score", "evaluate_corpus", "page_phone_types", "main"]

# The naive baseline from the issue (F1 per kind, accuracy for phone_type).
BASELINE = {"phones": 0.96, "emails": 1.00, "addresses": 0.57, "hours": 0.00, "appointment": 0.50,
            "phone_type": 0.75}
KINDS = ("phones", "emails", "addresses", "hours", "appointment", "short_codes")
_TYPE_PRIORITY = ("fax", "tty", "sms")


@dataclass
class Score:
    """True/false positives and false negatives of one kind, with the misses kept for debugging."""

    tp: int = 0
    fp: int = 0
    fn: int = 0
    errors: list[dict] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def add(self, page: str, tp: int, fps: list, fns: list) -> None:
        self.tp += tp
        self.fp += len(fps)
        self.fn += len(fns)
        for v in fps:
            self.errors.append({"page": page, "error": "fp", "value": v})
        for v in fns:
            self.errors.append({"page": page, "error": "fn", "value": v})

    def as_dict(self) -> dict:
        return {"tp": self.tp, "fp": self.fp, "fn": self.fn, "precision": round(self.precision, 4),
                "recall": round(self.recall, 4), "f1": round(self.f1, 4)}


@dataclass
class Accuracy:
    right: int = 0
    total: int = 0
    errors: list[dict] = field(default_factory=list)

    @property
    def value(self) -> float:
        return self.right / self.total if self.total else 1.0

    def add(self, page: str, key, gold: str, pred: str | None) -> None:
        self.total += 1
        if gold == pred:
            self.right += 1
        else:
            self.errors.append({"page": page, "value": key, "gold": gold, "pred": pred})


def phone_key(value: str) -> tuple[str, str | None]:
    """``"+13135551212;ext=12"`` → ``("+13135551212", "12")``."""
    number, _, ext = value.partition(";ext=")
    return number, ext or None


def page_phone_types(findings: list[Finding]) -> dict[str, str]:
    """One phone_type per phone value on a page.

    A number labelled fax/tty/sms anywhere on the page is that kind of line;
    otherwise the most common type of its occurrences wins.
    """
    seen: dict[str, Counter] = {}
    for f in findings:
        if f.kind == "phone" and f.phone_type:
            seen.setdefault(f.value, Counter())[f.phone_type] += 1
    out = {}
    for value, counts in seen.items():
        special = [t for t in _TYPE_PRIORITY if counts.get(t)]
        out[value] = max(special, key=counts.get) if special else counts.most_common(1)[0][0]
    return out


try:  # the README's preferred canonical form: parse and re-serialize ("Th,Fr" == "Th-Fr")
    import opening_hours as _oh
except ImportError:  # pragma: no cover - optional dependency
    _oh = None


def _spacing(text: str) -> str:
    s = re.sub(r"\s+", " ", text or "").strip()
    s = re.sub(r"\s*;\s*", "; ", s)
    s = re.sub(r"\s*,\s*", ",", s)
    s = re.sub(r"\bclosed\b", "off", s, flags=re.I)
    return s.rstrip("; ")


def canonical_hours(text: str) -> str:
    """One spelling per schedule, so equal schedules compare equal.

    With ``opening-hours-py`` installed the value is parsed and re-serialized
    (``normalize()``: "Mo,Tu,Th" becomes "Mo-Tu,Th", "off" becomes "closed");
    a value it cannot parse, or no parser at all, falls back to collapsing
    spaces.  Either way ``closed`` is then spelled ``off``.
    """
    if _oh is not None and text and text.strip():
        try:
            text = str(_oh.OpeningHours(text).normalize())
        except (KeyboardInterrupt, SystemExit):  # pragma: no cover
            raise
        except BaseException:  # ParserError, or a Rust panic surfacing as PanicException
            pass
    return _spacing(text)


def _zip5(value) -> str | None:
    m = re.match(r"\d{5}", str(value or ""))
    return m.group(0) if m else None


def _number(value) -> str | None:
    if value in (None, ""):
        return None
    digits = re.sub(r"\D", "", str(value))
    return str(int(digits)) if digits else str(value).strip().lower()


def _address_key(number, zip_value, city) -> tuple[str | None, str | None]:
    """``(number, zip5)``; for an address with no ZIP, ``(number, city.lower())``.

    A 5-digit ZIP and a city name never collide, so the city stands in only
    when the ZIP is missing on both sides.
    """
    zip5 = _zip5(zip_value)
    if zip5 is None:
        city = re.sub(r"\s+", " ", str(city or "")).strip().lower()
        zip5 = city or None
    return _number(number), zip5


def _words(text: str) -> set[str]:
    return set(re.findall(r"[a-z0-9]+", text.lower()))


def _is_partial(pred: Finding, partials: list[str]) -> bool:
    number = _number(pred.data.get("number"))
    street = str(pred.data.get("street") or pred.text or "")
    name_words = _words(street) - {number or ""} - {"n", "s", "e", "w", "st", "ave", "rd", "street", "road",
                                                      "avenue", "blvd", "north", "south", "east", "west"}
    for partial in partials:
        words = _words(partial)
        if number and number in words and (not name_words or name_words & words):
            return True
    return False


def _score_addresses(page: str, preds: list[Finding], gold: list[dict], partials: list[str],
                     score: Score, kinds: Accuracy) -> None:
    pred_keys: dict[tuple, Finding] = {}
    for f in preds:
        key = _address_key(f.data.get("number"), f.data.get("zip"), f.data.get("city"))
        if key[1] is None and key[0] is None:
            continue
        pred_keys.setdefault(key, f)
    gold_keys = {}
    for g in gold:
        gold_keys.setdefault(_address_key(g.get("number"), g.get("zip"), g.get("city")), g)
    matched: dict[tuple, tuple] = {}
    for gk in gold_keys:
        if gk[0] is not None and gk in pred_keys:
            matched[gk] = gk
    used = set(matched.values())
    for gk in gold_keys:
        if gk[0] is None:
            pk = next((k for k in pred_keys if k not in used and k[1] == gk[1]), None)
            if pk is not None:
                matched[gk] = pk
                used.add(pk)
    fps = [k for k, f in pred_keys.items() if k not in used and not _is_partial(f, partials)]
    fns = [k for k in gold_keys if k not in matched]
    score.add(page, len(matched), fps, fns)
    for gk, pk in matched.items():
        gkind = gold_keys[gk].get("kind")
        if gkind and gkind != "unknown":
            f = pred_keys[pk]
            kinds.add(page, gk, gkind, f.data.get("kind") or f.label or None)


def evaluate_corpus(corpus_dir: str | Path) -> dict:
    """Run ``extract_page`` on every labelled page of ``corpus_dir`` and score it.

    Returns a dict with ``kinds`` (tp/fp/fn/precision/recall/f1 per kind),
    ``phone_type`` and ``address_kind`` accuracies, ``appointment_accuracy``,
    ``negative_findings``, ``ms_per_page`` (median extraction time) and
    ``errors`` (every miss, for debugging).  Raises FileNotFoundError when
    ``labels.json`` is missing.
    """
    root = Path(corpus_dir)
    labels = json.loads((root / "labels.json").read_text(encoding="utf-8"))
    scores = {k: Score() for k in KINDS}
    ptype, akind = Accuracy(), Accuracy()
    appt_right = 0
    negative_findings = 0
    timings = []
    for page in labels:
        name = page["page"]
        source = (root / "pages" / name).read_bytes()
        t0 = time.perf_counter()
        result = extract_page(source, url=page.get("url_hint") or "")
        timings.append(time.perf_counter() - t0)
        found = [f for f in result.findings if f.source != "structured"]
        if page.get("category", "").startswith("negative"):
            negative_findings += sum(f.kind != "short_code" for f in found)
        by_kind: dict[str, list[Finding]] = {}
        for f in found:
            by_kind.setdefault(f.kind, []).append(f)

        # phones
        pred = {phone_key(f.value) for f in by_kind.get("phone", [])}
        gold = {(g["e164"], str(g["ext"]) if g.get("ext") else None): g for g in page.get("phones", [])}
        scores["phones"].add(name, len(pred & gold.keys()), sorted(pred - gold.keys(), key=str),
                             sorted(gold.keys() - pred, key=str))
        types = {phone_key(v): t for v, t in page_phone_types(by_kind.get("phone", [])).items()}
        for key in sorted(pred & gold.keys(), key=str):
            ptype.add(name, key, gold[key].get("kind"), types.get(key))

        # emails
        pred = {f.value.lower() for f in by_kind.get("email", [])}
        gold_e = {e.lower() for e in page.get("emails", [])}
        neutral = {e.lower() for e in page.get("link_only", {}).get("emails", [])}
        scores["emails"].add(name, len(pred & gold_e), sorted(pred - gold_e - neutral), sorted(gold_e - pred))

        _score_addresses(name, by_kind.get("address", []), page.get("addresses", []),
                         page.get("partial_addresses", []), scores["addresses"], akind)

        pred = {canonical_hours(f.value) for f in by_kind.get("hours", [])}
        gold_h = {canonical_hours(h["normalized"]) for h in page.get("hours", [])}
        scores["hours"].add(name, len(pred & gold_h), sorted(pred - gold_h), sorted(gold_h - pred))

        # short codes (311, 711, *911): scored on their own, never as phones
        pred = {f.value for f in by_kind.get("short_code", [])}
        gold_s = {str(c["code"]) for c in page.get("short_codes", [])}
        scores["short_codes"].add(name, len(pred & gold_s), sorted(pred - gold_s), sorted(gold_s - pred))

        want = bool(page.get("appointment", {}).get("value"))
        got = any(f.data.get("offered", True) for f in by_kind.get("appointment", []))
        scores["appointment"].add(name, int(want and got), [True] if got and not want else [],
                                  [True] if want and not got else [])
        appt_right += want == got

    timings.sort()
    return {
        "pages": len(labels),
        "kinds": {k: s.as_dict() for k, s in scores.items()},
        "phone_type": round(ptype.value, 4),
        "phone_type_pairs": ptype.total,
        "address_kind": round(akind.value, 4),
        "address_kind_pairs": akind.total,
        "appointment_accuracy": round(appt_right / len(labels), 4) if labels else 1.0,
        "negative_findings": negative_findings,
        "ms_per_page": round(1000 * timings[len(timings) // 2], 2) if timings else 0.0,
        "baseline": BASELINE,
        "errors": {**{k: s.errors for k, s in scores.items()}, "phone_type": ptype.errors,
                   "address_kind": akind.errors},
    }


def _base(kind: str) -> str:
    return f"{BASELINE[kind]:.2f}" if kind in BASELINE else "-"


def format_report(report: dict) -> str:
    """The report as a plain-text table (P/R/F1 per kind, then the accuracies)."""
    lines = [f"{'kind':<12} {'TP':>4} {'FP':>4} {'FN':>4} {'P':>6} {'R':>6} {'F1':>6} {'base F1':>8}"]
    for kind, s in report["kinds"].items():
        lines.append(f"{kind:<12} {s['tp']:>4} {s['fp']:>4} {s['fn']:>4} {s['precision']:>6.3f} "
                     f"{s['recall']:>6.3f} {s['f1']:>6.3f} {_base(kind):>8}")
    lines.append(f"phone_type accuracy {report['phone_type']:.3f} on {report['phone_type_pairs']} pairs "
                 f"(baseline {BASELINE['phone_type']:.2f})")
    lines.append(f"address kind accuracy {report['address_kind']:.3f} on {report['address_kind_pairs']} pairs")
    lines.append(f"appointment accuracy {report['appointment_accuracy']:.3f} over {report['pages']} pages")
    lines.append(f"findings on negative pages: {report['negative_findings']}")
    lines.append(f"median extraction time: {report['ms_per_page']:.2f} ms/page")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m siteaudit.evaluate", description=__doc__.split("\n")[0])
    parser.add_argument("corpus_dir", help="folder with labels.json and pages/")
    parser.add_argument("--json", action="store_true", help="print the full report (with every miss) as JSON")
    parser.add_argument("--errors", action="store_true", help="also list every miss after the table")
    args = parser.parse_args(argv)
    try:
        report = evaluate_corpus(args.corpus_dir)
    except FileNotFoundError as exc:
        print(f"error: {exc.filename}: not found (CORPUS_DIR must hold labels.json and pages/)", file=sys.stderr)
        return 2
    except (json.JSONDecodeError, KeyError) as exc:
        print(f"error: {args.corpus_dir}/labels.json is malformed: {exc}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(report, indent=1, default=str))
        return 0
    print(format_report(report))
    if args.errors:
        for kind, errs in report["errors"].items():
            for e in errs:
                print(kind, json.dumps(e, default=str))
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
