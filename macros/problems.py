"""The one shape of a problem an editor has to fix: file, line, what, and how to fix it.

Data, front matter, pages and build output all report problems this way; they are
printed, and annotated on a pull request, by the functions here.
"""

from __future__ import annotations

from dataclasses import dataclass


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


class DataError(Exception):
    """The handbook data or pages have problems; `problems` lists every one."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(set(problems))
        count = len(self.problems)
        heading = f"{count} problem{'s' if count != 1 else ''} in the handbook data and pages:"
        super().__init__("\n".join([heading, *(f"  {p}" for p in self.problems)]))


def github_annotation(path: str, line: int, text: str, title: str = "Handbook data") -> str:
    """A GitHub Actions workflow command that puts a message on a file and line of the pull request."""
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return f"::error file={path},line={line},title={title}::{text}"


def problem_annotation(problem, title: str = "Handbook data") -> str:
    """The annotation of one data problem."""
    text = f"{problem.path + ': ' if problem.path else ''}{problem.message}. Tip: {problem.tip}"
    return github_annotation(problem.file, problem.line, text, title)
