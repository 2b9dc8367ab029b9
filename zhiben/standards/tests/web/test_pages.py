"""The library's pages render for every cast role, show what to double-check, and stay in scope."""

from __future__ import annotations

import pytest
from django.urls import reverse

from zhiben.standards.models import Standard

pytestmark = pytest.mark.django_db

ROLES = ["regulator", "inspector", "leader", "expert", "other_regulator", "city_regulator", "enterprise_user",
         "other_enterprise_user", "project_user", "platform_admin"]


@pytest.mark.parametrize("role", ROLES)
def test_every_role_reads_the_list_a_version_and_its_comparison(client, request, role, v2024):
    client.force_login(request.getfixturevalue(role))
    response = client.get(reverse("standards:list"))
    assert response.status_code == 200
    html = response.content.decode()
    for standard in Standard.objects.all():
        assert f'data-standard="{standard.pk}"' in html
    assert client.get(reverse("standards:detail", args=[v2024.pk])).status_code == 200
    assert client.get(reverse("standards:compare", args=[v2024.pk])).status_code == 200


@pytest.mark.parametrize("role", ["enterprise_user", "regulator"])
def test_every_shipped_version_renders(client, request, role):
    client.force_login(request.getfixturevalue(role))
    for standard in Standard.objects.all():
        assert client.get(reverse("standards:detail", args=[standard.pk])).status_code == 200
        assert client.get(reverse("standards:compare", args=[standard.pk])).status_code == 200


def test_the_list_groups_by_kind_with_states_trust_and_counts(client, inspector):
    client.force_login(inspector)
    html = client.get(reverse("standards:list")).content.decode()
    kinds = [html.index(f'data-kind="{kind}"') for kind in ("determination", "catalogue", "score_table", "campaign")]
    assert kinds == sorted(kinds)
    for trust in ("verbatim", "partial", "compiled"):
        assert f'data-trust="{trust}"' in html
    assert 'data-state="ended"' in html  # the 2022 standard
    assert 'data-state="in_force"' in html
    assert 'data-testid="trust-legend"' in html
    assert 'data-testid="unverified-count"' in html


def test_the_list_filters_by_the_day_in_force(client, inspector):
    client.force_login(inspector)
    html = client.get(reverse("standards:list"), {"in_force_on": "2024-12-12", "kind": "determination"}).content
    v2022 = Standard.objects.get(code="hazard-determination", version="2022")
    v2024 = Standard.objects.get(code="hazard-determination", version="2024")
    assert f'data-standard="{v2022.pk}"'.encode() in html
    assert f'data-standard="{v2024.pk}"'.encode() not in html
    assert client.get(reverse("standards:list"), {"in_force_on": "someday"}).status_code == 200


def test_the_list_takes_the_same_queries_however_many_versions(client, platform_admin, v2024, campaign,
                                                               django_assert_num_queries):
    from zhiben.standards import services

    client.force_login(platform_admin)
    url = reverse("standards:list")
    client.get(url)
    with django_assert_num_queries(6) as before:
        client.get(url)
    for n in range(4):
        services.standard_copy(actor=platform_admin, source=v2024 if n % 2 else campaign, version=f"draft-{n}")
    with django_assert_num_queries(len(before.captured_queries)):
        html = client.get(url).content.decode()
    assert html.count('data-state="draft"') == 4


def test_the_2024_standard_shows_its_articles_word_for_word(client, enterprise_user, v2024):
    client.force_login(enterprise_user)
    html = client.get(reverse("standards:detail", args=[v2024.pk])).content.decode()
    assert 'data-testid="articles"' in html
    for article in v2024.rules["articles"]:
        body = article["text"][len(article["label"]):].lstrip()
        assert body.replace("“", "&ldquo;")[:20] in html or body[:20] in html
    assert "第十八条" in html
    assert "建质规〔2022〕2号" in html


