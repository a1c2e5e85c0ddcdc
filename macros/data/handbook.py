"""The validated handbook: what the rest of the code reads, never the files themselves."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property

from .models import CareApproaches, Condition, ConservativeCare, GlossaryEntry, PageMeta, Procedure, Reference, Review


@dataclass(frozen=True)
class Handbook:
    """Validated data: every id resolves, every entry has its page."""

    references: Mapping[str, Reference]
    procedures: Mapping[str, Procedure]
    conditions: Mapping[str, Condition]
    conservative_care: ConservativeCare
    care_approaches: CareApproaches
    glossary: tuple[GlossaryEntry, ...]
    pages: Mapping[str, PageMeta]
    sources: Mapping[str, str] = field(default_factory=dict)
    """Where each entry came from, e.g. 'procedures/x' -> 'data/procedures/x.yml',
    'references/y' -> 'data/references/z.yml:12' (the line of its '- id:')."""

    def links_for_condition(self, condition_id: str):
        """(procedure id, link) for every procedure that lists this condition, in data order."""
        return list(self._links_by_condition.get(condition_id, ()))

    @cached_property
    def _links_by_condition(self) -> dict[str, list]:
        """Built once, so pages and tables that ask for every condition cost no more than the links."""
        index: dict[str, list] = {}
        for procedure_id, procedure in self.procedures.items():
            for link in procedure.conditions:
                index.setdefault(link.condition, []).append((procedure_id, link))
        return index

    def entry_for_page(self, src_path: str) -> tuple[str, str, Procedure | Condition] | None:
        """(kind, id, entry) of the data entry a page belongs to, e.g. docs/procedures/<id>.md;
        None for a page without one (an overview page)."""
        kind, _, name = src_path.removesuffix(".md").partition("/")
        entries = {"procedures": self.procedures, "conditions": self.conditions}.get(kind, {})
        return (kind, name, entries[name]) if name in entries else None

    def review_file(self, src_path: str) -> str:
        """Where a page's review record is written: its data entry's file, else the page itself."""
        return self.sources.get(src_path.removesuffix(".md"), f"docs/{src_path}")

    def review_for_page(self, src_path: str) -> Review | None:
        """The review record shown on a page: from its data entry, else its front matter."""
        if found := self.entry_for_page(src_path):
            return found[2].review
        meta = self.pages.get(src_path)
        return meta.review if meta else None
