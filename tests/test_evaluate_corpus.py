"""Score the real ``extract_page`` output on the labelled development corpus.

The corpus lives beside the repository (``../shared/corpus``) or wherever
``SITEAUDIT_CORPUS`` points; the test is skipped when it is absent.  Each
kind's minimum is one line in ``THRESHOLDS``.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from siteaudit.evaluate import evaluate_corpus, format_report, main

CORPUS = Path(os.environ.get("SITEAUDIT_CORPUS") or Path(__file__).resolve().parents[2] / "shared" / "corpus")

# metric -> minimum; "<kind>" is that kind's F1, the others are accuracies.
THRESHOLDS = {
    "phones": 0.97,
    "emails": 0.97,
    "phone_type": 0.95,
    "addresses": 0.93,
    "hours": 0.90,
    "appointment": 0.90,
}

pytestmark = pytest.mark.skipif(not (CORPUS / "labels.json").is_file(),
                                reason=f"labelled corpus not found at {CORPUS} (set SITEAUDIT_CORPUS)")


@pytest.fixture(scope="module")
def report():
    return evaluate_corpus(CORPUS)


def _metric(report: dict, name: str) -> float:
    if name in report["kinds"]:
        return report["kinds"][name]["f1"]
    return report[name]


@pytest.mark.parametrize("name, minimum", sorted(THRESHOLDS.items()))
def test_threshold(report, name, minimum):
    value = _metric(report, name)
    misses = [e for e in report["errors"].get(name, [])][:20]
    assert value >= minimum, f"{name} = {value:.3f} < {minimum}\n{format_report(report)}\nmisses: {misses}"


def test_report_shape(report):
    assert report["pages"] > 0
    for kind in ("phones", "emails", "addresses", "hours", "appointment"):
        assert {"tp", "fp", "fn", "precision", "recall", "f1"} <= report["kinds"][kind].keys()
    assert report["phone_type_pairs"] > 0


def test_command_line(capsys):
    assert main([str(CORPUS)]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0].split()[:4] == ["kind", "TP", "FP", "FN"]
    assert "phone_type accuracy" in out


def test_command_line_missing_corpus(tmp_path, capsys):
    assert main([str(tmp_path)]) == 2
    assert "labels.json" in capsys.readouterr().err
