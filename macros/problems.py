"""The one shape of a problem an editor has to fix: file, line, what, and how to fix it.

Data, front matter, pages and build output all report problems this way; they are
printed, and annotated on a pull request, by the functions here.
"""

from __future__ import annotations

import os
import re
import sys
from dataclasses import dataclass
from typing import TextIO

_LINE = re.compile(r"^(?P<file>[^\s:][^:]*?):(?P<line>\d+)  (?P<text>.*?)(?:  Tip: (?P<tip>.*))?$")


def clip(text: str, limit: int = 300) -> str:
    """`text` cut to `limit` characters, so no message repeats an unbounded value."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


@dataclass(frozen=True, order=True)
class Problem:
    """One thing an editor has to fix."""

    file: str
    line: int
    path: str
    message: str
    tip: str

    def __str__(self) -> str:
        where = f"{self.path}: " if self.path else ""
        return f"{self.file}:{self.line}  {where}{self.message}  Tip: {self.tip}"

    @classmethod
    def parse(cls, text: str) -> Problem | None:
        """The problem a line of output states as 'file:line  message  Tip: tip', or None."""
        match = _LINE.match(text.strip())
        if match is None:
            return None
        return cls(match["file"], int(match["line"]), "", match["text"], match["tip"] or "")


class DataError(Exception):
    """The handbook data or pages have problems; `problems` lists every one."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(set(problems))
        super().__init__(format_problems(self.problems))


def format_problems(problems: list[Problem], where: str = "in the handbook data and pages") -> str:
    """'N problems in ...:' and one indented line per problem."""
    count = len(problems)
    heading = f"{count} problem{'s' if count != 1 else ''} {where}:"
    return "\n".join([heading, *(f"  {p}" for p in problems)])


def github_annotation(path: str, line: int, text: str, title: str = "Handbook data") -> str:
    """A GitHub Actions workflow command that puts a message on a file and line of the pull request."""
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return f"::error file={path},line={line},title={title}::{text}"


def problem_annotation(problem: Problem, title: str = "Handbook data") -> str:
    """The annotation of one problem."""
    tip = f". Tip: {problem.tip}" if problem.tip else ""
    text = f"{problem.path + ': ' if problem.path else ''}{problem.message}{tip}"
    return github_annotation(problem.file, problem.line, text, title)


def in_github_actions() -> bool:
    return os.environ.get("GITHUB_ACTIONS") == "true"


def report(problems: list[Problem], title: str, where: str = "in the handbook data and pages",
           annotate: bool | None = None, stream: TextIO | None = None) -> None:
    """Print the problems for a person; in GitHub Actions (or when `annotate`), also as annotations
    that put each one on its file and line of the pull request."""
    print(format_problems(problems, where), file=stream or sys.stderr)
    annotate_on_pull_request(problems, title, annotate)


def annotate_on_pull_request(problems: list[Problem], title: str, annotate: bool | None = None) -> None:
    """The problems as annotations on their file and line of the pull request: in GitHub Actions, or
    when `annotate`. For problems a person has already read in the tool's own output (MkDocs', say)."""
    if problems and (in_github_actions() if annotate is None else annotate):
        print("\n".join(problem_annotation(problem, title) for problem in problems))
