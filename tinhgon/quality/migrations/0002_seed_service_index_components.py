from decimal import Decimal

from django.db import migrations

# The component groups of the Bộ chỉ số chỉ đạo, điều hành và đánh giá chất lượng phục vụ người dân, doanh nghiệp trong
# thực hiện thủ tục hành chính, dịch vụ công theo thời gian thực trên môi trường điện tử (QĐ 766/QĐ-TTg, 23/6/2022),
# with their maximum points, 100 in all. Sources, which agree:
# - Sở Nội vụ Nam Định, "Thủ tướng Chính phủ phê duyệt Bộ chỉ số chỉ đạo, điều hành và đánh giá chất lượng phục vụ
#   người dân, doanh nghiệp…" (https://sonoivu.namdinh.gov.vn/cai-cach-hanh-chinh/thu-tuong-chinh-phu-phe-duyet-bo-chi-
#   so-chi-dao-dieu-hanh-va-danh-gia-chat-luong-phuc-vu-nguoi-dan-doanh-nghiep-trong-2373): công khai, minh bạch 18;
#   tiến độ, kết quả giải quyết 20; số hóa hồ sơ 22; cung cấp dịch vụ trực tuyến 22; mức độ hài lòng 18;
# - baocaotaichinh.vn, "Quyết định 766/QĐ-TTg 2022 phê duyệt Bộ chỉ số…": the same five groups, 100 points at most;
#   TTHC updated and published on time 4 of the 18 points of "công khai, minh bạch", dossiers settled on time up to
#   20 points, satisfaction in receiving and settling TTHC up to 6 of the 18 points of "mức độ hài lòng";
# - the decision itself (https://thuviennhadat.vn/vbpl/quyet-dinh-766-qd-ttg-2022-bo-chi-so-danh-gia-chat-luong-phuc-
#   vu-thu-tuc-hanh-chinh-dien-tu-518821.html).
# The descriptions summarise what each group measures, as a hint on the entry form. Editable in the admin
# (quality.ServiceIndexComponent): a revised index changes the rows, not the code.
COMPONENTS = [
    (
        1,
        "cong-khai-minh-bach",
        "Công khai, minh bạch",
        "18",
        "Thủ tục hành chính được cập nhật, công khai đúng hạn; tình hình, kết quả giải quyết hồ sơ được công khai, "
        "đồng bộ lên Cổng Dịch vụ công quốc gia.",
    ),
    (
        2,
        "tien-do-ket-qua-giai-quyet",
        "Tiến độ, kết quả giải quyết",
        "20",
        "Tỷ lệ hồ sơ thủ tục hành chính được giải quyết đúng hạn.",
    ),
    (
        3,
        "so-hoa-ho-so",
        "Số hóa hồ sơ",
        "22",
        "Số hóa hồ sơ, kết quả giải quyết thủ tục hành chính; cấp kết quả điện tử; khai thác, sử dụng lại dữ liệu đã "
        "số hóa.",
    ),
    (
        4,
        "dich-vu-truc-tuyen",
        "Cung cấp dịch vụ trực tuyến",
        "22",
        "Dịch vụ công trực tuyến được cung cấp; hồ sơ nộp trực tuyến; thanh toán trực tuyến.",
    ),
    (
        5,
        "muc-do-hai-long",
        "Mức độ hài lòng",
        "18",
        "Mức độ hài lòng của người dân, doanh nghiệp trong tiếp nhận, giải quyết thủ tục hành chính và xử lý phản ánh, "
        "kiến nghị.",
    ),
]


def forward(apps, schema_editor):
    Component = apps.get_model("quality", "ServiceIndexComponent")
    for order, code, name, max_points, description in COMPONENTS:
        Component.objects.get_or_create(
            code=code,
            defaults={"order": order, "name": name, "max_points": Decimal(max_points), "description": description},
        )


class Migration(migrations.Migration):
    dependencies = [("quality", "0001_initial")]
    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
