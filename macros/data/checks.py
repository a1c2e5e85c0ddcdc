"""The checks across entries and pages, one small function each, all reporting to a Collector.

Each runs after every file has been read, so an id that exists but is broken is reported once,
where it is written, and not again by every entry that points to it.
"""

from __future__ import annotations

import difflib
from pathlib import Path
from typing import Any

from .models import PageMeta
from .reading import DATA_LAYOUT_TIP, Collector, line_of, read_front_matter
from .registry import DATA_FILES, ENTRY_KINDS

Entries = dict[str, tuple[Any, Path, Any]]
"""Entries read from their files: id -> (validated entry, file, YAML node)."""

REFERENCE_IDS_WHERE = "data/references/*.yml (the 'id:' lines)"


def suggest(wrong: str, known, where: str) -> str:
    """A tip for an id that does not exist: the closest existing one, if any."""
    close = difflib.get_close_matches(wrong, list(known), n=1)
    if close:
        return f"did you mean '{close[0]}'? Ids are the file names in {where}"
    return f"use the id of an existing entry (its file name in {where}) or add that entry"


def check_reference_ids(col: Collector, path: Path, node: Any, label: str, ref_ids, known: set[str]) -> None:
    """Every reference an entry lists exists."""
    for index, ref_id in enumerate(ref_ids):
        if ref_id not in known:
            col.add(path, line_of(node, ("references", index)), f"{label}.references[{index}]",
                    f"there is no reference with id '{ref_id}'", suggest(ref_id, known, REFERENCE_IDS_WHERE))


def check_condition_ids(col: Collector, procedures: Entries, conditions: Entries, data: Path) -> None:
    """Every condition a procedure is used for exists."""
    known = {path.stem for path in ENTRY_KINDS["condition"].paths(data)}
    for procedure_id, (procedure, path, node) in procedures.items():
        for index, link in enumerate(procedure.conditions):
            if link.condition not in known:
                col.add(path, line_of(node, ("conditions", index, "condition")),
                        f"procedures.{procedure_id}.conditions[{index}].condition",
                        f"there is no condition with id '{link.condition}'",
                        suggest(link.condition, conditions, "data/conditions/"))


def check_no_stray_files(col: Collector, data: Path) -> None:
    """data/ holds the registry's files and folders, and nothing else; each folder holds only .yml
    files, so no file is silently left unread."""
    files = {data_file.file_name for data_file in DATA_FILES if data_file.file_name}
    folders = {data_file.folder for data_file in DATA_FILES if data_file.folder}
    for path in sorted(data.glob("*")):
        if path.suffix == ".yml" and path.is_dir():
            col.add(path, 1, "", "this is a folder with a .yml name", DATA_LAYOUT_TIP)
        elif path.suffix == ".yaml" and f"{path.stem}.yml" in files:
            twin = data / f"{path.stem}.yml"
            col.add(path, 1, "", f"'{path.name}' is not read",
                    f"merge it into {twin.name}, then delete it" if twin.exists()
                    else f"rename it {twin.name}: data files end in .yml")
        elif path.suffix in (".yml", ".yaml") and path.name not in files:
            col.add(path, 1, "", f"'{path.name}' is not a known data file", DATA_LAYOUT_TIP)
        elif (path.suffix != ".yml" and path.name not in folders | {"README.md", "schema"}
              and not path.name.startswith(".")):
            col.add(path, 1, "", "this file is not part of the handbook data", DATA_LAYOUT_TIP)
    for folder in sorted(folders):
        for path in sorted((data / folder).glob("*")):
            if (path.is_file() and path.suffix == ".yml") or path.name.startswith("."):
                continue  # a data file, or a hidden one (.gitkeep, an editor's swap file), as in data/ itself
            tip = (f"rename it {path.stem}.yml: data files end in .yml" if path.suffix == ".yaml"
                   else f"data/{folder}/ holds only .yml files: move or delete this one")
            col.add(path, 1, "", "a folder, not a .yml file" if path.is_dir() else "not a .yml file", tip)


def check_entries_have_pages(col: Collector, docs: Path, data: Path, entries_by_kind: dict[str, Entries]) -> None:
    """Every procedure and condition has its page, and every page in their folders has its entry."""
    for kind, data_file in ENTRY_KINDS.items():
        folder = data_file.folder
        page_ids = {p.stem for p in (docs / folder).glob("*.md") if p.name != "index.md"}
        data_ids = {p.stem for p in data_file.paths(data)}
        for entry_id, (_, path, _) in entries_by_kind[folder].items():
            if entry_id not in page_ids:
                col.add(path, 1, f"{folder}.{entry_id}", f"there is no page docs/{folder}/{entry_id}.md for this entry",
                        f"create the page (make new-{kind} does it) or rename this file to match its page")
        for page_id in sorted(page_ids - data_ids):
            col.add(docs / folder / f"{page_id}.md", 1, "", f"this page has no data entry data/{folder}/{page_id}.yml",
                    f"add the data entry (make new-{kind} creates both) or move the page elsewhere")


def check_front_matter(col: Collector, docs: Path, data: Path, known_refs: set[str]) -> dict[str, PageMeta]:
    """Every page's front matter is valid; pages of entries leave their review and references to the data."""
    pages: dict[str, PageMeta] = {}
    for path in sorted(docs.rglob("*.md")):
        rel = path.relative_to(docs).as_posix()
        node, _, has_block = read_front_matter(col, path)
        if not has_block:
            col.add(path, 1, "", "the page has no front matter",
                    "start the page with lines '---', 'description: ...', '---'")
        if node is None:
            continue
        meta = col.validate(PageMeta, node, path, "front matter", line_offset=1)
        if meta is None:
            continue
        for index, ref_id in enumerate(meta.references):
            if ref_id not in known_refs:
                col.add(path, line_of(node, ("references", index)) + 1, f"front matter.references[{index}]",
                        f"there is no reference with id '{ref_id}'", suggest(ref_id, known_refs, REFERENCE_IDS_WHERE))
        folder, _, name = rel.removesuffix(".md").partition("/")
        has_entry = any(folder == data_file.folder for data_file in ENTRY_KINDS.values()) \
            and (data / folder / f"{name}.yml").is_file()
        if has_entry and (meta.review is not None or meta.references):
            col.add(path, line_of(node, ("review" if meta.review else "references",)) + 1, "front matter.review",
                    "this page's review record and references are kept in its data file",
                    f"remove them here and update data/{folder}/{name}.yml instead")
        elif not has_entry and meta.review is None:
            col.add(path, 2, "front matter", "'review' is missing",
                    "add 'review:' with 'last_reviewed:' and 'next_review_due:' dates (YYYY-MM-DD)")
        pages[rel] = meta
    return pages
