#!/usr/bin/env python3
"""Checks `svledger returns template|import` with files a real spreadsheet program wrote.

    check_spreadsheet_returns.py SVLEDGER LEDGER

On a copy of LEDGER (a demo ledger):
  1. a CSV template, filled in, turned into XLSX by LibreOffice (soffice --headless
     --convert-to xlsx), imported: no finding, recorded, shown;
  2. svledger's own XLSX template filled in with openpyxl and recalculated by LibreOffice: the
     formulas' saved values are read and checked, and it is recorded;
  3. a workbook written by openpyxl with every kind of mistake: each is a finding, and the
     ledger's head does not move;
  4. a ZIP of something else named .xlsx, and a zip bomb: refused with what they are.
Prints one line per step; exits 1 on the first thing that does not hold.
"""

import csv
import io
import json
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

import openpyxl


def fail(message):
    print(f"check_spreadsheet_returns: FAIL: {message}")
    sys.exit(1)


def svledger(binary, ledger, *args):
    return subprocess.run([binary, *args, "--ledger", ledger], capture_output=True, text=True, timeout=120)


def soffice(source, directory):
    result = subprocess.run(["soffice", "--headless", "--norestore", "--convert-to", "xlsx", "--outdir", str(directory), str(source)],
                            capture_output=True, text=True, timeout=180)
    target = Path(directory) / (Path(source).stem + ".xlsx")
    if result.returncode != 0 or not target.exists():
        fail(f"LibreOffice did not convert {source}: {result.stderr}")
    return target


