"""Every kind of data file: where it lives, its model, and how it is laid out.

Loading, the JSON Schemas, the Data reference page and the editor's scaffolds
(`make new-procedure`, `make new-condition`) all read this one list.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from pydantic import BaseModel

from .models import (
    CareApproaches,
    CareApproachRow,
    Condition,
    ConditionLink,
    ConservativeCare,
    Evidence,
    GlossaryEntry,
    PageMeta,
    Procedure,
    Reference,
    Review,
    SourceCheck,
)


@dataclass(frozen=True)
class DataFile:
    name: str
    """Singular name: the schema is data/schema/<name>.schema.json."""
    pattern: str
    """Where the files are, as a glob under data/."""
    model: type[BaseModel]
    layout: Literal["one entry per file", "list of entries", "single group"]
    """'one entry per file': the file name is the entry's id and its page is docs/<folder>/<id>.md."""
    label: str
    """How problems name the data, e.g. procedures.<id>.imaging or conservative_care.summary."""
    parts: tuple[type[BaseModel], ...] = ()
    """The groups nested in the model, documented with it on the Data reference page."""

    @property
    def folder(self) -> str:
        """The folder under data/ (and under docs/, for entries with pages); '' for a file in data/ itself."""
        return self.pattern.rpartition("/")[0]

    @property
    def file_name(self) -> str | None:
        """The file's name, for a single file in data/ itself."""
        return None if "*" in self.pattern else self.pattern

    def paths(self, data: Path) -> list[Path]:
        """This kind's files under `data`, in order. Only '.yml' files are data: anything else in
        the folder (a '.yaml' file, a backup, a sub-folder) is refused by checks.check_no_stray_files."""
        if self.file_name:
            return [data / self.file_name] if (data / self.file_name).is_file() else []
        return [path for path in sorted((data / self.folder).glob("*")) if path.suffix == ".yml" and path.is_file()]


DATA_FILES: tuple[DataFile, ...] = (
    DataFile("procedure", "procedures/*.yml", Procedure, "one entry per file", "procedures",
             (ConditionLink, Evidence, Review)),
    DataFile("condition", "conditions/*.yml", Condition, "one entry per file", "conditions"),
    DataFile("references", "references/*.yml", Reference, "list of entries", "references", (SourceCheck,)),
    DataFile("conservative-care", "conservative-care.yml", ConservativeCare, "single group", "conservative_care"),
    DataFile("care-approaches", "care-approaches.yml", CareApproaches, "single group", "care_approaches",
             (CareApproachRow,)),
    DataFile("glossary", "glossary.yml", GlossaryEntry, "list of entries", "glossary"),
)

ENTRY_KINDS = {data_file.name: data_file for data_file in DATA_FILES if data_file.layout == "one entry per file"}
"""The kinds with a page each, by singular name: procedure, condition."""

DOCUMENTED_MODELS: tuple[type[BaseModel], ...] = (
    *(model for data_file in DATA_FILES for model in (data_file.model, *data_file.parts)), PageMeta)
"""The models the Data reference page describes, in its order: the data files', then front matter's."""


def data_file(name: str) -> DataFile:
    return next(data_file for data_file in DATA_FILES if data_file.name == name)
