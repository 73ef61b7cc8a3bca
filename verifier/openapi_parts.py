"""Small builders shared by the hand-written OpenAPI documents (the API's and the log's)."""

from __future__ import annotations

from typing import Any

__all__ = ["error_response", "json_response", "ref"]


def ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def json_response(schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def error_response(description: str) -> dict[str, Any]:
    """A 4xx/5xx answer: the one Error object, its message in the client's language."""
    return json_response(ref("Error"), description)
