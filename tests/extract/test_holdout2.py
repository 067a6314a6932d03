"""A second held-out set (``tests/extract/holdout2``), written after the extractors
were tuned on the corpus and on ``holdout``, and scored once before any fix as an
honest estimate: phones, emails, addresses, appointment and short codes 1.000,
hours 0.647 (days-as-rows x branches-as-columns tables, ordinal weekday lists,
dated extra openings, holiday notes under tables), phone type 0.973, address
kind 0.870.  The hours causes were then fixed generally (hours 1.000 since),
so this set no longer gives an unbiased estimate either.  ``FLOORS`` guard
against regressions; the known misses are printed when a floor fails.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from siteaudit.evaluate import evaluate_corpus, format_report

HOLDOUT2 = Path(__file__).resolve().parent / "holdout2"

FLOORS = {
    "phones": 1.0,
    "emails": 1.0,
    "addresses": 1.0,
    "hours": 1.0,
    "appointment": 1.0,
    "short_codes": 1.0,
    "phone_type": 0.97,
    "address_kind": 0.86,
    "appointment_accuracy": 1.0,
}


@pytest.fixture(scope="module")
def report() -> dict:
    return evaluate_corpus(HOLDOUT2)


@pytest.mark.parametrize("name, minimum", sorted(FLOORS.items()))
def test_floor(report, name, minimum):
    value = report["kinds"][name]["f1"] if name in report["kinds"] else report[name]
    misses = report["errors"].get(name.replace("_accuracy", ""), [])
    assert value >= minimum, (f"{name} = {value:.3f} < {minimum} on holdout2\n{format_report(report)}\n"
                              f"misses: {json.dumps(misses[:30], default=str, ensure_ascii=False)}")


def test_every_page_labelled():
    labels = json.loads((HOLDOUT2 / "labels.json").read_text(encoding="utf-8"))
    assert {p["page"] for p in labels} == {p.name for p in (HOLDOUT2 / "pages").glob("*.html")}
