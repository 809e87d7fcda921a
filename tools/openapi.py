#!/usr/bin/env python3
"""Generate Schemas/openapi.json, the OpenAPI 3.1 document of `svledger serve`, and the
Swift file that embeds its bytes in the Server module (served at GET /openapi.json).

usage: tools/openapi.py           write both files
       tools/openapi.py --check   exit 1 if either differs from what would be written

The routes are written here; the bodies REUSE the JSON Schemas under Schemas/commands/ and
Schemas/read/: each file is copied into components/schemas (`commands.<name>`,
`read.<name>`) with its `$id`/`$schema` dropped and every `$ref` rewritten to a local
`#/components/schemas/...` pointer, so the document is self-contained and loads offline
(the files' `$id`s are https://svledger.example/... URIs, which do not resolve on a network).
One change is made to the command schemas: over HTTP a command has no `actor` (the token's
account and role are recorded; a body naming an actor is a 400), so `actor` is removed from
`required` and its property schema is `false`.
"""
import json
import posixpath
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "Schemas" / "openapi.json"
# The server serves the same bytes, copied into its target as a SwiftPM resource (.copy).
RESOURCE = ROOT / "Sources" / "Server" / "Resources" / "openapi.json"


def ref(name, pointer=""):
    return {"$ref": f"#/components/schemas/{name}{pointer}"}


def component_name(relative):
    """`commands/common.schema.json` -> `commands.common`; `envelope.schema.json` -> `envelope`."""
    return relative.removesuffix(".schema.json").replace("/", ".")


def rewrite(node, relative, found):
    """Rewrite the $refs of the schema file at `relative` (below Schemas/) to local component
    pointers; adds the files they name to `found`."""
    if isinstance(node, dict):
        out = {}
        for key, value in node.items():
            if key in ("$id", "$schema"):
                continue
            if key == "$ref" and isinstance(value, str):
                target, _, fragment = value.partition("#")
                target = posixpath.normpath(posixpath.join(posixpath.dirname(relative), target)) if target else relative
                found.add(target)
                out[key] = f"#/components/schemas/{component_name(target)}{fragment}"
            else:
                out[key] = rewrite(value, relative, found)
        return out
    if isinstance(node, list):
        return [rewrite(item, relative, found) for item in node]
    return node


def without_actor(schema):
    schema = dict(schema)
    if "required" in schema:
        schema["required"] = [name for name in schema["required"] if name != "actor"]
    if "actor" in schema.get("properties", {}):
        schema["properties"] = {**schema["properties"], "actor": False}
    if "description" in schema:
        schema["description"] += " Over HTTP (POST /commands) without `actor`: the token's account and role are recorded."
    return schema


