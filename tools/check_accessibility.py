#!/usr/bin/env python3
"""Checks an HTML page with axe-core in headless Chromium, as an accessibility audit would.

usage: tools/check_accessibility.py PAGE.html [--allow-moderate]

axe-core (the engine browser accessibility checkers run; its axe.min.js comes from the PyPI
package axe-core-python, which tools/setup installs) is added to a copy of the page, Chromium
(Debian's, headless) runs it against the WCAG 2.x A and AA rules, and the page's DOM, with the
results written into it, is read back with --dump-dom: no web driver, nothing fetched. Prints
each violation (rule, impact, help, the first elements); exits 1 if any is serious or
critical (any at all without --allow-moderate's leniency for moderate and minor ones).
"""
import html
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

RUN = """
<script>
axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}, resultTypes: ['violations']})
  .then(function (r) {
    var out = document.createElement('pre');
    out.id = 'axe-results';
    out.textContent = JSON.stringify(r.violations.map(function (v) {
      return {id: v.id, impact: v.impact, help: v.help,
              nodes: v.nodes.length, targets: v.nodes.slice(0, 4).map(function (n) { return n.target.join(' '); })};
    }));
    document.body.appendChild(out);
  })
  .catch(function (e) { var out = document.createElement('pre'); out.id = 'axe-error'; out.textContent = String(e); document.body.appendChild(out); });
</script>
"""


def axe_source():
    import axe_core_python
    return open(os.path.join(os.path.dirname(axe_core_python.__file__), "axe.min.js"), encoding="utf-8").read()


def main():
    if len(sys.argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    page, lenient = sys.argv[1], "--allow-moderate" in sys.argv[2:]
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if browser is None:
        print("check_accessibility: chromium is not installed (tools/check-report-in-browser installs it)", file=sys.stderr)
        return 2
    text = open(page, encoding="utf-8").read()
    axe = axe_source()
    injected = "<script>" + axe + "</script>" + RUN
    text = text.replace("</body>", injected + "</body>") if "</body>" in text else text + injected
    folder = tempfile.mkdtemp(prefix="svledger-axe-")
    try:
        copy = os.path.join(folder, "page.html")
        open(copy, "w", encoding="utf-8").write(text)
        dom = subprocess.run(
            [browser, "--headless", "--no-sandbox", "--disable-gpu", "--virtual-time-budget=20000",
             "--user-data-dir=" + os.path.join(folder, "profile"), "--dump-dom", "file://" + copy],
            capture_output=True, text=True, timeout=180).stdout
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    found = re.search(r'<pre id="axe-results">(.*?)</pre>', dom, re.S)
    if not found:
        error = re.search(r'<pre id="axe-error">(.*?)</pre>', dom, re.S)
        print("check_accessibility: axe gave no results" + (f": {html.unescape(error.group(1))}" if error else ""))
        return 1
    violations = json.loads(html.unescape(found.group(1)))
    blocking = [v for v in violations if v["impact"] in ("serious", "critical") or not lenient]
    for v in violations:
        print(f"  {v['impact']}: {v['id']}: {v['help']} ({v['nodes']} element(s), e.g. {', '.join(v['targets'])})")
    counts = {impact: sum(v["impact"] == impact for v in violations) for impact in ("critical", "serious", "moderate", "minor")}
    summary = ", ".join(f"{n} {impact}" for impact, n in counts.items())
    print(f"check_accessibility: axe-core {axe[8:14].strip()} on {page}: {summary}")
    return 1 if blocking else 0


if __name__ == "__main__":
    sys.exit(main())
