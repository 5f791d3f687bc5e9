"""The question bank of the review form (domain.md §5; NĐ 63/2010 Art 28, form style of the published review
forms) and the national milestones (domain.md §7; QĐ 1085/QĐ-TTg). Both are data: later versions of the bank are
new QuestionSet rows, and organisations override milestones with their own rows."""

from datetime import date

from django.db import migrations

N, R, L = "necessity", "reasonableness", "legality"
# (criterion, component, question, guidance, flags_when: the answer that points to a simplification)
QUESTIONS = [
    (
        N,
        "objective",
        "Thủ tục có nhằm đạt mục tiêu quản lý nhà nước cụ thể không?",
        "Nêu rõ mục tiêu; “phục vụ quản lý nhà nước” chung chung không được coi là mục tiêu.",
        False,
    ),
    (N, "objective", "Mục tiêu quản lý đó hiện nay còn phù hợp không?", "", False),
    (
        N,
        "objective",
        "Có thể đạt mục tiêu bằng biện pháp khác không cần thủ tục (hậu kiểm, chia sẻ dữ liệu, thông báo)?",
        "Nếu có, cân nhắc phương án bãi bỏ.",
        True,
    ),
    (R, "name", "Tên thủ tục có rõ ràng, cụ thể, phù hợp không?", "", False),
    (
        R,
        "steps",
        "Trình tự thực hiện có rõ ràng, phân định trách nhiệm giữa cơ quan giải quyết và đối tượng thực hiện?",
        "",
        False,
    ),
    (R, "steps", "Có áp dụng liên thông giữa các cơ quan không?", "Nếu chưa, xem xét khả năng liên thông.", False),
    (R, "steps", "Có yêu cầu kiểm tra, xác minh thực tế không? Nếu có, lý do và có thể thay thế?", "", True),
    (R, "channels", "Cách thức thực hiện có cho phép nộp hồ sơ, nhận kết quả trực tuyến không?", "", False),
    (R, "dossier_items", "Mỗi thành phần hồ sơ đều cần thiết, không trùng lặp?", "", False),
    (
        R,
        "dossier_items",
        "Có thành phần hồ sơ khai thác được từ dữ liệu sẵn có hoặc kết quả giải quyết trước đó không?",
        "Nếu có, đề xuất bỏ yêu cầu nộp.",
        True,
    ),
    (R, "dossier_items", "Số lượng bản chính, bản sao, bản sao chứng thực và số bộ hồ sơ có hợp lý không?", "", False),
    (
        R,
        "processing_time",
        "Thời hạn giải quyết có hợp lý không? Có thể rút ngắn không?",
        "Nếu có thể rút ngắn, nêu thời hạn đề xuất.",
        False,
    ),
    (R, "authority", "Cơ quan thực hiện, cơ quan có thẩm quyền có rõ ràng, phù hợp không?", "", False),
    (R, "authority", "Có thể phân cấp hoặc ủy quyền giải quyết không?", "", True),
    (R, "result", "Hình thức, thời hạn có hiệu lực của kết quả có hợp lý không?", "", False),
    (R, "forms", "Mẫu đơn, tờ khai có cần thiết, đơn giản, dễ điền không?", "", False),
    (R, "conditions", "Yêu cầu, điều kiện có rõ ràng, lượng hóa được, cần thiết không?", "", False),
    (R, "fees", "Phí, lệ phí (nếu có) có căn cứ và mức thu hợp lý không?", "", False),
    (L, "legal_bases", "Thủ tục được quy định đúng thẩm quyền, đúng hình thức văn bản không?", "", False),
    (L, "legal_bases", "Thủ tục có phù hợp, thống nhất với văn bản của cơ quan cấp trên không?", "", False),
]

MILESTONES = [
    ("reviewed_pct", "50", date(2024, 1, 1), "QĐ 1085/QĐ-TTg: phương án cho ≥ 50% thủ tục nội bộ"),
    ("reviewed_pct", "100", date(2025, 1, 1), "QĐ 1085/QĐ-TTg: rà soát 100% thủ tục nội bộ"),
    ("simplified_pct", "20", date(2025, 1, 1), "QĐ 1085/QĐ-TTg: cắt giảm, đơn giản hóa ≥ 20% thủ tục"),
    ("cost_saving_pct", "20", date(2025, 1, 1), "QĐ 1085/QĐ-TTg: cắt giảm ≥ 20% chi phí tuân thủ"),
    ("implemented_pct", "100", date(2026, 12, 31), "Suy luận: thực thi 100% phương án đã phê duyệt trong năm 2026"),
]


def seed(apps, schema_editor):
    QuestionSet = apps.get_model("reviews", "QuestionSet")
    Question = apps.get_model("reviews", "Question")
    Milestone = apps.get_model("reviews", "Milestone")
    qs = QuestionSet.objects.create(
        code="tthc-noi-bo", version=1, title="Phiếu rà soát, đánh giá thủ tục hành chính nội bộ", is_current=True
    )
    Question.objects.bulk_create(
        Question(question_set=qs, order=n, criterion=c, component=comp, text=t, guidance=g, flags_when=f)
        for n, (c, comp, t, g, f) in enumerate(QUESTIONS, start=1)
    )
    Milestone.objects.bulk_create(Milestone(metric=m, target=t, due_on=d, source=s) for m, t, d, s in MILESTONES)


def unseed(apps, schema_editor):
    apps.get_model("reviews", "QuestionSet").objects.filter(code="tthc-noi-bo", version=1).delete()
    apps.get_model("reviews", "Milestone").objects.filter(organisation__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("reviews", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
