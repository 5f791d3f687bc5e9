"""A document's paragraphs as an outline: the numbered items (I., 1., 1.1., a), -, +) with their text and
children, and the text the extraction reads as one string with each item's span in it.

Text copied from a web page or a PDF is wrapped at a fixed width: a sentence runs over several lines. Lines are
joined back into paragraphs where the next line cannot start one (it starts in lower case, or both lines are a
heading in capitals, or the document is wrapped and the line was cut at the width); a line that starts with an
item's number or a bullet always starts a paragraph.
"""

import re
from dataclasses import dataclass, field

from tinhgon.plans.extraction.documents import Block, Document

ROMAN_RE = re.compile(r"^(?P<n>[IVX]{1,5})\s*[.)]\s*(?P<t>\S.*)$")
NUMBER_RE = re.compile(r"^(?P<n>\d{1,2}(?:\.\d{1,2})+)\.?\s+(?P<t>\S.*)$|^(?P<m>\d{1,2})\s*[.)]\s*(?P<u>\S.*)$")
LETTER_RE = re.compile(r"^(?P<n>[a-zđ])\s*\)\s*(?P<t>\S.*)$")
BULLET_RE = re.compile(r"^(?P<n>[-–—•*+])\s*(?P<t>\S.*)$")
ARTICLE_RE = re.compile(r"^(?P<n>Điều\s+\d+)\s*[.:]?\s*(?P<t>.*)$")
SEPARATOR_RE = re.compile(r"^(?:[-_=*|.]{1,}|\s*)$")
STARTS_PARAGRAPH = re.compile(r"^(?:Căn cứ|Thực hiện|Theo đề nghị|Nơi nhận|QUYẾT ĐỊNH|KẾ HOẠCH|\(|Lần \d)")
TERMINAL = (".", ";", ":", "!", "?", "./.")

RANKS = {"article": 0, "roman": 0, "letter": 5, "dash": 6, "plus": 7}


@dataclass
class Node:
    kind: str  # "roman", "number", "letter", "dash", "plus", "article", "root"
    number: str
    text: str  # the item's own text (after its number), continuation paragraphs joined with "\n"
    start: int  # span in Outline.text of the item and its continuation (children excluded)
    end: int
    rank: int
    children: list["Node"] = field(default_factory=list)
    parent: "Node | None" = None
    ordinal: int = 1  # its place among its parent's items of the same kind (bullets are numbered by it)
    counts: dict[str, int] = field(default_factory=dict)  # its items so far, by kind

    def subtree_end(self) -> int:
        return self.children[-1].subtree_end() if self.children else self.end

    def walk(self):
        yield self
        for child in self.children:
            yield from child.walk()


@dataclass
class Table:
    rows: list[list[str]]
    start: int  # span of the rendered rows in Outline.text; row i starts at row_starts[i]
    row_starts: list[int]
    end: int


@dataclass
class Outline:
    text: str
    root: Node
    paragraphs: list[tuple[int, int]]  # every paragraph's span, for the header
    tables: list[Table]


def paragraphs_of(document: Document, wrapped: bool) -> list[Block]:
    """Lines joined into paragraphs (tables kept as they are)."""
    out: list[Block] = []
    lines = [b if b.is_table else Block(text=" ".join(b.text.split())) for b in document.blocks]
    width = _wrap_width(lines) if wrapped else 0
    for block in lines:
        previous = out[-1] if out else None
        if (
            previous is not None
            and not block.is_table
            and not previous.is_table
            and block.text
            and previous.text
            and _continues(previous.text, block.text, width)
        ):
            previous.text = f"{previous.text} {block.text}"
            continue
        out.append(Block(rows=block.rows) if block.is_table else Block(text=block.text))
    return [b for b in out if b.is_table or b.text]


def _wrap_width(lines: list[Block]) -> int:
    lengths = sorted(len(b.text) for b in lines if not b.is_table and len(b.text) > 20)
    return lengths[int(len(lengths) * 0.9)] if lengths else 0


def _continues(previous: str, line: str, width: int) -> bool:
    if SEPARATOR_RE.match(previous) or SEPARATOR_RE.match(line) or previous.endswith(TERMINAL):
        return False
    if _marker(line) is not None or STARTS_PARAGRAPH.match(line):
        return False
    first = line[0]
    if first.islower() or previous.endswith(","):
        return True
    if previous.isupper() and line.isupper():  # a heading in capitals over two lines
        return True
    return bool(width) and len(previous) >= width * 0.6 and (first.isupper() or first.isdigit())


def _marker(line: str) -> tuple[str, str, str, int] | None:
    """(kind, number, text, rank) of a line that starts an item, else None."""
    if m := ARTICLE_RE.match(line):
        return "article", m["n"], m["t"], RANKS["article"]
    if m := ROMAN_RE.match(line):
        return "roman", m["n"], m["t"], RANKS["roman"]
    if m := NUMBER_RE.match(line):
        number = m["n"] or m["m"]
        return "number", number, m["t"] or m["u"], number.count(".") + 1
    if m := LETTER_RE.match(line):
        return "letter", m["n"], m["t"], RANKS["letter"]
    if m := BULLET_RE.match(line):
        kind = "plus" if m["n"] == "+" else "dash"
        return kind, m["n"], m["t"], RANKS[kind]
    return None


def build(document: Document, *, wrapped: bool) -> Outline:
    parts: list[str] = []
    position = 0
    root = Node("root", "", "", 0, 0, -1)
    stack = [root]
    current = root
    paragraphs: list[tuple[int, int]] = []
    tables: list[Table] = []

    def add(text: str) -> tuple[int, int]:
        nonlocal position
        start = position
        parts.append(text + "\n")
        position += len(text) + 1
        return start, start + len(text)

    for block in paragraphs_of(document, wrapped):
        if block.is_table:
            starts = []
            for row in block.rows:
                starts.append(position)
                add(" | ".join(row))
            tables.append(Table(block.rows, starts[0] if starts else position, starts, position))
            continue
        start, end = add(block.text)
        paragraphs.append((start, end))
        marker = _marker(block.text)
        if marker is None:
            if current is not root:
                current.text += "\n" + block.text
                current.end = end
            continue
        kind, number, text, rank = marker
        while stack[-1].rank >= rank:
            stack.pop()
        parent = stack[-1]
        parent.counts[kind] = ordinal = parent.counts.get(kind, 0) + 1
        node = Node(kind, number, text, start, end, rank, parent=parent, ordinal=ordinal)
        parent.children.append(node)
        stack.append(node)
        current = node
    return Outline("".join(parts), root, paragraphs, tables)