def components():
    schemas = {}
    pending = {f"{folder}/{path.name}" for folder in ("commands", "read") for path in (ROOT / "Schemas" / folder).glob("*.schema.json")}
    while pending:
        relative = pending.pop()
        found = set()
        schema = rewrite(json.loads((ROOT / "Schemas" / relative).read_text(encoding="utf-8")), relative, found)
        if relative.startswith("commands/") and relative not in ("commands/command.schema.json", "commands/common.schema.json"):
            schema = without_actor(schema)
        schemas[component_name(relative)] = schema
        pending |= {name for name in found if component_name(name) not in schemas}
    schemas = dict(sorted(schemas.items()))
    schemas["Problem"] = {
        "description": "An error, RFC 9457 problem details with svledger's error contract (docs/errors.md): `kind` is the stable kebab-case name (a rule's name for a refusal), `category` its category.",
        "type": "object",
        "additionalProperties": False,
        "required": ["type", "title", "status", "detail", "kind", "category"],
        "properties": {
            "type": {"type": "string", "pattern": "^https://svledger\\.example/problems/[a-z0-9-]+$"},
            "title": {"type": "string"},
            "status": {"type": "integer", "minimum": 400, "maximum": 599},
            "detail": {"type": "string"},
            "kind": {"type": "string", "pattern": "^[a-z0-9-]+$"},
            "category": {"type": "string"},
            "fields": {
                "description": "The input fields the problem concerns, as JSON pointers into the request body (RFC 6901): an input error's path, and any field a refusal names (`/endDate`, `/lines/0/quantity`). Absent when it names none.",
                "type": "array", "minItems": 1, "items": {"type": "string", "pattern": "^(/[^/]*)+$"},
            },
        },
    }
    schemas["Health"] = {
        "type": "object", "additionalProperties": False, "required": ["status", "head"],
        "properties": {"status": {"const": "ok"}, "head": ref("read.common", "/$defs/head"),
                       "follower": {
                           "description": "Only from `svledger serve --read-only`: the primary it follows and how far behind it is, from what `svledger follow` last wrote beside the ledger (docs/operations.md, \"More than one machine\"). `following` is false when no follower has run on this ledger.",
                           "type": "object", "additionalProperties": False, "required": ["primary", "following"],
                           "properties": {
                               "primary": {"type": ["string", "null"]}, "following": {"type": "boolean"},
                               "primaryHead": {"type": "integer", "minimum": 0, "description": "The primary's last position at the follower's last poll."},
                               "lagEvents": {"type": "integer", "minimum": 0, "description": "Events the primary held then that the follower does not."},
                               "lagSeconds": {"type": ["integer", "null"], "minimum": 0, "description": "Seconds (rounded up) since the follower last held everything its primary held."},
                               "lagMilliseconds": {"type": ["integer", "null"], "minimum": 0},
                               "checkedAt": {"type": ["string", "null"], "description": "When the primary last answered the follower."},
                               "problem": {"type": ["string", "null"], "description": "Why the follower's last poll failed, if it did."},
                           }}},
    }
    schemas["Readiness"] = {
        "type": "object", "additionalProperties": False, "required": ["status"],
        "properties": {"status": {"enum": ["ready", "warming"]}},
    }
    schemas["CommandRecorded"] = {
        "description": "The command's events as recorded (exported envelopes, each with its position and hash) and the ledger's head after them; for a supplier, the versions of the streams written instead of the head.",
        "type": "object", "additionalProperties": False, "required": ["events"],
        "oneOf": [{"required": ["head"]}, {"required": ["streams"]}],
        "properties": {"head": ref("read.common", "/$defs/head"), "streams": ref("read.common", "/$defs/streams"),
                       "events": {"type": "array", "minItems": 1, "items": ref("read.common", "/$defs/envelopeLine")}},
    }
    account = {"type": "string", "pattern": "^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$", "description": "1 to 64 ASCII letters, digits, '.', '_', '-', '@', starting with a letter or digit."}
    role = {"type": "string", "enum": ROLES, "description": "A role by its ledger name or its command-line token (procurement-officer)."}
    reason = {"type": "string", "minLength": 1, "maxLength": 2000}
    def access(command, required, extra):
        return {"type": "object", "additionalProperties": False, "required": ["command", *required],
                "properties": {"command": {"const": command}, **extra, "reason": reason}}
    schemas["AccessCommand"] = {
        "description": "One access command, as `svledger access` records it; the actor is the bearer token's account.",
        "oneOf": [
            access("access.grant", ["account", "role"], {"account": account, "role": role, "supplier": {"type": "string", "minLength": 1, "maxLength": 200, "description": "For a supplier only: the organisation it acts for."}}),
            access("access.revoke", ["account", "role"], {"account": account, "role": role}),
            access("access.token.issue", ["account", "role"], {"account": account, "role": role, "expiresOn": {"type": "string", "format": "date", "description": "The last day the token works."}}),
            access("access.token.revoke", ["tokenId"], {"tokenId": {"type": "string", "pattern": "^tok-[0-9a-f]{12}$"}}),
            access("access.invite", ["account"], {"account": account, "days": {"type": "integer", "minimum": 1, "maximum": 30, "description": "Days the web app's one-time link to choose a password works for (default 7)."}}),
        ],
    }
    schemas["AccessRecorded"] = {
        "description": "The access event as recorded and the head after it; for access.token.issue also the token, and for access.invite the invitation's link, each shown this once.",
        "type": "object", "additionalProperties": False, "required": ["head", "events"],
        "properties": {"head": ref("read.common", "/$defs/head"), "events": {"type": "array", "minItems": 1, "items": ref("read.common", "/$defs/envelopeLine")},
                       "token": {"type": "string", "pattern": "^svl_[A-Za-z0-9_-]{43}$"},
                       "invitation": {"type": "object", "additionalProperties": False, "required": ["path", "lastDay"],
                                      "description": "For access.invite: the link's path on this server, shown this once (only its SHA-256 is kept), and the last day it works.",
                                      "properties": {"path": {"type": "string", "pattern": "^/app/invitations/inv_[A-Za-z0-9_-]{43}$"}, "lastDay": {"type": "string", "format": "date"}}}},
    }
    grant = {"type": "object", "additionalProperties": False, "required": ["account", "role", "supplier", "grantedBy", "grantedAt"],
             "properties": {"account": {"type": "string"}, "role": {"type": "string"}, "supplier": {"type": ["string", "null"]}, "grantedBy": {"type": "string"}, "grantedAt": {"type": "string"}}}
    token = {"type": "object", "additionalProperties": False, "required": ["tokenId", "account", "role", "expiresOn", "revoked", "status"],
             "properties": {"tokenId": {"type": "string"}, "account": {"type": "string"}, "role": {"type": "string"}, "expiresOn": {"type": ["string", "null"]},
                            "revoked": {"type": "boolean", "description": "True once the token was revoked, itself or with its grant: for good."},
                            "status": {"enum": ["live", "expired", "revoked", "grant-revoked"],
                                       "description": "live; expired (past expiresOn, on the server's today); revoked (by its id); grant-revoked (its account's role was revoked: a new grant needs new tokens)."}}}
    schemas["AccessList"] = {
        "description": "Who holds which role and the tokens by id (never their hashes), with the head read at.",
        "type": "object", "additionalProperties": False, "required": ["head", "grants", "tokens"],
        "properties": {"head": ref("read.common", "/$defs/head"), "grants": {"type": "array", "items": grant}, "tokens": {"type": "array", "items": token}},
    }
    return schemas


