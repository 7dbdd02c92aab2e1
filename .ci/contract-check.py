#!/usr/bin/env python3
"""Third-party contract check of the served OpenAPI document and the responses the test hosts sent.

  python3 .ci/contract-check.py artifacts/openapi/v1.json artifacts/contract

1. The document is a valid OpenAPI 3.1 description (openapi-spec-validator).
2. Every recorded response (artifacts/contract/*.jsonl, one JSON object a line: method, route, url, status,
   mediaType, body; written by the tests' ContractRecorder when CTS_CONTRACT_EXCHANGES is set) has a status code
   the document declares for its route and method, a declared media type, and a JSON body that the declared schema
   accepts (openapi-schema-validator, OAS 3.1 dialect).
Prints every violation and a summary; exits 1 if there is any.
"""
import glob
import json
import os
import sys

from openapi_schema_validator import OAS31Validator
from openapi_spec_validator import validate as validate_spec


def main(document_path, exchanges_dir):
    with open(document_path, encoding="utf-8") as f:
        document = json.load(f)
    validate_spec(document)
    components = document.get("components", {})
    violations = []
    checked = 0
    for path in sorted(glob.glob(os.path.join(exchanges_dir, "*.jsonl"))):
        with open(path, encoding="utf-8") as f:
            for line in f:
                if not line.strip():
                    continue
                exchange = json.loads(line)
                checked += 1
                problem = check(document, components, exchange)
                if problem:
                    violations.append(f"{exchange['method']} {exchange['route']} (request {exchange['url']}) {exchange['status']}: {problem}")
    unique = sorted(set(violations))
    for violation in unique:
        print("  - " + violation)
    print(f"contract check: {checked} responses against {document_path}, {len(unique)} violations")
    return 1 if unique or checked == 0 else 0


def check(document, components, exchange):
    operation = document.get("paths", {}).get(exchange["route"], {}).get(exchange["method"].lower())
    if operation is None:
        return None  # not an API route: the document test covers which routes must be there
    responses = operation.get("responses", {})
    status = str(exchange["status"])
    response = responses.get(status) or responses.get(status[0] + "XX") or responses.get("default")
    if response is None:
        return f"status not declared (declared: {', '.join(sorted(responses))})"
    response = resolve(document, response)
    content = response.get("content") or {}
    media_type, body = exchange.get("mediaType"), exchange.get("body")
    if not body:
        return None
    if media_type not in content:
        return f"media type {media_type} not declared (declared: {', '.join(content) or 'no body'})"
    schema = content[media_type].get("schema")
    if schema is None or not (media_type == "application/json" or media_type.endswith("+json")) or exchange.get("truncated"):
        return None
    try:
        value = json.loads(body)
    except ValueError as e:
        return f"body is not JSON: {e}"
    rooted = dict(schema)
    rooted["components"] = components
    errors = sorted(OAS31Validator(rooted).iter_errors(value), key=lambda e: list(e.absolute_path))
    if errors:
        first = errors[0]
        where = "$" + "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in first.absolute_path)
        return f"body does not match its schema at {where}: {first.message[:200]}"
    return None


def resolve(document, node):
    while isinstance(node, dict) and "$ref" in node:
        target = document
        for part in node["$ref"][2:].split("/"):
            target = target[part]
        node = target
    return node


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
