"""Reading the data's YAML and checking it against the models, with every problem's file and line.

Two readers: libyaml first (fast, no line numbers), and ruamel.yaml's round-trip reader when
anything is wrong, which gives every problem its line. A Collector gathers the problems;
nothing here stops at the first one.
"""

from __future__ import annotations

import functools
import os
import re
import typing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml as pyyaml
from pydantic import BaseModel, ValidationError
from ruamel.yaml import YAML
from ruamel.yaml import resolver as ruamel_resolver
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.composer import Composer, ComposerError
from ruamel.yaml.constructor import ConstructorError, RoundTripConstructor
from ruamel.yaml.error import MarkedYAMLError
from ruamel.yaml.events import AliasEvent

from ..problems import Problem, clip
from .registry import DOCUMENTED_MODELS

DATA_LAYOUT_TIP = (
    "data/ holds references/*.yml, procedures/<id>.yml, conditions/<id>.yml, "
    "conservative-care.yml, care-approaches.yml and glossary.yml; see CONTRIBUTING.md"
)
LINK_TIP = "replace the link by the real file (git rm the link, then add the file itself)"


class _DatesAsText(RoundTripConstructor):
    """Keep dates as text so pydantic can report an impossible date with its line."""


    def construct_yaml_int(self, node):
        try:
            return super().construct_yaml_int(node)
        except ValueError:  # Python refuses to read integers of more than 4,300 digits
            raise ConstructorError(None, None, "this number is far too long", node.start_mark) from None


_DatesAsText.add_constructor(
    "tag:yaml.org,2002:timestamp", RoundTripConstructor.construct_yaml_str
)
_DatesAsText.add_constructor("tag:yaml.org,2002:int", _DatesAsText.construct_yaml_int)


class _NoAliases(Composer):
    """Refuse YAML anchors (&name) and aliases (*name): the handbook needs none, and a few
    nested aliases make a small file expand into billions of values (an "alias bomb")."""

    def compose_node(self, parent: Any, index: Any) -> Any:
        event = self.parser.peek_event()
        if isinstance(event, AliasEvent) or getattr(event, "anchor", None) is not None:
            raise ComposerError(None, None, ANCHOR_MESSAGE, event.start_mark)
        return super().compose_node(parent, index)


ANCHOR_MESSAGE = "YAML anchors and aliases (&name, *name) are not used in handbook data"
MAX_DEPTH = 12
"""Deepest nesting of lists and groups a data file may have (the handbook needs 4)."""
MAX_FILE_BYTES = 1_000_000
"""Largest data file or page (the biggest today is about 20 kB)."""
BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")
"""Characters that reorder how text is displayed ("Trojan Source"); left-to-right and
right-to-left marks (U+200E, U+200F) only hint direction and stay allowed."""


def round_trip_yaml() -> YAML:
    yaml = YAML(typ="rt")
    yaml.Constructor = _DatesAsText
    yaml.Composer = _NoAliases
    yaml.max_depth = MAX_DEPTH
    return yaml


_TAG = re.compile(r"(?:^|[\s\[{,])!(?:[!<\w]|\s|$)", re.M)
# What the quick reader leaves to ruamel.yaml, which checks it with line numbers: anything that
# may be an anchor or alias, and nested brackets (libyaml has no depth limit).
_MAYBE_ANCHOR = re.compile(r"(?:^|[\s\[{,:-])[&*][^\s,\[\]{}]", re.M)
_NESTED_FLOW = re.compile(r"[\[{][^\]}]*[\[{]")
_COMMENT_LINES = re.compile(r"^[ \t]*#.*$", re.M)


class NeedsLines(Exception):
    """The quick reading met a problem: read everything again, with line numbers."""


