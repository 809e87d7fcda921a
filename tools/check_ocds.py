#!/usr/bin/env python3
"""Checks `svledger export ocds` on a ledger against the OCDS schema and the reference merge.

    python3 tools/check_ocds.py --svledger BIN --ledger DIR [--as-of DATE] [--sample N] [--keep DIR]

Exports the ledger three ways (release package, record package, NDJSON), then:
- requires the release package to hold exactly the NDJSON lines, byte for byte (read as
  streams, so any size of ledger can be checked);
- validates the exports with ../shared/ocds/validate.py (OCDS 1.1.5 and the UK profile's
  extensions, offline): 0 errors and 0 fields the merged schema does not declare;
- merges every record's releases with ocdsmerge (PyPI), given the merged schema that
  validate.py writes, and requires the record's compiledRelease to be exactly that, and the
  records to hold exactly the package's releases.
With --sample N, validate.py and the merge check take N contracts spread evenly over the
ledger (their releases cut from the full NDJSON export, their records exported with
--contract), because validate.py takes hours over a million releases; the exports themselves
are still made in full. Then every release line of the full NDJSON export is still checked,
in 2 worker processes: against the merged release schema that validate.py builds, with the
fast jsonschema_rs validator (Draft 4, checking the formats validate.py checks), and for
fields that schema does not declare, with validate.py's own additional_fields. Prints one line
of results; exits 1 on any failure (showing the first 10 problems).

    python3 tools/check_ocds.py --svledger BIN --ledger DIR --self-test

exports the ledger's NDJSON and proves that the full check catches a bad release: the first
line must pass, and that release with an unknown field and a wrong type must fail on both.

The OCDS material is read from ../shared/ocds beside the repository. Where it is missing this
prints one line saying the validation is skipped and exits 0, unless CI=true: then it fails.
Needs jsonschema, json-merge-patch, ocdsmerge and jsonschema-rs (tools/setup installs them).
"""
import argparse, json, multiprocessing, os, pathlib, subprocess, sys, tempfile, time

ROOT = pathlib.Path(__file__).resolve().parent.parent
OCDS = ROOT / ".." / "shared" / "ocds"


def fail(message):
    print(f"OCDS check FAILED: {message}")
    sys.exit(1)


def export(args, form, out, contract=None):
    command = [args.svledger, "export", "ocds", "--ledger", args.ledger, "--format", form, "--out", str(out)]
    command += ["--as-of", args.as_of] if args.as_of else []
    command += ["--contract", contract] if contract else []
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode != 0:
        fail(f"svledger export ocds --format {form} exited {done.returncode}: {done.stderr.strip()}")


def validate(paths):
    done = subprocess.run([sys.executable, str(OCDS / "validate.py"), *map(str, paths)], capture_output=True, text=True)
    last = done.stdout.strip().splitlines()[-1] if done.stdout.strip() else ""
    if done.returncode != 0 or not last.endswith(" 0 errors"):
        shown = "\n".join(done.stdout.strip().splitlines()[:10])
        fail(f"the export does not validate:\n{shown}{done.stderr.strip()}")


def package_holds_the_lines(package_path, ndjson_path):
    """The release package is its metadata, then the NDJSON lines joined by commas, then `]}`."""
    marker = b'"releases":['
    with open(package_path, "rb") as package, open(ndjson_path, "rb") as lines:
        head = package.read(1 << 16)
        at = head.find(marker)
        if at < 0:
            fail("the release package has no releases array")
        package.seek(at + len(marker))
        count = 0
        for line in lines:
            release = line.rstrip(b"\n")
            if count and package.read(1) != b",":
                fail(f"the release package and the NDJSON part at release {count + 1}")
            if package.read(len(release)) != release:
                fail(f"release {count + 1} of the package is not line {count + 1} of the NDJSON")
            count += 1
        if package.read() != b"]}\n":
            fail("the release package holds more releases than the NDJSON")
    return count


