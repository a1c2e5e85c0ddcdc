"""Create a new procedure or condition: its data file and its page, from the templates.

    python -m tools.new_entry procedure "Genicular nerve block"
    python -m tools.new_entry condition "Plantar fasciitis"

Refuses to overwrite anything. Adds the page to the navigation in mkdocs.yml.
"""

from __future__ import annotations

import argparse
import re
import sys
from datetime import date
from pathlib import Path

from macros.data.registry import ENTRY_KINDS
from tools import ROOT

TEMPLATES = Path(__file__).resolve().parent / "templates"


def slugify(name: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
    if not slug:
        raise SystemExit(f"'{name}' has no letters or digits to make a file name from")
    return slug


def add_to_nav(root: Path, folder: str, entry_id: str) -> bool:
    """Insert the page after the last page of its folder in mkdocs.yml's nav."""
    config = root / "mkdocs.yml"
    lines = config.read_text(encoding="utf-8").splitlines(keepends=True)
    last = max((i for i, line in enumerate(lines) if re.match(rf"\s*- {folder}/[\w-]+\.md\s*$", line)), default=None)
    if last is None:
        return False
    indent = lines[last][: len(lines[last]) - len(lines[last].lstrip())]
    lines.insert(last + 1, f"{indent}- {folder}/{entry_id}.md\n")
    config.write_text("".join(lines), encoding="utf-8")
    return True


def create(root: Path, kind: str, name: str, today: date) -> list[Path]:
    entry_id = slugify(name)
    folder = ENTRY_KINDS[kind].folder
    data = root / "data" / folder / f"{entry_id}.yml"
    page = root / "docs" / folder / f"{entry_id}.md"
    existing = [p for p in (data, page) if p.exists()]
    if existing:
        raise SystemExit("Not created: " + ", ".join(str(p.relative_to(root)) for p in existing)
                         + " already exists. Choose another name or edit the existing files.")
    values = {"name": name.strip(), "today": today.isoformat(),
              "next_year": today.replace(year=today.year + 1).isoformat() if not (today.month == 2 and today.day == 29)
              else date(today.year + 1, 3, 1).isoformat()}
    data.write_text((TEMPLATES / f"{kind}.yml").read_text().format(**values), encoding="utf-8")
    page.write_text((TEMPLATES / f"{kind}.md").read_text().format(**values), encoding="utf-8")
    add_to_nav(root, folder, entry_id)
    return [data, page]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("kind", choices=sorted(ENTRY_KINDS))
    parser.add_argument("name", help="the name readers know it by")
    parser.add_argument("--project", type=Path, default=ROOT)
    args = parser.parse_args(argv)
    if not args.name.strip():
        raise SystemExit('Give a name: make new-procedure NAME="Genicular nerve block"')
    created = create(args.project.resolve(), args.kind, args.name, date.today())
    for path in created:
        print(f"Created {path.relative_to(args.project.resolve())}")
    print("Next: replace every TODO (make check lists what is still missing), and move the page "
          "to the right group in mkdocs.yml's nav if needed.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
