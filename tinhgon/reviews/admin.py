"""Configuration data of the review programme: milestones (national defaults and overrides), the question bank
and cost parameter sets. Day-to-day work happens in the app's own pages (/ra-soat/)."""

from django.contrib import admin, messages
from django.db import transaction

from tinhgon.reviews.models import CostParameterSet, Milestone, Question, QuestionSet


@admin.register(Milestone)
class MilestoneAdmin(admin.ModelAdmin):
    list_display = ["metric", "target", "due_on", "organisation", "source"]
    list_filter = ["metric"]
    autocomplete_fields = ["organisation"]
    search_fields = ["source", "organisation__name", "organisation__code"]


class QuestionInline(admin.TabularInline):
    model = Question
    extra = 0

    def _frozen(self, obj) -> bool:
        return obj is not None and obj.reviews.exists()

    def has_add_permission(self, request, obj=None):
        return not self._frozen(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return not self._frozen(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not self._frozen(obj) and super().has_delete_permission(request, obj)


@admin.register(QuestionSet)
class QuestionSetAdmin(admin.ModelAdmin):
    """A set that a review form was answered with is frozen; "new version" copies it for editing."""

    list_display = ["title", "code", "version", "is_current", "created_at"]
    inlines = [QuestionInline]
    actions = ["new_version"]

    @admin.action(description="Tạo phiên bản mới (sao chép câu hỏi để sửa)")
    @transaction.atomic
    def new_version(self, request, queryset):
        for question_set in queryset:
            latest = QuestionSet.objects.filter(code=question_set.code).order_by("-version").first()
            copy = QuestionSet.objects.create(
                code=question_set.code, version=latest.version + 1, title=question_set.title, is_current=False
            )
            Question.objects.bulk_create(
                Question(
                    question_set=copy,
                    order=q.order,
                    criterion=q.criterion,
                    component=q.component,
                    text=q.text,
                    guidance=q.guidance,
                    flags_when=q.flags_when,
                )
                for q in question_set.questions.all()
            )
            messages.success(request, f"Đã tạo {copy}. Đánh dấu “đang áp dụng” khi đã sửa xong.")

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if obj.is_current:  # one current version per bank: new forms open with it
            QuestionSet.objects.filter(code=obj.code).exclude(pk=obj.pk).update(is_current=False)


@admin.register(CostParameterSet)
class CostParameterSetAdmin(admin.ModelAdmin):
    list_display = ["name", "year", "monthly_income", "working_days_per_month", "hours_per_day", "hourly_rate"]
    list_filter = ["year"]
    autocomplete_fields = ["organisation"]
    search_fields = ["name", "source"]
