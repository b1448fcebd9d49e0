"""The document model every renderer reads: headings and paragraphs made of text and bound figures."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal


@dataclass(frozen=True)
class Figure:
    """A number printed in the report, bound to an indicator value of a frozen snapshot."""

    code: str  # indicator code
    text: str  # as printed, e.g. "1295件", "500余次", "同比增长12%"
    value: Decimal | None = None  # the snapshot's value it prints (the gate compares the text with it)


Run = str | Figure


@dataclass(frozen=True)
class Heading:
    level: int  # 1: 一、  2: （一）  3: 1.
    text: str


@dataclass(frozen=True)
class Paragraph:
    runs: tuple[Run, ...]

    @property
    def text(self) -> str:
        return "".join(r if isinstance(r, str) else r.text for r in self.runs)


Block = Heading | Paragraph


@dataclass
class Document:
    title: str
    subtitle: str = ""
    blocks: list[Block] = field(default_factory=list)
    unit_id: int | None = None
    period: str = ""

    def empty_parts(self) -> list[str]:
        """Level-1 headings (the mandated parts) with no paragraph under them."""
        empty, current, seen_text = [], None, False
        for block in [*self.blocks, Heading(1, "")]:
            if isinstance(block, Heading) and block.level == 1:
                if current is not None and not seen_text:
                    empty.append(current)
                current, seen_text = block.text, False
            elif isinstance(block, Paragraph):
                seen_text = True
        return empty

    def figures(self) -> list[Figure]:
        return [r for b in self.blocks if isinstance(b, Paragraph) for r in b.runs if isinstance(r, Figure)]
