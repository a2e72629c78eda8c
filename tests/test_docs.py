"""The editor guides document every field the validator accepts, in both languages."""

from __future__ import annotations

import re

import pytest

from binhdan.model.schema import CONTENT_TYPES, TAXONOMIES
from conftest import ROOT


@pytest.mark.parametrize("doc", ["docs/huong-dan-bien-tap.md", "docs/editor-guide.md"])
def test_every_field_is_documented(doc: str) -> None:
    text = (ROOT / doc).read_text(encoding="utf-8")
    names = {f.name for t in CONTENT_TYPES for f in t.fields}
    names |= {sub.name for t in CONTENT_TYPES for f in t.fields for sub in f.fields}
    names |= {f.name for t in TAXONOMIES for f in t.fields}
    names |= {t.folder for t in CONTENT_TYPES}
    missing = sorted(n for n in names
                     if f"`{n}`" not in text and f"`content/{n}/`" not in text)
    assert not missing, f"{doc} does not mention: {missing}"


def test_every_test_named_in_the_threat_model_exists() -> None:
    """docs/security.md proves each rule with a named test: the names must stay true."""
    named = set(re.findall(r"`(test_[a-z0-9_]+)`", (ROOT / "docs/security.md").read_text(
        encoding="utf-8")))
    defined = {name for path in (ROOT / "tests").glob("test_*.py")
               for name in re.findall(r"^def (test_[a-z0-9_]+)", path.read_text(
                   encoding="utf-8"), re.MULTILINE)}
    assert len(named) > 50 and not named - defined, sorted(named - defined)