def merge_checker(folder):
    import ocdsmerge  # only needed when there is something to check
    schema_path = folder / "merged-release-schema.json"
    subprocess.run([sys.executable, str(OCDS / "validate.py"), "--schema", str(schema_path)], check=True)
    schema = json.loads(schema_path.read_text())
    merger = ocdsmerge.Merger(schema=without_dangling_refs(schema, schema["definitions"]))

    def check(record):
        expected = merger.create_compiled_release(record["releases"])
        if record["compiledRelease"] != expected:
            fail(f"record {record['ocid']}: compiledRelease differs from ocdsmerge's merge of its releases\n"
                 f"  svledger:  {json.dumps(record['compiledRelease'], sort_keys=True)[:600]}\n"
                 f"  ocdsmerge: {json.dumps(expected, sort_keys=True)[:600]}")
    return check


def without_dangling_refs(node, definitions):
    """The merged schema refers to a few definitions that no included extension defines (the
    lots extension's `SubmissionTerms`); jsonref, which ocdsmerge uses, cannot resolve them.
    The export writes none of those fields, so each becomes an empty schema: no merge rule."""
    if isinstance(node, dict):
        ref = node.get("$ref", "")
        if ref.startswith("#/definitions/") and ref.split("/")[-1] not in definitions:
            return {}
        return {key: without_dangling_refs(value, definitions) for key, value in node.items()}
    if isinstance(node, list):
        return [without_dangling_refs(value, definitions) for value in node]
    return node


def by_id(releases):
    return sorted(releases, key=lambda release: release["id"])


def check_everything(files, folder):
    validate(files.values())
    check = merge_checker(folder)
    package = json.loads(files["package"].read_text())
    records = json.loads(files["records"].read_text())["records"]
    for record in records:
        check(record)
    if by_id(r for record in records for r in record["releases"]) != by_id(package["releases"]):
        fail("the records do not hold exactly the release package's releases")
    return len(records)


