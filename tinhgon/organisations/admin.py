from django.contrib import admin

from tinhgon.organisations.models import Organisation


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind", "parent", "valid_from", "valid_to", "is_tthc_focal_unit"]
    list_filter = ["kind", "is_state_agency", "is_tthc_focal_unit"]
    search_fields = ["code", "name", "short_name", "search_text"]
    autocomplete_fields = ["parent", "successor"]
    readonly_fields = ["row_version"]