# The roles, by their ledger names and their command-line tokens (Sources/Access/Role.swift).
ROLE_NAMES = ["Procurement Officer", "Contract Manager", "Head of Procurement", "Procurement Board", "Supplier", "Auditor", "Cabinet Member", "Administrator"]
ROLES = ROLE_NAMES + [name.lower().replace(" ", "-") for name in ROLE_NAMES]

PROBLEM = {"application/problem+json": {"schema": ref("Problem")}}
WHY = {
    400: "A request that does not read: an unknown or repeated query parameter, a value that does not parse, malformed JSON, a body naming `actor`, a bad header.",
    401: "No token, or one that is unknown, revoked or expired, or whose role was revoked.",
    403: "The role may never do this.",
    404: "No such contract (or, to a supplier, another organisation's: the same answer).",
    409: "`If-Match` no longer matches the contract stream's version (nothing written), or another conflict.",
    413: "The body is larger than the limit (1 MiB; for a command sent with its evidence files, 26 MiB and 64 KiB).",
    406: "The `Accept` header admits none of the media types this route answers with.",
    415: "The body is not of a media type this route takes (application/json for a command, or multipart/form-data with its evidence files; a pledge table as text/tab-separated-values, text/csv or text/plain).",
    422: "Well-formed, but wrong or refused by a rule (`kind` names the rule).",
    503: "The ledger's storage is unavailable (never for a client's input); or, on a read-only follower (`serve --read-only`), any write: `read-only-follower`, with the primary's URL as `Location` when it is configured.",
}


def errors(*codes):
    out = {}
    # Every route reads Accept: one that admits none of its answers' types is a 406.
    for code in sorted({*codes, 406}):
        response = {"description": WHY[code], "content": PROBLEM}
        if code == 401:
            response["headers"] = {"WWW-Authenticate": {"schema": {"type": "string"}, "required": True, "description": "`Bearer realm=\"svledger\"`"}}
        out[str(code)] = response
    return out