def test_the_2022_standard_flags_what_is_unverified(client, enterprise_user, v2022):
    client.force_login(enterprise_user)
    html = client.get(reverse("standards:detail", args=[v2022.pk])).content.decode()
    assert 'data-testid="trust-alert"' in html
    assert html.count('data-testid="unverified"') == 20
    assert 'data-trust="partial"' in html


def test_jgj59_shows_weights_tables_points_guarantee_items_and_deductions(client, project_user):
    jgj = Standard.objects.get(code="jgj59")
    client.force_login(project_user)
    html = client.get(reverse("standards:detail", args=[jgj.pk])).content.decode()
    assert 'data-testid="score-summary"' in html
    assert "文明施工" in html
    for n in range(1, 20):
        assert f'data-table="B.{n}"' in html
    assert "未建立安全生产责任制，扣10分" in html
    assert "保证项目中有一项未得分" in html
    assert 'data-testid="guarantee"' in html


def test_items_are_searched_and_filtered_by_level(client, inspector, v2024):
    client.force_login(inspector)
    url = reverse("standards:detail", args=[v2024.pk])
    html = client.get(url, {"q": "有限空间"}).content.decode()
    assert html.count('data-item="2024-11.') == 4
    assert 'data-item="2024-4.1"' not in html
    partial = client.get(url, {"level": "general", "partial": "items"}, HTTP_HX_REQUEST="true").content.decode()
    assert "No item matches." in partial or "没有" in partial
    assert "<html" not in partial


def test_the_item_pages_take_the_same_queries(client, inspector, django_assert_num_queries):
    jgj = Standard.objects.get(code="jgj59")
    client.force_login(inspector)
    url = reverse("standards:detail", args=[jgj.pk])
    client.get(url, {"partial": "items"}, HTTP_HX_REQUEST="true")
    with django_assert_num_queries(10) as first:
        assert client.get(url, {"partial": "items"}, HTTP_HX_REQUEST="true").status_code == 200
    with django_assert_num_queries(len(first.captured_queries)):
        client.get(url, {"partial": "items", "page": 4}, HTTP_HX_REQUEST="true")


def test_the_comparison_shows_added_removed_and_changed_items(client, regulator, county_version):
    client.force_login(regulator)
    response = client.get(reverse("standards:compare", args=[county_version.pk]))
    html = response.content.decode()
    assert response.context["diff"].added[0].code == "JC-01"
    assert 'data-testid="added-count">1<' in html
    assert 'data-testid="removed-count">0<' in html
    assert 'data-testid="unchanged-count">30<' in html


def test_the_2024_standard_compares_with_2022_by_code(client, inspector, v2022, v2024):
    client.force_login(inspector)
    response = client.get(reverse("standards:compare", args=[v2024.pk]))
    assert response.context["other"] == v2022
    diff = response.context["diff"]
    assert (len(diff.added), len(diff.removed), len(diff.changed)) == (53, 34, 0)
    assert client.get(reverse("standards:compare", args=[v2024.pk]), {"with": "abc"}).status_code == 404


def test_a_countys_version_is_404_for_another_county(client, other_regulator, other_enterprise_user, county_version):
    for user in (other_regulator, other_enterprise_user):
        client.force_login(user)
        for name in ("detail", "compare", "copy", "edit", "publish", "item_new"):
            assert client.get(reverse(f"standards:{name}", args=[county_version.pk])).status_code == 404, name
        assert f'data-standard="{county_version.pk}"' not in client.get(reverse("standards:list")).content.decode()


def test_anonymous_visitors_are_sent_to_log_in(client, v2024):
    for url in (reverse("standards:list"), reverse("standards:detail", args=[v2024.pk])):
        response = client.get(url)
        assert response.status_code == 302
        assert reverse("accounts:login") in response["Location"]


def test_absurd_ids_are_404(client, inspector):
    client.force_login(inspector)
    assert client.get(f"/standards/{2**70}/").status_code == 404
