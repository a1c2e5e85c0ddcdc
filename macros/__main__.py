"""Command line: check the handbook data without building the site.

    python -m macros lint            every problem, one per line
    python -m macros lint --github   also as GitHub annotations on the pull request
    python -m macros schema          write data/schema/*.schema.json from the models
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from .loading import DataError, load_handbook
from .schema import schema_comment, write_schemas


def github_annotation(problem) -> str:
    """A GitHub Actions workflow command that puts the problem on its file and line."""
    text = f"{problem.path + ': ' if problem.path else ''}{problem.message}. Tip: {problem.tip}"
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return f"::error file={problem.file},line={problem.line},title=Handbook data::{text}"


def lint(project_dir: Path, github: bool) -> int:
    try:
        handbook = load_handbook(project_dir)
    except DataError as error:
        print(error, file=sys.stderr)
        if github:
            for problem in error.problems:
                print(github_annotation(problem))
        return 1
    print(
        f"Data OK: {len(handbook.procedures)} procedures, {len(handbook.conditions)} conditions, "
        f"{len(handbook.references)} references, {len(handbook.glossary)} glossary terms, "
        f"{len(handbook.pages)} pages."
    )
    return 0


def export_schemas(project_dir: Path) -> int:
    data = project_dir / "data"
    for path in write_schemas(data / "schema"):
        print(f"Wrote {path.relative_to(project_dir)}")
    for path in sorted(data.rglob("*.yml")):
        comment = schema_comment(data, path)
        text = path.read_text(encoding="utf-8")
        if comment and not text.startswith(comment):
            lines = text.splitlines(keepends=True)
            if lines and lines[0].startswith("# yaml-language-server:"):
                lines = lines[1:]
            path.write_text(comment + "\n" + "".join(lines), encoding="utf-8")
            print(f"Linked {path.relative_to(project_dir)} to its schema")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m macros", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    lint_parser = sub.add_parser("lint", help="check data/ and page front matter")
    lint_parser.add_argument("--project", type=Path, default=Path.cwd(), help="project folder")
    lint_parser.add_argument("--github", action="store_true",
                             default=os.environ.get("GITHUB_ACTIONS") == "true",
                             help="also print GitHub annotations (default on in GitHub Actions)")
    schema_parser = sub.add_parser("schema", help="write data/schema/*.schema.json and link every data file to it")
    schema_parser.add_argument("--project", type=Path, default=Path.cwd(), help="project folder")
    args = parser.parse_args(argv)
    if args.command == "lint":
        return lint(args.project, args.github)
    if args.command == "schema":
        return export_schemas(args.project)
    return 2


if __name__ == "__main__":
    sys.exit(main())