def query(name, schema, description):
    return {"name": name, "in": "query", "required": False, "schema": schema, "description": description}


# A query's date and quarter: read.common's, narrowed to what svledger reads (years 1000 to
# 9999; a financial year's second year following its first), so that a value the document
# calls valid is never a 400.
DATE = {"description": "A calendar date, YYYY-MM-DD (read.common's date), in the financial years 1001-02 to 9997-98: 1001-04-01 to 9998-03-31.", "type": "string", "format": "date",
        "pattern": "^(?!1000-|1001-0[1-3]-|9998-(0[4-9]|1[0-2])-|9999-)[1-9][0-9]{3}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$"}
QUARTER = {"description": "A quarter of the UK financial year, e.g. 2025-26-Q2 (read.common's quarter, its second year following its first), in the financial years 1001-02 to 9997-98.", "type": "string",
           "pattern": "^(?!1000|9998|9999)[1-9][0-9](" + "|".join(f"{n // 10}{n % 10}-{(n + 1) % 100:02d}" for n in range(100)) + ")-Q[1-4]$"}
POSITION = {"type": "integer", "minimum": 0, "maximum": 9999999999999999}
AS_OF = query("as-of", DATE, "Read the ledger as it stood at the end of this day (recorded time). Not with `at`.")
AT = query("at", POSITION, "Read the ledger as it stood at this position. Not with `as-of`.")
ON = query("on", DATE, "The reporting date (effective time).")
PERIOD = query("period", QUARTER, "The quarter reported, e.g. 2025-26-Q2.")
FIGURE_POINT = [AS_OF, AT, ON, PERIOD]
CONTRACT = {
    "name": "contract", "in": "path", "required": True, "schema": ref("commands.common", "/$defs/contractReference"),
    "description": "The contract's reference, percent-encoded (`/` as `%2F`).",
}
SINCE = query("since", {"anyOf": [DATE, {"type": "string", "pattern": "^[0-9]{1,16}$"}]}, "Changes after this day (YYYY-MM-DD) or position.")
ETAG = {"ETag": {"description": "The contract stream's version, quoted: `\"7\"`.", "required": True, "schema": {"type": "string", "pattern": "^\"[0-9]+\"$"}}}


def json_answer(schema, description, headers=None):
    answer = {"description": description, "content": {"application/json": {"schema": schema}}}
    if headers:
        answer["headers"] = headers
    return answer


def text_answer(types, description, headers=None):
    answer = {"description": description, "content": {t: {"schema": {"type": "string"}} for t in types}}
    if headers:
        answer["headers"] = headers
    return answer


def read(op_id, summary, parameters, ok, *codes):
    return {"get": {"operationId": op_id, "summary": summary, "parameters": parameters, "responses": {"200": ok, **errors(*codes)}}}


