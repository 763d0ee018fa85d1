"""notifications.permissions in the matrix: a notification is its recipient's alone; the
failed-delivery log is for those who read an audit log somewhere."""

from types import SimpleNamespace

from gongzhi.notifications import permissions as p
from gongzhi.notifications.models import Notification
from tests.permission_matrix.framework import ANYWHERE, Check, anywhere, found


def build(cast):
    mine = Notification.objects.create(recipient=cast.resident, kind="test", title="您的诉求已办结")
    return SimpleNamespace(cast=cast, mine=mine)


PREDICATES = {
    # Only the recipient (a superuser is no recipient: someone else's is as good as absent).
    "get_notification_for": Check(
        lambda u, w, place: found(lambda: p.get_notification_for(u, w.mine.pk)),
        anywhere({"resident"}),
        superuser=False,
    ),
    "can_view_deliveries": Check(
        lambda u, w, place: p.can_view_deliveries(u),
        anywhere({"secretary", "community_worker", "street_official"}),
    ),
}
HELPERS: dict[str, str] = {}
assert all(set(c.allowed) == {ANYWHERE} for c in PREDICATES.values())
