"""What the whole-handbook PDF and the leaflets share.

Both print pages of the built offline site: they take each page's article (Material's
`<article>`), name the handbook as mkdocs.yml does, and stop with a PrintError whose
message says what could not be made and why. A page too long for its leaflet is the
editor's to fix, so it is reported as a page problem (macros.problems.DataError), with
its file and line, like every other problem in a page.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from tools import ROOT

ARTICLE = re.compile(r'<article class="md-content__inner md-typeset">(.*?)</article>', re.S)


class PrintError(RuntimeError):
    """The PDF or the leaflets could not be made; the message is one sentence saying why."""


def article_html(page_html: str) -> str | None:
    """The HTML inside a built page's article (its content, without navigation), or None."""
    found = ARTICLE.search(page_html)
    return found.group(1) if found else None


def configured(key: str, config: Path = ROOT / "mkdocs.yml") -> str:
    """A setting of mkdocs.yml as MkDocs reads it (site_url comes from SITE_URL), or "" when unset."""
    from mkdocs.utils.yaml import yaml_load

    with config.open(encoding="utf-8") as handle:
        return yaml_load(handle).get(key) or ""


@cache
def handbook_name() -> str:
    """The handbook's name, as the site shows it (site_name in mkdocs.yml)."""
    return configured("site_name")
