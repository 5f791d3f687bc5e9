from django.db import migrations

# Lĩnh vực cải cách hành chính (tinhgon.plans.models.ReformArea): "công tác chỉ đạo, điều hành", then the six areas
# of NQ 76/NQ-CP (Chương trình tổng thể CCHC nhà nước giai đoạn 2021-2030), in the order and the words of the
# provincial and department plans (KH 01/KH-SNgV Hà Tĩnh 2023, §II, §III); NQ 76/NQ-CP names the last one "Xây dựng
# và phát triển Chính phủ điện tử, Chính phủ số" at the national level. Editable in the admin.
AREAS = [
    (1, "chi-dao-dieu-hanh", "Công tác chỉ đạo, điều hành"),
    (2, "the-che", "Cải cách thể chế"),
    (3, "thu-tuc-hanh-chinh", "Cải cách thủ tục hành chính"),
    (4, "to-chuc-bo-may", "Cải cách tổ chức bộ máy"),
    (5, "che-do-cong-vu", "Cải cách chế độ công vụ"),
    (6, "tai-chinh-cong", "Cải cách tài chính công"),
    (7, "chinh-quyen-so", "Xây dựng và phát triển chính quyền điện tử, chính quyền số"),
]


def forward(apps, schema_editor):
    ReformArea = apps.get_model("plans", "ReformArea")
    for order, code, name in AREAS:
        ReformArea.objects.get_or_create(code=code, defaults={"name": name, "order": order})


class Migration(migrations.Migration):
    dependencies = [("plans", "0007_reform_areas")]
    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
