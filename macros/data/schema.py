"""JSON Schemas of the data files, made from the models, for editors' tools and for reuse.

`python -m macros schema` writes data/schema/*.schema.json; each data file names
its schema in a first-line comment, so editors such as VS Code (with the YAML
extension) complete field names and mark mistakes as you type.
"""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import TypeAdapter

from .registry import DATA_FILES

SCHEMAS = {
    data_file.name: TypeAdapter(
        list[data_file.model] if data_file.layout == "list of entries" else data_file.model)
    for data_file in DATA_FILES
}

FILES = {data_file.name: data_file.pattern for data_file in DATA_FILES}
"""Which schema each data file follows, as a glob under data/."""


def schema_text(name: str) -> str:
    schema = SCHEMAS[name].json_schema()
    schema = {"$schema": "https://json-schema.org/draft/2020-12/schema",
              "title": f"Handbook data: {name}", **schema}
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"


def write_schemas(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name in SCHEMAS:
        path = folder / f"{name}.schema.json"
        path.write_text(schema_text(name), encoding="utf-8")
        written.append(path)
    return written


def schema_comment(data_dir: Path, path: Path) -> str | None:
    """The first-line comment that links a data file to its schema."""
    for name, pattern in FILES.items():
        if path in data_dir.glob(pattern):
            relative = Path("../" * (len(path.relative_to(data_dir).parts) - 1)) / "schema" / f"{name}.schema.json"
            return f"# yaml-language-server: $schema={relative.as_posix()}"
    return None
