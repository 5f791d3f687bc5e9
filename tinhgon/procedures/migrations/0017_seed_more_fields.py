"""More fields (lĩnh vực) that real decisions use, added to the 21 of 0002 only where a decision was found:

- "Tổ chức biên chế": Nghệ An, QĐ 3027/QĐ-UBND ngày 11/11/2024 of the Chủ tịch UBND tỉnh, "phê duyệt quy trình nội
  bộ, quy trình điện tử trong giải quyết thủ tục hành chính lĩnh vực tổ chức biên chế thuộc thẩm quyền giải quyết
  của UBND tỉnh, Sở Nội vụ tỉnh Nghệ An" (text in the public data set
  https://huggingface.co/datasets/52100303-TranPhuocSang/vi-legal-documents-20k-pretrain).

The fields of the other decisions read for issue 12 (Vĩnh Long QĐ 680/QĐ-UBND 28/7/2025: Công tác văn phòng, Văn
thư và lưu trữ nhà nước, Kiểm soát thủ tục hành chính; Thanh Hóa QĐ 3959/QĐ-UBND 02/10/2024: Giao thông vận tải;
Nghệ An: Thi đua - Khen thưởng; Bộ Nội vụ QĐ 101/QĐ-BNV: Chính quyền địa phương) are already in 0002. Nothing
else is guessed: the focal point adds the fields of its own decisions on the catalogue page (/thu-tuc/linh-vuc/).

Idempotent (get_or_create by code), so conftest.py reruns it after a transactional test's flush. Existing rows are
untouched: the new columns default to a top-level, active field that never merged.
"""

from django.db import migrations

FIELDS = [
    ("to-chuc-bien-che", "Tổ chức biên chế"),
]


def forward(apps, schema_editor):
    Field = apps.get_model("procedures", "Field")
    for code, name in FIELDS:
        if not Field.objects.filter(name=name).exists():
            Field.objects.get_or_create(code=code, defaults={"name": name})


class Migration(migrations.Migration):
    dependencies = [("procedures", "0016_field_catalogue_tree_and_history")]
    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
