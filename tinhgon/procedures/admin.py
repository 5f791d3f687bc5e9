from django.contrib import admin

from tinhgon.procedures.models import Field


@admin.register(Field)
class FieldAdmin(admin.ModelAdmin):
    """The managed list of fields (lĩnh vực)."""

    list_display = ["name", "code", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name", "code"]
