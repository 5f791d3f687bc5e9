"""Configuration of scorecards (the criteria tree of an index, with maximum points and rating bands) and a
fallback for plans and indicators; day-to-day work happens in the app's pages (/ke-hoach/)."""

from django.contrib import admin

from tinhgon.plans.models import Indicator, Plan, ReformArea, Scorecard, ScoreCriterion


class ScoreCriterionInline(admin.TabularInline):
    model = ScoreCriterion
    fk_name = "scorecard"
    extra = 3
    fields = ["order", "code", "title", "parent", "max_points"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "parent":  # parents from the same scorecard only
            scorecard_id = request.resolver_match.kwargs.get("object_id")
            kwargs["queryset"] = ScoreCriterion.objects.filter(scorecard_id=scorecard_id or 0)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Scorecard)
class ScorecardAdmin(admin.ModelAdmin):
    list_display = ["title", "year", "organisation"]
    list_filter = ["year"]
    search_fields = ["title", "organisation__name", "organisation__code"]
    autocomplete_fields = ["organisation"]
    inlines = [ScoreCriterionInline]


@admin.register(ReformArea)
class ReformAreaAdmin(admin.ModelAdmin):
    """The areas (lĩnh vực cải cách hành chính) that tasks, indicators and the CCHC report are grouped by."""

    list_display = ["order", "name", "code", "is_active"]
    list_display_links = ["name"]
    list_filter = ["is_active"]
    search_fields = ["name", "code"]


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = ["name", "organisation", "area", "direction", "target", "unit", "period", "source"]
    list_filter = ["area", "source", "period"]
    search_fields = ["name", "organisation__name"]
    autocomplete_fields = ["organisation"]


@admin.register(Plan)
class PlanAdmin(admin.ModelAdmin):
    list_display = ["number", "title", "issuer", "kind", "period_start", "period_end"]
    list_filter = ["kind"]
    search_fields = ["number", "title", "issuer__name"]
    autocomplete_fields = ["issuer"]
    raw_id_fields = ["parent_plan", "parent_task"]
