"""The stored period labels of assignments and indicator values take the periods' own names (core.formatting:
'Quý 3/2026' → 'quý III/2026', 'Tháng 06/2026' → 'tháng 06/2026', 'Năm 2026' → 'năm 2026'), the names the code
now gives them: a task's assignments are matched on (unit, label) when it is saved, so an old label would be
taken for another period and its assignment created twice."""

import re

from django.db import migrations

ROMAN = ["I", "II", "III", "IV"]


def _new(label: str) -> str:
    if m := re.fullmatch(r"Quý ([1-4])/(\d{4})", label):
        return f"quý {ROMAN[int(m[1]) - 1]}/{m[2]}"
    if m := re.fullmatch(r"(Tháng|Năm) (.+)", label):
        return f"{m[1].lower()} {m[2]}"
    return label


def _old(label: str) -> str:
    if m := re.fullmatch(r"quý (I|II|III|IV)/(\d{4})", label):
        return f"Quý {ROMAN.index(m[1]) + 1}/{m[2]}"
    if m := re.fullmatch(r"(tháng|năm) (.+)", label):
        return f"{m[1].capitalize()} {m[2]}"
    return label


def _rename(apps, rename):
    # A label is derived from the period (its due date), not a record of its own: one update per distinct label.
    for model in ("Assignment", "IndicatorValue"):
        rows = apps.get_model("plans", model).objects
        for label in rows.values_list("period_label", flat=True).distinct():
            if (new := rename(label)) != label:
                rows.filter(period_label=label).update(period_label=new)


def forward(apps, schema_editor):
    _rename(apps, _new)


def backward(apps, schema_editor):
    _rename(apps, _old)


class Migration(migrations.Migration):
    dependencies = [("plans", "0008_seed_reform_areas")]

    operations = [migrations.RunPython(forward, backward)]