def paths():
    public = {"security": []}
    return {
        "/healthz": {"get": {**public, "operationId": "healthz", "summary": "Liveness, and the ledger's head.",
                             "responses": {"200": json_answer(ref("Health"), "Serving."), **errors(400)}}},
        "/readyz": {"get": {**public, "operationId": "readyz",
                            "summary": "Readiness: 200 once the server has worked out, at start, what people open first (every contract's decision state, the portfolio's first page, the default Cabinet report); 503 until then. It serves meanwhile, only slower.",
                            "responses": {"200": json_answer(ref("Readiness"), "Ready."), "503": json_answer(ref("Readiness"), "Still warming up."), **errors(400)}}},
        "/metrics": {"get": {**public, "operationId": "metrics", "summary": "Prometheus metrics.",
                             "responses": {"200": text_answer(["text/plain"], "The Prometheus text exposition format."), **errors(400)}}},
        "/openapi.json": {"get": {**public, "operationId": "openapi", "summary": "This document.",
                                  "responses": {"200": json_answer({"type": "object"}, "The OpenAPI 3.1 document (Schemas/openapi.json)."), **errors(400)}}},
        "/contracts": read("listContracts", "Every contract (`contracts --format json`); a supplier sees its own only.", FIGURE_POINT,
                           json_answer(ref("read.contracts"), "The contracts."), 400, 401, 403, 404, 422),
        "/contracts/{contract}": read("showContract", "One contract (`show --format json`), with its stream version as the ETag.", [CONTRACT, *FIGURE_POINT],
                                      json_answer(ref("read.show"), "The contract.", ETAG), 400, 401, 403, 404, 422),
        "/contracts/{contract}/audit": read("contractAudit", "One contract's audit trail (`audit REF --format json`).", [CONTRACT, AS_OF, AT, SINCE],
                                            json_answer(ref("read.audit"), "The audit trail."), 400, 401, 403, 404, 422),
        "/contracts/{contract}/evidence": read("listEvidence", "The evidence files the contract's returns cite, and whether each is kept, erased, missing or changed (`evidence list --contract REF --format json`). Council roles, auditors and administrators; a supplier only its own contracts'.",
                                               [CONTRACT], json_answer(ref("read.evidence"), "The files."), 400, 401, 403, 404),
        "/contracts/{contract}/evidence/{sha256}": read("readEvidence", "One evidence file's bytes, checked against its SHA-256, always as a download (`Content-Disposition: attachment`, `X-Content-Type-Options: nosniff`), with the media type sniffed when it was kept (`evidence get`). Council roles and auditors; a supplier only its own contracts'. 404 `evidence-erased` for a file an administrator erased.",
                                                        [CONTRACT, {"name": "sha256", "in": "path", "required": True, "schema": {"type": "string"}, "description": "The file's SHA-256, as the return records it."}],
                                                        {"description": "The file.", "content": {"application/octet-stream": {"schema": {"type": "string", "contentMediaType": "application/octet-stream"}}},
                                                         "headers": {"Content-Disposition": {"required": True, "schema": {"type": "string"}, "description": "`attachment; filename=\"…\"; filename*=UTF-8''…`"}}},
                                                        400, 401, 403, 404),
        "/contracts/{contract}/evidence/{sha256}/erasure": {"post": {
            "operationId": "eraseEvidence",
            "summary": "Erases the bytes of an evidence file the contract's returns cite (`evidence erase`): the command evidence.erase, recorded with the administrator as the actor; the returns keep the file's hash, and verify then reports it erased. Administrators only; a reason is required (422 reason-required); a file not cited, or already erased, is 422 evidence-file.",
            "parameters": [CONTRACT, {"name": "sha256", "in": "path", "required": True, "schema": {"type": "string"}, "description": "The file's SHA-256."}],
            "requestBody": {"required": True, "content": {"application/json": {"schema": {"type": "object", "additionalProperties": False, "required": ["reason"], "properties": {"reason": {"type": "string", "minLength": 1, "maxLength": 2000}}}}}},
            "responses": {"201": json_answer(ref("CommandRecorded"), "Erased, durably."), **errors(400, 401, 403, 404, 413, 415, 422, 503)},
        }},
        "/audit": read("auditSince", "Every contract's changes since a day or position (`audit --since`). Not for suppliers.", [AS_OF, AT, {**SINCE, "required": True}],
                       json_answer(ref("read.audit"), "The audit trail."), 400, 401, 403, 404, 422),
        "/reconcile": read("reconcile", "Reconciliation (`reconcile --format json`); a supplier's is limited to its own contracts.",
                           [*FIGURE_POINT, query("contract", ref("commands.common", "/$defs/contractReference"), "One contract."),
                            query("supplier", {"type": "string"}, "One supplier's contracts.")],
                           json_answer(ref("read.reconcile"), "The reconciliation."), 400, 401, 403, 404, 422),
        "/due": read("due", "The returns suppliers owe on a day (`due --format json`, docs/calendar.md): overdue (the reconciliation's late-return rule), due, and each contract's next upcoming (every one with all=true). A supplier gets its own contracts' only. Not for administrators.",
                     [query("today", DATE, "The day the list is for (default: today, UTC)."), query("supplier", {"type": "string"}, "One supplier's contracts."),
                      query("manager", {"type": "string"}, "The contracts one contract manager manages."), query("all", {"enum": ["true", "false"], "default": "false"}, "true: every quarter still to come.")],
                     json_answer(ref("read.due"), "The returns owed."), 400, 401, 403, 422),
        "/calendar.ics": read("dueCalendar", "The due days of the returns still owed, as an iCalendar feed (RFC 5545; `due --format ics`): one all-day event per return, a stable UID per contract and quarter. A supplier gets its own contracts' only, so a supplier's calendar can subscribe to it. Not for administrators.",
                              [query("today", DATE, "The day the feed is for (default: today, UTC)."), query("supplier", {"type": "string"}, "One supplier's contracts."),
                               query("manager", {"type": "string"}, "The contracts one contract manager manages.")],
                              text_answer(["text/calendar"], "The iCalendar feed."), 400, 401, 403, 422),
        "/figures": read("figures", "The figures file (§10 of Schemas/README.md). Not for suppliers.", FIGURE_POINT,
                         text_answer(["text/csv"], "The figures file.", {"Figures-Digest": {"required": True, "schema": {"type": "string"}, "description": "The figures file's digest."}}),
                         400, 401, 403, 404, 422),
        "/log": read("log", "The log as NDJSON (`log --format json`), each line an exported envelope (Schemas/read/log.schema.json, `read.log` here). A contract's stream: every role, a supplier only its own; policy/… and catalog/…: every role; `access` and the whole log: administrators and auditors.",
                     [AS_OF, AT, query("stream", {"type": "string", "pattern": "^[ -~]{1,200}$"}, "One stream, e.g. contract/LCC-2025-014: 1 to 200 printable ASCII characters (every stream svledger writes is named so); anything else is a 400 invalid-stream-id."),
                      query("from", POSITION, "The first position."), query("limit", {"type": "integer", "minimum": 1, "maximum": 10000}, "At most this many events (10,000 by default).")],
                     text_answer(["application/x-ndjson"], "One exported envelope per line."), 400, 401, 403, 404, 422),
        "/verify": read("verify", "Verifies the whole ledger (`verify --format json`). Not for suppliers.",
                        [query("expect-head", {"type": "string", "pattern": "^([0-9]{1,16}:)?[0-9a-fA-F]{64}$"}, "POSITION:HASH, or the hash alone: 422 if the ledger verifies but does not hold it.")],
                        json_answer(ref("read.verify"), "The ledger verifies."), 400, 401, 403, 422),
        "/reports/cabinet": read("cabinetReport", "The Cabinet report. Not for suppliers.",
                                 [*FIGURE_POINT, query("format", {"enum": ["html", "md", "csv"], "default": "html"}, "html (default), md or csv.")],
                                 text_answer(["text/html", "text/markdown", "text/csv"], "The report."), 400, 401, 403, 404, 422),
        "/export/ndjson": read("exportNDJSON", "The whole log up to the head (or as-of/at), streamed, one exported envelope per line (`export ndjson`): verifiable from the file alone with tools/verify_ledger.py --ndjson. Administrators and auditors only (it holds the access stream).",
                               [AS_OF, AT],
                               text_answer(["application/x-ndjson"], "The log, one exported envelope per line.",
                                           {"Ledger-Head": {"required": True, "schema": {"type": "string", "pattern": "^[0-9]+:[0-9a-f]{64}$"}, "description": "The last position exported and its chain hash."}}),
                               400, 401, 403, 422),
        "/checkpoint": {"get": {**public, "operationId": "checkpoint",
                                "summary": "The last checkpoint the ledger signed (C2SP tlog-checkpoint: origin, tree size, base64 Merkle root, then the signatures, a witness's cosignatures included), as published; 404 no-checkpoint before the first (Schemas/README.md section 11). Open to anyone: it is what the council publishes.",
                                "responses": {"200": text_answer(["text/plain"], "The signed checkpoint."), **errors(400, 404)}}},
        "/proofs/inclusion": read("proveInclusion", "That one event is in the Merkle tree of a size (`prove inclusion --format json`): hashes only. Every role; a supplier only for its own contracts' events and the reference data's (any other position is a 404).",
                                  [{**query("position", {**POSITION, "minimum": 1}, "The event's position."), "required": True},
                                   query("size", {**POSITION, "minimum": 1}, "The tree's size (default: the head's), e.g. a published checkpoint's.")],
                                  json_answer(ref("read.prove-inclusion"), "The inclusion proof."), 400, 401, 403, 404, 422),
        "/proofs/consistency": read("proveConsistency", "That the tree of `from` events is a prefix of the tree of `to` events (`prove consistency --format json`): hashes only. Every role.",
                                    [{**query("from", {**POSITION, "minimum": 1}, "The earlier tree's size."), "required": True},
                                     query("to", {**POSITION, "minimum": 1}, "The later tree's size (default: the head's).")],
                                    json_answer(ref("read.prove-consistency"), "The consistency proof."), 400, 401, 403, 422),
        "/imports/portal": {"post": {
            "operationId": "importPortal",
            "summary": "Imports a Social Value Portal pledge table as a contract's pledge, every line recomputed as answer × the catalog's proxy (`import portal`). dry-run=true: the findings only (200). Otherwise recorded all or nothing by the authenticated actor (201), or refused while a finding blocks it (422). Council roles only.",
            "parameters": [
                {**query("contract", ref("commands.common", "/$defs/contractReference"), "The contract the pledge is for."), "required": True},
                {**query("catalog", {"type": "string", "minLength": 1, "maxLength": 200}, "The catalog to price with, id or id@version."), "required": True},
                query("dry-run", {"enum": ["true", "false"], "default": "false"}, "true: the findings only, nothing written."),
                query("use-computed", {"enum": ["true", "false"], "default": "false"}, "true: record the computed values where stated ones disagree."),
                query("add-measures", {"enum": ["true", "false"], "default": "false"}, "true: add the table's unknown measures to a new catalog version."),
                query("effective-date", ref("commands.common", "/$defs/date"), "The date the pledge takes effect (default: today, and the event says so)."),
                query("reason", {"type": "string", "minLength": 1, "maxLength": 2000}, "Why."),
                {"name": "If-Match", "in": "header", "required": False, "description": "The contract's ETag: recorded only if its stream is still at that version, else 409.",
                 "schema": {"type": "string", "pattern": "^(W/)?(\"[0-9]{1,16}\"|[0-9]{1,16})$"}},
                {"name": "Idempotency-Key", "in": "header", "required": False, "description": "A retry with the same key, query and body gets the first answer and writes nothing.",
                 "schema": {"type": "string", "pattern": "^[!-~]{1,200}$"}},
            ],
            "requestBody": {"required": True, "content": {t: {"schema": {"type": "string"}} for t in ["text/tab-separated-values", "text/csv", "text/plain"]}},
            "responses": {
                "200": json_answer(ref("read.import-portal"), "dry-run=true: the findings; nothing written."),
                "201": json_answer(ref("CommandRecorded"), "Recorded, durably.", {
                    "ETag": {**ETAG["ETag"], "required": False, "description": "The contract stream's new version."},
                    "Idempotent-Replayed": {"required": False, "schema": {"const": "true"}, "description": "This is the first answer to this Idempotency-Key, given again."}}),
                **errors(400, 401, 403, 404, 409, 413, 415, 422, 503),
            },
        }},
        "/access": {
            "get": {"operationId": "accessList", "summary": "Who holds which role, granted by whom and when, and the tokens by id, never their hashes (`access list --format json`). Administrators and auditors.",
                    "parameters": [AS_OF, AT], "responses": {"200": json_answer(ref("AccessList"), "The grants and tokens."), **errors(400, 401, 403, 404, 422)}},
            "post": {
                "operationId": "accessCommand",
                "summary": "Grants or revokes a role, or issues or revokes a token, recorded in the `access` stream with the administrator's account as the actor (`svledger access …`). An issued token is in the answer, shown this once. Administrators only.",
                "requestBody": {"required": True, "content": {"application/json": {"schema": ref("AccessCommand")}}},
                "responses": {"201": json_answer(ref("AccessRecorded"), "Recorded, durably."), **errors(400, 401, 403, 413, 415, 422, 503)},
            },
        },
        "/commands": {"post": {
            "operationId": "recordCommand",
            "summary": "Records one command (the JSON form of `svledger apply`, without `actor`). A supplier: delivery.report and delivery.correct on its own contracts only. Auditors, Cabinet Members and administrators never write here (an administrator erases evidence files with POST /contracts/{contract}/evidence/{sha256}/erasure; evidence.erase sent here is 403). A return with its evidence files comes as multipart/form-data: the command as JSON in part `command`, each file in a part of its own with its filename; each line lists its files by name (`\"evidenceFiles\": [{\"name\": \"payslips-q1.pdf\"}]`) and the server completes what the event records of each from its bytes (SHA-256, size, sniffed media type; a SHA-256 the line gives is checked instead). At most 26 MiB and 64 KiB in all; one file at most 25 MiB.",
            "parameters": [
                {"name": "If-Match", "in": "header", "required": False, "description": "The contract's ETag (`\"7\"`): decided only if its stream is still at that version, else 409.",
                 "schema": {"type": "string", "pattern": "^(W/)?(\"[0-9]{1,16}\"|[0-9]{1,16})$"}},
                {"name": "Idempotency-Key", "in": "header", "required": False, "description": "A retry with the same key and body, by the same account, gets the first answer (`Idempotent-Replayed: true`) and writes nothing.",
                 "schema": {"type": "string", "pattern": "^[!-~]{1,200}$"}},
            ],
            "requestBody": {"required": True, "content": {
                "application/json": {"schema": ref("commands.command")},
                "multipart/form-data": {"schema": {"type": "object", "required": ["command"], "properties": {
                    "command": {**ref("commands.command"), "description": "The command, as JSON (the part's content type application/json); its lines' evidenceFiles may give only each file's name."},
                    "file": {"type": "array", "items": {"type": "string", "contentMediaType": "application/octet-stream"}, "description": "The evidence files, each with its filename."}}},
                    "encoding": {"command": {"contentType": "application/json"}}},
            }},
            "responses": {
                "201": json_answer(ref("CommandRecorded"), "Recorded, durably.", {
                    "ETag": {**ETAG["ETag"], "required": False, "description": "For a contract command: the contract stream's new version."},
                    "Idempotent-Replayed": {"required": False, "schema": {"const": "true"}, "description": "This is the first answer to this Idempotency-Key, given again."}}),
                **errors(400, 401, 403, 404, 409, 413, 415, 422, 503),
            },
        }},
    }


