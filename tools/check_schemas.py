#!/usr/bin/env python3
"""Check the JSON Schemas under Schemas/ and every example kept with them.

usage: tools/check_schemas.py [ROOT]      (ROOT defaults to the repository root)

The schemas are a published contract (Schemas/README.md): other people build verifiers
and importers from them, so they must be loadable and self-consistent, and the examples we
ship must be accepted by the schemas we ship. This script checks, for every
Schemas/**/*.schema.json (commands/, events/, read/ when it exists, and the top level):

1. it is a valid JSON Schema 2020-12 (Draft202012Validator.check_schema) and its `$id`,
   when it has one, is unique and ends with the file's path below Schemas/;
2. every `$ref` in it resolves, through a registry holding every schema under its `$id`,
   under its file URI and under the common `$id` base + its relative path, so a schema
   without `$id` is still reachable by relative path (`common.schema.json#/$defs/...`);
3. every value of an `examples` keyword validates against the (sub)schema it sits in;
4. every line of Schemas/**/examples*.ndjson (blank lines and `//` lines skipped, as
   `svledger apply` does) validates: a line with "command": NAME against NAME.schema.json
   in the same folder and against command.schema.json there (the oneOf of all commands);
   a line with "eventType": T against envelope.schema.json and its "payload" against
   events/T.schema.json.

Formats (dates, uuids) are checked, as Schemas/README.md tells verifiers to do.
Exits 1 with one line per problem, or prints a one-line summary.
"""
import json
import sys
from pathlib import Path
from urllib.parse import quote, urljoin

from jsonschema import Draft202012Validator
from jsonschema.exceptions import SchemaError, best_match
from referencing import Registry, Resource
from referencing.exceptions import Unresolvable
from referencing.jsonschema import DRAFT202012

DIALECT = "https://json-schema.org/draft/2020-12/schema"
FORMATS = Draft202012Validator.FORMAT_CHECKER
# Keywords whose value is one subschema, a list of subschemas, or a name -> subschema map.
ONE = {"additionalProperties", "propertyNames", "items", "contains", "not", "if", "then",
       "else", "unevaluatedItems", "unevaluatedProperties", "contentSchema"}
LIST = {"allOf", "anyOf", "oneOf", "prefixItems"}
MAP = {"properties", "patternProperties", "$defs", "definitions", "dependentSchemas"}


def subschemas(schema, pointer="", base=""):
    """Yield (json pointer, base URI, subschema) for the schema and all its subschemas."""
    if not isinstance(schema, dict):
        return
    if isinstance(schema.get("$id"), str):
        base = urljoin(base, schema["$id"])
    yield pointer, base, schema
    for key, value in schema.items():
        esc = key.replace("~", "~0").replace("/", "~1")
        if key in ONE:
            yield from subschemas(value, f"{pointer}/{esc}", base)
        elif key in LIST and isinstance(value, list):
            for i, sub in enumerate(value):
                yield from subschemas(sub, f"{pointer}/{esc}/{i}", base)
        elif key in MAP and isinstance(value, dict):
            for name, sub in value.items():
                name = name.replace("~", "~0").replace("/", "~1")
                yield from subschemas(sub, f"{pointer}/{esc}/{name}", base)


def first_error(uri, instance, registry):
    """Validate instance against the schema at uri; return a message or None."""
    validator = Draft202012Validator({"$ref": uri}, registry=registry, format_checker=FORMATS)
    try:
        errors = list(validator.iter_errors(instance))
    except Unresolvable:  # that $ref is reported on its own; this instance stays unchecked
        return "not checked: a $ref on the way does not resolve"
    if not errors:
        return None
    e = best_match(errors)
    where = "/".join(str(p) for p in e.absolute_path) or "(root)"
    more = f" (+{len(errors) - 1} more)" if len(errors) > 1 else ""
    return f"at {where}: {e.message[:300]}{more}"


