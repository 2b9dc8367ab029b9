"""The inbox: a user's own notifications, unread first; marking read; following a notification to its subject;
the header bell with the unread count."""

from __future__ import annotations

import pytest
from django.urls import reverse

from zhiben.notifications import services
from zhiben.notifications.models import Notification

pytestmark = pytest.mark.django_db

INBOX = reverse("notifications:inbox")


def send(user, title: str, **kwargs) -> Notification:
    (row,) = services.notify(recipients=[user], kind="test", title=title, **kwargs)
    return row


def ids(response) -> list[int]:
    return [n.pk for n in response.context["page"].object_list]


def test_a_user_reads_only_their_own_notifications_unread_first(client, enterprise_user, other_enterprise_user):
    old_unread = send(enterprise_user, "旧的未读")
    read = send(enterprise_user, "已读")
    new_unread = send(enterprise_user, "新的未读")
    services.mark_read(user=enterprise_user, notification_id=read.pk)
    foreign = send(other_enterprise_user, "别人的")
    client.force_login(enterprise_user)
    response = client.get(INBOX)
    assert ids(response) == [new_unread.pk, old_unread.pk, read.pk]
    assert "别人的" not in response.content.decode() and foreign.pk not in ids(response)
    assert ids(client.get(INBOX, {"show": "unread"})) == [new_unread.pk, old_unread.pk]


def test_marking_read_and_marking_all_read(client, enterprise_user):
    first, second = send(enterprise_user, "一"), send(enterprise_user, "二")
    client.force_login(enterprise_user)
    response = client.post(reverse("notifications:read", args=[first.pk]), {"next": INBOX})
    assert response.status_code == 302 and response["Location"] == INBOX
    first.refresh_from_db()
    assert first.read_at is not None
    assert client.post(reverse("notifications:read_all")).status_code == 302
    second.refresh_from_db()
    assert second.read_at is not None


def test_someone_elses_notification_is_not_found(client, enterprise_user, other_enterprise_user):
    foreign = send(other_enterprise_user, "别人的")
    client.force_login(enterprise_user)
    assert client.post(reverse("notifications:read", args=[foreign.pk]), {"open": "1"}).status_code == 404
    foreign.refresh_from_db()
    assert foreign.read_at is None


def test_opening_follows_the_link_but_never_off_site(client, enterprise_user):
    inside = send(enterprise_user, "站内", url="/hazards/1/")
    outside = send(enterprise_user, "站外", url="https://evil.example/")
    client.force_login(enterprise_user)
    assert client.post(reverse("notifications:read", args=[inside.pk]), {"open": "1"})["Location"] == "/hazards/1/"
    assert client.post(reverse("notifications:read", args=[outside.pk]), {"open": "1"})["Location"] == INBOX
    assert client.post(reverse("notifications:read", args=[inside.pk]), {"next": "//evil.example"})["Location"] == INBOX


def test_a_notification_asking_for_acknowledgement_says_so(client, enterprise_user):
    send(enterprise_user, "重大隐患", url="/hazards/1/", requires_ack=True)
    client.force_login(enterprise_user)
    body = client.get(INBOX).content.decode()
    assert 'data-testid="ack-required"' in body


def test_the_bell_counts_unread_in_one_query(client, enterprise_user, django_assert_num_queries):
    for n in range(3):
        send(enterprise_user, f"第{n}条")
    services.mark_read(user=enterprise_user, notification_id=Notification.objects.first().pk)
    client.force_login(enterprise_user)
    with django_assert_num_queries(6):  # session, user, the count, session refresh (3)
        response = client.get(reverse("notifications:bell"))
    assert 'data-testid="unread-count">2<' in response.content.decode()


def test_every_page_loads_the_bell_and_lists_the_inbox(client, enterprise_user):
    client.force_login(enterprise_user)
    body = client.get(reverse("core:home")).content.decode()
    assert f'hx-get="{reverse("notifications:bell")}"' in body
    assert f'href="{INBOX}"' in body


def test_the_public_is_sent_to_the_login_page(client, enterprise_user):
    row = send(enterprise_user, "x")
    for method, url in [("get", INBOX), ("get", reverse("notifications:bell")),
                        ("post", reverse("notifications:read", args=[row.pk])),
                        ("post", reverse("notifications:read_all")), ("get", reverse("notifications:outbox"))]:
        response = getattr(client, method)(url)
        assert response.status_code == 302 and reverse("accounts:login") in response["Location"], url


def test_an_absurd_id_is_not_found(client, enterprise_user):
    client.force_login(enterprise_user)
    assert client.post(f"/notifications/{10**30}/read/").status_code == 404
