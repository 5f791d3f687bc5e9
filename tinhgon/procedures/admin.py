from django.contrib import admin

from tinhgon.procedures.models import Field, FieldChange


class FieldChangeInline(admin.TabularInline):
    model = FieldChange
    fk_name = "field"
    extra = 0
    can_delete = False
    fields = ["on", "kind", "old_name", "new_name", "old_parent", "new_parent", "into", "versions_moved", "by", "note"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Field)
class FieldAdmin(admin.ModelAdmin):
    """The field catalogue (lĩnh vực), read only here: renames, moves and merges go through the catalogue page
    (/thu-tuc/linh-vuc/) or the API, which keep the history and move the procedures."""

    list_display = ["name", "code", "parent", "is_active", "merged_into"]
    list_filter = ["is_active"]
    search_fields = ["name", "code"]
    inlines = [FieldChangeInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
