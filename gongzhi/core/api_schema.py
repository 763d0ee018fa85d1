"""The OpenAPI schema generator (REST_FRAMEWORK["DEFAULT_SCHEMA_CLASS"]).

drf-spectacular documents what a view declares. Some answers come from the layers under
every view, whatever it declares, so they are documented here once for every operation
(schemathesis checks in tests/api/test_schemathesis.py that each answer is documented):

* 401 and 403: authentication and permission classes, CSRF of session logins;
* 400: a query or body refused by the parsers or core.middleware (NUL, bad JSON), on
  every operation that takes parameters or a body; where a view declares its own 400
  body, the framework's ``{"detail": ...}`` is allowed beside it;
* 404: an id in the path that names nothing the user may see;
* 413: a body above the limits (core.parsers, core.middleware);
* 429: a view with a throttle.

A paginator may name its page component (``schema_name``, e.g. the demands inbox pages
without a count): otherwise two views paging the same serializer differently share one
component, and one of them is documented wrong.
"""

from __future__ import annotations

from drf_spectacular import openapi

from gongzhi.core.api_permissions import ERRORS

BODY_METHODS = frozenset({"POST", "PUT", "PATCH"})


class AutoSchema(openapi.AutoSchema):
    def framework_errors(self, operation: dict) -> set[int]:
        codes = {401, 403}
        if operation.get("parameters") or "requestBody" in operation:
            codes.add(400)
        if "{" in self.path:
            codes.add(404)
        if self.method in BODY_METHODS:
            codes |= {400, 413}
        if self.view.get_throttles():
            codes.add(429)
        return codes

    def get_operation(self, path, path_regex, path_prefix, method, registry):
        operation = super().get_operation(path, path_regex, path_prefix, method, registry)
        if operation is None:
            return None
        responses = operation.setdefault("responses", {})
        for code in sorted(self.framework_errors(operation)):
            if str(code) not in responses:
                responses[str(code)] = self._get_response_for_code(ERRORS[code], str(code))
        self._allow_framework_400(responses.get("400"))
        operation["responses"] = dict(sorted(responses.items()))
        return operation

    def _allow_framework_400(self, response: dict | None) -> None:
        """A view's own 400 body (e.g. the roster's list of row errors) may also be the
        framework's ``{"detail": ...}`` (a NUL refused by core.middleware, bad JSON)."""
        error = self._get_response_for_code(ERRORS[403], "403")["content"]
        error = next(iter(error.values()))["schema"]
        for content in (response or {}).get("content", {}).values():
            schema = content.get("schema", {})
            if "$ref" in schema and schema != error:
                content["schema"] = {"anyOf": [schema, error]}

    def get_paginated_name(self, serializer_name: str) -> str:
        paginator = self._get_paginator()
        template = getattr(paginator, "schema_name", None)
        if template:
            return template.format(serializer_name)
        return super().get_paginated_name(serializer_name)
