"""Notice board API: read-only lists and details, scoped like the pages."""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers

from gongzhi.notices import permissions, selectors
from gongzhi.notices.models import Notice
from gongzhi.places.permissions import get_compound_for


class NoticeSerializer(serializers.ModelSerializer):
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    posted_by = serializers.SerializerMethodField()
    attachment_url = serializers.SerializerMethodField()

    class Meta:
        model = Notice
        fields = [
            "id",
            "compound",
            "title",
            "body",
            "kind",
            "kind_label",
            "posted_at",
            "posted_by",
            "related_type",
            "related_id",
            "pinned",
            "attachment_url",
        ]
        read_only_fields = fields

    def get_posted_by(self, notice: Notice) -> str:
        return str(notice.posted_by) if notice.posted_by_id else _("系统")

    def get_attachment_url(self, notice: Notice) -> str | None:
        if not notice.attachment:
            return None
        from django.urls import reverse

        url = reverse("notices:attachment", kwargs={"pk": notice.pk})
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request else url


class NoticeList(generics.ListAPIView):
    serializer_class = NoticeSerializer

    @extend_schema(summary="小区公示栏", tags=["notices"])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        compound = get_compound_for(self.request.user, self.kwargs["pk"])
        return selectors.board_for(
            self.request.user, compound, kind=self.request.GET.get("kind", "")
        )


class NoticeDetail(generics.RetrieveAPIView):
    serializer_class = NoticeSerializer

    @extend_schema(summary="一条公示", tags=["notices"])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_object(self):
        return permissions.get_notice_for(self.request.user, self.kwargs["pk"])
