"""A corpus of bad and odd inputs.

Every mistake stops the build with a message naming the file, and its line where the
product can know it, with no Python traceback. A few go the whole way through the full
build (tools/build_site.py), which must also leave the previously built site/
byte-for-byte as it was; the rest are checked, with the same messages, where the build
finds them (load_handbook for data and front matter, MkDocs for pages). Hostile or odd text in the data
does not stop the build: it is shown exactly as typed, escaped, never as live markup.

Each case is one small edit plus the fragments the build output must contain.
Cases the product gets wrong today are in KNOWN_BUGS: they assert the right
behaviour and are marked xfail(strict=True), so fixing the product flips them.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from conftest import FIXTURE, Result, build_site, copy_project, mkdocs_in_process
from macros.data import DataError, load_handbook

ALPHA = "data/procedures/alpha-block.yml"
BETA = "data/procedures/beta-ablation.yml"
GAMMA = "data/conditions/gamma-pain.yml"
DELTA = "data/conditions/delta-pain.yml"
REFS = "data/references/refs.yml"
GLOSSARY = "data/glossary.yml"
HOME = "docs/index.md"
PROC_INDEX = "docs/procedures/index.md"
COND_INDEX = "docs/conditions/index.md"
ALPHA_PAGE = "docs/procedures/alpha-block.md"
BETA_PAGE = "docs/procedures/beta-ablation.md"
GAMMA_PAGE = "docs/conditions/gamma-pain.md"
DELTA_PAGE = "docs/conditions/delta-pain.md"

# --------------------------------------------------------------------------
# Edits: each returns a function that makes the edit in a project folder.
# --------------------------------------------------------------------------


def edit(file: str, old: str, new: str):
    """Replace `old` (which must be there) by `new` in `file`."""
    def apply(project: Path) -> None:
        path = project / file
        text = path.read_text(encoding="utf-8")
        assert old in text, f"{old!r} not in {file}"
        path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return apply


def append(file: str, text: str):
    def apply(project: Path) -> None:
        path = project / file
        path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")
    return apply


def write(file: str, content: str | bytes):
    def apply(project: Path) -> None:
        path = project / file
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return apply


def make_folder(folder: str):
    return lambda project: (project / folder).mkdir(parents=True)


def rename(file: str, new: str):
    return lambda project: (project / file).rename(project / new)


def delete(file: str):
    return lambda project: (project / file).unlink()


def strip_front_matter(file: str):
    def apply(project: Path) -> None:
        path = project / file
        path.write_text(re.sub(r"\A---\n.*?\n---\n", "", path.read_text(), flags=re.S))
    return apply


def as_one_list_item(file: str):
    """Turn a mapping file into a list holding that mapping."""
    def apply(project: Path) -> None:
        path = project / file
        first, *rest = path.read_text().splitlines()
        path.write_text("\n".join([f"- {first}", *(f"  {line}" for line in rest)]) + "\n")
    return apply


def at_line_of(file: str, text: str, template: str):
    """An expected fragment naming the line of `text` in the edited `file`."""
    def fragment(project: Path) -> str:
        lines = (project / file).read_text().splitlines()
        number = next(n for n, line in enumerate(lines, start=1) if text in line)
        return template.format(line=number)
    return fragment


# --------------------------------------------------------------------------
# The corpus of mistakes: name -> (edit, fragment, ...). A fragment is text the
# build output must contain, or a function of the edited project giving it.
# Line numbers refer to tests/fixtures/mini after the edit.
# --------------------------------------------------------------------------

DATA_MISTAKES = {
    "yaml: unclosed bracket": (
        edit(GAMMA, "summary: Gamma pain summary.", "summary: [unclosed"),
        "data/conditions/gamma-pain.yml:4  YAML syntax error",
    ),
    "yaml: key written twice": (
        edit(ALPHA, "setting: Day clinic", "setting: Day clinic\nsetting: Hospital"),
        "data/procedures/alpha-block.yml:11  YAML syntax error", "written twice",
    ),
    "yaml: tab used for indentation": (
        edit(ALPHA, "  - Alpha block soreness", "\t- Alpha block soreness"),
        "data/procedures/alpha-block.yml:15  YAML syntax error",
    ),
    "yaml: unquoted colon in a value": (
        edit(DELTA, "chronic_when: After three months", "chronic_when: After: three: months"),
        "data/conditions/delta-pain.yml:4  YAML syntax error",
    ),
    "type: list written as one line of text": (
        edit(ALPHA, "common_risks:\n  - Alpha block soreness", "common_risks: Alpha block soreness"),
        "data/procedures/alpha-block.yml:14  procedures.alpha-block.common_risks: 'common_risks' should be a list",
    ),
    "type: year written in words": (
        edit(REFS, "year: 2021", "year: twenty-twenty-one"),
        "data/references/refs.yml:11  references.ref-two.year: 'year' should be a whole number",
    ),
    "type: number where text is expected": (
        edit(GAMMA, "name: Gamma pain", "name: 42"),
        "data/conditions/gamma-pain.yml:1  conditions.gamma-pain.name: 'name' should be text, not int 42",
    ),
    "type: true where text is expected": (
        edit(ALPHA, "recovery: One day", "recovery: true"),
        "data/procedures/alpha-block.yml:13  procedures.alpha-block.recovery: 'recovery' should be text, not bool",
    ),
    "type: a colon in a list item makes it read as 'name: value'": (
        edit(ALPHA, "  - Alpha block soreness", "  - Alpha block: soreness"),
        "data/procedures/alpha-block.yml:15  procedures.alpha-block.common_risks[0]: 'common_risks' should be text, "
        "but a colon followed by a space made it read as 'name: value'  Tip: put the whole text in quotes",
    ),
    "type: empty text": (
        edit(DELTA, "summary: Delta pain summary.", "summary: ''"),
        "data/conditions/delta-pain.yml:3  conditions.delta-pain.summary: 'summary' is empty",
    ),
    "unknown field": (
        edit(ALPHA, "imaging: Fluoroscopy", "imagin: Fluoroscopy"),
        "data/procedures/alpha-block.yml:7  procedures.alpha-block.imagin: 'imagin' is not a known field",
        "fields allowed here: ", "target, imaging, anesthesia",
        "data/procedures/alpha-block.yml:1  procedures.alpha-block.imaging: 'imaging' is missing",
    ),
    "unknown field in a nested group": (
        edit(GAMMA, "  next_review_due: 2027-02-01", "  next_review_due: 2027-02-01\n  reviewer: Dr X"),
        "data/conditions/gamma-pain.yml:17  conditions.gamma-pain.review.reviewer: 'reviewer' is not a known field",
    ),
    "required field missing": (
        edit(BETA, "target: Beta ablation target\n", ""),
        "data/procedures/beta-ablation.yml:1  procedures.beta-ablation.target: 'target' is missing",
    ),
    "value outside the allowed list": (
        edit(ALPHA, "category: nerve-block", "category: nerv"),
        "data/procedures/alpha-block.yml:3  procedures.alpha-block.category: 'nerv' is not an allowed value",
        "Tip: use one of: ", "'nerve-block'",
    ),
    "duplicate reference id": (
        append(REFS, "- id: ref-one\n  title: Copy\n  published_in: X\n  year: 2020\n  url: https://example.org/x\n"),
        "data/references/refs.yml:14  references.ref-one: the reference id 'ref-one' is used twice",
    ),
    "the same reference listed twice in an entry": (
        edit(DELTA, "  - ref-two", "  - ref-one"),
        "data/conditions/delta-pain.yml:11  conditions.delta-pain.references: 'ref-one' is listed twice",
    ),
    "duplicate glossary term": (
        append(GLOSSARY, "- term: fluoroscopy\n  definition: Again.\n"),
        "data/glossary.yml:6  glossary[2]: 'fluoroscopy' is already defined at line 1",
    ),
    "dangling condition id": (
        edit(BETA, "condition: gamma-pain", "condition: gama-pain"),
        "data/procedures/beta-ablation.yml:24  procedures.beta-ablation.conditions[0].condition: "
        "there is no condition with id 'gama-pain'", "did you mean 'gamma-pain'",
    ),
    "dangling reference id": (
        edit(DELTA, "  - ref-two", "  - ref-three"),
        "data/conditions/delta-pain.yml:13  conditions.delta-pain.references[1]: "
        "there is no reference with id 'ref-three'",
    ),
    "impossible date": (
        edit(GAMMA, "last_reviewed: 2026-02-01", "last_reviewed: 2026-02-30"),
        "data/conditions/gamma-pain.yml:15  conditions.gamma-pain.review.last_reviewed: "
        "'2026-02-30' is not a real date",
    ),
    "date written in words": (
        edit(GAMMA, "next_review_due: 2027-02-01", "next_review_due: next spring"),
        "data/conditions/gamma-pain.yml:16  conditions.gamma-pain.review.next_review_due: "
        "'next spring' is not a real date",
    ),
    "date written without dashes": (
        edit(GAMMA, "last_reviewed: 2026-02-01", "last_reviewed: 20260201"),
        "data/conditions/gamma-pain.yml:15  conditions.gamma-pain.review.last_reviewed: 20260201 is not a real date",
    ),
    "review due before it was reviewed": (
        edit(ALPHA, "next_review_due: 2027-01-10", "next_review_due: 2025-01-10"),
        "data/procedures/alpha-block.yml:34  procedures.alpha-block.review: "
        "next_review_due (2025-01-10) must be after last_reviewed (2026-01-10)",
    ),
    "empty file": (
        write(GAMMA, ""),
        "data/conditions/gamma-pain.yml:1  the file is empty",
    ),
    "file that is not UTF-8": (
        write(DELTA, (FIXTURE / DELTA).read_text().replace("Delta pain", "Delta p\u00e4in").encode("latin-1")),
        "data/conditions/delta-pain.yml:1  the file is not UTF-8 text",
    ),
    "references file that is a mapping, not a list": (
        write(REFS, "id: ref-one\ntitle: One\npublished_in: X\nyear: 2020\nurl: https://example.org/x\n"),
        "data/references/refs.yml:1  a references file should be a list",
    ),
    "procedure file that is a list, not a mapping": (
        as_one_list_item(ALPHA),
        "data/procedures/alpha-block.yml:1  procedures.alpha-block: ", "should be a group of fields",
    ),
    "glossary that is a mapping, not a list": (
        write(GLOSSARY, "Fluoroscopy: Live X-ray pictures.\n"),
        "data/glossary.yml:1  the glossary should be a list",
    ),
    "a reference written as plain text": (
        append(REFS, "- ref-three\n"),
        "data/references/refs.yml:14  references[2]",
    ),
    "a glossary entry written as plain text": (
        append(GLOSSARY, "- Fluoroscopy means live X-ray\n"),
        "data/glossary.yml:6  glossary[2]",
    ),
    "stray unknown file in data/": (
        write("data/notes.txt", "remember to check the doses\n"),
        "data/notes.txt:1  this file is not part of the handbook data",
    ),
    "stray unknown .yml file in data/": (
        write("data/procedure.yml", "name: Gamma block\n"),
        "data/procedure.yml:1  'procedure.yml' is not a known data file",
    ),
    "backup file among the procedures": (
        write("data/procedures/alpha-block.yml~", "name: Old alpha\n"),
        "data/procedures/alpha-block.yml~:1  not a .yml file",
    ),
    "a procedure saved as .yaml (it would be left unread)": (
        rename(ALPHA, "data/procedures/alpha-block.yaml"),
        "data/procedures/alpha-block.yaml:1  not a .yml file  Tip: rename it alpha-block.yml",
    ),
    "a references file saved as .yaml (it would be left unread)": (
        write("data/references/more.yaml", "- id: more\n"),
        "data/references/more.yaml:1  not a .yml file  Tip: rename it more.yml",
    ),
    "the glossary saved as .yaml": (
        rename(GLOSSARY, "data/glossary.yaml"),
        "data/glossary.yaml:1  'glossary.yaml' is not read  Tip: rename it glossary.yml",
    ),
    "a second glossary saved as .yaml beside the glossary": (
        write("data/glossary.yaml", "- term: Block\n"),
        "data/glossary.yaml:1  'glossary.yaml' is not read  Tip: merge it into glossary.yml, then delete it",
    ),
    "folder named like a references file": (
        make_folder("data/references/old.yml"),
        "data/references/old.yml:1",
    ),
    "bad file name": (
        rename(ALPHA, "data/procedures/Alpha_Block.yml"),
        "data/procedures/Alpha_Block.yml:1  'Alpha_Block' is not a valid id for a file name",
    ),
    "data entry without a page": (
        write("data/procedures/gamma-block.yml", (FIXTURE / ALPHA).read_text().replace("Alpha", "Gamma")),
        "data/procedures/gamma-block.yml:1  procedures.gamma-block: there is no page docs/procedures/gamma-block.md",
    ),
    "conservative care file missing": (
        delete("data/conservative-care.yml"),
        "data/conservative-care.yml:1  the conservative care file is missing",
    ),
}

FRONT_MATTER_MISTAKES = {
    "page without front matter": (
        strip_front_matter(PROC_INDEX),
        "docs/procedures/index.md:1  the page has no front matter",
    ),
    "front matter never closed": (
        edit(PROC_INDEX, "---\n\n# Procedures", "\n# Procedures"),
        "docs/procedures/index.md:1  the page has no front matter",
    ),
    "unknown front matter key": (
        edit(HOME, "description: Test home page.", "descripton: Test home page."),
        "docs/index.md:2  front matter.descripton: 'descripton' is not a known field",
    ),
    "bad YAML in front matter": (
        edit(PROC_INDEX, "description: Test index of procedures.", "description: [Test index"),
        "docs/procedures/index.md:3  YAML syntax error",
    ),
    "front matter that is a list": (
        edit(PROC_INDEX, "description: Test index of procedures.\nreview:\n  last_reviewed: 2026-03-01\n"
             "  next_review_due: 2027-03-01", "- description\n- review"),
        "docs/procedures/index.md:2  the front matter should be 'field: value' lines",
    ),
    'render_macros: "yes please"': (
        edit(ALPHA_PAGE, "render_macros: true", 'render_macros: "yes please"'),
        "docs/procedures/alpha-block.md:3  front matter.render_macros: "
        "'render_macros' should be true or false, not 'yes please'",
    ),
    "front matter references written as text": (
        edit(HOME, "references: [ref-one, ref-two]", "references: ref-one"),
        "docs/index.md:4  front matter.references: 'references' should be a list",
    ),
    "front matter cites an unknown reference": (
        edit(HOME, "references: [ref-one, ref-two]", "references: [ref-one, ref-nine]"),
        "docs/index.md:4  front matter.references[1]: there is no reference with id 'ref-nine'",
    ),
    "review record on a data-backed page": (
        edit(GAMMA_PAGE, "render_macros: true", "render_macros: true\nreview:\n  last_reviewed: 2026-03-01\n"
             "  next_review_due: 2027-03-01"),
        "docs/conditions/gamma-pain.md:4  front matter.review: "
        "this page's review record and references are kept in its data file",
    ),
    "overview page without a review record": (
        edit(PROC_INDEX, "review:\n  last_reviewed: 2026-03-01\n  next_review_due: 2027-03-01\n", ""),
        "docs/procedures/index.md:2  front matter: 'review' is missing",
    ),
    "impossible date in a page's review": (
        edit(COND_INDEX, "last_reviewed: 2026-03-01", "last_reviewed: 2026-03-41"),
        "docs/conditions/index.md:4  front matter.review.last_reviewed: '2026-03-41' is not a real date",
    ),
    "page that is not UTF-8": (
        write(PROC_INDEX, b"---\ndescription: Proc\xe9dures.\nreview:\n  last_reviewed: 2026-03-01\n"
              b"  next_review_due: 2027-03-01\n---\n\n# Proc\xe9dures\n"),
        "docs/procedures/index.md:1  the file is not UTF-8 text",
    ),
}

PAGE_MISTAKES = {
    "unknown macro": (
        append(BETA_PAGE, "\n{{ comparison_tabel() }}\n"),
        "docs/procedures/beta-ablation.md:20  'comparison_tabel' is undefined",
    ),
    "undefined variable": (
        append(ALPHA_PAGE, "\nThe {{ procedure.name }} page.\n"),
        "docs/procedures/alpha-block.md:20  'procedure' is undefined",
    ),
    "macro syntax error": (
        edit(GAMMA_PAGE, "{{ options_for_condition() }}", "{{ options_for_condition( }}"),
        "docs/conditions/gamma-pain.md:12  macro syntax error",
    ),
    "unclosed macro block": (
        append(DELTA_PAGE, "\n{% if true %}\nNever closed.\n"),
        "docs/conditions/delta-pain.md:18  macro syntax error: Unexpected end of template",
    ),
    "unknown filter": (
        append(ALPHA_PAGE, "\n{{ 'x' | shout }}\n"),
        "docs/procedures/alpha-block.md:20  macro syntax error: No filter named 'shout'",
    ),
    "macro called with too many arguments": (
        edit(ALPHA_PAGE, "{{ at_a_glance() }}", '{{ at_a_glance("alpha-block", "extra") }}'),
        "docs/procedures/alpha-block.md:8  a macro was called with the wrong arguments",
    ),
    "macro called with an unknown keyword": (
        edit(BETA_PAGE, "{{ conditions_for_procedure() }}",
             "{{ conditions_for_procedure(procedure='beta-ablation') }}"),
        "docs/procedures/beta-ablation.md:12  a macro was called with the wrong arguments",
    ),
    "macro given one id as text where it takes a list": (
        edit(HOME, "{{ comparison_table() }}", '{{ comparison_table(procedures="alpha-block") }}'),
        "docs/index.md:14  a macro was called with the wrong arguments: comparison_table() procedures: input "
        "should be a valid list (got 'alpha-block')  Tip: write it as comparison_table(procedures: list[str] | None",
    ),
    "a list as a dictionary key in a macro argument": (
        append(ALPHA_PAGE, '\n{{ cite({["a"]: 1}) }}\n'),
        "docs/procedures/alpha-block.md:20  cite() is given a dict expression as an argument",
    ),
    "a number too long to read in a macro argument": (
        append(ALPHA_PAGE, "\n{{ cite(" + "9" * 5000 + ") }}\n"),
        "docs/procedures/alpha-block.md:20  the macro calls on this page cannot be read: ValueError",
    ),
    "a number too long to read, in a call written over two lines": (
        append(ALPHA_PAGE, "\n{{ cite('a') }} " + "word " * 2000 + "\n\n{{ cite(\n" + "9" * 5000 + ") }}\n"),
        "docs/procedures/alpha-block.md:23  the macro calls on this page cannot be read: ValueError",
    ),
    "lists nested thousands deep in a macro argument": (
        append(ALPHA_PAGE, "\n{{ cite(" + "[" * 3000 + "]" * 3000 + ") }}\n"),
        "docs/procedures/alpha-block.md:20  the macro calls on this page cannot be read: RecursionError",
    ),
    "an SVG figure that holds no drawing": (
        write("docs/assets/figures/empty.svg", ""),
        "docs/assets/figures/empty.svg:1  the file holds no <svg> element  Tip: save the drawing as SVG",
    ),
    "figure with a name too long for a file": (
        append(ALPHA_PAGE, '\n{{ figure("' + "a" * 300 + '", "A caption") }}\n'),
        "docs/procedures/alpha-block.md:20  figure('aaaa",
    ),
    "figure named by a path to a file elsewhere": (
        append(ALPHA_PAGE, '\n{{ figure("../../../../../etc/ssl/openssl", "A caption") }}\n'),
        "docs/procedures/alpha-block.md:20  figure('../../../../../etc/ssl/openssl') is not a figure's name",
    ),
    "macro given a number where it takes text": (
        edit(ALPHA_PAGE, "{{ at_a_glance() }}", "{{ at_a_glance(12) }}"),
        "docs/procedures/alpha-block.md:8  a macro was called with the wrong arguments: at_a_glance() argument 1: "
        "input should be a valid string (got 12)",
    ),
    "macro given a list inside a list": (
        edit(HOME, "{{ comparison_table() }}", '{{ comparison_table(procedures=[["alpha-block"]]) }}'),
        "docs/index.md:14  a macro was called with the wrong arguments: comparison_table() procedures, item 1: "
        "input should be a valid string",
    ),
    "macro named without ()": (
        append(ALPHA_PAGE, "\n{{ conditions_for_procedure }}\n"),
        "docs/procedures/alpha-block.md:20",
    ),
    "cite() with no reference id": (
        append(ALPHA_PAGE, "\nA claim {{ cite() }}.\n"),
        "docs/procedures/alpha-block.md:20",
    ),
    "cite() of an id not in the page's list": (
        append(GAMMA_PAGE, "\nClaim {{ cite('ref-nine') }}.\n"),
        "docs/conditions/gamma-pain.md:18  cite('ref-nine') names a reference this page does not list",
    ),
    "macro on a page without render_macros: true": (
        edit(PROC_INDEX, "# Procedures", "# Procedures\n\n{{ procedure_list() }}"),
        "docs/procedures/index.md:10",
    ),
    "at_a_glance() on a page with no entry": (
        edit(PROC_INDEX, "---\n\n# Procedures", "render_macros: true\n---\n\n# Procedures\n\n{{ at_a_glance() }}"),
        "docs/procedures/index.md:11  this macro needs a procedure id here",
    ),
    "at_a_glance() of an unknown procedure": (
        edit(ALPHA_PAGE, "{{ at_a_glance() }}", '{{ at_a_glance("alpha-blok") }}'),
        "docs/procedures/alpha-block.md:8  there is no procedure 'alpha-blok'",
    ),
    "a macro mistake on a page saved in decomposed Unicode (NFD)": (
        edit(ALPHA_PAGE, "# Alpha block\n\n{{ at_a_glance() }}",
             '# Alpha block, re\u0301sume\u0301\n\n{{ at_a_glance("alpha-blok") }}'),
        "docs/procedures/alpha-block.md:8  there is no procedure 'alpha-blok'",
    ),
    "comparison_table() with an unknown category": (
        edit(HOME, "{{ comparison_table() }}", '{{ comparison_table(category="injections") }}'),
        "docs/index.md:14  comparison_table category 'injections' is unknown",
    ),
    "procedure_list() with an unknown category": (
        append(HOME, '\n{{ procedure_list("injections") }}\n'),
        "docs/index.md:22  procedure_list category 'injections' is unknown",
    ),
    "figure() with no file": (
        append(DELTA_PAGE, '\n{{ figure("no-such-figure", "A caption") }}\n'),
        "docs/conditions/delta-pain.md:18  figure('no-such-figure') has no file",
    ),
    "broken link": (
        append(DELTA_PAGE, "\nSee [the missing page](missing-page.md).\n"),
        "Doc file 'conditions/delta-pain.md' contains a link 'missing-page.md', "
        "but the target 'conditions/missing-page.md' is not found",
    ),
    "broken anchor": (
        append(DELTA_PAGE, "\nSee [risks](gamma-pain.md#no-such-section).\n"),
        "Doc file 'conditions/delta-pain.md' contains a link 'gamma-pain.md#no-such-section', "
        "but the doc 'conditions/gamma-pain.md' does not contain an anchor '#no-such-section'",
    ),
    "missing image": (
        append(ALPHA_PAGE, "\n![A diagram](missing.png)\n"),
        "Doc file 'procedures/alpha-block.md' contains a link 'missing.png'",
    ),
    "a page too long for its two-sided leaflet": (
        append(ALPHA_PAGE, "\n## Before\n\n" + "- Bring a list of every medicine you take, with the doses.\n" * 150),
        "docs/procedures/alpha-block.md:20  its leaflet runs to",
    ),
    "absolute link": (
        append(ALPHA_PAGE, "\nSee [all procedures](/procedures/).\n"),
        "Doc file 'procedures/alpha-block.md' contains an absolute link '/procedures/'",
    ),
}

CONFIG_MISTAKES = {
    "mkdocs.yml with a YAML error": (
        edit("mkdocs.yml", "docs_dir: docs", "docs_dir: [docs"),
        at_line_of("mkdocs.yml", "docs_dir: [docs", 'mkdocs.yml", line {line}'),
    ),
    "mkdocs.offline.yml with a YAML error": (
        edit("mkdocs.offline.yml", 'site_url: ""', 'site_url: ["'),
        at_line_of("mkdocs.offline.yml", 'site_url: ["', 'mkdocs.offline.yml", line {line}'),
    ),
    "unknown plugin option": (
        edit("mkdocs.yml", "render_by_default: false", "render_by_defualt: false"),
        "mkdocs.yml:71  plugins: Plugin 'macros' option 'render_by_defualt': Unrecognised configuration name",
    ),
    "plugin that is not installed": (
        edit("mkdocs.yml", "  search:\n", "  serach:\n"),
        'mkdocs.yml:61  plugins: The "serach" plugin is not installed',
    ),
    "nav entry pointing to a missing page": (
        append("mkdocs.yml", "nav:\n  - index.md\n  - procedures/index.md\n  - procedures/alpha-block.md\n"
               "  - procedures/beta-ablation.md\n  - conditions/index.md\n  - conditions/gamma-pain.md\n"
               "  - conditions/delta-pain.md\n  - procedures/gamma-block.md\n"),
        "mkdocs.yml:131  nav: the page 'procedures/gamma-block.md' is listed but docs/procedures/gamma-block.md "
        "does not exist",
    ),
}

MISTAKES = {**DATA_MISTAKES, **FRONT_MATTER_MISTAKES, **PAGE_MISTAKES, **CONFIG_MISTAKES}

# Cases the product got wrong once; kept empty when all are fixed. A name here marks
# its case xfail(strict=True), so a fix shows up as an unexpected pass.
KNOWN_BUGS: dict[str, str] = {}

# The whole way through tools/build_site.py, with the old site checked byte for byte: every
# configuration mistake (only the full build restates them with their line), and one mistake
# of each other kind. The rest are checked where the build finds them: data and front matter
# by load_handbook, pages by an in-process MkDocs build; the same messages, in milliseconds.
END_TO_END = [*CONFIG_MISTAKES, "value outside the allowed list", "unknown front matter key", "unknown macro",
              "broken link", "a page too long for its two-sided leaflet"]


def _marks(name: str, bugs: dict) -> list:
    return [pytest.mark.xfail(reason=bugs[name], strict=True)] if name in bugs else []


def _cases(names) -> list:
    return [pytest.param(MISTAKES[name][0], MISTAKES[name][1:], id=name, marks=_marks(name, KNOWN_BUGS))
            for name in names]


def assert_reported(project: Path, output: str, expected) -> None:
    """Each expected fragment is in the output once: said, and not said again by another check.
    (In GitHub Actions each problem is also printed as an annotation line, '::error ...': not counted.)"""
    assert "Traceback" not in output, output
    output = "\n".join(line for line in output.splitlines() if not line.startswith("::"))
    for fragment in expected:
        fragment = fragment(project) if callable(fragment) else fragment
        assert output.count(fragment) == 1, f"{fragment!r} should be in this once:\n{output}"


# --------------------------------------------------------------------------
# One project for each way of building; each mistake is made in it, then undone.
# --------------------------------------------------------------------------

EDITABLE = ["data", "docs", "mkdocs.yml", "mkdocs.offline.yml"]


def snapshot(folder: Path) -> dict[Path, bytes]:
    return {p.relative_to(folder): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def editable_paths(project: Path) -> set[Path]:
    paths = set()
    for part in EDITABLE:
        path = project / part
        paths |= set(path.rglob("*")) if path.is_dir() else {path}
    return paths


def undoing(project: Path):
    """Yield the project; afterwards put back every editable file as it was."""
    before = editable_paths(project)
    saved = {p: p.read_bytes() for p in before if p.is_file()}
    yield project
    for path in sorted(editable_paths(project) - before, reverse=True):
        shutil.rmtree(path) if path.is_dir() else path.unlink()
    for path, content in saved.items():
        path.write_bytes(content)


@pytest.fixture(scope="module")
def built_project(tmp_path_factory) -> Path:
    project = copy_project(tmp_path_factory.mktemp("hardening") / "project", FIXTURE)
    result = build_site(project)
    assert result.returncode == 0, result.output
    return project


@pytest.fixture
def project(built_project):
    """The fully built project (with site/); the test's edits are undone afterwards."""
    yield from undoing(built_project)


