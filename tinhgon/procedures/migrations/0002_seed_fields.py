from django.db import migrations

# The common fields (lĩnh vực) of internal procedures in published decisions (domain.md §3.1, §10); more can be
# added in the admin.
FIELDS = [
    ("thi-dua-khen-thuong", "Thi đua - Khen thưởng"),
    ("van-thu-luu-tru", "Văn thư và lưu trữ nhà nước"),
    ("cong-tac-van-phong", "Công tác văn phòng"),
    ("kiem-soat-tthc", "Kiểm soát thủ tục hành chính"),
    ("to-chuc-can-bo", "Tổ chức cán bộ"),
    ("chinh-quyen-dia-phuong", "Chính quyền địa phương"),
    ("tai-chinh", "Tài chính"),
    ("ke-hoach-dau-tu", "Kế hoạch và đầu tư"),
    ("giao-thong-van-tai", "Giao thông vận tải"),
    ("xay-dung", "Xây dựng"),
    ("tu-phap", "Tư pháp"),
    ("thanh-tra", "Thanh tra"),
    ("giao-duc-dao-tao", "Giáo dục và đào tạo"),
    ("y-te", "Y tế"),
    ("nong-nghiep-moi-truong", "Nông nghiệp và môi trường"),
    ("khoa-hoc-cong-nghe", "Khoa học và công nghệ"),
    ("van-hoa-the-thao-du-lich", "Văn hóa, thể thao và du lịch"),
    ("cong-thuong", "Công thương"),
    ("dan-toc-ton-giao", "Dân tộc và tôn giáo"),
    ("lao-dong-xa-hoi", "Lao động, người có công và xã hội"),
    ("ngoai-vu", "Ngoại vụ"),
]


def forward(apps, schema_editor):
    Field = apps.get_model("procedures", "Field")
    for code, name in FIELDS:
        Field.objects.get_or_create(code=code, defaults={"name": name})


class Migration(migrations.Migration):
    dependencies = [("procedures", "0001_initial")]
    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
