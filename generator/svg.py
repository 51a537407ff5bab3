"""SVG images made safe to open on their own: an allowlist of drawing elements and attributes.

An SVG opened directly (not through `<img>`) is a document that may run script, follow links
or load other resources. Media copied into output/ keeps only what draws a picture: no script,
no event handlers, no foreign objects, no animation (which can set `href` to `javascript:`),
no `<style>`, and references only to fragments of the same file.
"""

import re
from xml.etree import ElementTree

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

SVG = "http://www.w3.org/2000/svg"
XLINK = "http://www.w3.org/1999/xlink"
XML = "http://www.w3.org/XML/1998/namespace"
VERSION = "1"  # part of each media copy's build key: a change of these rules re-copies every SVG

ELEMENTS = frozenset(
    "svg g defs title desc symbol use path rect circle ellipse line polyline polygon text tspan "
    "textPath linearGradient radialGradient stop clipPath mask pattern marker filter feBlend "
    "feColorMatrix feComponentTransfer feComposite feDropShadow feFlood feFuncA feFuncB feFuncG "
    "feFuncR feGaussianBlur feMerge feMergeNode feMorphology feOffset".split()
)
ATTRIBUTES = frozenset(
    "id class width height x y x1 y1 x2 y2 cx cy r rx ry d points viewBox preserveAspectRatio "
    "transform fill fill-opacity fill-rule stroke stroke-width stroke-opacity stroke-linecap "
    "stroke-linejoin stroke-miterlimit stroke-dasharray stroke-dashoffset opacity color "
    "clip-path clip-rule mask filter font-family font-size font-weight font-style "
    "text-anchor dominant-baseline letter-spacing word-spacing text-decoration dx dy rotate "
    "offset stop-color stop-opacity gradientUnits gradientTransform spreadMethod fx fy fr "
    "patternUnits patternContentUnits patternTransform clipPathUnits maskUnits "
    "maskContentUnits markerWidth markerHeight markerUnits refX refY orient marker-start "
    "marker-mid marker-end visibility display overflow vector-effect shape-rendering "
    "paint-order version baseProfile role aria-label aria-hidden lang focusable "
    "filterUnits primitiveUnits in in2 result stdDeviation mode operator k1 k2 k3 k4 "
    "values type tableValues slope intercept amplitude exponent flood-color flood-opacity "
    "radius startOffset textLength lengthAdjust style".split()
)
LINKS = frozenset({"href", f"{{{XLINK}}}href"})
KEPT_FOREIGN = frozenset({f"{{{XML}}}space", f"{{{XML}}}lang"})
NEVER_IN_VALUES = ("@", "expression", "\\", "javascript:")  # CSS imports, old IE script, escapes
URL_TARGET = re.compile(r"url\(\s*['\"]?([^)'\"]*)")


class UnsafeSvg(ValueError):
    """The bytes are not an SVG document that can be made safe."""


def sanitise_svg(data: bytes) -> bytes:
    """The same picture without anything that could run, link or load: deterministic bytes."""
    try:
        root = fromstring(data, forbid_dtd=True)
    except (ElementTree.ParseError, DefusedXmlException, ValueError) as error:
        raise UnsafeSvg(f"not a well-formed SVG without DTD or entities ({error})") from error
    if root.tag != f"{{{SVG}}}svg":
        raise UnsafeSvg(f"the root element is {root.tag!r}, not an SVG <svg>")
    clean(root)
    ElementTree.register_namespace("", SVG)
    ElementTree.register_namespace("xlink", XLINK)
    return ElementTree.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"


def clean(element: ElementTree.Element) -> None:
    for name in list(element.attrib):
        if not allowed_attribute(name, element.attrib[name]):
            del element.attrib[name]
    for child in list(element):
        if not isinstance(child.tag, str) or local_name(child.tag) not in ELEMENTS:
            element.remove(child)  # comments, processing instructions, anything not drawing
        elif not child.tag.startswith(f"{{{SVG}}}"):
            element.remove(child)
        else:
            clean(child)


def allowed_attribute(name: str, value: str) -> bool:
    if name in LINKS:
        return value.strip().startswith("#")  # a fragment of this file: never another document
    if name in KEPT_FOREIGN:
        return True
    if name.startswith("{") or name not in ATTRIBUTES:
        return False
    lowered = value.lower()
    if any(marker in lowered for marker in NEVER_IN_VALUES):
        return False
    return all(target.strip().startswith("#") for target in URL_TARGET.findall(lowered))


def local_name(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]