@pytest.fixture(scope="module")
def source_project(tmp_path_factory) -> Path:
    return copy_project(tmp_path_factory.mktemp("hardening-source") / "project", FIXTURE)


@pytest.fixture
def unbuilt(source_project):
    """A project that is never fully built; the test's edits are undone afterwards."""
    yield from undoing(source_project)


@pytest.mark.parametrize("mistake, expected", _cases(END_TO_END))
def test_a_mistake_stops_the_build_clearly_and_keeps_the_old_site(project, mistake, expected):
    site_before = snapshot(project / "site")
    mistake(project)
    result = build_site(project)
    assert result.returncode != 0, result.output
    assert_reported(project, result.output, expected)
    assert "was left as it was" in result.output, result.output
    assert snapshot(project / "site") == site_before, "the previous site/ was changed by a failed build"


@pytest.mark.parametrize("mistake, expected",
                         _cases(name for name in [*DATA_MISTAKES, *FRONT_MATTER_MISTAKES] if name not in END_TO_END))
def test_a_data_or_front_matter_mistake_is_reported_with_its_file_and_line(unbuilt, mistake, expected):
    mistake(unbuilt)
    with pytest.raises(DataError) as caught:
        load_handbook(unbuilt)
    assert_reported(unbuilt, str(caught.value), expected)


