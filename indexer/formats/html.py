"""HTML pages (saved from the inspectorate's site, or its 2021+ report pages) to blocks.

Parsed with Beautiful Soup over the standard library's `html.parser` (no C extension, lenient
with the broken markup of saved pages; see docs/formats.md). The page's content root is chosen
(`<main>`, else `[role=main]`, `<article>`, `#content`, else `<body>`), and navigation, cookie
banners, breadcrumbs, headers, footers, forms, scripts and hidden elements are cut out before
any text is taken, so none of it can become searchable. What remains becomes "heading" (with
its level), "para", "item" and "row" blocks; the shared chrome filter then runs as for text.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterator
from dataclasses import dataclass

from bs4 import BeautifulSoup, MarkupResemblesLocatorWarning, XMLParsedAsHTMLWarning
from bs4.element import NavigableString, PageElement, Tag

from indexer.errors import ReportError
from indexer.limits import DEFAULT_LIMITS, Limits
from indexer.normalise import CELL_SEP, Block, Normalised, strip_chrome, utf16
from indexer.textclean import clean_line

DROP_TAGS = (
    "script", "style", "noscript", "template", "nav", "aside", "form", "button", "svg",
    "iframe", "select", "input", "dialog", "object", "img", "picture", "video", "audio",
)  # fmt: skip
# Class, id, role or aria-label words that mark an element as site chrome.
CHROME_HINT = re.compile(
    r"cookie|consent|breadcrumb|skip-?link|navbar|\bnav\b|-nav\b|\bnav-|menu|footer|masthead|"
    r"site-header|social|share|search|language|lang-switch|banner|back-to-top",
    re.IGNORECASE,
)
CHROME_ROLES = frozenset({"navigation", "banner", "contentinfo", "search", "alertdialog"})
HEADINGS = {f"h{n}": n for n in range(1, 7)}
BLOCK_TEXT = frozenset({"p", "dt", "dd", "figcaption", "caption", "pre", "address", "summary"})
CONTAINERS = frozenset(
    {
        "html", "body", "main", "article", "section", "div", "header", "ul", "ol", "dl",
        "figure", "blockquote", "details", "table", "thead", "tbody", "tfoot", "center",
        "fieldset",
    }
)  # fmt: skip


def _is_chrome(tag: Tag) -> bool:
    if tag.name in ("nav", "footer") or tag.has_attr("hidden"):
        return True
    if tag.get("aria-hidden") == "true" or tag.get("role") in CHROME_ROLES:
        return True
    classes: str | list[str] = tag.get("class") or []
    words = " ".join([*classes, str(tag.get("id") or ""), str(tag.get("aria-label") or "")])
    return bool(words.strip()) and bool(CHROME_HINT.search(words))


def _cut_out(root: Tag) -> list[Tag]:
    """The outermost elements under `root` to drop: scripts, forms, media and site chrome.

    Walked with an explicit stack, never entering an element already cut, so each element is
    looked at once and the subtrees returned are disjoint.
    """
    cut: list[Tag] = []
    stack = [root]
    while stack:
        tag = stack.pop()
        if tag is not root and (tag.name in DROP_TAGS or _is_chrome(tag)):
            cut.append(tag)
            continue
        stack.extend(c for c in reversed(tag.contents) if isinstance(c, Tag))
    return cut


def _text(tag: Tag) -> str:
    return clean_line(re.sub(r"\s+", " ", tag.get_text("")))


def _content_root(soup: BeautifulSoup) -> Tag:
    for selector in ("main", "[role=main]", "article", "#content", "#main-content", "body"):
        found = soup.select_one(selector)
        if isinstance(found, Tag):
            return found
    return soup


BLOCKISH = CONTAINERS | BLOCK_TEXT | frozenset(HEADINGS) | {"li", "tr"}


def _with_blocks(root: Tag) -> set[int]:
    """Ids of the elements under `root` that hold a block-level element somewhere inside.

    One pass in document order: each block-level element marks its ancestors up to the first
    one already marked (whose own ancestors are marked too), so every element is marked once
    and the cost is linear however deep the nesting.
    """
    marked: set[int] = set()
    for tag in root.descendants:
        if not isinstance(tag, Tag) or tag.name not in BLOCKISH:
            continue
        parent = tag.parent
        while parent is not None and id(parent) not in marked:
            marked.add(id(parent))
            if parent is root:
                break
            parent = parent.parent
    return marked


@dataclass(slots=True)
class _Frame:
    """An element whose children are being walked."""

    element: Tag
    children: Iterator[PageElement]
    flush_after: bool  # a container's inline text ends with it


class _Walker:
    """Collects blocks from a cleaned element tree, in document order.

    The walk keeps its own stack of open elements instead of recursing, so a page of 100,000
    nested `<div>`s is read like any other, in time linear in its size.
    """

    def __init__(self, root: Tag) -> None:
        self.blocks: list[Block] = []
        self.inline: list[str] = []
        self.inline_line = 0
        self.has_blocks = _with_blocks(root)
        self.stack: list[_Frame] = []

    def emit(self, kind: str, text: str, line: int, level: int = 0) -> None:
        if text:
            self.blocks.append(Block(kind, text, line, level))

    def flush(self) -> None:
        text = clean_line(re.sub(r"\s+", " ", "".join(self.inline)))
        self.inline = []
        self.emit("para", text, self.inline_line)

    def walk(self, root: Tag) -> None:
        self.stack.append(_Frame(root, iter(root.children), False))
        while self.stack:
            frame = self.stack[-1]
            child = next(frame.children, None)
            if child is None:
                self.stack.pop()
                if frame.flush_after:
                    self.flush()
                continue
            self.visit(frame.element, child)

    def visit(self, element: Tag, child: PageElement) -> None:
        if isinstance(child, NavigableString):
            if type(child) is NavigableString and child.strip():
                if not self.inline:
                    self.inline_line = element.sourceline or 0
                self.inline.append(str(child))
            return
        if not isinstance(child, Tag):
            return
        name = child.name
        line = child.sourceline or 0
        if name in HEADINGS:
            self.flush()
            self.emit("heading", _text(child), line, HEADINGS[name])
        elif name == "li":
            self.flush()
            self._item(child)
        elif name == "tr":
            self.flush()
            cells = [_text(c) for c in child.find_all(("td", "th"), recursive=False)]
            while cells and not cells[-1]:
                cells.pop()
            if any(cells):
                self.emit("row", CELL_SEP.join(cells), line)
        elif name in BLOCK_TEXT or (name in CONTAINERS and id(child) not in self.has_blocks):
            self.flush()
            self.emit("para", _text(child), line)
        elif name in CONTAINERS:
            self.flush()
            self.stack.append(_Frame(child, iter(child.children), True))
        elif name == "br":
            self.inline.append(" ")
        else:
            if not self.inline:
                self.inline_line = line
            self.inline.append(child.get_text(""))

    def _item(self, li: Tag) -> None:
        nested = [c for c in li.children if isinstance(c, Tag) and c.name in ("ul", "ol", "p")]
        if not nested:
            self.emit("item", _text(li), li.sourceline or 0)
            return
        own = "".join(
            c.get_text("") if isinstance(c, Tag) else str(c)
            for c in li.children
            if not (isinstance(c, Tag) and c.name in ("ul", "ol"))
        )
        self.emit("item", clean_line(re.sub(r"\s+", " ", own)), li.sourceline or 0)
        lists = [c for c in nested if c.name in ("ul", "ol")]
        # Walked next, in order: the last pushed is walked first.
        for c in reversed(lists):
            self.stack.append(_Frame(c, iter(c.children), False))


def parse_html(data: bytes) -> BeautifulSoup:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", MarkupResemblesLocatorWarning)
        warnings.simplefilter("ignore", XMLParsedAsHTMLWarning)
        return BeautifulSoup(data, "html.parser")


def read(data: bytes, limits: Limits = DEFAULT_LIMITS) -> Normalised:
    """An HTML page's report text as blocks; its title and canonical URL as metadata."""
    text16 = utf16(data)
    if text16 is not None:  # a page saved as UTF-16: parse its text as UTF-8
        data = text16.encode("utf-8")
    if not data.strip():
        raise ReportError("empty file")
    if b"\x00" in data:
        raise ReportError("binary data (NUL bytes), not an HTML page")
    soup = parse_html(data)
    if soup.find() is None:
        raise ReportError("not HTML (no elements found)")
    meta: dict[str, str] = {}
    if soup.title and soup.title.string:
        meta["title"] = clean_line(soup.title.string)
    canonical = soup.find("link", rel="canonical") or soup.find("meta", property="og:url")
    if isinstance(canonical, Tag):
        url = canonical.get("href") or canonical.get("content")
        if isinstance(url, str) and url.startswith("http"):
            meta["url"] = url.strip()
    root = _content_root(soup)
    if root.name == "body":
        # No marked-up main content: the page's own header is site chrome.
        for tag in root.find_all("header", recursive=False):
            tag.decompose()
    for tag in _cut_out(root):
        tag.decompose()
    walker = _Walker(root)
    walker.walk(root)
    walker.flush()
    markers: dict[str, list[int]] = {}
    blocks = strip_chrome(walker.blocks, markers)
    if not blocks:
        raise ReportError("no report text in the HTML page (only site chrome, or nothing)")
    encoding = soup.original_encoding or "utf-8"
    return Normalised(blocks, str(encoding), meta=meta, markers=markers)
