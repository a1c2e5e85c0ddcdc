"""Render a page's macro calls, and explain an editor's mistake in them as file:line with a tip.

What a page may contain, and how a call is carried out without running the page as a
template, is in macros/page_template.py; this module applies it to the page mkdocs-macros
is about to render.
"""

from __future__ import annotations

import inspect
import re
import unicodedata
from pathlib import Path

import jinja2
from mkdocs.exceptions import PluginError
from pydantic import ValidationError

from . import page_template
from .page_macros import MACRO_NAMES, MACROS
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
        try:
            tree = env.env.parse(env.markdown)
            refused = page_template.first_refused(tree, MACRO_NAMES)
        except (ValueError, RecursionError) as error:  # a number too long to read, lists nested too deep
            raise PluginError(f"{where}:{offset + _unreadable_line(env)}  the macro calls on this page cannot be read: "
                              f"{type(error).__name__}: {clip(str(error), 120)}  Tip: write each argument out "
                              "as text in quotes, a number or a short list.") from None
        if refused is not None:
            line, message, tip = refused
            raise PluginError(f"{where}:{line + offset}  {message}  Tip: {tip}.")
        env.markdown = page_template.render_calls(tree, env.macros, MACRO_NAMES, where, offset)
    except PluginError as error:
        if re.match(rf"{re.escape(where)}:\d+  ", str(error)):  # already says file and line
            raise
        raise PluginError(_explain_macro_error(env, error)) from None
    except page_template.CallFailed as failed:
        raise PluginError(_explain_macro_error(env, failed.error, failed.line)) from None
    except jinja2.TemplateError as error:  # the page is not even well-formed macro text
        raise PluginError(_explain_macro_error(env, error)) from None
    # Any other error is a fault in the handbook's code, not in the page: MkDocs shows its traceback,
    # which names the page and line (page_template.render_calls adds them).


def _unreadable_line(env) -> int:
    """The line of the page's Markdown that holds a number too long to read or brackets nested too deep
    (Jinja's lexer reads both; its parser cannot); 1 when none is found."""
    depth = 0
    try:
        for line, kind, value in env.env.lexer.tokeniter(env.markdown, None):
            if kind == "integer" and len(value) > 1000:
                return line
            if kind == "operator" and value in "([{":
                depth += 1
                if depth > 100:
                    return line
            elif kind == "operator" and value in ")]}":
                depth -= 1
    except jinja2.TemplateError:
        pass
    return 1


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
    elif isinstance(error, ValidationError):
        name = error.title.rpartition(".")[2]
        message = f"a macro was called with the wrong arguments: {name}() {wrong_arguments(error)}"
        tip = f"write it as {name}{written_signature(name)}; see the list of macros in CONTRIBUTING.md"
    else:
        message, tip = f"{type(error).__name__}: {clip(str(error))}", "see the list of macros in CONTRIBUTING.md"
    return f"{where}:{line}  {message.rstrip('.')}  Tip: {tip.rstrip('.')}."


def wrong_arguments(error: ValidationError) -> str:
    """What is wrong with each argument, in one line: 'argument 1: input should be a valid string (got 12)'."""
    said = []
    for problem in error.errors()[:5]:
        first, *inner = problem["loc"]
        where = f"argument {first + 1}" if isinstance(first, int) else str(first)
        where += "".join(f", item {part + 1}" if isinstance(part, int) else f", {part}" for part in inner)
        wrong_value = not problem["type"].startswith(("missing", "unexpected"))
        given = f" (got {clip(repr(problem['input']), 80)})" if wrong_value else ""
        said.append(f"{where}: {problem['msg'].lower()}{given}")
    return "; ".join(said)


def written_signature(name: str) -> str:
    """How the macro `name` is called, e.g. '(procedures: list[str] | None = None, ...)'."""
    function = next(function for function in MACROS if function.__name__ == name)  # a macro's own error
    signature = inspect.signature(function, eval_str=True)
    parameters = [p for p in signature.parameters.values() if p.name != "self"]
    return str(signature.replace(parameters=parameters, return_annotation=inspect.Signature.empty))