@pytest.mark.parametrize("mistake, expected", _cases(name for name in PAGE_MISTAKES if name not in END_TO_END))
def test_a_page_mistake_stops_the_strict_build_with_its_file_and_line(unbuilt, mistake, expected, tmp_path):
    mistake(unbuilt)
    succeeded, output = mkdocs_in_process(unbuilt, tmp_path / "site")
    assert not succeeded, output
    assert_reported(unbuilt, output, expected)


def test_a_fault_in_a_macros_own_code_keeps_its_traceback_and_names_the_page_line(unbuilt, tmp_path, monkeypatch):
    """Not the editor's mistake, so not reported as one: the error stays as raised, with a note of the call."""
    from macros import render

    def broken(*args, **kwargs):
        raise KeyError("a fault in the card")

    monkeypatch.setattr(render, "render_procedure_card", broken)
    with pytest.raises(KeyError) as raised:
        mkdocs_in_process(unbuilt, tmp_path / "site")
    assert raised.value.__notes__ == ["docs/procedures/alpha-block.md:8: raised in the call of at_a_glance() "
                                      "(a fault in the handbook's code, not a mistake in the page)"]


def test_the_corpus_is_big_enough_and_each_case_runs_once():
    assert len(MISTAKES) >= 30
    assert len(MISTAKES) == len(DATA_MISTAKES) + len(FRONT_MATTER_MISTAKES) + len(PAGE_MISTAKES) + len(CONFIG_MISTAKES)
    assert set(END_TO_END) <= set(MISTAKES)