def head(binary, ledger):
    return next(line for line in svledger(binary, ledger, "stats").stdout.splitlines() if line.startswith("head"))


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__.strip().splitlines()[2])
    binary, source = sys.argv[1], sys.argv[2]
    supplier = ["--confirm-attribution", "--actor", "c.lund", "--role", "Supplier"]
    with tempfile.TemporaryDirectory() as scratch:
        scratch = Path(scratch)
        ledger = str(scratch / "ledger")
        shutil.copytree(source, ledger)

        # 1. The CSV template, filled in, saved as XLSX by LibreOffice.
        result = svledger(binary, ledger, "returns", "template", "--contract", "LCC-2025-060", "--quarter", "2025-26-Q4", "--format", "csv")
        rows = list(csv.reader(io.StringIO(result.stdout)))
        if result.returncode != 0 or rows[0][:3] != ["contract", "quarter", "measure"] or rows[-1][2] != "TOTAL":
            fail(f"the CSV template: {result.stderr}{result.stdout[:300]}")
        for row in rows[1:-1]:
            if row[9] != "record-only":
                row[7], row[8] = "2.5" if row[2] != "NT18" else "21000.50", f"CL-{row[2]}-Q4"
        filled = scratch / "return-q4.csv"
        with filled.open("w", newline="") as out:
            csv.writer(out).writerows(rows)
        workbook = soffice(filled, scratch / "lo")
        dry = svledger(binary, ledger, "returns", "import", str(workbook), "--dry-run")
        if dry.returncode != 0 or "no findings" not in dry.stdout:
            fail(f"LibreOffice's XLSX of the filled CSV: {dry.stdout}{dry.stderr}")
        done = svledger(binary, ledger, "returns", "import", str(workbook), *supplier)
        shown = svledger(binary, ledger, "show", "LCC-2025-060", "--format", "json").stdout
        figures = [d for d in json.loads(shown)["contract"]["deliveries"] if d["quarter"] == "2025-26-Q4"]
        if done.returncode != 0 or not any(d["measure"] == "NT18" and d["quantity"] == "21000.5" for d in figures):
            fail(f"the import did not record the return as filled: {done.stdout}{done.stderr} {figures}")
        print(f"check_spreadsheet_returns: a CSV template filled in and saved as XLSX by LibreOffice is recorded ({len(figures)} figures, NT18 21000.5 exactly)")

        # 2. svledger's own workbook, filled with openpyxl (which keeps the formulas but not their
        # values), then recalculated by LibreOffice.
        template = scratch / "template.xlsx"
        result = svledger(binary, ledger, "returns", "template", "--contract", "LCC-2025-014", "--quarter", "2025-26-Q4", "--out", str(template))
        book = openpyxl.load_workbook(template)
        sheet = book.active
        for row in sheet.iter_rows(min_row=2):
            if row[2].value not in ("TOTAL", "CBC5 RBC1"):
                row[7].value, row[8].value = 3, f"HR-{row[2].value}-Q4"
        unsaved = scratch / "openpyxl" / "filled.xlsx"
        unsaved.parent.mkdir()
        book.save(unsaved)
        dry = svledger(binary, ledger, "returns", "import", str(unsaved), "--dry-run", "--format", "json")
        kinds = {f["kind"] for f in json.loads(dry.stdout)["findings"]} if dry.stdout else set()
        if dry.returncode != 1 or "formula-without-value" not in kinds:
            fail(f"formulas with no saved value are a finding: {dry.stdout}{dry.stderr}")
        recalculated = soffice(unsaved, scratch / "lo2")
        dry = svledger(binary, ledger, "returns", "import", str(recalculated), "--dry-run")
        if dry.returncode != 0 or "formulas: read the saved values of" not in dry.stdout:
            fail(f"the recalculated workbook: {dry.stdout}{dry.stderr}")
        done = svledger(binary, ledger, "returns", "import", str(recalculated), *supplier)
        if done.returncode != 0:
            fail(f"the recalculated workbook was not recorded: {done.stderr}")
        print("check_spreadsheet_returns: svledger's workbook filled by openpyxl: its formulas with no saved value are found; recalculated by LibreOffice, their values are read and it is recorded")

        # 3. Every kind of mistake, in a workbook openpyxl writes.
        book = openpyxl.Workbook()
        sheet = book.active
        sheet.append(["contract", "quarter", "measure", "quantity", "evidence", "value_gbp"])
        sheet.append(["LCC-2025-014", "2026-27-Q1", "NT999", 1, "E1", None])          # unknown measure
        sheet.append(["LCC-2025-014", "2026-27-Q2", "NT1", -2, "E2", None])           # negative
        sheet.append(["LCC-2025-014", "2026-27-Q2", "NT10", "lots", "E3", None])      # not a number
        sheet.append(["LCC-2025-014", "2026-27-Q2", "NT18", 1000, "E4", 5000])        # value disagrees
        sheet.append(["LCC-2025-014", "2026-27-Q2", "TOTAL", None, None, 9999])       # total disagrees
        sheet.append(["LCC-2025-014", "2027-28-Q1", "NT1", 1, "E5", None])            # quarter not ended
        sheet.append(["LCC-2025-014", "2025-26-Q1", "NT1", 1, "E6", None])            # second return
        sheet.append(["LCC-2025-014", "2026-27-Q3", "NT10", 4, None, None])           # no evidence
        mistakes = scratch / "mistakes.xlsx"
        book.save(mistakes)
        before = head(binary, ledger)
        dry = svledger(binary, ledger, "returns", "import", str(mistakes), "--dry-run", "--format", "json")
        kinds = {f["kind"] for f in json.loads(dry.stdout)["findings"]}
        expected = {"unknown-measure", "negative-quantity", "not-a-number", "value-disagrees", "total-disagrees", "quarter-not-ended",
                    "second-return", "evidence-missing"}
        if dry.returncode != 1 or not expected <= kinds:
            fail(f"findings {sorted(kinds)}, expected {sorted(expected)}")
        refused = svledger(binary, ledger, "returns", "import", str(mistakes), *supplier)
        if refused.returncode != 1 or "import-refused" not in refused.stderr or head(binary, ledger) != before:
            fail(f"a sheet with findings was not refused whole: exit {refused.returncode} {refused.stderr}")
        print(f"check_spreadsheet_returns: {len(expected)} kinds of mistake each found, the import refused whole, the head unchanged")

        # A quantity that is a formula with no saved value is a finding, never an empty cell; a
        # value stored to 17 digits (as Excel stores 4.5 × 224.07) is read as a spreadsheet shows it.
        book = openpyxl.Workbook()
        sheet = book.active
        sheet.append(["contract", "quarter", "measure", "quantity", "evidence", "value_gbp"])
        sheet.append(["LCC-2025-014", "2025-26-Q4", "NT1", 3, "E1", None])
        sheet.append(["LCC-2025-014", "2025-26-Q4", "NT10", "=2+2", "E2", None])
        formulas = scratch / "formulas.xlsx"
        book.save(formulas)
        dry = svledger(binary, ledger, "returns", "import", str(formulas), "--dry-run", "--format", "json")
        found = [(f["kind"], f["column"]) for f in json.loads(dry.stdout)["findings"]]
        if dry.returncode != 1 or ("formula-without-value", "quantity") not in found:
            fail(f"a quantity formula with no saved value: {found}")
        precise = scratch / "precise.csv"
        precise.write_text("contract,quarter,measure,quantity,evidence,value_gbp\nLCC-2025-060,2026-27-Q1,NT10,4.5,E1,1008.3149999999999\n")
        dry = svledger(binary, ledger, "returns", "import", str(precise), "--dry-run", "--format", "json")
        kinds = [f["kind"] for f in json.loads(dry.stdout)["findings"]]
        if "value-disagrees" in kinds or "not-a-number" in kinds:
            fail(f"1008.3149999999999 for 4.5 × £224.07: {kinds}")
        print("check_spreadsheet_returns: a quantity formula with no saved value is a finding; a value stored to 17 digits is read as shown")

        # 4. Not a workbook.
        fake = scratch / "not-a-workbook.xlsx"
        with zipfile.ZipFile(fake, "w") as archive:
            archive.writestr("notes.txt", "a ZIP of something else")
        bomb = scratch / "bomb.xlsx"
        with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("xl/workbook.xml", '<workbook><sheets><sheet name="a" r:id="rId1" xmlns:r="r"/></sheets></workbook>')
            archive.writestr("xl/worksheets/sheet1.xml", "<worksheet><sheetData>" + " " * 60_000_000 + "</sheetData></worksheet>")
        for path, words in ((fake, "not an XLSX workbook"), (bomb, "zip bomb")):
            result = svledger(binary, ledger, "returns", "import", str(path), "--dry-run")
            if result.returncode != 65 or words not in result.stderr:
                fail(f"{path.name}: exit {result.returncode}: {result.stderr}")
        print("check_spreadsheet_returns: a ZIP of something else named .xlsx, and a zip bomb, are refused for what they are")
    print("check_spreadsheet_returns: OK")


if __name__ == "__main__":
    main()