def document():
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "svledger serve",
            "version": "1",
            "description": "One svledger ledger shared over HTTP (README.md, Server section). Generated by tools/openapi.py from the JSON Schemas under Schemas/commands and Schemas/read; do not edit by hand.",
        },
        "jsonSchemaDialect": "https://json-schema.org/draft/2020-12/schema",
        "servers": [{"url": "http://127.0.0.1:8080"}],
        "security": [{"bearer": []}],
        "paths": paths(),
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer", "description": "A token from `svledger access token issue` (svl_…)."}},
            "schemas": components(),
        },
    }


def render():
    return json.dumps(document(), indent=2, ensure_ascii=False) + "\n"


def main():
    text = render()
    if "--check" in sys.argv[1:]:
        stale = [str(p.relative_to(ROOT)) for p in (OUT, RESOURCE) if not p.exists() or p.read_text(encoding="utf-8") != text]
        if stale:
            print(f"openapi: {', '.join(stale)} differ from the schemas; run tools/openapi.py", file=sys.stderr)
            sys.exit(1)
        from openapi_spec_validator import validate
        validate(json.loads(text))
        print(f"openapi: Schemas/openapi.json is valid OpenAPI 3.1, {len(document()['paths'])} paths, and matches the schema files")
        return
    OUT.write_text(text, encoding="utf-8")
    RESOURCE.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
