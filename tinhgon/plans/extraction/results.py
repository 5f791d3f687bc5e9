"""What extraction finds in a plan's document (plain data, nothing saved): the header, the objectives and the tasks,
each task with the span of the document's text it was read from (for the review page's highlight)."""

from dataclasses import dataclass, field
from datetime import date

from tinhgon.organisations.models import Organisation


@dataclass
class UnitRef:
    """One agency as the document names it: a unit of the tree (`unit`), a rule ("Các sở, ngành tỉnh" →
    ExecutingRule value in `rule`), or neither (`problem` says why; `suggestions` are close names)."""

    text: str
    unit: Organisation | None = None
    rule: str = ""
    problem: str = ""
    suggestions: list[str] = field(default_factory=list)

    @property
    def matched(self) -> bool:
        return self.unit is not None or bool(self.rule)


@dataclass
class ExtractedTask:
    number: str  # as written: "1", "2.1", "a", "-" (bullets get their position: "3.-2")
    path: str  # the numbers from the top section down, "III.2.a"
    content: str
    start: int  # the span of Extraction.text the task was read from
    end: int
    lead: list[UnitRef] = field(default_factory=list)
    coordinating: list[UnitRef] = field(default_factory=list)
    executing: list[UnitRef] = field(default_factory=list)
    deadline: date | None = None
    recurrence: str = ""  # a Recurrence value, "" for a one-off task
    time_text: str = ""  # the phrase the deadline or recurrence was read from
    products: str = ""
    heading: str = ""  # the group heading the task sits under ("1. Công tác chỉ đạo điều hành")
    from_table: bool = False  # read from an appendix table rather than the body
    regular: bool = False  # its time is "thường xuyên": a regular task, neither a deadline nor a recurrence

    @property
    def unmatched(self) -> list[UnitRef]:
        return [ref for ref in (*self.lead, *self.coordinating, *self.executing) if not ref.matched]


@dataclass
class Header:
    number: str = ""  # "258/QĐ-UBND"; "" when the document leaves it blank (a draft: "Số: /KH-STTTT")
    issued_on: date | None = None
    issuer: str = ""  # as printed at the top left
    place: str = ""
    kind: str = ""  # "KẾ HOẠCH", "QUYẾT ĐỊNH"
    title: str = ""
    period_start: date | None = None
    period_end: date | None = None


@dataclass
class Extraction:
    text: str  # the document as one normalised text, the tasks' spans index into it
    header: Header
    objectives: list[str] = field(default_factory=list)
    tasks: list[ExtractedTask] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
