"""Load the handbook data and page front matter, validate it, report every problem.

The data lives in `data/` (macros/data/registry.py lists every kind of file):

    data/references/*.yml     lists of references (any number of files)
    data/procedures/<id>.yml  one procedure; <id> is also its page, docs/procedures/<id>.md
    data/conditions/<id>.yml  one condition; its page is docs/conditions/<id>.md
    data/conservative-care.yml  the "conservative care / no procedure" option
    data/care-approaches.yml  conventional and interventional care side by side
    data/glossary.yml         terms, abbreviations and their definitions

Nothing here stops at the first problem: every problem is collected with its
file and line and reported together in one DataError.
"""

from __future__ import annotations

import re
from pathlib import Path
from types import MappingProxyType
from typing import Any

from ..problems import DataError
from . import checks
from .checks import Entries
from .handbook import Handbook
from .models import ID_PATTERN, GlossaryEntry, Reference
from .reading import DATA_LAYOUT_TIP, Collector, NeedsLines, id_line, item_line
from .registry import ENTRY_KINDS, DataFile, data_file


def load_handbook(project_dir: Path | str, docs_dir: Path | str | None = None) -> Handbook:
    """Read and validate everything under data/ and every page's front matter.

    Raises DataError listing every problem found.
    """
    root = Path(project_dir).resolve()
    docs = Path(docs_dir).resolve() if docs_dir else root / "docs"
    try:
        return _load(Collector(root, quick=True), docs)
    except NeedsLines:
        return _load(Collector(root), docs)


def _load(col: Collector, docs: Path) -> Handbook:
    data = col.root / "data"
    for folder in (docs, data, col.root / "overrides"):
        col.refuse_links(folder)
    _check_static_files(col, docs)

    references, reference_lines, known_refs = _read_references(col, data)
    entries = {kind.folder: _read_entries(col, data, kind) for kind in ENTRY_KINDS.values()}
    care = _read_group(col, data, data_file("conservative-care"), known_refs)
    approaches = _read_group(col, data, data_file("care-approaches"), known_refs)
    glossary = _read_glossary(col, data_file("glossary").paths(data))

    checks.check_no_stray_files(col, data)
    for folder, folder_entries in entries.items():
        for entry_id, (entry, path, node) in folder_entries.items():
            checks.check_reference_ids(col, path, node, f"{folder}.{entry_id}", entry.references, known_refs)
    checks.check_condition_ids(col, entries["procedures"], entries["conditions"], data)
    checks.check_entries_have_pages(col, docs, data, entries)
    pages = checks.check_front_matter(col, docs, data, known_refs)

    if col.problems:
        raise DataError(col.problems)
    assert care is not None and approaches is not None
    sources = {f"{folder}/{entry_id}": col.rel(path)
               for folder, folder_entries in entries.items() for entry_id, (_, path, _) in folder_entries.items()}
    sources.update({f"references/{ref_id}": f"{col.rel(path)}:{reference_lines[ref_id]}"
                    for ref_id, (_, path, _) in references.items()})
    return Handbook(
        references=MappingProxyType({k: v[0] for k, v in references.items()}),
        procedures=MappingProxyType({k: v[0] for k, v in entries["procedures"].items()}),
        conditions=MappingProxyType({k: v[0] for k, v in entries["conditions"].items()}),
        conservative_care=care,
        care_approaches=approaches,
        glossary=tuple(glossary),
        pages=MappingProxyType(pages),
        sources=MappingProxyType(sources),
    )


def _read_references(col: Collector, data: Path) -> tuple[Entries, dict[str, int], set[str]]:
    """(references by id, the line of each one's '- id:', every id written, even of broken entries)."""
    references: Entries = {}
    lines: dict[str, int] = {}
    # Ids that exist even if their entry has problems: a broken entry is reported
    # once, not again by every entry that points to it.
    known: set[str] = set()
    files = data_file("references").paths(data)
    if not files:
        col.add(data / "references", 1, "", "no reference files found", DATA_LAYOUT_TIP)
    for path in files:
        node = col.read_yaml(path)
        if node is None:
            continue
        if not isinstance(node, list):
            col.add(path, 1, "", "a references file should be a list", "start each reference with '- id: ...'")
            continue
        for index, item in enumerate(node):
            ref_id = item.get("id") if isinstance(item, dict) else None
            known.add(str(ref_id))
            label = f"references.{ref_id}" if isinstance(ref_id, str) else f"references[{index}]"
            line = item_line(node, index)
            ref = col.validate(Reference, item, path, label, item_line=line)
            if ref is None:
                continue
            if ref.id in references:
                first = references[ref.id][1]
                col.add(path, line, label, f"the reference id '{ref.id}' is used twice (also in {col.rel(first)})",
                        "give each reference its own id, or delete the copy")
                continue
            references[ref.id] = (ref, path, item)
            lines[ref.id] = line or id_line(path, ref.id)
    return references, lines, known



