"""A plan's document (Word, PDF with a text layer, or pasted text) read into its header, objectives and tasks,
with each task's lead, coordinating and executing agencies matched to the organisation tree, its deadline or
recurrence read from the time phrase, and its products. Rule-based, on the project's own Vietnamese text tools;
nothing is saved here (the review page and the API decide what to do with the result).

- `read_document(upload=None, text=None) -> Document`: the file checked and read into blocks (paragraphs and
  tables, in the order of the document); `DocumentRefused` with a Vietnamese message for a file it cannot read
  (a scan without text, an encrypted PDF, a huge file, another type).
- `extract(document, issuer=organisation) -> Extraction`: the header, the objectives and the tasks; agencies are
  matched among the current units of the issuer's province (plans.excel_import.UnitDirectory, the Excel import's).
- `suggest_parents(extraction, parent_plan) -> list[Task | None]`: for each task, the parent plan's task it most
  likely implements (by the similarity of their contents), or None.
"""

from tinhgon.plans.extraction.documents import Document, DocumentRefused, read_document
from tinhgon.plans.extraction.parsing import extract, suggest_parents
from tinhgon.plans.extraction.results import ExtractedTask, Extraction, Header, UnitRef

__all__ = [
    "Document",
    "DocumentRefused",
    "Extraction",
    "ExtractedTask",
    "Header",
    "UnitRef",
    "extract",
    "read_document",
    "suggest_parents",
]
