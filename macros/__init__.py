"""The handbook's macros module, as mkdocs-macros loads it (`module_name: macros` in mkdocs.yml).

    plugin.py       reacts to mkdocs-macros' events; hands the work to the modules below
    page_macros.py  the macros a page can call (MACROS lists them)
    page_render.py  renders a page's macro calls; explains mistakes as file:line with a tip
    page.py         what the macros know about the page being rendered
    render.py       pure functions from validated data to escaped HTML
    data/           models, reading and checking data/ and front matter, JSON Schemas
    problems.py     the one problem type (file, line, what, tip), printed and annotated
    settings.py     build settings that do not come from mkdocs.yml
    cli.py          `python -m macros lint | schema | review-report | macro-table`
"""

from .plugin import define_env, on_post_build, on_pre_page_macros

__all__ = ["define_env", "on_post_build", "on_pre_page_macros"]