class QuickLoader(getattr(pyyaml, "CSafeLoader", pyyaml.SafeLoader)):
    """libyaml (about 20 times faster than ruamel.yaml's round-trip reader) with the same
    YAML 1.2 rules as ruamel.yaml, and dates kept as text. It knows no line numbers, so
    the first problem it meets (a duplicate key included) sends the whole load back to
    ruamel.yaml, which reports every problem with its line."""

    yaml_implicit_resolvers: dict = {}

    def construct_mapping(self, node, deep=False):
        keys = [key.value for key, _ in node.value if isinstance(key, pyyaml.ScalarNode)]
        if len(keys) != len(set(keys)):
            raise NeedsLines
        return super().construct_mapping(node, deep)

    def construct_yaml_int(self, node):
        text = self.construct_scalar(node).replace("_", "")
        sign, digits = (-1, text[1:]) if text[0] == "-" else (1, text.lstrip("+"))
        base = {"0b": 2, "0o": 8, "0x": 16}.get(digits[:2], 10)
        return sign * int(digits[2:] if base != 10 else digits, base)


for _versions, _tag, _pattern, _first in ruamel_resolver.implicit_resolvers:
    if (1, 2) in _versions:
        QuickLoader.add_implicit_resolver(_tag, _pattern, _first)
QuickLoader.add_constructor("tag:yaml.org,2002:int", QuickLoader.construct_yaml_int)
QuickLoader.add_constructor("tag:yaml.org,2002:timestamp", QuickLoader.construct_yaml_str)


# --------------------------------------------------------------------------
# Turning pydantic errors into editor-friendly problems
# --------------------------------------------------------------------------


def line_of(node: Any, loc: tuple) -> int:
    """1-based line of the deepest part of `loc` that exists in the YAML tree."""
    line = getattr(getattr(node, "lc", None), "line", 0) + 1
    for part in loc:
        if isinstance(node, CommentedMap) and isinstance(part, str) and part in node:
            line = node.lc.key(part)[0] + 1
            node = node[part]
        elif isinstance(node, CommentedSeq) and isinstance(part, int) and part < len(node):
            line = node.lc.item(part)[0] + 1
            node = node[part]
        elif isinstance(part, str) and part not in getattr(node, "keys", lambda: ())():
            # A union branch or validator name in pydantic's loc: skip it.
            continue
    return line


def id_line(path: Path, ref_id: str) -> int:
    """Line of '- id: <ref_id>' in a file, for the quick reader that keeps no line numbers."""
    pattern = re.compile(rf"^-\s+id:\s*['\"]?{re.escape(ref_id)}['\"]?\s*$")
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if pattern.match(line):
            return number
    return 1


def item_line(node: Any, index: int) -> int:
    """1-based line of a list item (0 from the quick reader, whose lines are never shown)."""
    return node.lc.item(index)[0] + 1 if hasattr(node, "lc") else 0


