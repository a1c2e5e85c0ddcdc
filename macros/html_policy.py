"""What HTML a page and an SVG figure may contain, and the Content-Security-Policy of every page.

Editors write Markdown; a little HTML is allowed where Markdown has no syntax for it
(a <div markdown> around a grid of cards, for instance). After Markdown has turned a
page into HTML, every element, attribute and address in it is checked against the
allowlists below; anything else stops the build with the page's file and line. The
same is done, with an SVG subset, for every .svg under docs/ before it is inlined by
figure() or copied into the site. Nothing is silently removed: the editor is told.
"""

from __future__ import annotations

import base64
import hashlib
import html
import re
from dataclasses import dataclass
from html.parser import HTMLParser

TEXT_ELEMENTS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "cite", "code", "col", "colgroup", "dd", "del", "details",
    "dfn", "div", "dl", "dt", "em", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img",
    "ins", "kbd", "li", "mark", "ol", "p", "pre", "q", "s", "samp", "small", "span", "strong", "sub", "summary",
    "sup", "table", "tbody", "td", "tfoot", "th", "thead", "time", "tr", "u", "ul", "var", "wbr",
    # Structure the macros and Markdown extensions write (sections, tabs, the comparison picker).
    "aside", "section", "fieldset", "legend", "label", "input", "select", "option", "button",
}
SVG_ELEMENTS = {
    "svg", "g", "title", "desc", "path", "rect", "circle", "ellipse", "line", "polyline", "polygon", "text",
    "tspan", "defs", "lineargradient", "radialgradient", "stop", "marker", "clippath",
}
PAGE_ELEMENTS = TEXT_ELEMENTS | SVG_ELEMENTS
"""A page may hold an inline SVG: figure() puts one there (after checking it as an SVG file)."""

GLOBAL_ATTRIBUTES = {"id", "class", "title", "lang", "dir", "hidden", "role", "tabindex", "style"}
"""Allowed on every element, as are aria-* and data-* (style is checked: no url() or expression())."""
ELEMENT_ATTRIBUTES = {
    "a": {"href", "download", "rel", "hreflang"},
    "img": {"src", "alt", "width", "height", "loading", "decoding"},
    "ol": {"start", "reversed", "type"},
    "td": {"colspan", "rowspan", "align"}, "th": {"colspan", "rowspan", "align", "scope", "abbr"},
    "col": {"span"}, "colgroup": {"span"}, "time": {"datetime"}, "details": {"open"},
    "label": {"for"}, "input": {"type", "name", "value", "checked", "disabled"},
    "select": {"name", "multiple", "disabled"}, "option": {"value", "selected", "disabled"},
    "button": {"type", "disabled"}, "q": {"cite"}, "blockquote": {"cite"}, "del": {"datetime"},
    "ins": {"datetime"},
}
SVG_ATTRIBUTES = {
    "xmlns", "viewbox", "preserveaspectratio", "width", "height", "x", "y", "x1", "y1", "x2", "y2", "cx", "cy", "r",
    "rx", "ry", "d", "points", "dx", "dy", "transform", "fill", "fill-opacity", "fill-rule", "stroke",
    "stroke-width", "stroke-opacity", "stroke-dasharray", "stroke-dashoffset", "stroke-linecap", "stroke-linejoin",
    "stroke-miterlimit", "opacity", "font-family", "font-size", "font-style", "font-weight", "text-anchor",
    "dominant-baseline", "letter-spacing", "textlength", "marker-start", "marker-mid", "marker-end", "markerwidth",
    "markerheight", "refx", "refy", "orient", "markerunits", "offset", "stop-color", "stop-opacity",
    "gradientunits", "gradienttransform", "clip-path", "clippathunits", "vector-effect", "version",
}
URL_ATTRIBUTES = {"href", "src", "xlink:href", "cite", "action", "formaction", "poster", "background", "data",
                  "srcset", "ping"}
SAFE_SCHEMES = {"http", "https", "mailto", "tel"}
_SCHEME = re.compile(r"^([a-z][a-z0-9+.\-]*):")
_UNSAFE_STYLE = re.compile(r"url\s*\((?!\s*['\"]?#)|expression\s*\(|@import|javascript:|behavior\s*:|-moz-binding",
                           re.I)
