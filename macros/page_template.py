"""What a page may write between {{ }} and {% %}: calls of the handbook's macros, nothing else.

A page is parsed by Jinja but never compiled or run as a template. Its parsed tree
may hold only text, {# comments #}, {% raw %} blocks, written-out values and calls
such as {{ cite("nice-ng59") }} whose arguments are written out (text in quotes,
numbers, true/false/none, lists and groups of those). Anything else (a variable
such as {{ config }}, attribute access such as {{ x.__class__ }}, a filter,
{% include %}, {% import %}, {% if %}, {% set %} ...) is refused with its line,
so a page can never reach Python, the build's settings or the build machine.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import jinja2.nodes as nodes
from mkdocs.exceptions import PluginError
from pydantic import ValidationError

EXAMPLE = '{{ cite("nice-ng59") }}'

STATEMENT_NAMES = {
    "Assign": "set", "AssignBlock": "set", "FromImport": "from ... import", "CallBlock": "call",
    "FilterBlock": "filter", "ScopedEvalContextModifier": "autoescape", "EvalContextModifier": "autoescape",
    "ExprStmt": "do",
}


class NotLiteral(Exception):
    """An argument that is not written out (a name, a sum, an attribute ...)."""

    def __init__(self, node: nodes.Node):
        self.node = node


class CallFailed(Exception):
    """A macro call is the editor's mistake; `line` is where it is called (in the page's text after the
    front matter), `error` what is wrong: arguments that do not fit (ValidationError, from the macros'
    pydantic.validate_call), or what the macro itself said (PluginError)."""

    def __init__(self, line: int, error: Exception):
        super().__init__(str(error))
        self.line = line
        self.error = error


def _tip(macros: Iterable[str]) -> str:
    return f"pages can only call the handbook's macros, such as {EXAMPLE}: {', '.join(sorted(macros))}"


def literal(node: nodes.Node) -> Any:
    """The value of an argument written out in full; NotLiteral for anything else.

    (Jinja's own as_const() would evaluate attribute access and operators: not used.)"""
    if isinstance(node, nodes.Const) and (node.value is None or isinstance(node.value, (str, int, float, bool))):
        return node.value
    if isinstance(node, nodes.List):
        return [literal(item) for item in node.items]
    if isinstance(node, nodes.Tuple):
        return tuple(literal(item) for item in node.items)
    if isinstance(node, nodes.Dict):  # keys are text: a list as a key cannot be a dictionary's
        if not all(isinstance(pair.key, nodes.Const) and isinstance(pair.key.value, str) for pair in node.items):
            raise NotLiteral(node)
        return {pair.key.value: literal(pair.value) for pair in node.items}
    if isinstance(node, nodes.Neg) and isinstance(node.node, nodes.Const) and isinstance(node.node.value, (int, float)):
        return -node.node.value
    raise NotLiteral(node)


def _refused_expression(node: nodes.Node, macros: set[str]) -> tuple[int, str, str] | None:
    """Why the expression inside {{ }} is refused, or None when it is allowed."""
    if isinstance(node, nodes.Const) and not isinstance(node.value, (tuple, list, dict)):
        return None
    if isinstance(node, nodes.Name) and node.name in macros:
        return node.lineno, f"{node.name} is written without brackets", f"write {node.name}() so the macro runs"
    inside = [node, *node.find_all(nodes.Node)]
    for name in (found for found in inside if isinstance(found, nodes.Name)):
        if name.name not in macros:
            return (name.lineno, f"'{name.name}' is undefined",
                    f"check the spelling; the macros a page can use are: {', '.join(sorted(macros))}")
    for found in (found for found in inside if isinstance(found, (nodes.Filter, nodes.Test))):
        if isinstance(found, nodes.Test):
            return found.lineno, f"the test 'is {found.name}' cannot be used in a page", _tip(macros)
        return (found.lineno, f"macro syntax error: No filter named '{found.name}' can be used in a page",
                f"write the text itself; {_tip(macros)}")
    if not (isinstance(node, nodes.Call) and isinstance(node.node, nodes.Name)):
        return (node.lineno, "only a call of one of the handbook's macros can be written between {{ and }}",
                _tip(macros))
    if node.dyn_args is not None or node.dyn_kwargs is not None:
        return node.lineno, f"{node.node.name}() is given *arguments or **arguments", \
            "write each argument out, e.g. cite(\"a\", \"b\")"
    for argument in [*node.args, *(keyword.value for keyword in node.kwargs)]:
        try:
            literal(argument)
        except NotLiteral as error:
            return (error.node.lineno, f"{node.node.name}() is given a {type(error.node).__name__.lower()} "
                    "expression as an argument", "write arguments out: text in quotes, numbers, true or false, "
                    'or a list such as ["a", "b"]')
    return None


def first_refused(tree: nodes.Template, macros: set[str]) -> tuple[int, str, str] | None:
    """(line, message, tip) of the first thing in the page that is not text or a macro call."""
    for statement in tree.body:
        if not isinstance(statement, nodes.Output):
            keyword = STATEMENT_NAMES.get(type(statement).__name__, type(statement).__name__.lower())
            return (statement.lineno, f"{{% {keyword} %}} cannot be used in a page",
                    f"write the text itself; {_tip(macros)}")
        for node in statement.nodes:
            if isinstance(node, nodes.TemplateData):
                continue
            refused = _refused_expression(node, macros)
            if refused is not None:
                return refused
    return None


def is_editor_mistake(error: Exception, macro: str) -> bool:
    """Whether an error raised by a call is the page editor's to fix: arguments that do not fit the
    macro (the ValidationError of its validate_call), or what the macro itself said (PluginError).
    Any other error is a fault in the handbook's code: it keeps its traceback, with a note of the
    page line that made the call."""
    if isinstance(error, ValidationError):
        return error.title.rpartition(".")[2] == macro  # not one a model raised inside the macro
    return isinstance(error, (NotLiteral, PluginError))


def render_calls(tree: nodes.Template, functions: dict, macros: set[str], where: str = "the page",
                 offset: int = 0) -> str:
    """The page's text with each macro call replaced by its result. Call only after
    first_refused(tree) found nothing; an editor's mistake in a call raises CallFailed with its line.
    `where` and `offset` (the lines before the text: its front matter) name the call in a fault's note."""
    parts: list[str] = []
    for statement in tree.body:
        for node in statement.nodes:
            if isinstance(node, nodes.TemplateData):
                parts.append(node.data)
            elif isinstance(node, nodes.Const):
                parts.append(str(node.value))
            else:
                assert node.node.name in macros
                try:
                    args = [literal(arg) for arg in node.args]
                    kwargs = {keyword.key: literal(keyword.value) for keyword in node.kwargs}
                    parts.append(str(functions[node.node.name](*args, **kwargs)))
                except Exception as error:
                    if is_editor_mistake(error, node.node.name):
                        raise CallFailed(node.lineno, error) from None
                    error.add_note(f"{where}:{node.lineno + offset}: raised in the call of {node.node.name}() "
                                   "(a fault in the handbook's code, not a mistake in the page)")
                    raise
    return "".join(parts)


SAFE_PLUGIN_SETTINGS = {
    "render_by_default": False, "force_render_paths": "", "include_dir": "", "include_yaml": [], "modules": [],
    "j2_extensions": [], "j2_block_start_string": "", "j2_block_end_string": "", "j2_variable_start_string": "",
    "j2_variable_end_string": "", "j2_comment_start_string": "", "j2_comment_end_string": "",
}
"""mkdocs-macros settings that keep it from rendering anything itself: pages opt in and are
rendered here; no folder of includes, no extra modules, YAML files or Jinja extensions."""


def unsafe_plugin_settings(settings: dict) -> list[str]:
    """The mkdocs-macros settings in mkdocs.yml that differ from SAFE_PLUGIN_SETTINGS."""
    return [f"{key}: {settings.get(key)!r}" for key, safe in SAFE_PLUGIN_SETTINGS.items()
            if (settings.get(key) or type(safe)()) != safe]