def _inner_model(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in typing.get_args(annotation):
        found = _inner_model(arg)
        if found:
            return found
    return None


def _model_at(model: type[BaseModel] | None, loc: tuple) -> type[BaseModel] | None:
    for part in loc:
        if model is None:
            return None
        if isinstance(part, str) and part in model.model_fields:
            model = _inner_model(model.model_fields[part].annotation)
    return model


PATTERN_TIPS = {
    "doi": "write the DOI alone, e.g. 10.1136/bmj.l6273 (no https://doi.org/ in front)",
    "pmid": "write the PubMed id as digits in quotes, e.g. '25668411'",
    "url": "write the full address starting with https://",
}


class _ShortRepr:
    """A value whose repr is cut short (a message never prints a whole huge value)."""

    def __init__(self, value: Any):
        self.value = value

    def __repr__(self) -> str:
        return clip(repr(self.value), 80)

    __str__ = __repr__


def _describe(error: dict, model: type[BaseModel]) -> tuple[str, str]:
    """(message, tip) in an editor's words for one pydantic error."""
    kind = error["type"]
    loc = tuple(error["loc"])
    name = next((p for p in reversed(loc) if isinstance(p, str) and p in _all_fields()), "value")
    value = _ShortRepr(error.get("input"))
    ctx = error.get("ctx", {})
    if kind == "missing":
        return f"'{name}' is missing", f"add a line '{name}: ...'; the Data reference page says what it holds"
    if kind == "extra_forbidden":
        parent = _model_at(model, loc[:-1])
        allowed = ", ".join(parent.model_fields) if parent else "see the Data reference page"
        return (
            f"'{loc[-1]}' is not a known field",
            f"check its spelling or remove it; fields allowed here: {allowed}",
        )
    if kind in ("literal_error", "enum"):
        return f"{value!r} is not an allowed value for '{name}'", f"use one of: {ctx.get('expected')}"
    if kind.startswith("date"):
        return f"{value!r} is not a real date", "write dates as YYYY-MM-DD, e.g. 2026-11-22"
    if kind == "string_type" and isinstance(value.value, dict):
        return (
            f"'{name}' should be text, but a colon followed by a space made it read as 'name: value'",
            "put the whole text in quotes, or write it without ': ' (for example 'aged over 50, ...')",
        )
    if kind == "string_type":
        return (
            f"'{name}' should be text, not {type(value.value).__name__} {value!r}",
            "write it as text; put it in quotes if it looks like a number, date or yes/no",
        )
    if kind == "string_too_short":
        return f"'{name}' is empty", "write a value, or remove the line if the field is optional"
    if kind == "string_pattern_mismatch":
        if name in PATTERN_TIPS:
            return f"{value!r} is not a valid {name}", PATTERN_TIPS[name]
        return f"{value!r} is not a valid id", "ids use lower-case letters, digits and hyphens, e.g. nice-ng59"
    if kind == "list_type":
        return f"'{name}' should be a list", "write each item on its own line, starting with '- '"
    if kind == "too_short":
        return (
            f"'{name}' needs at least {ctx.get('min_length')} item(s)",
            "add items, each on its own line starting with '- '",
        )
    if kind in ("model_type", "dict_type", "model_attributes_type"):
        return f"'{name}' should be a group of fields", "indent its fields under it, one 'field: value' per line"
    if kind.startswith("int") or kind == "greater_than_equal" or kind == "less_than_equal":
        return f"'{name}' should be a whole number such as a year, not {value!r}", "write digits only, e.g. 2021"
    if kind.startswith("bool"):
        return f"'{name}' should be true or false, not {value!r}", "write true or false"
    if kind == "value_error":
        return clip(str(ctx.get("error", error["msg"]))), "correct the value as described"
    return clip(error["msg"]), "see the Data reference page for what this field takes"


@functools.cache
def _all_fields() -> frozenset[str]:
    """Every field name of every model, so a message names the field, not a list index."""
    return frozenset(name for model in DOCUMENTED_MODELS for name in model.model_fields)


def _display_path(prefix: str, loc: tuple) -> str:
    text = prefix
    for index, part in enumerate(loc):
        if isinstance(part, int):
            text += f"[{part}]"
        elif part in _all_fields() or index == len(loc) - 1:
            text += f".{part}" if text else part
    return text


# --------------------------------------------------------------------------
# Reading files
# --------------------------------------------------------------------------


@dataclass
class Collector:
    root: Path
    quick: bool = False
    """Read with the quick reader and stop at the first problem (raising NeedsLines)."""
    problems: list[Problem] = field(default_factory=list)

    def rel(self, path: Path) -> str:
        try:
            return path.relative_to(self.root).as_posix()
        except ValueError:
            return path.as_posix()

    def add(self, path: Path, line: int, where: str, message: str, tip: str) -> None:
        if self.quick:
            raise NeedsLines
        self.problems.append(Problem(self.rel(path), line, clip(where, 120), clip(message), clip(tip, 600)))

    def read_yaml(self, path: Path, text: str | None = None, first_line: int = 1) -> Any:
        """Parse YAML; on a syntax error record a problem and return None."""
        if text is None:
            if path.is_symlink():
                return None  # reported by refuse_links; never read what it points to
            if not self.small_enough(path):
                return None
            try:
                text = path.read_text(encoding="utf-8")
            except UnicodeDecodeError as error:
                self.add(path, 1, "", f"the file is not UTF-8 text ({error.reason})", "save it as UTF-8")
                return None
            except OSError as error:
                self.add(path, 1, "", f"the file cannot be read ({error.strerror})", DATA_LAYOUT_TIP)
                return None
        self.refuse_bidi(path, text, first_line)
        if self.quick:
            # ruamel.yaml keeps explicit tags (!!str ...), and it refuses some tabs that libyaml
            # lets pass: let it decide.
            if "\t" in text or _TAG.search(text) or _MAYBE_ANCHOR.search(text) or \
                    _NESTED_FLOW.search(_COMMENT_LINES.sub("", text)):
                raise NeedsLines
            try:
                node = pyyaml.load(text, Loader=QuickLoader)  # noqa: S506 - a safe loader
            except (pyyaml.YAMLError, ValueError, TypeError):
                raise NeedsLines from None
            if node is None:
                raise NeedsLines
            return node
        try:
            node = round_trip_yaml().load(text)
        except MarkedYAMLError as error:
            mark = error.problem_mark or error.context_mark
            line = (mark.line + first_line) if mark else first_line
            detail = clip(" ".join(str(error.problem or error).split()), 200)
            tip = "check indentation, colons and quotes on this line and the one above"
            if "duplicate key" in detail:
                tip = "a field is written twice in the same place: keep one"
            elif detail == ANCHOR_MESSAGE:
                self.add(path, line, "", detail, "write the value out in full where it is needed")
                return None
            elif "maximum depth" in detail:
                self.add(path, line, "", f"lists and groups are nested more than {MAX_DEPTH} deep here",
                         "check the brackets and indentation; handbook data nests at most a few levels")
                return None
            self.add(path, line, "", f"YAML syntax error: {detail}", tip)
            return None
        if node is None:
            self.add(path, first_line, "", "the file is empty", DATA_LAYOUT_TIP)
        return node

    def small_enough(self, path: Path) -> bool:
        try:
            size = path.stat().st_size
        except OSError:
            return True  # reading it reports the problem
        if size > MAX_FILE_BYTES:
            self.add(path, 1, "", f"the file is {size:,} bytes; at most {MAX_FILE_BYTES:,} are allowed",
                     "split it into smaller files, or check that it is the file you meant to add")
            return False
        return True

    def refuse_bidi(self, path: Path, text: str, first_line: int = 1) -> None:
        for match in BIDI_CONTROLS.finditer(text):
            line = text.count("\n", 0, match.start()) + first_line
            self.add(path, line, "", f"an invisible character that reorders text (U+{ord(match.group()):04X}) "
                     "is written here", "delete it (it can make text display differently from how it reads)")

    def refuse_links(self, folder: Path) -> None:
        """Every symbolic link under `folder` is a problem: the build must never follow one
        (a link to /proc/self/environ or ~/.ssh would publish the build machine)."""
        if folder.is_symlink():
            self.add(folder, 1, "", "this folder is a symbolic link", LINK_TIP)
            return
        for current, folders, files in os.walk(folder):
            for name in sorted(folders + files):
                path = Path(current) / name
                if path.is_symlink():
                    self.add(path, 1, "", "this is a symbolic link; the handbook does not follow links", LINK_TIP)

    def validate(self, model: type[BaseModel], node: Any, path: Path, prefix: str, line_offset: int = 0,
                 item_line: int | None = None):
        """Validate one entry; `item_line` is where it starts when it is an item of a list."""
        try:
            return model.model_validate(node)
        except ValidationError as errors:
            for error in errors.errors():
                loc = tuple(error["loc"])
                message, tip = _describe(error, model)
                line = line_of(node, loc) if hasattr(node, "lc") or item_line is None else item_line
                self.add(path, line + line_offset, _display_path(prefix, loc), message, tip)
            return None


def read_front_matter(collector: Collector, path: Path) -> tuple[Any, str, bool]:
    """(front matter node or None, body, whether the page has a front matter block)."""
    if path.is_symlink() or not collector.small_enough(path):
        return None, "", True
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        collector.add(path, 1, "", f"the file is not UTF-8 text ({error.reason})", "save it as UTF-8")
        return None, "", True
    match = re.match(r"\A---[ \t]*\n(.*?)^---[ \t]*$\n?", text, re.S | re.M)
    if not match:
        collector.refuse_bidi(path, text)
        return None, text, False
    collector.refuse_bidi(path, text[match.end(1):], first_line=1 + text.count("\n", 0, match.end(1)))
    node = collector.read_yaml(path, match.group(1) or "{}", first_line=2)
    if node is not None and not isinstance(node, dict):
        collector.add(path, 2, "", "the front matter should be 'field: value' lines", "see CONTRIBUTING.md")
        node = None
    return node, text[match.end():], True


