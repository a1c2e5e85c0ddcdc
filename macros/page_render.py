"""Render a page's macro calls, and explain an editor's mistake in them as file:line with a tip.

What a page may contain, and how a call is carried out without running the page as a
template, is in macros/page_template.py; this module applies it to the page mkdocs-macros
is about to render.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import jinja2
from mkdocs.exceptions import PluginError

from . import page_template
from .page_macros import MACRO_NAMES
from .problems import clip


def render_page_macros(env) -> None:
    """Render the page's macros here, so an editor's mistake is reported as file:line with a
    tip and no Python traceback (mkdocs-macros itself would print one).

    This is the only way a page is rendered: the page is parsed, never run as a Jinja template,
    and only calls of the handbook's macros with written-out arguments are carried out
    (macros/page_template.py). Then mkdocs-macros is told the page is done, so it renders
    nothing itself (and text that came out of the data is never read as a macro)."""
    where = f"docs/{env.page.file.src_uri}"
    offset = _front_matter_lines(env)
    wanted = env.page.meta.get("render_macros")
    env.page.meta["render_macros"] = False
    if not wanted:
        calls = "|".join(sorted(MACRO_NAMES))
        for number, line in enumerate(env.markdown.splitlines(), start=1):
            if match := re.search(rf"\{{\{{\s*({calls})\s*\(", line):
                raise PluginError(f"{where}:{number + offset}  {match.group(1)}() is written here, but this page "
                                  "does not render macros  Tip: add 'render_macros: true' to its front matter.")
        return
    try:
        tree = env.env.parse(env.markdown)
        refused = page_template.first_refused(tree, MACRO_NAMES)
        if refused is not None:
            line, message, tip = refused
            raise PluginError(f"{where}:{line + offset}  {message}  Tip: {tip}.")
        env.markdown = page_template.render_calls(tree, env.macros, MACRO_NAMES)
    except PluginError as error:
        if re.match(rf"{re.escape(where)}:\d+  ", str(error)):  # already says file and line
            raise
        raise PluginError(_explain_macro_error(env, error)) from None
    except page_template.CallFailed as failed:
        raise PluginError(_explain_macro_error(env, failed.error, failed.line)) from None
    except Exception as error:  # noqa: BLE001 - every kind of mistake is reported the same way
        raise PluginError(_explain_macro_error(env, error)) from None


def render_macro_calls(tree, environment, variables: dict) -> str | None:
    """The page's text with each macro call replaced by its result, as Jinja would render it;
    None when the page holds anything but text and macro calls with written-out arguments,
    or a call fails."""
    if environment.finalize is not None or environment.autoescape is not False:
        return None
    if page_template.first_refused(tree, MACRO_NAMES) is not None:
        return None
    try:
        return page_template.render_calls(tree, {**environment.globals, **variables}, MACRO_NAMES)
    except page_template.CallFailed:
        return None


def _front_matter_lines(env) -> int:
    """How many lines come before the page's Markdown (its front matter). The Markdown is in NFC
    (macros/plugin.py), so the file is compared in NFC too, however it was saved."""
    src = env.page.file.abs_src_path
    text = unicodedata.normalize("NFC", Path(src).read_text(encoding="utf-8")) if src else ""
    return text[: len(text) - len(env.markdown)].count("\n") if text.endswith(env.markdown) else 0


def _explain_macro_error(env, error: Exception, line: int | None = None) -> str:
    where = f"docs/{env.page.file.src_uri}"
    offset = _front_matter_lines(env)
    line = (line or getattr(error, "lineno", None) or 0) + offset
    names = ", ".join(sorted(MACRO_NAMES))
    if isinstance(error, jinja2.TemplateSyntaxError):
        message, tip = f"macro syntax error: {error.message}", "a macro call looks like {{ cite(\"nice-ng59\") }}"
    elif isinstance(error, jinja2.UndefinedError):
        message, tip = f"{error.message}", f"check the spelling; the macros a page can use are: {names}"
    elif isinstance(error, PluginError):
        message, tip = str(error).partition(" Tip: ")[::2]
        message = message.removeprefix(f"{where}: ")
        tip = tip or "see the list of macros in CONTRIBUTING.md"
    elif isinstance(error, TypeError):
        message, tip = f"a macro was called with the wrong arguments: {error}", f"macros: {names}"
    else:
        message, tip = f"{type(error).__name__}: {clip(str(error))}", "see the list of macros in CONTRIBUTING.md"
    return f"{where}:{line}  {message.rstrip('.')}  Tip: {tip.rstrip('.')}."
