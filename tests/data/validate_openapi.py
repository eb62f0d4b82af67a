"""Validates e-BOK's OpenAPI document (argument: its file) with openapi-spec-validator, then
every example in it against its schema with jsonschema (draft 2020-12, as OpenAPI 3.1 uses).
Prints "examples checked: N"; exits non-zero on the first problem."""

import json
import sys

from jsonschema import Draft202012Validator
from openapi_spec_validator import validate

with open(sys.argv[1], encoding="utf-8") as f:
    doc = json.load(f)

validate(doc)
assert doc["openapi"].startswith("3.1"), doc["openapi"]

checked = 0


def check(schema, example, where):
    global checked
    # References are resolved within the document: the schema is checked with the document's
    # components beside it.
    root = dict(schema)
    root["components"] = doc.get("components", {})
    errors = sorted(Draft202012Validator(root).iter_errors(example), key=str)
    if errors:
        sys.exit(f"{where}: the example does not validate: {errors[0].message}")
    checked += 1


for name, schema in doc.get("components", {}).get("schemas", {}).items():
    if "example" in schema:
        check({"$ref": f"#/components/schemas/{name}"}, schema["example"], f"schema {name}")
    for example in schema.get("examples", []):
        check({"$ref": f"#/components/schemas/{name}"}, example, f"schema {name}")

for path, item in doc.get("paths", {}).items():
    for method, op in item.items():
        bodies = []
        if "requestBody" in op:
            bodies.append(op["requestBody"])
        bodies.extend(op.get("responses", {}).values())
        for body in bodies:
            for media, content in body.get("content", {}).items():
                schema = content.get("schema")
                if schema is None:
                    continue
                if "example" in content:
                    check(schema, content["example"], f"{method} {path} {media}")
                for example in content.get("examples", {}).values():
                    if "value" in example:
                        check(schema, example["value"], f"{method} {path} {media}")

print(f"examples checked: {checked}")
