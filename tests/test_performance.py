"""What keeps the build fast as the handbook grows, and that it changes nothing a reader or
editor sees: the quick YAML reading, macro calls rendered without compiling pages, glossary
tooltips, and per-page navigation."""

from __future__ import annotations

import re

import pytest
import yaml
from hypothesis import example, given, settings
from hypothesis import strategies as st

import macros
from conftest import ROOT
from macros import page_template
from macros.data import DataError, load_handbook, loading, reading
from macros.page_macros import MACRO_NAMES


def test_the_real_data_is_read_without_the_slow_round_trip_reader(monkeypatch):
    quick = load_handbook(ROOT)

    def no_round_trip():
        raise AssertionError("ruamel.yaml's round-trip reader was used for data with no problems")

    monkeypatch.setattr(reading, "round_trip_yaml", no_round_trip)
    assert load_handbook(ROOT) == quick


def test_the_quick_and_the_round_trip_reader_give_the_same_handbook():
    quick = load_handbook(ROOT)
    round_trip = loading._load(reading.Collector(ROOT.resolve()), ROOT.resolve() / "docs")
    assert quick == round_trip


def test_a_problem_is_still_reported_with_its_line(mini_project):
    path = mini_project / "data/procedures/alpha-block.yml"
    lines = path.read_text().splitlines()
    number = next(i for i, line in enumerate(lines, start=1) if line.startswith("imaging:"))
    lines[number - 1] = "imaging: [unclosed"
    path.write_text("\n".join(lines) + "\n")
    with pytest.raises(DataError) as caught:
        load_handbook(mini_project)
    assert any(p.file == "data/procedures/alpha-block.yml" and p.line in (number, number + 1)
               for p in caught.value.problems), caught.value


TRICKY_SCALARS = [
    "017", "0o17", "0x1F", "-0x1f", "0b101", "1_000", "+12", "1.", ".5", "1e3", "12e", "-.inf", ".NaN",
    "yes", "no", "on", "off", "y", "TRUE", "True", "false", "~", "null", "Null", "", "2024-01-02",
    "2024-1-2", "2026-02-30", "1:30", "=", "<<", "'quoted'", '"double"', "!!str 12", "!!int '7'",
    "[a, b]", "{a: 1}", "a: b", "- x", "&anchor value", "*alias", "| text", "# comment",
]


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.sampled_from(TRICKY_SCALARS),
                 st.from_regex(r"[-+]?[0-9_.eEoxb]{1,7}", fullmatch=True),
                 st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=12)))
@example("!")  # a bare tag: libyaml reads it as empty text, ruamel.yaml as no value
def test_whenever_the_quick_reader_reads_a_value_it_reads_it_as_ruamel_yaml_does(value):
    document = f"field: {value}\nother: [1, 2]\n"
    try:
        quick = reading.Collector(ROOT, quick=True).read_yaml(ROOT / "example.yml", document)
    except reading.NeedsLines:
        return  # the load goes on with ruamel.yaml, which then decides
    slow = reading.round_trip_yaml().load(document)
    assert _plain(quick) == _plain(slow)


def test_a_duplicate_field_sends_the_load_to_the_reader_that_reports_it():
    with pytest.raises(reading.NeedsLines):
        yaml.load("name: a\nname: b\n", Loader=reading.QuickLoader)  # noqa: S506