def _read_entries(col: Collector, data: Path, kind: DataFile) -> Entries:
    """Every entry of a kind with one file per entry; the file name is its id."""
    entries: Entries = {}
    for path in kind.paths(data):
        entry_id = path.stem
        if not re.match(ID_PATTERN, entry_id):
            col.add(path, 1, "", f"'{entry_id}' is not a valid id for a file name",
                    "rename the file using lower-case letters, digits and hyphens")
            continue
        node = col.read_yaml(path)
        if node is None:
            continue
        entry = col.validate(kind.model, node, path, f"{kind.label}.{entry_id}")
        if entry is not None:
            entries[entry_id] = (entry, path, node)
    return entries


def _read_group(col: Collector, data: Path, kind: DataFile, known_refs: set[str]) -> Any:
    """The one group a single-file kind holds (conservative care, care approaches), or None."""
    found = kind.paths(data)
    if not found:
        col.add(data / kind.pattern, 1, "", f"the {kind.name.replace('-', ' ')} file is missing", DATA_LAYOUT_TIP)
        return None
    path = found[0]
    node = col.read_yaml(path)
    group = col.validate(kind.model, node, path, kind.label) if node is not None else None
    if group is not None:
        checks.check_reference_ids(col, path, node, kind.label, group.references, known_refs)
    return group


def _read_glossary(col: Collector, found: list[Path]) -> list[GlossaryEntry]:
    """The glossary's entries (it may be left out); a term or abbreviation written twice (in any case)
    is a problem."""
    if not found:
        return []
    path = found[0]
    node = col.read_yaml(path)
    if node is None:
        return []
    if not isinstance(node, list):
        col.add(path, 1, "", "the glossary should be a list", "start each entry with '- term: ...'")
        return []
    glossary: list[GlossaryEntry] = []
    seen: dict[str, int] = {}
    for index, item in enumerate(node):
        line = item_line(node, index)
        entry = col.validate(GlossaryEntry, item, path, f"glossary[{index}]", item_line=line)
        if entry is None:
            continue
        for word in filter(None, (entry.term, entry.abbreviation)):
            if word.lower() in seen:
                col.add(path, line, f"glossary[{index}]", f"'{word}' is already defined at line {seen[word.lower()]}",
                        "keep one entry")
            seen[word.lower()] = line
        glossary.append(entry)
    return glossary


STATIC_PAGE_SUFFIXES = {".html", ".htm", ".xhtml", ".shtml", ".xml", ".xsl", ".svgz", ".swf", ".pdf"}
"""Files MkDocs would copy into the site as they are, unchecked: pages are written in Markdown instead."""


def _check_static_files(col: Collector, docs: Path) -> None:
    """Every SVG under docs/ is an SVG drawing in the safe subset; no HTML or other active file is copied as is."""
    from .. import html_policy

    for path in sorted(docs.rglob("*")):
        if path.is_symlink() or not path.is_file():
            continue
        if path.suffix.lower() in STATIC_PAGE_SUFFIXES:
            col.add(path, 1, "", f"{path.suffix} files would be published unchecked",
                    "write the page in Markdown (.md), or ask a maintainer to add the file to the theme")
        elif path.suffix.lower() == ".svg" and col.small_enough(path):
            try:
                text = path.read_text(encoding="utf-8")
            except UnicodeDecodeError:
                col.add(path, 1, "", "the file is not UTF-8 text", "save it as UTF-8")
                continue
            if "<svg" not in text:
                col.add(path, 1, "", "the file holds no <svg> element", "save the drawing as SVG")
            for offence in html_policy.check_svg(text)[:10]:
                col.add(path, offence.line, "", offence.message, html_policy.SVG_TIP)
