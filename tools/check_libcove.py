#!/usr/bin/env python3
"""The Open Contracting community's own checker, libcoveocds, on svledger's OCDS exports, offline.

    python3 tools/check_libcove.py SVLEDGER LEDGER [--contracts N]

Exports the ledger (`export ocds`, a release package; with --contracts, the first N contracts
only, one package each), and runs libcoveocds on it. It must report 0 validation errors, 0
additional fields and no extension it could not load.

libcoveocds builds the schema from the package's own `extensions` list, fetching each
extension.json, and the standard from a ZIP of its repository. Nothing is fetched from the
network here:
- ../shared/ocds (OCDS 1.1.5 and the UK profile's extensions) and the extensions kept in
  Tests/OpenContractingTests/Fixtures/extensions are served on a loopback port;
- the package's extension URLs are pointed at those copies, by extension name (an extension
  with no copy keeps its URL, and libcoveocds then reports it as not loaded, which fails);
- the standard is given as a ZIP made from ../shared/ocds/standard-1.1.5.

Where ../shared/ocds is missing, the check is skipped with one line (a failure under CI=true).
"""
import argparse
import functools
import http.server
import json
import os
import subprocess
import sys
import tempfile
import threading
import warnings
import zipfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SHARED = os.path.join(os.path.dirname(ROOT), "shared", "ocds")
KEPT = os.path.join(ROOT, "Tests", "OpenContractingTests", "Fixtures", "extensions")
TAG = "1__1__5"


class Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def serve(folders):
    """Serves each (name, folder) under /name/ on a loopback port; returns the base URL."""
    site = tempfile.mkdtemp(prefix="svledger-libcove-")
    for name, folder in folders:
        os.symlink(folder, os.path.join(site, name))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=site))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_port}"


def standard_zip(folder):
    """The standard's schema folder as the ZIP of its repository that ocdsextensionregistry reads:
    a root folder entry first, then schema/ beneath it."""
    path = os.path.join(tempfile.mkdtemp(prefix="svledger-standard-"), "standard.zip")
    schema = os.path.join(folder, "schema")
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(f"standard-{TAG}/", "")
        for directory, _, files in sorted(os.walk(schema)):
            for name in sorted(files):
                full = os.path.join(directory, name)
                archive.write(full, f"standard-{TAG}/schema/" + os.path.relpath(full, schema))
    return path


def local_url(url, base):
    """An extension.json URL (…/<extension name>/<branch>/extension.json) as its served copy."""
    name = url.rstrip("/").split("/")[-3]
    for mount, folder in (("shared", os.path.join(SHARED, "extensions")), ("kept", KEPT)):
        if os.path.isdir(os.path.join(folder, name)):
            return f"{base}/{mount}/{name}/extension.json"
    return url


def check(package, base, zip_path):
    from libcoveocds.api import ocds_json_output
    from libcoveocds.config import LibCoveOCDSConfig

    package = dict(package, extensions=[local_url(url, base) for url in package.get("extensions", [])])
    config = LibCoveOCDSConfig({
        "schema_version_choices": {"1.1": ("1.1", f"{base}/standard/schema/", TAG)},
        "schema_codelists": {"1.1": f"{base}/standard/schema/codelists/"},
        "standard_zip": "file://" + zip_path,
        "context": "api",
    })
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = ocds_json_output(tempfile.mkdtemp(prefix="svledger-libcove-out-"), json_data=package, lib_cove_ocds_config=config)
    problems = []
    for url, why in (result.get("extensions") or {}).get("invalid_extension", {}).items():
        problems.append(f"extension not loaded: {url}: {why}")
    for error in result.get("validation_errors", []):
        problems.append(f"validation error: {str(error)[:300]}")
    for field in result.get("additional_fields", []) if isinstance(result.get("additional_fields"), list) else (result.get("additional_fields") or {}).values():
        problems.append(f"additional field: {field}")
    return len(package.get("releases", [])), problems


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("svledger")
    parser.add_argument("ledger")
    parser.add_argument("--contracts", type=int, help="check the first N contracts' packages, one by one")
    parser.add_argument("--self-test", action="store_true", help="also show that the check fails: a planted field, and the package without submissionTerms")
    args = parser.parse_args()
    if not os.path.isdir(SHARED):
        if os.environ.get("CI") == "true":
            sys.exit(f"check_libcove: {SHARED} is missing, and CI needs it")
        print(f"check_libcove: skipped: {SHARED} is not beside the repository")
        return
    base = serve([("shared", os.path.join(SHARED, "extensions")), ("kept", KEPT), ("standard", os.path.join(SHARED, "standard-1.1.5"))])
    zip_path = standard_zip(os.path.join(SHARED, "standard-1.1.5"))

    def export(*extra):
        out = subprocess.run([args.svledger, "export", "ocds", "--ledger", args.ledger, *extra], check=True, capture_output=True, text=True)
        return json.loads(out.stdout)

    if args.contracts:
        listing = subprocess.run([args.svledger, "contracts", "--ledger", args.ledger, "--format", "json"], check=True, capture_output=True, text=True)
        references = [row["contract"] for row in json.loads(listing.stdout)["contracts"]][: args.contracts]
        packages = [(reference, export("--contract", reference)) for reference in references]
    else:
        packages = [("the whole ledger", export())]
    if args.self_test:
        # The check can fail: a field no schema declares, and the package as it was before it
        # declared submissionTerms (every release field then read as additional).
        label, package = packages[0]
        planted = dict(package, releases=[dict(package["releases"][0], svledgerPlanted=1)] + package["releases"][1:])
        without = dict(package, extensions=[url for url in package["extensions"] if "submissionTerms" not in url])
        for what, broken in (("a planted field", planted), ("no submissionTerms extension", without)):
            if not check(broken, base, zip_path)[1]:
                sys.exit(f"check_libcove: self-test: {what} in {label} was not reported")
        print("check_libcove: self-test: a planted field and a package without submissionTerms are both reported")
    releases, problems = 0, []
    for label, package in packages:
        count, found = check(package, base, zip_path)
        releases += count
        problems += [f"{label}: {problem}" for problem in found]
    for problem in problems[:40]:
        print(problem)
    if problems:
        sys.exit(f"check_libcove: {len(problems)} problem(s) in {len(packages)} package(s) of {args.ledger}")
    print(f"check_libcove: libcoveocds found 0 errors and 0 additional fields in {len(packages)} package(s), {releases} releases, every extension loaded")


if __name__ == "__main__":
    main()
