"""The handbook's data: typed models, reading and checking the files, the JSON Schemas.

    models.py    every field an editor can write, with what it is for
    loading.py   read data/ and the pages' front matter, in the order the checks need
    reading.py   the YAML readers and the Collector of problems (file, line, tip)
    checks.py    the checks across entries and pages, one small function each
    registry.py  every kind of data file: where, which model, what layout
    handbook.py  the validated result that the rest of the code reads
    schema.py    JSON Schemas made from the models, for editors' tools
"""

from ..problems import DataError, Problem
from .handbook import Handbook
from .loading import load_handbook

__all__ = ["DataError", "Handbook", "Problem", "load_handbook"]