def _plain(value):
    """ruamel.yaml's own types (CommentedMap, ScalarFloat...) as plain Python values."""
    if isinstance(value, dict):
        return {_plain(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, float) and value != value:
        return "nan"
    for kind in (bool, int, float, str):
        if isinstance(value, kind):
            return kind(value)
    return value


def test_glossary_terms_have_tooltips_on_pages(built_real):
    from macros.data import load_handbook as load

    glossary = load(ROOT).glossary
    page = (built_real / "procedures" / "epidural-steroid-injection" / "index.html").read_text()
    esi = next(e for e in glossary if e.abbreviation == "ESI")
    assert re.search(rf'<abbr title="{re.escape(esi.term)}">ESI</abbr>', page)
    # No page shows the definition lines themselves.
    assert "*[ESI]" not in page


def navigation(page: str) -> str:
    return re.split(r"</nav>\s*</div>", page.split('<nav class="md-nav md-nav--primary', 1)[1], maxsplit=1)[0]


def test_each_page_carries_only_its_own_part_of_the_navigation(built_real):
    home = navigation((built_real / "index.html").read_text())
    procedure = navigation((built_real / "procedures" / "epidural-steroid-injection" / "index.html").read_text())
    assert "conditions/sciatica/" not in home and "procedures/epidural-steroid-injection/" not in home
    assert "sciatica/" not in procedure.replace("procedures/", "")
    assert "radiofrequency-ablation/" in procedure


def test_no_script_holds_up_the_page_and_the_theme_runs_before_the_handbook_scripts(built_real):
    for path in built_real.rglob("*.html"):
        html = path.read_text()
        scripts = re.findall(r"<script src=\"([^\"]+)\"([^>]*)>", html)
        if not scripts:
            continue
        assert all("defer" in attributes or "polyfill" in src for src, attributes in scripts), path
        order = [src.rsplit("/", 1)[-1] for src, _ in scripts]
        bundle = next(i for i, name in enumerate(order) if name.startswith("bundle."))
        assert bundle < order.index("handbook.js"), (path, order)


class _MacroNames:
    """Just enough of mkdocs-macros' env for define_env to register the handbook's macros."""

    def __init__(self):
        self.macros, self.variables = {}, {}
        self.project_dir = str(ROOT)
        self.conf = {"docs_dir": str(ROOT / "docs"), "mdx_configs": {}, "plugins": {}}

    def macro(self, function, name):
        self.macros[name] = function


def _stub(name):
    """A macro stand-in whose result shows exactly how it was called."""
    from markupsafe import Markup

    return lambda *args, **kwargs: Markup(f"<{name} {args!r} {sorted(kwargs.items())!r}>")


def render_macro_calls(tree, environment, variables: dict, names: set[str] = MACRO_NAMES) -> str | None:
    """The page's text as macros/page_render.py renders it (the same two steps of page_template, without
    MkDocs); None for a page it refuses. Keep it in step with render_page_macros."""
    if page_template.first_refused(tree, names) is not None:
        return None
    return page_template.render_calls(tree, {**environment.globals, **variables}, names)


def test_every_page_renders_its_macro_calls_without_compiling_the_page():
    import jinja2


    registered = _MacroNames()
    macros.define_env(registered)
    environment = jinja2.Environment(undefined=jinja2.StrictUndefined)
    environment.globals.update({name: _stub(name) for name in registered.macros})
    pages = [p for p in (ROOT / "docs").rglob("*.md") if "render_macros: true" in p.read_text()]
    assert len(pages) >= 50
    for path in pages:
        body = path.read_text().split("---", 2)[2]
        tree = environment.parse(body)
        fast = render_macro_calls(tree, environment, {})
        assert fast is not None, f"{path}: the page would be compiled by Jinja"
        assert fast == environment.from_string(tree).render(), path


FRAGMENTS = [
    "Text ", "\n", "{ not a macro }", "}}", '{{ cite("a") }}', '{{ cite("a", "b") }}', '{{- cite("x") -}}',
    "{{ at_a_glance() }}", '{{ comparison_table(procedures=["a", "b"], caption="C") }}', "{# a note #}",
    '{% raw %}{{ cite("r") }}{% endraw %}', "{{ other() }}", "{{ cite }}", '{{ cite("a") | upper }}',
    "{% if true %}yes{% endif %}", "{{ cite(1 + 2) }}", "{{ cite(name) }}", "{{ failing() }}", "{{ 'x' }}",
    "{{ cite(*ids) }}", "{{ cite(None) }}", "{{ cite(k=true) }}",
]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(FRAGMENTS), max_size=8))
def test_whenever_macro_calls_are_rendered_without_jinja_the_result_is_jinjas(fragments):
    import jinja2


    def failing():
        raise ValueError("a macro that fails")

    environment = jinja2.Environment(undefined=jinja2.StrictUndefined)
    names = {"cite", "at_a_glance", "comparison_table", "failing"}
    environment.globals.update({name: _stub(name) for name in names - {"failing"}},
                               failing=failing, other=_stub("other"))
    variables = {"name": "n", "ids": ["a"]}
    source = "".join(fragments)
    try:
        tree = environment.parse(source)
    except jinja2.TemplateSyntaxError:
        return
    try:
        fast = render_macro_calls(tree, environment, variables, names)
    except ValueError:  # a fault in a macro is raised as it is, as Jinja would raise it
        with pytest.raises(ValueError, match="a macro that fails"):
            environment.from_string(tree).render(**variables)
        return
    if fast is None:
        return  # a page the handbook refuses
    assert fast == environment.from_string(tree).render(**variables)
