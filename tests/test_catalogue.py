"""The methodology catalogue in docs/ is generated from the rules, never written twice."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from maturity.cli import main

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize("lang", ["en", "vi"])
def test_docs_catalogue_matches_the_rules(lang: str) -> None:
    result = CliRunner().invoke(main, ["indicators", "--format", "markdown", "--lang", lang])
    assert result.exit_code == 0, result.output
    committed = (ROOT / "docs" / f"catalogue.{lang}.md").read_text(encoding="utf-8")
    assert result.stdout == committed, (
        f"docs/catalogue.{lang}.md is stale: regenerate it with "
        f"`maturity indicators --format markdown --lang {lang} -o docs/catalogue.{lang}.md`"
    )


def test_national_catalogue_size_and_languages() -> None:
    result = CliRunner().invoke(main, ["indicators", "--format", "json"])
    doc = json.loads(result.stdout)
    indicators = doc["indicators"]
    assert len(indicators) >= 80
    assert sum("commune" in ind["tiers"] for ind in indicators) >= 40
    assert all(ind["names"]["vi"] and ind["names"]["en"] for ind in indicators)
    assert len({ind["id"] for ind in indicators}) == len(indicators)


@pytest.mark.parametrize(
    ("kind", "file"),
    [
        ("framework", "framework.schema.json"),
        ("rules", "rules.schema.json"),
        ("result", "result.schema.json"),
        ("submission", "submission.vn-2tier.schema.json"),
    ],
)
def test_committed_schemas_match_the_models(kind: str, file: str) -> None:
    result = CliRunner().invoke(main, ["schema", kind])
    assert result.exit_code == 0, result.output
    committed = (ROOT / "docs" / "schemas" / file).read_text(encoding="utf-8")
    assert result.stdout == committed, (
        f"regenerate with `maturity schema {kind} > docs/schemas/{file}`"
    )
