"""The adapter between mkdocs-macros and the handbook: it reacts to the plugin's events and
hands the work to the data, page, macro and rendering modules.

The data is read and validated once per build, in define_env; a problem stops the build
with a list of every problem (file, line, what, how to fix).
"""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

from mkdocs.exceptions import PluginError
from pydantic import validate_call

from . import page_template, render
from .data import DataError, Handbook, load_handbook
from .data.schema import write_schemas
from .page import PageContext
from .page_macros import MACROS, PageMacros
from .page_render import render_page_macros
from .settings import Settings


def define_env(env) -> None:
    """Load the data once and register the macros."""
    refuse_unsafe_settings(env)
    try:
        handbook = load_handbook(Path(env.project_dir), env.conf["docs_dir"])
    except DataError as error:
        # PluginError makes MkDocs print the message and exit 1, without a traceback.
        raise PluginError(str(error)) from None
    env.variables["handbook"] = handbook
    # Glossary terms get a tooltip on every page: the abbr extension's glossary option does it in
    # one pass (appending '*[term]: ...' lines to each page made Markdown re-scan them line by line).
    env.conf["mdx_configs"].setdefault("abbr", {})["glossary"] = render.abbreviation_glossary(handbook.glossary)
    macros = PageMacros(PageContext(env, handbook), handbook, env.conf, Settings.from_environment())
    env.variables["page_macros"] = macros
    for function in MACROS:
        # Arguments are checked against the macro's annotations before it runs: a wrong one is the
        # editor's to fix, reported with the page's line (macros/page_render.py).
        env.macro(validate_call(getattr(macros, function.__name__)), function.__name__)


def refuse_unsafe_settings(env) -> None:
    """Stop the build when mkdocs.yml would let pages publish files of the build machine or run more
    than the handbook's macros."""
    project_dir = Path(env.project_dir).resolve()
    docs_dir = Path(env.conf["docs_dir"]).resolve()
    if not docs_dir.is_relative_to(project_dir):
        raise PluginError(f"mkdocs.yml:{config_line(env, 'docs_dir')}  docs_dir ({docs_dir}) is outside the "
                          "project  Tip: pages must live in the project's docs/ folder.")
    unsafe = page_template.unsafe_plugin_settings(dict(getattr(env, "config", None) or {}))
    if unsafe:
        line = config_line(env, unsafe[0].partition(":")[0])
        raise PluginError(f"mkdocs.yml:{line}  the macros plugin has settings that would let pages run more than the "
                          f"handbook's macros: {'; '.join(unsafe)}  Tip: remove them (render_by_default: false).")


def config_line(env, key: str) -> int:
    """The line of mkdocs.yml where `key` is set (1 when it is not written there)."""
    try:
        lines = Path(env.conf["config_file_path"]).read_text(encoding="utf-8").splitlines()
    except (OSError, TypeError):
        return 1
    return next((n for n, text in enumerate(lines, start=1) if text.strip().startswith(f"{key}:")), 1)


def on_pre_page_macros(env) -> None:
    """Check the page's macros render, and give the theme its review record."""
    # One spelling of every accented letter, so glossary terms match the page's words.
    env.markdown = unicodedata.normalize("NFC", env.markdown)
    render_page_macros(env)
    handbook: Handbook = env.variables["handbook"]
    env.markdown = env.variables["page_macros"].with_leaflet_link(env.markdown)
    review = handbook.review_for_page(env.page.file.src_uri)
    if review is not None:
        env.page.meta["review_record"] = render.render_review_record(
            review.last_reviewed, review.next_review_due, len(PageContext(env, handbook).page_references())
        )
    env.page.meta["structured_data"] = render.structured_data(
        handbook, env.page.file.src_uri, env.page.meta.get("description"), env.page.title,
        env.page.canonical_url,
    )


def on_post_build(env) -> None:
    """Publish the validated data as JSON, with its JSON Schemas, for others to reuse."""
    handbook: Handbook = env.variables["handbook"]
    folder = Path(env.conf["site_dir"]) / "data"
    folder.mkdir(parents=True, exist_ok=True)
    dump = {
        "procedures": {k: v.model_dump(mode="json") for k, v in handbook.procedures.items()},
        "conditions": {k: v.model_dump(mode="json") for k, v in handbook.conditions.items()},
        "references": [r.model_dump(mode="json", exclude_none=True) for r in handbook.references.values()],
        "conservative_care": handbook.conservative_care.model_dump(mode="json"),
        "care_approaches": handbook.care_approaches.model_dump(mode="json"),
        "glossary": [g.model_dump(mode="json", exclude_none=True) for g in handbook.glossary],
    }
    (folder / "handbook.json").write_text(json.dumps(dump, indent=1, ensure_ascii=False), encoding="utf-8")
    write_schemas(folder / "schema")
