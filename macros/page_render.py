"""Render a page's macro calls, and explain an editor's mistake in them as file:line with a tip."""

from __future__ import annotations

import re
import traceback
from pathlib import Path

import jinja2
import jinja2.nodes
from mkdocs.exceptions import PluginError

from .page_macros import MACRO_NAMES


def render_page_macros(env) -> None:
    """Render the page's macros here, so an editor's mistake is reported as file:line with a
    tip and no Python traceback (mkdocs-macros itself would print one)."""
    where = f"docs/{env.page.file.src_uri}"
    offset = _front_matter_lines(env)
    if not env.page.meta.get("render_macros"):
        calls = "|".join(sorted(MACRO_NAMES))
        for number, line in enumerate(env.markdown.splitlines(), start=1):
            if calls and (match := re.search(rf"\{{\{{\s*({calls})\s*\(", line)):
                raise PluginError(f"{where}:{number + offset}  {match.group(1)}() is written here, but this page "
                                  "does not render macros  Tip: add 'render_macros: true' to its front matter.")
        return
    try:
        tree = env.env.parse(env.markdown)
        nodes = list(tree.find_all((jinja2.nodes.Call, jinja2.nodes.Name)))
        called = {id(node.node) for node in nodes if isinstance(node, jinja2.nodes.Call)}
        for name in nodes:
            if isinstance(name, jinja2.nodes.Name) and name.name in MACRO_NAMES and id(name) not in called:
                raise PluginError(f"{where}:{name.lineno + offset}  {name.name} is written without brackets  "
                                  f"Tip: write {name.name}() so the macro runs.")
        variables = {**env.variables, **env.page.meta}
        rendered = render_macro_calls(tree, env.env, variables)
        if rendered is None:
            rendered = env.env.from_string(tree).render(**variables)
    except PluginError as error:
        if re.match(rf"{re.escape(where)}:\d+  ", str(error)):  # already says file and line
            raise
        raise PluginError(_explain_macro_error(env, error)) from None
    except Exception as error:  # noqa: BLE001 - every kind of mistake is reported the same way
        raise PluginError(_explain_macro_error(env, error)) from None
    # Use this rendering and tell mkdocs-macros the page is done, so it is not rendered twice
    # (and text that came out of the data is never read as a macro).
    env.markdown = rendered
    env.page.meta["render_macros"] = False


def render_macro_calls(tree, environment, variables: dict) -> str | None:
    """The page's text with each macro call replaced by its result, as Jinja would render it,
    when the page holds only text and calls such as {{ cite("nice-ng59") }} with constant
    arguments, as the handbook's pages do. Jinja would first compile the whole page into Python,
    which costs more than everything else the macros do; the calls are taken straight from the
    page's parsed template instead. None when the page uses anything else (a variable, a filter,
    {% if %}, ...), or a call fails: then Jinja renders it, and reports any mistake with its line.
    """
    nodes = jinja2.nodes
    if environment.finalize is not None or environment.autoescape is not False:
        return None
    context = nodes.EvalContext(environment)
    parts: list[str] = []
    for output in tree.body:
        if not isinstance(output, nodes.Output):
            return None
        for node in output.nodes:
            if isinstance(node, nodes.TemplateData):
                parts.append(node.data)
                continue
            if not (isinstance(node, nodes.Call) and isinstance(node.node, nodes.Name)
                    and node.node.name in MACRO_NAMES and node.dyn_args is None and node.dyn_kwargs is None):
                return None
            function = variables.get(node.node.name, environment.globals.get(node.node.name))
            try:
                args = [arg.as_const(context) for arg in node.args]
                kwargs = {keyword.key: keyword.value.as_const(context) for keyword in node.kwargs}
                parts.append(str(function(*args, **kwargs)))
            except Exception:  # noqa: BLE001 - Jinja renders the page again and reports it
                return None
    return "".join(parts)


def _front_matter_lines(env) -> int:
    src = env.page.file.abs_src_path
    text = Path(src).read_text(encoding="utf-8") if src else ""
    return text[: len(text) - len(env.markdown)].count("\n") if text.endswith(env.markdown) else 0


def _explain_macro_error(env, error: Exception) -> str:
    where = f"docs/{env.page.file.src_uri}"
    offset = _front_matter_lines(env)
    line = getattr(error, "lineno", None)
    if line is None:
        frames = [f for f in traceback.extract_tb(error.__traceback__) if f.filename == "<template>"]
        line = frames[-1].lineno if frames else 0
    line = (line or 0) + offset
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
        message, tip = f"{type(error).__name__}: {error}", "see the list of macros in CONTRIBUTING.md"
    return f"{where}:{line}  {message.rstrip('.')}  Tip: {tip.rstrip('.')}."
