"""Schemathesis against the OpenAPI schema: no generated request makes a server error.

Requests are sent as the admin (so that every route is reached past
authorisation), a bounded number per operation (valid and invalid data) to keep the
run short. Logging out is left out: it would end the admin's token for the rest of
the run. Incident fixtures are imported and graded first, so that the incident
and gap routes are fuzzed with data behind them. (Schemathesis' own pytest plugin
does not work with this pytest, so the operations are parametrised here and each
is driven with Hypothesis.)
"""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from service_helpers import ServiceEnv, graded_incidents

from undercount.service.permissions import PUBLIC_ROUTES, ROUTE_ACTIONS

OPERATIONS = sorted(
    f"{method} {path}"
    for method, path in set(ROUTE_ACTIONS) | set(PUBLIC_ROUTES)
    if path.startswith("/api/") and path != "/api/auth/logout"
)


@pytest.fixture(scope="module")
def api_schema(service_env: ServiceEnv) -> schemathesis.BaseSchema:
    # incident data, so that the incident and gap routes answer with data
    graded_incidents(service_env)
    return schemathesis.openapi.from_asgi("/openapi.json", service_env.app)


def test_every_api_operation_is_fuzzed(api_schema: schemathesis.BaseSchema) -> None:
    labels = {result.ok().label for result in api_schema.get_all_operations()}
    assert labels - set(OPERATIONS) == {"POST /api/auth/logout"}


def _has_inputs(operation: schemathesis.APIOperation) -> bool:
    return bool(list(operation.iter_parameters())) or bool(
        operation.get_request_payload_content_types()
    )


@pytest.mark.slow
@pytest.mark.parametrize("label", OPERATIONS)
def test_no_server_error(
    api_schema: schemathesis.BaseSchema, service_env: ServiceEnv, label: str
) -> None:
    operation = api_schema.find_operation_by_label(label)
    assert operation is not None
    headers = service_env.headers("admin")
    modes = [GenerationMode.POSITIVE]
    if _has_inputs(operation):  # an operation without inputs has no invalid form
        modes.append(GenerationMode.NEGATIVE)
    for mode in modes:

        @given(case=operation.as_strategy(generation_mode=mode))
        @settings(
            max_examples=10,
            deadline=None,
            derandomize=True,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def check(case: schemathesis.Case) -> None:
            response = case.call(headers={**(case.headers or {}), **headers})
            assert response.status_code < 500, (
                f"{case.method} {case.formatted_path} -> {response.status_code}: "
                f"{response.text[:300]}"
            )

        check()
