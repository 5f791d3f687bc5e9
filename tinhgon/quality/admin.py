"""Configuration of the QĐ 766 index (its component groups and their maximum points) and a fallback for the quality
records; day-to-day work happens in the app's pages (/chat-luong/)."""

from django.contrib import admin

from tinhgon.quality.models import (
    ConformityAnnouncement,
    InternalAudit,
    QualityProcess,
    ServiceIndexComponent,
    ServiceIndexScore,
)


@admin.register(ServiceIndexComponent)
class ServiceIndexComponentAdmin(admin.ModelAdmin):
    list_display = ["order", "name", "max_points", "is_active"]
    list_display_links = ["name"]
    list_editable = ["order", "max_points", "is_active"]


@admin.register(ConformityAnnouncement)
class ConformityAnnouncementAdmin(admin.ModelAdmin):
    list_display = ["number", "signed_on", "organisation", "standard"]
    search_fields = ["number", "organisation__name"]
    autocomplete_fields = ["organisation"]


@admin.register(QualityProcess)
class QualityProcessAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "edition", "organisation", "status", "next_review_on"]
    list_filter = ["status"]
    search_fields = ["code", "name", "organisation__name"]
    autocomplete_fields = ["organisation"]
    raw_id_fields = ["procedures", "announcement"]
    readonly_fields = ["status", "previous", "ended_on"]


@admin.register(InternalAudit)
class InternalAuditAdmin(admin.ModelAdmin):
    list_display = ["title", "conducted_on", "organisation"]
    search_fields = ["title", "organisation__name"]
    autocomplete_fields = ["organisation"]


@admin.register(ServiceIndexScore)
class ServiceIndexScoreAdmin(admin.ModelAdmin):
    list_display = ["organisation", "month", "total", "status"]
    list_filter = ["status", "month"]
    search_fields = ["organisation__name"]
    readonly_fields = ["total", "status"]
    autocomplete_fields = ["organisation"]
