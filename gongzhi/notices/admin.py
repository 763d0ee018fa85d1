from django.contrib import admin

from gongzhi.notices.models import Notice


@admin.register(Notice)
class NoticeAdmin(admin.ModelAdmin):
    list_display = ["title", "compound", "kind", "posted_at", "pinned"]
    list_filter = ["kind", "pinned"]
    search_fields = ["title"]
    readonly_fields = [f.name for f in Notice._meta.fields]

    def has_add_permission(self, request):
        return False  # notices are posted through notices.services.notice_post (audited)

    def has_delete_permission(self, request, obj=None):
        return False