def main():
    default_root = Path(__file__).resolve().parent.parent
    root = Path(sys.argv[1]).resolve() if len(sys.argv) > 1 else default_root
    schemas_dir = root / "Schemas"
    problems, files = [], {}  # files: relative path -> parsed schema
    for path in sorted(schemas_dir.rglob("*.schema.json")):
        rel = path.relative_to(schemas_dir).as_posix()
        try:
            files[rel] = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as e:
            problems.append(f"Schemas/{rel}: not JSON: {e}")
    if not files:
        sys.exit(f"no Schemas/**/*.schema.json under {root}")

    # Registry: by $id, by file URI, and by <common $id base> + relative path.
    bases = {s["$id"][: -len(rel)] for rel, s in files.items()
             if isinstance(s, dict) and isinstance(s.get("$id"), str) and s["$id"].endswith(rel)}
    base = bases.pop() if len(bases) == 1 else None
    uri_of, seen_ids, resources = {}, {}, []
    for rel, schema in files.items():
        where = f"Schemas/{rel}"
        try:
            Draft202012Validator.check_schema(schema)
        except SchemaError as e:
            problems.append(f"{where}: invalid 2020-12 schema at /{'/'.join(map(str, e.path))}: {e.message[:300]}")
            continue
        if isinstance(schema, dict) and schema.get("$schema", DIALECT) != DIALECT:
            problems.append(f"{where}: $schema is {schema['$schema']!r}, expected {DIALECT}")
        file_uri = (schemas_dir / rel).as_uri()
        keys = [file_uri] + ([base + rel] if base else [])
        sid = schema.get("$id") if isinstance(schema, dict) else None
        if sid:
            if sid in seen_ids:
                problems.append(f"{where}: $id {sid} is also the $id of Schemas/{seen_ids[sid]}")
            seen_ids[sid] = rel
            if base and sid != base + rel:
                problems.append(f"{where}: $id {sid} does not match its path (expected {base + rel}); relative $refs to it will not resolve")
            keys.append(sid)
        uri_of[rel] = sid or file_uri
        resource = Resource.from_contents(schema, default_specification=DRAFT202012)
        resources += [(k, resource) for k in dict.fromkeys(keys)]
    registry = Registry().with_resources(resources).crawl()

    n_refs = n_examples = n_example_schemas = 0
    event_examples = 0
    for rel, schema in files.items():
        if rel not in uri_of:
            continue
        where, doc_uri = f"Schemas/{rel}", uri_of[rel]
        for pointer, sub_base, sub in subschemas(schema, "", doc_uri):
            for kw in ("$ref", "$dynamicRef"):
                if isinstance(sub.get(kw), str):
                    n_refs += 1
                    try:
                        registry.resolver(base_uri=sub_base).lookup(sub[kw])
                    except Unresolvable as e:
                        problems.append(f"{where}#{pointer}: {kw} {sub[kw]!r} does not resolve ({type(e).__name__})")
            if isinstance(sub.get("examples"), list):
                n_example_schemas += 1
                for i, example in enumerate(sub["examples"]):
                    n_examples += 1
                    event_examples += rel.startswith("events/")
                    err = first_error(f"{doc_uri}#{quote(pointer)}", example, registry)
                    if err:
                        problems.append(f"{where}#{pointer}/examples/{i}: {err}")

    n_lines = 0
    ndjson_files = sorted(schemas_dir.rglob("examples*.ndjson"))
    for path in ndjson_files:
        folder = path.parent.relative_to(schemas_dir).as_posix()
        prefix = "" if folder == "." else folder + "/"
        lines = path.read_text(encoding="utf-8").splitlines()
        for number, line in enumerate(lines, 1):
            if not line.strip() or line.lstrip().startswith("//"):
                continue
            where = f"{path.relative_to(root).as_posix()} line {number}"
            n_lines += 1
            try:
                item = json.loads(line)
            except ValueError as e:
                problems.append(f"{where}: invalid JSON: {e}")
                continue
            checks = []  # (schema relative path, instance)
            if isinstance(item, dict) and isinstance(item.get("command"), str):
                checks = [(f"{prefix}{item['command']}.schema.json", item),
                          (f"{prefix}command.schema.json", item)]
            elif isinstance(item, dict) and isinstance(item.get("eventType"), str):
                event_examples += 1
                checks = [("envelope.schema.json", item),
                          (f"events/{item['eventType']}.schema.json", item.get("payload"))]
            else:
                problems.append(f"{where}: names no schema (no \"command\" or \"eventType\" string)")
            for rel, instance in checks:
                if rel not in uri_of:
                    problems.append(f"{where}: no usable schema Schemas/{rel}")
                    continue
                err = first_error(uri_of[rel], instance, registry)
                if err:  # the first (most specific) failure is enough for this line
                    problems.append(f"{where}: against Schemas/{rel}: {err}")
                    break

    if problems:
        for p in problems:
            print(p, file=sys.stderr)
        print(f"check_schemas: {len(problems)} problem(s)", file=sys.stderr)
        sys.exit(1)
    events_note = (f"{event_examples} event examples" if event_examples
                   else "no event examples exist (none in Schemas/events/ or any examples*.ndjson)")
    print(f"check_schemas: OK: {len(files)} schemas valid 2020-12, {n_refs} $refs resolve, "
          f"{n_lines} lines of {len(ndjson_files)} examples*.ndjson and {n_examples} `examples` "
          f"values in {n_example_schemas} (sub)schemas validate; {events_note}")


if __name__ == "__main__":
    main()
