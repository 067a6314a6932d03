"""The wheel carries everything: every package directory is listed, every data file matched."""

from __future__ import annotations

import fnmatch
import tomllib
from pathlib import Path

ROOT = Path(__file__).parent.parent
CONF = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]


def _package_dirs():
    for pkg, folder in [("siteaudit", ROOT / "src" / "siteaudit"),
                        ("siteaudit_crawler", ROOT / "crawler" / "siteaudit_crawler")]:
        for init in folder.rglob("__init__.py"):
            rel = init.parent.relative_to(folder)
            yield ".".join([pkg, *rel.parts])


def test_every_package_is_listed():
    listed = set(CONF["packages"])
    missing = sorted(set(_package_dirs()) - listed)
    assert not missing, f"add to [tool.setuptools] packages in pyproject.toml: {missing}"
    assert "siteaudit_rules" in listed


def test_demo_and_rule_files_are_package_data():
    data = CONF["package-data"]
    for pkg, folder, suffixes in [("siteaudit.demo", ROOT / "src/siteaudit/demo", None),
                                  ("siteaudit_rules", ROOT / "rules", (".yml", ".yaml", ".md"))]:
        for file in folder.rglob("*"):
            if file.is_dir() or file.suffix in (".py", ".pyc") or "__pycache__" in file.parts:
                continue
            rel = file.relative_to(folder).as_posix()
            assert any(fnmatch.fnmatch(rel, pat) and rel.count("/") == pat.count("/") for pat in data[pkg]), \
                f"{folder.name}/{rel} is not matched by package-data for {pkg}"