_INVISIBLE = re.compile(r"[\x00-\x20\x7f]+")
_THEME_ID = re.compile(r"^__(?!tabbed_)")
"""Material's own ids (__config, __search, __palette_0 ...); pymdownx.tabbed writes __tabbed_* ids itself."""
_CSS_ESCAPE = re.compile(r"\\([0-9a-f]{1,6})\s?|\\(.)", re.I)
_ELSEWHERE = re.compile(r"^(?:[a-z][a-z0-9+.\-]*:|//)", re.I)

HTML_TIP = ("pages may use Markdown and a few HTML elements (see 'What pages may contain' in CONTRIBUTING.md); "
            "scripts, frames, event handlers and javascript:, data: or file: addresses are never allowed")

SVG_TIP = ("figures use plain drawing elements (g, path, rect, circle, line, text ...) with presentation "
           "attributes; no script, style element, event handler, link, image or foreignObject")


@dataclass(frozen=True)
class Offence:
    """One thing the policy refuses: where (line in the checked text), what, and text to find it by."""

    line: int
    message: str
    needles: tuple[str, ...]


def url_is_safe(value: str) -> bool:
    """True for relative addresses, #fragments and http(s), mailto and tel addresses.

    Browsers ignore tabs, newlines and leading spaces in an address and do not mind letter
    case, so `Java&#x09;Script:` is javascript: too: all are removed before looking."""
    cleaned = _INVISIBLE.sub("", html.unescape(value)).lower()
    match = _SCHEME.match(cleaned)
    return match is None or match.group(1) in SAFE_SCHEMES


class _Checker(HTMLParser):
    def __init__(self, elements: set[str], attributes_for):
        super().__init__(convert_charrefs=True)
        self.elements = elements
        self.attributes_for = attributes_for
        self.offences: list[Offence] = []

    def refuse(self, message: str, *needles: str) -> None:
        self.offences.append(Offence(self.getpos()[0], message, tuple(n for n in needles if n)))

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        raw = self.get_starttag_text() or ""
        if tag not in self.elements:
            self.refuse(f"the HTML element <{tag}> is not allowed", f"<{tag}")
            return  # its attributes need no second message
        allowed = self.attributes_for(tag)
        for name, value in attrs:
            value = value or ""
            if name.startswith("on"):
                self.refuse(f"the event handler attribute {name}= on <{tag}> is not allowed", f"{name}=", name)
            elif name.startswith("data-md-") or (name in ("id", "for", "name") and _THEME_ID.match(value)):
                self.refuse(f"{name}={_shown(value, 30)} on <{tag}> belongs to the theme (its scripts would act "
                            "on this element instead)", _raw_value(raw, name), f"{name}=")
            elif not (name in allowed or name.startswith(("aria-", "data-"))):
                self.refuse(f"the attribute {name}= on <{tag}> is not allowed", f"{name}=")
            if name in URL_ATTRIBUTES or name.endswith(":href"):
                addresses = [part.strip().split(" ")[0] for part in value.split(",")] if name == "srcset" else [value]
                for address in addresses:
                    if not url_is_safe(address):
                        self.refuse(f"the address {_shown(address)} on <{tag}> is not allowed",
                                    _raw_value(raw, name), address[:40], _shown(address, 12).strip("'"))
                    elif name == "src" and _ELSEWHERE.match(_INVISIBLE.sub("", html.unescape(address))):
                        self.refuse(f"the image {_shown(address)} is on another site; pages load nothing from "
                                    "other sites", _raw_value(raw, name), address[:40])
            if name == "style" and _UNSAFE_STYLE.search(_css_unescape(html.unescape(value))):
                self.refuse(f"the style on <{tag}> loads or runs something (url(), expression(), @import)",
                            _raw_value(raw, name), "url(", "expression(")

    handle_startendtag = handle_starttag

    def handle_decl(self, decl: str) -> None:
        self.refuse("a <!DOCTYPE> or <!ENTITY> declaration is not allowed", "<!")

    def unknown_decl(self, data: str) -> None:
        self.refuse("a <![CDATA[ ]]> section is not allowed", "<![")

    def handle_pi(self, data: str) -> None:
        if not data.lower().startswith("xml "):
            self.refuse("an XML processing instruction is not allowed", "<?")


