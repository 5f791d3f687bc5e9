"""Compare two versions of a procedure component by component, for the readable diff page."""

import difflib
from dataclasses import dataclass

from tinhgon.procedures.models import COMPONENT_LABELS, ProcedureVersion


def component_lines(version: ProcedureVersion) -> dict[str, list[str]]:
    """Each component of `version` as the lines a reader sees, keyed like COMPONENT_LABELS."""
    return {
        "name": [version.name],
        "group": [version.get_group_display()],
        # The primary level, then each other level with its body (the primary body is performing_body's line).
        "level": [
            row.get_level_display() + (f": {row.body}" if row.body and row.level != version.level else "")
            for row in version.level_rows()
        ],
        "field": [str(version.field)],
        "steps": [
            f"Bước {s.order}: {s.actor + ': ' if s.actor else ''}{s.action}"
            + (f" ({s.duration})" if s.duration else "")
            for s in version.steps.all()
        ],
        "channels": version.channel_labels(),
        "dossier_items": [
            f"{d.name}: {d.quantity_display()}" + (" (khai thác từ dữ liệu sẵn có)" if d.obtainable_from_data else "")
            for d in version.dossier_items.all()
        ],
        "dossier_sets": [f"{version.dossier_sets:02d} bộ"],
        "processing_time": [version.processing_time_display()],
        "performers": version.performers.splitlines(),
        "authority": version.authority.splitlines(),
        "performing_body": version.performing_body.splitlines(),
        "coordinating_bodies": version.coordinating_bodies.splitlines(),
        "result": version.result.splitlines(),
        "fees": version.fees.splitlines(),
        "forms": [f.name for f in version.forms.all()],
        "conditions": version.conditions.splitlines(),
        "legal_bases": [f"{b}{', ' + b.article if b.article else ''}" for b in version.legal_bases.all()],
        "executions_per_year": [str(version.executions_per_year or "")],
        "subjects_per_year": [str(version.subjects_per_year or "")],
    }


@dataclass
class ComponentDiff:
    label: str
    changed: bool
    lines: list[tuple[str, str]]  # (" " | "-" | "+", text)


def compare(old: ProcedureVersion, new: ProcedureVersion) -> list[ComponentDiff]:
    before, after = component_lines(old), component_lines(new)
    rows = []
    for key, label in COMPONENT_LABELS.items():
        a, b = [x for x in before[key] if x], [x for x in after[key] if x]
        lines = [(line[0], line[2:]) for line in difflib.ndiff(a, b) if line[0] in " -+"]
        rows.append(ComponentDiff(label=label, changed=a != b, lines=lines))
    return rows
