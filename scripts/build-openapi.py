#!/usr/bin/env python3
"""Merge docs/openapi/base.yaml and every docs/openapi/<domain>.yaml fragment into openapi.yaml,
then validate the result as OpenAPI 3.1. With --check, fail if openapi.yaml is not up to date.

Fragments hold `paths:` and `components:` (schemas, parameters, responses); names must not clash.
Every JSON example (parameters, request and response bodies, `example` and `examples`) is validated against
its schema (JSON Schema 2020-12, as OpenAPI 3.1 uses), so no example can drift from the contract.
Every object schema a JSON request body can reach (through $ref, properties, items, oneOf/anyOf/allOf) must
say `additionalProperties: false`: the service refuses unknown members (StrictJSONDecoder), and so does the
contract. The one exception is a schema marked `x-foreign-members: true`: a GeoJSON object, which RFC 7946
§6.1 lets carry foreign members (the service accepts and ignores them)."""
import pathlib
import sys

import yaml

root = pathlib.Path(__file__).resolve().parent.parent
docs = root / "docs" / "openapi"


def merge() -> dict:
    spec = yaml.safe_load((docs / "base.yaml").read_text())
    for fragment_path in sorted(docs.glob("*.yaml")):
        if fragment_path.name == "base.yaml":
            continue
        fragment = yaml.safe_load(fragment_path.read_text()) or {}
        for path, item in (fragment.get("paths") or {}).items():
            if path in spec["paths"]:
                sys.exit(f"{fragment_path.name}: path {path} is defined twice")
            spec["paths"][path] = item
        for section, entries in (fragment.get("components") or {}).items():
            target = spec.setdefault("components", {}).setdefault(section, {})
            for name, value in entries.items():
                if name in target:
                    sys.exit(f"{fragment_path.name}: components.{section}.{name} is defined twice")
                target[name] = value
        for tag in fragment.get("tags") or []:
            spec.setdefault("tags", []).append(tag)
    # Every operation that reads a JSON body can also be refused before routing: 413 (too large, decided from
    # Content-Length) and 415 (not JSON). Document both once here rather than in every fragment.
    for item in spec["paths"].values():
        for method, op in item.items():
            if isinstance(op, dict) and "application/json" in ((op.get("requestBody") or {}).get("content") or {}):
                for status in ("413", "415"):
                    op["responses"].setdefault(status, {"$ref": "#/components/responses/Problem"})
    return spec


def _absolute_refs(node, base):
    """A copy of node whose local `$ref`s ("#/components/…") point into the registered spec document."""
    if isinstance(node, dict):
        return {k: (base + v if k == "$ref" and isinstance(v, str) and v.startswith("#") else _absolute_refs(v, base))
                for k, v in node.items()}
    if isinstance(node, list):
        return [_absolute_refs(v, base) for v in node]
    return node


def check_examples(spec: dict) -> int:
    """Validates every JSON example in the paths against its schema; exits listing the ones that do not fit."""
    from jsonschema import Draft202012Validator
    from referencing import Registry, Resource
    from referencing.jsonschema import DRAFT202012

    base = "urn:incognita:openapi"
    registry = Registry().with_resource(base, Resource.from_contents(spec, default_specification=DRAFT202012))
    problems, count = [], 0

    def check(schema, value, where):
        nonlocal count
        count += 1
        validator = Draft202012Validator(_absolute_refs(schema, base), registry=registry)
        for error in validator.iter_errors(value):
            location = "/".join(str(p) for p in error.absolute_path) or "(root)"
            problems.append(f"{where}: at {location}: {error.message[:160]}")

    def media(content, where):
        for media_type, body in (content or {}).items():
            if "json" not in media_type or "schema" not in body:
                continue
            if "example" in body:
                check(body["schema"], body["example"], f"{where} {media_type} example")
            for name, example in (body.get("examples") or {}).items():
                if "value" in example:
                    check(body["schema"], example["value"], f"{where} {media_type} examples.{name}")

    for path, item in spec["paths"].items():
        for method, op in item.items():
            if not isinstance(op, dict) or method not in ("get", "put", "post", "delete", "patch", "head", "options"):
                continue
            where = f"{method.upper()} {path}"
            for parameter in op.get("parameters") or []:
                if "example" in parameter and "schema" in parameter:
                    check(parameter["schema"], parameter["example"], f"{where} parameter {parameter['name']}")
            media((op.get("requestBody") or {}).get("content"), f"{where} request")
            for status, response in (op.get("responses") or {}).items():
                media(response.get("content"), f"{where} {status}")
    for name, response in ((spec.get("components") or {}).get("responses") or {}).items():
        media(response.get("content"), f"components.responses.{name}")
    if problems:
        sys.exit("examples that do not match their schemas:\n  " + "\n  ".join(problems))
    return count


def check_closed_requests(spec: dict) -> int:
    """Every object schema reachable from a JSON request body has `additionalProperties: false`."""
    schemas = (spec.get("components") or {}).get("schemas") or {}
    problems, seen = [], set()

    def walk(schema, where):
        if not isinstance(schema, dict):
            return
        ref = schema.get("$ref")
        if ref:
            name = ref.rsplit("/", 1)[-1]
            if name not in seen:
                seen.add(name)
                walk(schemas.get(name), f"components.schemas.{name}")
            return
        is_object = schema.get("type") == "object" or "properties" in schema
        if is_object and schema.get("additionalProperties") is not False and schema.get("x-foreign-members") is not True:
            problems.append(where)
        for key, sub in (schema.get("properties") or {}).items():
            walk(sub, f"{where}.{key}")
        if isinstance(schema.get("items"), dict):
            walk(schema["items"], f"{where}[]")
        if isinstance(schema.get("additionalProperties"), dict):
            walk(schema["additionalProperties"], f"{where}.*")
        for combinator in ("oneOf", "anyOf", "allOf", "prefixItems"):
            for i, sub in enumerate(schema.get(combinator) or []):
                walk(sub, f"{where}.{combinator}[{i}]")

    count = 0
    for path, item in spec["paths"].items():
        for method, op in item.items():
            if not isinstance(op, dict):
                continue
            for media_type, body in (((op.get("requestBody") or {}).get("content")) or {}).items():
                if "json" in media_type and "schema" in body:
                    count += 1
                    walk(body["schema"], f"{method.upper()} {path} request")
    if problems:
        sys.exit("request schemas without additionalProperties: false (the service refuses unknown members):\n  "
                 + "\n  ".join(sorted(set(problems))))
    return count


def main() -> None:
    spec = merge()
    text = "# Generated by scripts/build-openapi.py from docs/openapi/*.yaml: edit those, then rerun it.\n"
    text += yaml.safe_dump(spec, sort_keys=False, allow_unicode=True, width=120)
    out = root / "openapi.yaml"
    if "--check" in sys.argv:
        if not out.exists() or out.read_text() != text:
            sys.exit("openapi.yaml is out of date: run python3 scripts/build-openapi.py")
    else:
        out.write_text(text)
    try:
        from openapi_spec_validator import validate
    except ImportError:
        sys.exit("pip install openapi-spec-validator to validate the contract")
    validate(spec)
    examples = check_examples(spec)
    closed = check_closed_requests(spec)
    print(f"openapi.yaml: {len(spec['paths'])} paths, valid OpenAPI {spec['openapi']}, {examples} examples fit their schemas, "
          f"{closed} request bodies closed to unknown members")


if __name__ == "__main__":
    main()
