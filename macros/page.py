"""What the macros know about the page being rendered: its path, its links, its data entry."""

from __future__ import annotations

from mkdocs.exceptions import PluginError

from .data import Handbook


class PageContext:
    """What the macros need to know about the page being rendered."""

    def __init__(self, env, handbook: Handbook):
        self.env = env
        self.handbook = handbook

    @property
    def page(self):
        return self.env.page

    @property
    def src_path(self) -> str:
        return self.page.file.src_uri

    def where(self) -> str:
        return f"docs/{self.src_path}"

    def link(self, kind: str, entry_id: str) -> str:
        """Relative address of docs/<kind>/<entry_id>.md from the current page."""
        files = self.env.variables["files"]
        target = files.get_file_from_path(f"{kind}/{entry_id}.md")
        if target is None:
            raise PluginError(f"{self.where()}: no page {kind}/{entry_id}.md to link to")
        return target.url_relative_to(self.page.file)

    def entry(self, kind: str, entry_id: str | None):
        """The data entry named, or the one this page belongs to."""
        entries = getattr(self.handbook, kind)
        if entry_id is None:
            found = self.handbook.entry_for_page(self.src_path)
            if found is None or found[0] != kind:
                raise PluginError(
                    f"{self.where()}: this macro needs a {kind[:-1]} id here, because this page "
                    f"is not a {kind[:-1]} page. Tip: write it as in the file name in data/{kind}/."
                )
            entry_id = found[1]
        if entry_id not in entries:
            raise PluginError(
                f"{self.where()}: there is no {kind[:-1]} '{entry_id}'. "
                f"Tip: use a file name from data/{kind}/ without .yml."
            )
        return entry_id, entries[entry_id]

    def page_references(self) -> list[str]:
        """Reference ids of the current page: its data entry's, else its front matter's."""
        if found := self.handbook.entry_for_page(self.src_path):
            return list(found[2].references)
        return list(self.page.meta.get("references") or [])