# --------------------------------------------------------------------------
# Hostile or odd text: all of it goes into one build, which must succeed;
# each case then checks its own page. name -> (edit, page, shown, never shown).
# --------------------------------------------------------------------------

LONG_TEXT = "Long summary. " + "x" * 9_990 + " end."
NON_LATIN = "ألم مزمن في الظهر، 慢性腰痛 😣🩺"

HOSTILE = {
    "script tag in a summary": (
        edit(ALPHA, "summary: Alpha block summary text.", "summary: 'Before <script>alert(1)</script> after.'"),
        "procedures/alpha-block/index.html", "Before &lt;script&gt;alert(1)&lt;/script&gt; after.", "<script>alert(1)",
    ),
    "HTML tags in a list item": (
        edit(GAMMA, "  - Gamma pain symptom", "  - '<img src=x onerror=alert(2)> <b>bold</b>'"),
        "conditions/gamma-pain/index.html", "&lt;img src=x onerror=alert(2)&gt; &lt;b&gt;bold&lt;/b&gt;",
        "<img src=x onerror",
    ),
    "HTML in a reference title": (
        edit(REFS, 'title: "First test reference"', "title: 'First </cite><a href=\"https://evil.example\">ref</a>'"),
        "procedures/alpha-block/index.html", "First &lt;/cite&gt;&lt;a href=", 'href="https://evil.example"',
    ),
    "quotes and HTML in a glossary definition (tooltip)": (
        edit(GLOSSARY, "definition: A test procedure.", "definition: 'A \"test\" <em>procedure</em>.'"),
        "procedures/alpha-block/index.html", "&lt;em&gt;procedure&lt;/em&gt;", "<em>procedure</em>",
    ),
    "{{ 7*7 }} in a data value": (
        edit(ALPHA, "target: Alpha block target", "target: 'Target {{ 7*7 }} end'"),
        "procedures/alpha-block/index.html", "Target {{ 7*7 }} end", "Target 49 end",
    ),
    "{% if %} block in a data value": (
        edit(DELTA, "chronic_when: After three months", 'chronic_when: "{% if true %}shown{% endif %} months"'),
        "conditions/delta-pain/index.html", "{% if true %}shown{% endif %} months", ">shown months",
    ),
    "very long text (10,000 characters)": (
        edit(BETA, "summary: Beta ablation evidence summary.", f"summary: {LONG_TEXT}"),
        "procedures/beta-ablation/index.html", LONG_TEXT, None,
    ),
    "non-Latin text: Arabic, Chinese, emoji": (
        edit(GAMMA, "summary: Gamma pain summary.", f"summary: {NON_LATIN}"),
        "conditions/gamma-pain/index.html", NON_LATIN, None,
    ),
    "markdown characters * _ | ` [] in a value": (
        edit(ALPHA, "recovery: One day", "recovery: '*not bold* _not italic_ | a | b | `code` [link](x.md)'"),
        "procedures/alpha-block/index.html", "*not bold* _not italic_ | a | b | `code` [link](x.md)",
        "<em>not bold</em>",
    ),
    "script tag in a page description (front matter)": (
        edit(PROC_INDEX, "description: Test index of procedures.",
             "description: 'Index \"quoted\"> <script>alert(3)</script>'"),
        "procedures/index.html", "&lt;script&gt;alert(3)&lt;/script&gt;", "<script>alert(3)",
    ),
    "script tag in a page title (front matter)": (
        edit(COND_INDEX, "description: Test index of conditions.",
             "description: Conditions.\ntitle: 'Conditions <script>alert(4)</script>'"),
        "conditions/index.html", "Conditions &lt;script&gt;alert(4)&lt;/script&gt;", "<script>alert(4)",
    ),
}

HOSTILE_BUGS: dict[str, str] = {}


@pytest.fixture(scope="module")
def odd_build(tmp_path_factory):
    """All the odd text in one strict build of the pages (the text goes nowhere else that escapes it)."""
    project = copy_project(tmp_path_factory.mktemp("odd") / "project", FIXTURE)
    for change, *_ in HOSTILE.values():
        change(project)
    succeeded, output = mkdocs_in_process(project, project / "site")
    return project, Result(0 if succeeded else 1, output)


@pytest.mark.parametrize("change, page, shown, never", [
    pytest.param(*case, id=name, marks=_marks(name, HOSTILE_BUGS)) for name, case in HOSTILE.items()
])
def test_odd_text_is_shown_as_typed_and_never_as_live_markup(odd_build, change, page, shown, never):
    project, result = odd_build
    assert result.returncode == 0, result.output
    assert "Traceback" not in result.output, result.output
    site = project / "site"
    assert shown in (site / page).read_text(encoding="utf-8")
    if never:
        for built in sorted(site.rglob("*.html")):
            assert never not in built.read_text(encoding="utf-8"), built
