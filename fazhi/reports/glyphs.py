"""Checks that a PDF draws every character with a glyph of the font meant for it: no missing glyph
(tofu, the empty box of .notdef) and no glyph borrowed from a fallback font outside the fonts the
document names, as fontconfig maps them with fonts.conf (the mapping LibreOffice uses in pdf.py).

The PDF's text layer says, for each drawn character, its Unicode text and the font it is drawn in.
That font is found among the installed ones by its PostScript name (`fc-list`), and the character must
be in the charset (cmap) of the face fontconfig resolves for one of the document's font names. Needs
fontconfig's command-line tools (`fc-list`, `fc-match`), which come with LibreOffice.
"""

from __future__ import annotations

import io
import os
import re
import subprocess
import zipfile
from bisect import bisect_right
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

from .pdf import FONTS_CONF

SUBSET_TAG = re.compile(r"^[A-Z]{6}\+")
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
# rFonts attributes that name a font (the *Theme ones name a theme slot, not a font).
FONT_ATTRIBUTES = tuple(f"{{{W_NS}}}{name}" for name in ("ascii", "hAnsi", "eastAsia", "cs"))
# The parts that hold text (styles.xml is read for the styles they use only).
TEXT_PARTS = re.compile(r"word/(document|header\d*|footer\d*|footnotes|endnotes|comments)\.xml")
NO_SUCH_FONT = "fazhi-no-such-font"  # what fontconfig falls back to for a name it cannot resolve


class GlyphFault(StrEnum):
    MISSING = "missing"  # the font that draws it has no glyph for the character (.notdef: tofu)
    FALLBACK = "fallback"  # drawn in a font none of the document's font names resolves to
    NO_TEXT = "no_text"  # a glyph without Unicode text (U+FFFD, or pdfminer's "(cid:N)")
    UNKNOWN_FONT = "unknown_font"  # the PDF's font is none of the fonts fontconfig knows


@dataclass(frozen=True)
class GlyphProblem:
    page: int  # 1-based
    text: str
    font: str  # as the PDF names it, subset tag removed
    fault: GlyphFault

    def __str__(self) -> str:
        codes = " ".join(f"U+{ord(c):04X}" for c in self.text)
        return f"page {self.page}: {self.text!r} ({codes}) in {self.font}: {self.fault.value}"


class Charset:
    """A fontconfig charset ("20-7e a0-ff 2014 …", hexadecimal code points and ranges)."""

    def __init__(self, text: str):
        ranges = []
        for part in text.split():
            low, _, high = part.partition("-")
            ranges.append((int(low, 16), int(high or low, 16)))
        ranges.sort()
        self._starts = [low for low, _ in ranges]
        self._ends = [high for _, high in ranges]

    def __contains__(self, codepoint: int) -> bool:
        i = bisect_right(self._starts, codepoint) - 1
        return i >= 0 and codepoint <= self._ends[i]

    def __len__(self) -> int:
        return sum(high - low + 1 for low, high in zip(self._starts, self._ends, strict=True))


@dataclass(frozen=True)
class Face:
    postscript_name: str
    families: tuple[str, ...]
    style: str
    file: str
    index: int
    charset: Charset = field(compare=False, repr=False)


@dataclass
class GlyphCheck:
    chars: int = 0  # characters drawn in the PDF and checked
    fonts: Counter = field(default_factory=Counter)  # PDF font name → characters drawn in it
    problems: list[GlyphProblem] = field(default_factory=list)


def _fc(args: list[str], config: Path) -> str:
    env = {**os.environ, "FONTCONFIG_FILE": str(config)}
    return subprocess.run(args, capture_output=True, text=True, check=True, env=env).stdout


def installed_faces(*, config: Path = FONTS_CONF) -> list[Face]:
    out = _fc(["fc-list", "-f", "%{postscriptname}\t%{family}\t%{style}\t%{file}\t%{index}\t%{charset}\n"], config)
    faces = []
    for line in out.splitlines():
        parts = line.split("\t")
        if len(parts) != 6:
            continue
        name, families, style, file, index, charset = parts
        faces.append(Face(name, tuple(families.split(",")), style, file, int(index or 0), Charset(charset)))
    return faces


def font_family(name: str, *, config: Path = FONTS_CONF) -> str:
    """The family fontconfig draws `name` with (after fonts.conf's aliases)."""
    return _fc(["fc-match", "-f", "%{family[0]}", name], config).strip()


