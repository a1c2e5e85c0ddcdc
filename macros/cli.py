"""Command line: check the handbook data without building the site.

    python -m macros lint            every problem, one per line
    python -m macros lint --github   also as GitHub annotations on the pull request
    python -m macros schema          write data/schema/*.schema.json from the models
    python -m macros review-report   every page by next review date, overdue first,
                                     then every reference never checked against its source
    python -m macros macro-table     the table of macros that CONTRIBUTING.md shows
"""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path

from .data import DataError, load_handbook
from .data.schema import schema_comment, write_schemas
from .problems import in_github_actions, report


def lint(project_dir: Path, github: bool) -> int:
    try:
        handbook = load_handbook(project_dir)
    except DataError as error:
        report(error.problems, "Handbook data", annotate=github)
        return 1
    print(
        f"Data OK: {len(handbook.procedures)} procedures, {len(handbook.conditions)} conditions, "
        f"{len(handbook.references)} references, {len(handbook.glossary)} glossary terms, "
        f"{len(handbook.pages)} pages."
    )
    return 0


DUE_SOON_DAYS = 90


def review_report(project_dir: Path, today: date) -> int:
    """Print every page's review record, soonest due first; exit 1 if any is overdue."""
    try:
        handbook = load_handbook(project_dir)
    except DataError as error:
        report(error.problems, "Handbook data")
        return 1
    rows = []
    for src in handbook.pages:
        review = handbook.review_for_page(src)
        days = (review.next_review_due - today).days
        status = "OVERDUE" if days < 0 else "due soon" if days <= DUE_SOON_DAYS else "current"
        where = handbook.review_file(src)
        rows.append((review.next_review_due, status, review.last_reviewed, where))
    rows.sort()
    print(f"Review report, {today.isoformat()} ({len(rows)} pages; 'due soon' = within {DUE_SOON_DAYS} days)\n")
    print(f"{'Next review':12} {'Status':9} {'Last reviewed':14} Where the review date is kept")
    for due, status, last, where in rows:
        print(f"{due.isoformat():12} {status:9} {last.isoformat():14} {where}")
    overdue = sum(1 for row in rows if row[1] == "OVERDUE")
    soon = sum(1 for row in rows if row[1] == "due soon")
    print(f"\n{overdue} overdue, {soon} due soon, {len(rows) - overdue - soon} current.")
    print_unchecked_references(handbook)
    return 1 if overdue else 0


def print_unchecked_references(handbook) -> None:
    """References with no 'checked:' record: nobody has recorded reading them against the text."""
    unchecked = sorted((handbook.sources[f"references/{ref_id}"], ref_id)
                       for ref_id, ref in handbook.references.items() if ref.checked is None)
    print(f"\nReferences never checked ({len(unchecked)} of {len(handbook.references)}); "
          "add 'checked: {date: YYYY-MM-DD, read: abstract}' once you have read the source:")
    for where, ref_id in unchecked:
        print(f"  {where:48} {ref_id}")
    print(f"\n{len(unchecked)} references never checked.")


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
                             default=in_github_actions(),
                             help="also print GitHub annotations (default on in GitHub Actions)")
    schema_parser = sub.add_parser("schema", help="write data/schema/*.schema.json and link every data file to it")
    schema_parser.add_argument("--project", type=Path, default=Path.cwd(), help="project folder")
    review_parser = sub.add_parser("review-report", help="list pages by next review date")
    review_parser.add_argument("--project", type=Path, default=Path.cwd(), help="project folder")
    review_parser.add_argument("--today", type=date.fromisoformat, default=date.today(),
                               help="date to compare against, YYYY-MM-DD (default: today)")
    sub.add_parser("macro-table", help="print the table of macros that CONTRIBUTING.md shows")
    args = parser.parse_args(argv)
    if args.command == "lint":
        return lint(args.project, args.github)
    if args.command == "schema":
        return export_schemas(args.project)
    if args.command == "review-report":
        return review_report(args.project, args.today)
    if args.command == "macro-table":
        from .page_macros import macro_table

        print(macro_table(), end="")
        return 0
    return 2