def _css_unescape(text: str) -> str:
    """CSS with its escapes decoded (u\\72l( is url( to a browser)."""
    def decode(match: re.Match) -> str:
        if match.group(1):
            code = int(match.group(1), 16)
            return chr(code) if 0 < code <= 0x10FFFF else "\ufffd"
        return match.group(2)

    return _CSS_ESCAPE.sub(decode, text)


def _shown(text: str, limit: int = 60) -> str:
    return repr(text if len(text) <= limit else text[:limit] + "…")


def _raw_value(start_tag: str, name: str) -> str:
    """The attribute's value as written (before entities are decoded), to find it in the source."""
    match = re.search(rf"""\b{re.escape(name)}\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", start_tag, re.I)
    return (next(group for group in match.groups() if group is not None) if match else "")[:40]


def _check(text: str, elements: set[str], attributes_for) -> list[Offence]:
    checker = _Checker(elements, attributes_for)
    checker.feed(text)
    checker.close()
    return checker.offences


def check_page_html(page_html: str) -> list[Offence]:
    """Everything in a page's HTML (after Markdown) that the policy refuses."""
    return _check(page_html, PAGE_ELEMENTS, _page_attributes)


def check_svg(svg: str) -> list[Offence]:
    """Everything in an SVG file that the safe SVG subset refuses (lines are the file's)."""
    return _check(svg, SVG_ELEMENTS, lambda tag: GLOBAL_ATTRIBUTES | SVG_ATTRIBUTES | {"aria-labelledby"})


def _page_attributes(tag: str) -> set[str]:
    extra = SVG_ATTRIBUTES if tag in SVG_ELEMENTS else ELEMENT_ATTRIBUTES.get(tag, set())
    return GLOBAL_ATTRIBUTES | extra


def source_lines(source: str, offences: list[Offence]) -> list[int]:
    """The line of the Markdown source holding each offence (1 when it cannot be found).

    Offences come in page order, so each is looked for after the previous one first; letter
    case and spacing may differ (Markdown turns tabs into spaces, browsers ignore case)."""
    lines, start = [], 0
    for offence in offences:
        position = _find(source, offence.needles, start)
        if position < 0:
            position = _find(source, offence.needles, 0)
        lines.append(source.count("\n", 0, position) + 1 if position >= 0 else 1)
        start = max(position + 1, start)
    return lines


def _find(source: str, needles: tuple[str, ...], start: int) -> int:
    for needle in needles:
        spaced = r"\s*".join(re.escape(char) for char in needle[:40] if not char.isspace())
        match = re.compile(spaced, re.I).search(source, start) if spaced else None
        if match:
            return match.start()
    return -1


# --------------------------------------------------------------------------
# Content-Security-Policy
# --------------------------------------------------------------------------

_INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)([^>]*)>(.*?)</script>", re.S | re.I)
_STYLE_ATTRIBUTE = re.compile(r"""\sstyle=(?:"([^"]*)"|'([^']*)')""", re.I)
DATA_SCRIPT_TYPES = ("application/json", "application/ld+json")


def _sha256(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii") + "'"


def content_security_policy(page: str) -> str:
    """The policy for one finished page: its own files only, and its inline scripts by hash.

    Style attributes (Markdown's table alignment, a figure's colours) are allowed by hash too
    ('unsafe-hashes' lets a hash match an attribute); everything not named falls to default-src 'none'
    (fonts, frames, media, manifests)."""
    scripts = sorted({_sha256(body) for attributes, body in _INLINE_SCRIPT.findall(page)
                      if not any(kind in attributes for kind in DATA_SCRIPT_TYPES)})
    styles = sorted({_sha256(html.unescape(a or b)) for a, b in _STYLE_ATTRIBUTE.findall(page)})
    style_hashes = " 'unsafe-hashes' " + " ".join(styles) if styles else ""
    return "; ".join([
        "default-src 'none'",
        "script-src 'self' " + " ".join(scripts),
        f"style-src 'self'{style_hashes}",
        "img-src 'self' data:",  # Material's icons are data: images in its stylesheet
        "connect-src 'self'",  # the search index
        "worker-src 'self'",  # the search worker
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'none'",
    ]).replace("  ", " ")


def add_content_security_policy(page: str) -> str:
    """`page` with its policy as a <meta> that comes first in <head>."""
    meta = f'<meta http-equiv="Content-Security-Policy" content="{content_security_policy(page)}">'
    return re.sub(r"<head>", lambda _: "<head>\n    " + meta, page, count=1)