def font_names_unresolved(names: Iterable[str], *, config: Path = FONTS_CONF) -> list[str]:
    """Names that are neither installed nor mapped: fontconfig gives them its default font."""
    default = font_family(NO_SUCH_FONT, config=config)
    return sorted(n for n in names if n != default and font_family(n, config=config) == default)


def docx_font_names(docx: bytes) -> set[str]:
    """Every font a .docx names for its text: in its runs (body, headers, footers, notes), in the styles
    they use (with the styles those are based on, and the defaults), theme slots left out."""
    from lxml import etree

    def w(name: str) -> str:
        return f"{{{W_NS}}}{name}"

    def named(element) -> set[str]:
        return {v for fonts in element.iter(w("rFonts")) for a in FONT_ATTRIBUTES if (v := fonts.get(a))}

    names: set[str] = set()
    used: set[str] = set()
    with zipfile.ZipFile(io.BytesIO(docx)) as package:
        parts = package.namelist()
        for part in parts:
            if TEXT_PARTS.fullmatch(part):
                root = etree.fromstring(package.read(part))
                names |= named(root)
                used |= {e.get(w("val")) for tag in ("pStyle", "rStyle", "tblStyle") for e in root.iter(w(tag))}
        if "word/styles.xml" not in parts:
            return names
        styles = etree.fromstring(package.read("word/styles.xml"))
    by_id = {s.get(w("styleId")): s for s in styles.iter(w("style"))}
    todo = list(used) + [i for i, s in by_id.items() if s.get(w("default")) in ("1", "true")]
    for defaults in styles.iter(w("docDefaults")):
        names |= named(defaults)
    seen: set[str] = set()
    while todo:
        style = by_id.get(todo.pop())
        if style is None or style.get(w("styleId")) in seen:
            continue
        seen.add(style.get(w("styleId")))
        names |= named(style)
        todo += [e.get(w("val")) for tag in ("basedOn", "link") for e in style.iter(w(tag))]
    return names


def _pdf_chars(pdf: bytes):
    """(page, text, font name) of every character the PDF draws."""
    import pdfplumber

    with pdfplumber.open(io.BytesIO(pdf)) as opened:
        for number, page in enumerate(opened.pages, start=1):
            for char in page.chars:
                yield number, char["text"], SUBSET_TAG.sub("", char["fontname"])


def pdf_glyph_check(pdf: bytes, *, fonts: Iterable[str], config: Path = FONTS_CONF) -> GlyphCheck:
    """Check every character of `pdf` against the faces fontconfig resolves for the font names `fonts`
    (e.g. `docx_font_names` of the .docx the PDF was made from)."""
    faces = installed_faces(config=config)
    families = {font_family(name, config=config) for name in fonts}
    allowed = [f for f in faces if set(f.families) & families]
    by_name: dict[str, list[Face]] = {}
    for face in faces:
        by_name.setdefault(face.postscript_name, []).append(face)

    def faces_of(pdf_font: str) -> list[Face] | None:
        """The allowed faces this PDF font may stand for; [] if it is a fallback font, None if
        fontconfig does not know it. A CFF font of a collection (Noto CJK) keeps the name of the
        collection's first face in the PDF, whichever face drew it, and may carry a suffix ("-VKana")."""
        names = [n for n in by_name if pdf_font == n or pdf_font.startswith(n + "-")]
        if not names:
            return None
        drawn = by_name[max(names, key=len)]
        exact = [f for f in drawn if f in allowed]
        if exact:
            return exact
        return [f for f in allowed if f.file in {d.file for d in drawn}]

    check = GlyphCheck()
    resolved: dict[str, list[Face] | None] = {}
    for page, text, font in _pdf_chars(pdf):
        check.chars += 1
        check.fonts[font] += 1
        if font not in resolved:
            resolved[font] = faces_of(font)
        candidates = resolved[font]
        fault = None
        if text.startswith("(cid:") or "\ufffd" in text or not text:
            fault = GlyphFault.NO_TEXT
        elif candidates is None:
            fault = GlyphFault.UNKNOWN_FONT
        elif not candidates:
            fault = GlyphFault.FALLBACK
        elif not all(any(ord(c) in f.charset for f in candidates) for c in text):
            fault = GlyphFault.MISSING
        if fault is not None:
            check.problems.append(GlyphProblem(page, text, font, fault))
    return check