def check_sample(args, files, folder, size, prefix):
    """Cuts the sampled contracts' releases from the full NDJSON and exports their records alone."""
    seen = {}   # the contracts' ocids in the order they first appear
    with open(files["ndjson"], encoding="utf-8") as lines:
        for line in lines:
            seen.setdefault(json.loads(line)["ocid"])
    ocids = list(seen)
    step = max(1, len(ocids) // size)
    chosen = set(ocids[::step][:size])
    sample, releases = folder / "sample-releases.ndjson", {ocid: [] for ocid in chosen}
    with open(files["ndjson"], encoding="utf-8") as lines, open(sample, "w", encoding="utf-8") as out:
        for line in lines:
            release = json.loads(line)
            if release["ocid"] in chosen:
                out.write(line)
                releases[release["ocid"]].append(release)
    record_files = []
    for ocid in sorted(chosen):
        path = folder / f"record-{len(record_files)}.json"
        export(args, "records", path, contract=ocid[len(prefix):])
        record_files.append(path)
    validate([sample, *record_files])
    check = merge_checker(folder)
    for path in record_files:
        (record,) = json.loads(path.read_text())["records"]
        check(record)
        if by_id(record["releases"]) != by_id(releases[record["ocid"]]):
            fail(f"record {record['ocid']} does not hold the full export's releases of that contract")
    return len(chosen), len(ocids)


# The full check of every NDJSON line. Each worker process builds its own validator (see
# start_worker) and checks chunks of the file that it reads itself, so only offsets and small
# results cross the process boundary.
WORKERS = 2
CHUNK_BYTES = 4 << 20
SHOWN = 10
worker = {}


def start_worker():
    import jsonschema, jsonschema_rs
    sys.path.insert(0, str(OCDS))
    import validate   # ../shared/ocds/validate.py: the merged schema and additional_fields come from it
    root = validate.release_schema()
    # validate.py uses jsonschema's Draft 4 FORMAT_CHECKER, which checks only the formats whose
    # checker library is installed (here date-time, but not uri: rfc3987 is missing). jsonschema_rs
    # checks every format it knows, so each format the schema uses that validate.py does not check
    # is accepted as it is, and the rest are checked by jsonschema_rs's own checkers.
    checked = jsonschema.Draft4Validator.FORMAT_CHECKER.checkers
    unchecked = {name: (lambda value: True) for name in formats_in(root) if name not in checked}
    # jsonschema_rs resolves every $ref when it builds the validator, and the merged schema
    # refers to definitions that no included extension defines (the lots extension's
    # `#/definitions/SubmissionTerms`); only those dangling refs become empty schemas, as for
    # ocdsmerge above. The export writes none of those fields; validate.py could not check a
    # release that reached one either, and here additional_fields would stop the check with a
    # KeyError on such a release rather than pass it.
    schema = without_dangling_refs(root, root["definitions"])
    worker["validator"] = jsonschema_rs.Draft4Validator(schema, validate_formats=True, formats=unchecked)
    worker["root"] = root
    worker["additional_fields"] = validate.additional_fields


def formats_in(node):
    if isinstance(node, dict):
        if isinstance(node.get("format"), str):
            yield node["format"]
        for value in node.values():
            yield from formats_in(value)
    elif isinstance(node, list):
        for value in node:
            yield from formats_in(value)


def check_lines(lines):
    """Checks release lines (bytes or str); returns (count, errors, additional fields, the first
    problems as (index of the line in `lines`, message))."""
    validator, root, additional_fields = worker["validator"], worker["root"], worker["additional_fields"]
    count = errors = extras = 0
    problems = []
    for index, line in enumerate(lines):
        if not line.strip():
            continue
        count += 1
        try:
            release = json.loads(line)
        except ValueError as error:
            errors += 1
            if len(problems) < SHOWN:
                problems.append((index, f"not JSON: {error}"))
            continue
        if not validator.is_valid(release):
            for error in validator.iter_errors(release):
                errors += 1
                if len(problems) < SHOWN:
                    where = "/".join(map(str, error.instance_path)) or "(top)"
                    problems.append((index, f"{where}: {error.message[:300]}"))
        for extra in additional_fields(release, root, root):
            extras += 1
            if len(problems) < SHOWN:
                problems.append((index, f"{extra.lstrip('/')}: additional field, not in OCDS 1.1.5 or the profile's extensions"))
    return count, errors, extras, problems


def check_chunk(span):
    """Returns the chunk's number of lines and check_lines' result for them."""
    path, start, end = span
    with open(path, "rb") as file:
        file.seek(start)
        text = file.read(end - start)
    return text.count(b"\n"), check_lines(text.split(b"\n"))


def chunks(path):
    """Byte ranges of about CHUNK_BYTES that start and end at line boundaries."""
    size, start = os.path.getsize(path), 0
    with open(path, "rb") as file:
        while start < size:
            file.seek(min(start + CHUNK_BYTES, size))
            file.readline()
            end = min(file.tell(), size)
            yield str(path), start, end
            start = end


def check_full(path):
    """Every line of the NDJSON export against the merged schema and for additional fields.
    Returns (releases, errors, additional fields, seconds) when all is well; fails otherwise."""
    started = time.monotonic()
    count = errors = extras = lines = 0
    problems = []
    with multiprocessing.Pool(WORKERS, initializer=start_worker) as pool:
        # imap gives the chunks' results in the file's order, so line numbers add up.
        for chunk_lines, (n, e, x, found) in pool.imap(check_chunk, chunks(path)):
            problems += [(lines + index + 1, message) for index, message in found]
            count, errors, extras, lines = count + n, errors + e, extras + x, lines + chunk_lines
    if errors or extras:
        shown = "\n".join(f"  line {number}: {message}" for number, message in problems[:SHOWN])
        fail(f"full NDJSON check: {count} releases checked, {errors} errors, {extras} additional fields; "
             f"the first {min(SHOWN, len(problems))}:\n{shown}")
    return count, errors, extras, time.monotonic() - started


def self_test(ndjson_path):
    """The full check's own code, on the export's first line as it is, then on that release
    with an unknown field and a wrong type: both must be reported, and only those."""
    start_worker()
    with open(ndjson_path, "rb") as lines:
        line = lines.readline()
    count, errors, extras, problems = check_lines([line])
    if (count, errors, extras) != (1, 0, 0):
        fail(f"self-test: the export's first release does not pass: {problems}")
    bad = json.loads(line)
    inner = "tender" if isinstance(bad.get("tender"), dict) else None
    (bad[inner] if inner else bad)["notAnOcdsField"] = "x"   # an unknown field, nested where there is a tender
    bad["date"] = 20240101                                   # a wrong type: date is a date-time string
    unknown = f"{inner}/notAnOcdsField" if inner else "notAnOcdsField"
    count, errors, extras, problems = check_lines([json.dumps(bad)])
    messages = [message for _, message in problems]
    for message in messages:
        print(f"  self-test caught: {message}")
    caught_type = any(m.startswith("date:") for m in messages)
    caught_field = any(m.startswith(f"{unknown}: additional field") for m in messages)
    if not (caught_type and caught_field and errors == 1 and extras == 1):
        fail(f"self-test: the bad release gave {errors} errors, {extras} additional fields: {messages}")
    print("OCDS full-check self-test passed: a valid release passes; an unknown field and a wrong type are both reported")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--svledger", required=True, help="the svledger executable")
    parser.add_argument("--ledger", required=True, help="the ledger directory")
    parser.add_argument("--as-of", help="export as of this date (YYYY-MM-DD)")
    parser.add_argument("--sample", type=int, help="validate and merge-check only this many contracts, spread evenly")
    parser.add_argument("--keep", help="write the exports into this directory instead of a temporary one")
    parser.add_argument("--self-test", action="store_true", help="only prove that the full NDJSON check catches a bad release")
    args = parser.parse_args()

    if not (OCDS / "validate.py").is_file():
        if os.environ.get("CI") == "true":
            fail("../shared/ocds not found, and CI=true requires the OCDS validation")
        print("OCDS validation skipped: ../shared/ocds not found")
        return 0

    started = time.monotonic()
    with tempfile.TemporaryDirectory() as scratch:
        folder = pathlib.Path(args.keep or scratch)
        folder.mkdir(parents=True, exist_ok=True)
        if args.self_test:
            export(args, "ndjson", folder / "ocds-ndjson.json")
            self_test(folder / "ocds-ndjson.json")
            return 0
        files = {form: folder / f"ocds-{form}.json" for form in ("package", "records", "ndjson")}
        for form, path in files.items():
            export(args, form, path)
        exported = time.monotonic() - started
        count = package_holds_the_lines(files["package"], files["ndjson"])
        if args.sample:
            checked, contracts = check_sample(args, files, folder, args.sample, "ocds-svledger-")
            scope = f"{checked} of {contracts} contracts sampled for validation and merge"
            full, errors, extras, seconds = check_full(files["ndjson"])
            full_check = (f"full NDJSON check (merged schema with jsonschema_rs, validate.py's additional_fields): "
                          f"{full} releases checked, {errors} errors, {extras} additional fields in {seconds:.1f} s; ")
        else:
            contracts = check_everything(files, folder)
            scope = f"all {contracts} records"
            full_check = ""
    print(f"OCDS check passed: {count} releases exported 3 ways in {exported:.1f} s (package = NDJSON byte for byte); "
          f"{scope}: valid (0 errors, 0 additional fields), every compiledRelease equals ocdsmerge's; "
          f"{full_check}{time.monotonic() - started:.1f} s in all")
    return 0


if __name__ == "__main__":
    sys.exit(main())
