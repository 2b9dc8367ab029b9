"""The OpenAPI schema documents every status an operation can answer, with the one error body (zhiben.core.schema),
and the answers that are not a view's own (an unknown URL under /api/, an oversized form) keep that body."""

from __future__ import annotations

import pytest
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.validation import validate_schema


@pytest.fixture(scope="module")
def schema() -> dict:
    generated = SchemaGenerator().get_schema(request=None, public=True)
    validate_schema(generated)
    return generated


def statuses(schema, method: str, path: str) -> set[str]:
    return set(schema["paths"][path][method]["responses"])


@pytest.mark.parametrize(("method", "path", "expected"), [
    ("get", "/api/v1/persons/", {"200", "400", "401", "403"}),
    ("post", "/api/v1/persons/", {"201", "400", "401", "403", "413", "415"}),
    ("get", "/api/v1/persons/{id}/", {"200", "401", "403", "404"}),
    ("patch", "/api/v1/enterprises/{id}/", {"200", "400", "401", "403", "404", "413", "415"}),
    ("get", "/api/v1/hazards/", {"200", "400", "401", "403"}),
    ("post", "/api/v1/hazards/{id}/close/", {"200", "400", "401", "403", "404", "409", "413", "415"}),
    ("post", "/api/v1/hazards/{id}/attachments/", {"201", "400", "401", "403", "404", "409", "413", "415"}),
    ("get", "/api/v1/hazards/{id}/events/", {"200", "400", "401", "403", "404"}),
    ("delete", "/api/v1/standards/{standard_pk}/items/{id}/", {"204", "401", "403", "404", "409"}),
    ("get", "/api/v1/dashboard/campaign/", {"200", "400", "401", "403", "404"}),
    ("get", "/api/v1/regions/{code}/", {"200", "401", "403", "404"}),
])
def test_representative_operations_list_their_error_statuses(schema, method, path, expected):
    assert statuses(schema, method, path) == expected


def test_the_public_token_endpoint_documents_no_401(schema):
    assert statuses(schema, "post", "/api/v1/auth/token/") == {"200", "400", "403", "413", "415"}


def test_every_error_status_has_the_error_body(schema):
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            for code, response in operation["responses"].items():
                if int(code) < 400:
                    continue
                ref = response["content"]["application/json"]["schema"]["$ref"]
                expected = "ValidationError" if code == "400" else "Error"
                assert ref == f"#/components/schemas/{expected}", (method, path, code)
    components = schema["components"]["schemas"]
    assert components["ValidationError"]["required"] == ["detail", "errors"]
    assert components["Error"]["required"] == ["detail"]


def test_paging_parameters_carry_their_bounds(schema):
    parameters = {p["name"]: p["schema"] for p in schema["paths"]["/api/v1/hazards/"]["get"]["parameters"]}
    assert parameters["page"]["minimum"] == 1
    assert (parameters["page_size"]["minimum"], parameters["page_size"]["maximum"]) == (1, 500)


def test_values_the_api_really_sends_are_in_the_schema(schema):
    components = schema["components"]["schemas"]
    assert components["Event"]["properties"]["actor_id"]["nullable"] is True  # system moves have no actor
    gender = components["Person"]["properties"]["gender"]["oneOf"]
    assert {"$ref": "#/components/schemas/BlankEnum"} in gender  # empty while the ID number is masked
    assert components["Employment"]["properties"]["project_name"]["nullable"] is True
    # A platform administrator has no role: "" in answers, but a role must be given on write.
    assert {"type": "string", "enum": [""]} in components["User"]["properties"]["role"]["oneOf"]
    assert "oneOf" not in components["UserRequest"]["properties"]["role"]


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/api/v1/standards/x/items/", "/api/v1/nothing-here/", "/api/v1/hazards/1/nope/"])
def test_an_unknown_url_under_api_is_a_json_404(client, path):
    response = client.get(path)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert set(response.json()) == {"detail"}


@pytest.mark.django_db
def test_an_unknown_page_outside_api_is_still_a_page(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "application/json" not in response["Content-Type"]


@pytest.mark.django_db
def test_a_form_over_the_field_limit_is_a_400_with_the_error_body(client, settings, regulator):
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 10
    client.force_login(regulator)
    body = "&".join(f"f{n}=1" for n in range(20))
    response = client.post("/api/v1/persons/", body, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 400
    assert response.json()["errors"] == {}
