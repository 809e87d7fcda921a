#!/usr/bin/env python3
"""The web app's flows in a real browser: Debian's Chromium driven by Selenium (chromedriver),
against a live `svledger serve` on a copy of a ledger, each page checked by axe-core.

usage: tools/web_flows.py SVLEDGER LEDGER ARTIFACTS [--timeout SECONDS]

LEDGER is copied, never changed; it must hold the demo's contracts (tools/demo): the supplier
"North Roads Ltd" and the policy lancashire-2024-28 (its people, ada, olu and sam, are granted
when missing). ARTIFACTS receives a screenshot of each
page (NN-name.png), kept by CI as the flows' record, and the README's four (readme-*.png). Every step prints one line; the first
failure stops the run with exit 1. The whole run is bounded by --timeout (default 240 s).

The flows (docs/web-app.md):
  1. an administrator sets up a second factor (a wrong code refused), then invites a supplier
     from People and roles; the supplier opens the link,
     is refused a common password (the error summary links to the field), sets a good one,
     and signs in with the keyboard alone;
  2. the supplier's portfolio holds its own organisation's contracts only; its returns (one
     refused beside its field, one made with the keyboard alone) and a correction; an
     officer's decisions; an auditor's verify, download and comparison of two days;
  3. a form posted without the session's form token, or from another origin, is refused 403
     and ends nothing;
  4. a contract title holding <script> shows as text, and no script runs;
  5. signing out ends the session: the old cookie is refused;
  6. revoking a grant ends that person's session at their next request;
  7. axe-core (4.12, from the PyPI package axe-playwright-python) finds no serious or critical
     violation of WCAG 2.2 A/AA on any page.
"""
import http.client
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import traceback
import time
import urllib.parse

from selenium import webdriver
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import Select, WebDriverWait

SCRIPT_TITLE = "<script>alert('owned')</script> Gritting depots"
GOOD_PASSWORD = "blue kettle on the moor"
# The supplier's pledge table the officer uploads: the Social Value Portal table of seed 003.
PLEDGE_TABLE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "demo-data", "seed-003-pledge-table.txt")
PLEDGE_CATALOG = "portal-003@003.2"


class Failed(Exception):
    pass


def check(condition, what):
    if not condition:
        raise Failed(what)
    print(f"   ok: {what}")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run(svledger, ledger, *args):
    result = subprocess.run([svledger, *args, "--ledger", ledger], capture_output=True, text=True, timeout=60)
    if result.returncode != 0:
        raise Failed(f"svledger {' '.join(args)}: {result.stderr.strip()}")
    return result.stdout


def totp(key, at=None):
    """The six-digit code an authenticator app shows for a typed key (RFC 6238, SHA-1, 30 s)."""
    import base64
    import hashlib
    import hmac
    import struct
    text = key.replace(" ", "").upper()
    secret = base64.b32decode(text + "=" * (-len(text) % 8))
    digest = hmac.new(secret, struct.pack(">Q", int((at or time.time()) // 30)), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    return (struct.unpack(">I", digest[offset:offset + 4])[0] & 0x7FFFFFFF) % 1000000


def axe_source():
    import axe_playwright_python
    return open(os.path.join(os.path.dirname(axe_playwright_python.__file__), "axe.min.js"), encoding="utf-8").read()


class Flows:
    def __init__(self, svledger, ledger, artifacts, base):
        self.svledger, self.ledger, self.artifacts, self.base = svledger, ledger, artifacts, base
        self.shots = 0
        self.axe = axe_source()
        options = webdriver.ChromeOptions()
        for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1280,1000", "--disable-dev-shm-usage"):
            options.add_argument(flag)
        options.binary_location = shutil.which("chromium")
        self.browser = webdriver.Chrome(service=Service(shutil.which("chromedriver")), options=options)
        self.browser.set_page_load_timeout(30)

    def close(self):
        self.browser.quit()

    def open(self, path):
        self.browser.get(self.base + path)

    def leads_on(self, act):
        """Does what leads to another page (a click, an Enter) and waits until that page has
        loaded, through any redirect. The old page is marked, and the wait is for a loaded page
        without the mark: a reference to the old page's node is no use here, since on a busy
        machine Chromium answers for it with errors that are not "stale"."""
        self.browser.execute_script("window.svledgerLeaving = true")
        act()

        def arrived(browser):
            return browser.execute_script("return window.svledgerLeaving === undefined && document.readyState === 'complete'")
        WebDriverWait(self.browser, 15, ignored_exceptions=(WebDriverException,)).until(arrived)

    def submit(self, selector):
        """Clicks a form's button (or a link) and waits for the page it leads to."""
        self.leads_on(lambda: self.browser.find_element(By.CSS_SELECTOR, selector).click())

    def keys_then_wait(self, element, *keys):
        """Types into a field (ending with Enter, say) and waits for the page it leads to."""
        self.leads_on(lambda: element.send_keys(*keys))

    def shot(self, name):
        self.shots += 1
        path = os.path.join(self.artifacts, f"{self.shots:02d}-{name}.png")
        height = self.browser.execute_script("return document.documentElement.scrollHeight")
        self.browser.set_window_size(1280, max(800, min(height + 40, 4000)))
        self.browser.save_screenshot(path)
        self.browser.set_window_size(1280, 1000)
        return path

    def view_shot(self, name):
        """The window as a person first sees it (1280 by 900), for the README."""
        self.browser.set_window_size(1280, 900)
        self.browser.save_screenshot(os.path.join(self.artifacts, f"readme-{name}.png"))
        self.browser.set_window_size(1280, 1000)

    def audit(self, name):
        """axe-core on the page as it stands: no serious or critical violation of WCAG 2.x A/AA."""
        self.browser.execute_script(self.axe)
        result = self.browser.execute_async_script(
            "const done = arguments[arguments.length - 1];"
            "axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a','wcag2aa','wcag21a','wcag21aa','wcag22aa']}, resultTypes: ['violations']})"
            ".then(r => done(JSON.stringify(r.violations.map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))})))))"
            ".catch(e => done(JSON.stringify({error: String(e)})));")
        violations = json.loads(result)
        if isinstance(violations, dict):
            raise Failed(f"axe on {name}: {violations['error']}")
        for v in violations:
            print(f"   axe {name}: {v['impact']} {v['id']} {v['nodes']}")
        check(not [v for v in violations if v["impact"] in ("serious", "critical")], f"axe: no serious or critical violation on {name}")

    def page(self, name):
        self.shot(name)
        self.audit(name)

    def text(self):
        return self.browser.find_element(By.TAG_NAME, "main").text

    def cookie(self):
        found = self.browser.get_cookie("svledger_session")
        return found["value"] if found else None

    def request(self, method, path, cookie=None, body=None, origin="same"):
        """One request outside the browser, as a forger or an old cookie would send it."""
        host = self.base.split("//", 1)[1]
        connection = http.client.HTTPConnection(host, timeout=15)
        headers = {"Content-Type": "application/x-www-form-urlencoded"}
        if cookie:
            headers["Cookie"] = "svledger_session=" + cookie
        if origin == "same":
            headers["Origin"] = self.base
        elif origin:
            headers["Origin"] = origin
        connection.request(method, path, body=urllib.parse.urlencode(body or {}), headers=headers)
        response = connection.getresponse()
        response.read()
        return response.status, response.getheader("Location") or ""

    def download(self, url):
        """A file link followed with the browser's session: its status and Content-Disposition."""
        connection = http.client.HTTPConnection(self.base.split("//", 1)[1], timeout=15)
        connection.request("GET", urllib.parse.urlsplit(url).path, headers={"Cookie": "svledger_session=" + (self.cookie() or "")})
        response = connection.getresponse()
        response.read()
        return response.status, response.getheader("Content-Disposition") or ""

    def invite(self, account):
        out = run(self.svledger, self.ledger, "access", "invite", account, "--actor", "ada", "--url", self.base)
        return out.strip().splitlines()[-1][len(self.base):]

    def set_password(self, path):
        self.open(path)
        self.browser.find_element(By.ID, "password").send_keys(GOOD_PASSWORD)
        self.browser.find_element(By.ID, "confirm").send_keys(GOOD_PASSWORD)
        self.submit("main form button")

    def sign_in(self, account, password, keyboard=False):
        self.open("/app/sign-in")
        field = self.browser.find_element(By.ID, "account")
        if keyboard:
            # Tab from the top of the page as a keyboard user would, to the account field.
            body = self.browser.find_element(By.TAG_NAME, "body")
            body.send_keys(Keys.TAB)
            for _ in range(12):
                if self.browser.switch_to.active_element == field:
                    break
                self.browser.switch_to.active_element.send_keys(Keys.TAB)
            check(self.browser.switch_to.active_element == field, "the keyboard reaches the account field by Tab")
            field.send_keys(account, Keys.TAB)
            self.keys_then_wait(self.browser.switch_to.active_element, password, Keys.ENTER)
        else:
            field.send_keys(account)
            self.browser.find_element(By.ID, "password").send_keys(password)
            self.submit("form[action^='/app/sign-in'] button")

    def head(self):
        return run(self.svledger, self.ledger, "verify").splitlines()[1]

    def tab_to(self, element_id, limit=80):
        """Presses Tab, as a keyboard user does, until the element with this id has the focus."""
        for _ in range(limit):
            if self.browser.switch_to.active_element.get_attribute("id") == element_id:
                return self.browser.switch_to.active_element
            # Pressed as a key, not sent to the element: Selenium reads keys sent to a file
            # input as the path of a file to choose.
            ActionChains(self.browser).send_keys(Keys.TAB).perform()
        raise Failed(f"Tab never reached #{element_id}")

    def keyboard_return(self):
        """The whole return with the keyboard alone: from the contract page's link to the
        recorded return, Tab, arrow keys, Space and Enter only."""
        self.open("/app/contracts/LCC-2025-014")
        self.browser.find_element(By.TAG_NAME, "body").send_keys(Keys.TAB)
        for _ in range(40):
            active = self.browser.switch_to.active_element
            if (active.get_attribute("href") or "").endswith("/return"):
                break
            active.send_keys(Keys.TAB)
        self.keys_then_wait(self.browser.switch_to.active_element, Keys.ENTER)
        quarter = self.tab_to("quarter")
        while self.browser.find_element(By.ID, "quarter").get_attribute("value") != "2026-27-Q1":
            quarter.send_keys(Keys.ARROW_DOWN)
        self.tab_to("quantity-NT10").send_keys("12")
        self.tab_to("evidence-NT10").send_keys("APP-2026-Q1-KEYS")
        self.tab_to("attribution").send_keys(Keys.SPACE)
        button = self.browser.find_element(By.CSS_SELECTOR, "main form button[type=submit]")
        for _ in range(20):
            if self.browser.switch_to.active_element == button:
                break
            ActionChains(self.browser).send_keys(Keys.TAB).perform()
        self.keys_then_wait(self.browser.switch_to.active_element, Keys.ENTER)
        check("Your return is recorded" in self.text() and "2026-27-Q1 return: NT10 12" in self.text(),
              "the whole return with the keyboard alone, from the contract's link to the recorded return")

    def return_flows(self):
        """The supplier's return: a second return of a quarter refused beside its field with
        what was typed kept and nothing written; a new quarter's return recorded; then a
        correction of it, chosen from the list of returns."""
        self.open("/app/contracts/LCC-2025-014")
        self.submit("a[href$='/return']")
        check(self.browser.find_element(By.TAG_NAME, "h1").text == "Quarterly return", "the return form opens from the contract page")
        self.browser.find_element(By.CSS_SELECTOR, "#quarter option[value='2025-26-Q1']").click()
        self.browser.find_element(By.ID, "quantity-NT1").send_keys("2")
        self.browser.find_element(By.ID, "evidence-NT1").send_keys("HR-DUPLICATE-1")
        self.browser.find_element(By.ID, "attribution").click()
        before = self.head()
        self.submit("main form button[type=submit]")
        summary = self.browser.find_element(By.CSS_SELECTOR, ".error-summary").text
        field = self.browser.find_element(By.CSS_SELECTOR, ".field-has-error").get_attribute("innerHTML")
        check("2025-26-Q1" in summary and "field-error" in field, f"a second return of a quarter is refused beside its field ({summary.splitlines()[1][:90]}…)")
        check(self.browser.find_element(By.ID, "quantity-NT1").get_attribute("value") == "2"
              and self.browser.find_element(By.ID, "evidence-NT1").get_attribute("value") == "HR-DUPLICATE-1", "what was typed is kept")
        check(self.head() == before, "and nothing was written")
        self.page("return-refused")
        self.view_shot("return")

        # A file that is not one svledger keeps (a ZIP named .pdf) is refused beside its field.
        fake = os.path.join(self.artifacts, "not-a-payroll.pdf")
        with open(fake, "wb") as out:
            out.write(b"PK\x05\x06" + bytes(18))
        before = self.head()
        self.browser.find_element(By.CSS_SELECTOR, "#quarter option[value='2026-27-Q2']").click()
        self.browser.find_element(By.ID, "quantity-NT1").clear()
        self.browser.find_element(By.ID, "quantity-NT1").send_keys("3.5")
        self.browser.find_element(By.ID, "evidence-NT1").clear()
        self.browser.find_element(By.ID, "evidence-NT1").send_keys("HR-2026-Q2-014")
        self.browser.find_element(By.ID, "file-NT1").send_keys(fake)
        if not self.browser.find_element(By.ID, "attribution").is_selected():
            self.browser.find_element(By.ID, "attribution").click()
        self.submit("main form button[type=submit]")
        summary = self.browser.find_element(By.CSS_SELECTOR, ".error-summary").text
        check("not a PDF, PNG, JPEG, CSV, XLSX or DOCX" in summary and self.head() == before,
              "a ZIP named .pdf is refused for what its bytes are, beside its file field, and nothing is written")

        # The return with its evidence file: recorded, listed on the contract page, downloaded.
        payroll = os.path.join(self.artifacts, "payroll-2026-q2.pdf")
        with open(payroll, "wb") as out:
            out.write(b"%PDF-1.4\n% payroll extract, 2026-27 Q2: three local starters\n%%EOF\n")
        if not self.browser.find_element(By.ID, "attribution").is_selected():
            self.browser.find_element(By.ID, "attribution").click()
        self.browser.find_element(By.ID, "file-NT1").send_keys(payroll)
        self.submit("main form button[type=submit]")
        check("Your return is recorded" in self.text() and "2026-27-Q2 return: NT1 3.5 (evidence: payroll-2026-q2.pdf)" in self.text(),
              "a new quarter's return is recorded with its evidence file, and in the trail")
        links = [a for a in self.browser.find_elements(By.CSS_SELECTOR, "#evidence ~ table a[download]") if a.text == "payroll-2026-q2.pdf"]
        check(len(links) == 1, "the contract page lists the file, with a download link")
        link = links[0]
        self.page("contract-evidence")
        status, disposition = self.download(link.get_attribute("href"))
        check(status == 200 and disposition.startswith('attachment; filename="payroll-2026-q2.pdf"'), "the file comes back as a download, never shown in the page")

        self.keyboard_return()

        self.submit("a[href$='/correction']")
        returns = self.browser.find_elements(By.CSS_SELECTOR, "input[name=corrects]")
        check(len(returns) >= 4, f"the correction lists the returns made ({len(returns)})")
        self.page("correction")
        self.browser.find_element(By.CSS_SELECTOR, "label[for='" + returns[0].get_attribute("id") + "']").click()
        self.browser.find_element(By.ID, "quantity-NT1").send_keys("3")
        self.browser.find_element(By.ID, "evidence-NT1").send_keys("HR-2026-Q2-014-rev")
        self.browser.find_element(By.ID, "reason").send_keys("One starter left in the first week")
        self.submit("main form button[type=submit]")
        check("Your correction is recorded" in self.text() and "One starter left in the first week" in self.text(), "the correction is recorded, with its reason")
        self.page("contract-after-correction")

        # The returns the supplier owes: its own contracts' only.
        self.open("/app/due")
        check(self.browser.find_element(By.TAG_NAME, "h1").text == "Returns due" and "North Roads Ltd" in self.text()
              and "GreenEdge" not in self.text(), "the supplier's Returns due page lists its own contracts' returns only")
        self.page("due-supplier")

        # A return from a spreadsheet: the page, and a filled CSV checked (nothing recorded).
        self.open("/app/contracts/LCC-2025-014/spreadsheet")
        check(self.browser.find_element(By.TAG_NAME, "h1").text == "Return from a spreadsheet", "the spreadsheet return page opens")
        sheet = os.path.join(self.artifacts, "return-2026-27-q1.csv")
        with open(sheet, "w") as out:
            out.write("contract,quarter,measure,quantity,evidence\nLCC-2025-014,2026-27-Q1,NT1,2,HR-2026-Q1-SHEET\n")
        self.browser.find_element(By.ID, "sheet").send_keys(sheet)
        before = self.head()
        self.submit("button[name=check]")
        check("LCC-2025-014 2026-27-Q1: NT1 2" in self.text() and "No findings" in self.text() and self.head() == before,
              "a filled sheet is checked: what it holds, no findings, nothing recorded")
        self.page("spreadsheet-checked")

    def officer_flows(self):
        """An officer's decisions on a registered contract: the assessment, a weighting below the
        policy's minimum refused beside its field, the minimum recorded, the award; and a form
        opened before someone else changed the contract records nothing."""
        base = "/app/contracts/WEB-SCRIPT-1"
        self.open(base)
        self.submit(f"a[href='{base}/actions/threshold.assess']")
        self.submit("main form button[type=submit]")
        check("Recorded: assess against the threshold" in self.text(), "an officer records the threshold assessment")
        self.submit(f"a[href='{base}/actions/weighting.decide']")
        check("asks for a weighting of at least 10%" in self.text(), "the weighting form shows the policy's minimum")
        self.browser.find_element(By.ID, "percent").send_keys("5")
        before = self.head()
        self.submit("main form button[type=submit]")
        check("field-has-error" in self.browser.find_element(By.ID, "main").get_attribute("innerHTML") and self.head() == before,
              "a weighting below the minimum is refused beside its field, and nothing is written")
        self.page("weighting-refused")
        self.browser.find_element(By.ID, "percent").clear()
        self.browser.find_element(By.ID, "percent").send_keys("10")
        self.submit("main form button[type=submit]")
        check("Recorded: decide the social value weighting" in self.text(), "the policy's minimum is recorded")
        self.submit(f"a[href='{base}/actions/contract.close']")
        run(self.svledger, self.ledger, "contract", "award", "--contract", "WEB-SCRIPT-1", "--supplier", "Grit Ltd", "--value", "£240,000",
            "--actor", "r.shah", "--role", "Head of Procurement")
        before = self.head()
        self.submit("main form button[type=submit]")
        check("Someone else changed this contract" in self.text() and self.head() == before,
              "a form opened before someone else changed the contract records nothing, and says why")
        self.pledge_flows(base)
        self.register_flow()
        self.open("/app")

    def pledge_flows(self, base):
        """The pledge from the supplier's portal table: uploaded, every line checked against the
        catalog with the findings shown before anything is recorded; a line whose stated value
        disagrees blocks the record until the officer chooses the recomputed values. Then a
        review refresh revises a line, and the contract page shows original and current."""
        self.open(base)
        self.submit(f"a[href='{base}/pledge']")
        self.page("pledge")
        self.browser.find_element(By.ID, "table").send_keys(PLEDGE_TABLE)
        Select(self.browser.find_element(By.ID, "catalog")).select_by_value(PLEDGE_CATALOG)
        before = self.head()
        self.submit("#check-table button[type=submit]")
        text = self.text()
        check("What the table holds, checked" in text and "value-disagrees, blocks the record" in text and "£2,822,946.49" in text
              and self.head() == before, "an uploaded pledge table is checked line by line, its findings shown, and nothing is recorded")
        self.page("pledge-checked")
        self.view_shot("pledge")
        self.submit("#record-pledge button[type=submit]")
        check("cannot be recorded with the choices made" in self.text() and self.head() == before,
              "recording while a finding blocks it is refused, and nothing is written")
        self.browser.find_element(By.ID, "useComputed").click()
        self.submit("#record-pledge button[type=submit]")
        check("Recorded: the pledge, 21 line(s)." in self.text() and "NT18" in self.text(), "with the recomputed values chosen, the pledge is recorded")
        self.submit(f"a[href='{base}/review']")
        self.page("review")
        before = self.head()
        self.submit("main form button[type=submit]")
        check("Say why the commitments change" in self.text() and self.head() == before, "a review refresh without a reason is refused beside its field")
        self.browser.find_element(By.ID, "revise-NT1").send_keys("30")
        self.browser.find_element(By.ID, "withdraw-NT68").click()
        self.browser.find_element(By.ID, "reason").send_keys("Annual review, 1 December 2026: more local jobs")
        self.submit("main form button[type=submit]")
        text = self.text()
        check("Recorded: the commitments are refreshed." in text and "Commitments last changed at a review" in text,
              "a review refresh is recorded, and the contract page shows original and current commitments")
        self.shot("contract-after-review")

    def set_dates(self, dates):
        """Sets date fields by value: what a date field takes from the keyboard depends on the
        browser's locale, its value does not."""
        for field, value in dates.items():
            self.browser.execute_script("arguments[0].value = arguments[1]", self.browser.find_element(By.ID, field), value)

    def register_flow(self):
        """An officer registers a contract from the portfolio; a reference already taken is refused
        beside its field, and a bad value beside its own."""
        self.open("/app")
        self.submit("a[href='/app/register']")
        self.page("register")
        fill = {"contract": "WEB-REG-1", "title": "Street lighting maintenance", "buyerDepartment": "Highways",
                "estimatedWholeLifeValueGBP": "three million", "areasServed": "Preston, Chorley"}
        for field, value in fill.items():
            self.browser.find_element(By.ID, field).send_keys(value)
        self.set_dates({"startDate": "2027-04-01", "endDate": "2030-03-31"})
        before = self.head()
        self.submit("main form button[type=submit]")
        check("field-has-error" in self.browser.find_element(By.ID, "estimatedWholeLifeValueGBP").find_element(By.XPATH, "..").get_attribute("class")
              and self.head() == before, "a value that is not money is refused beside its field, and nothing is written")
        value = self.browser.find_element(By.ID, "estimatedWholeLifeValueGBP")
        value.clear()
        value.send_keys("3,000,000")
        self.submit("main form button[type=submit]")
        check("Recorded: WEB-REG-1 is registered." in self.text() and "Street lighting maintenance" in self.text(),
              "an officer registers a contract, and lands on its page")
        self.open("/app/register")
        self.browser.find_element(By.ID, "contract").send_keys("WEB-REG-1")
        for field, value in fill.items():
            if field not in ("contract", "estimatedWholeLifeValueGBP"):
                self.browser.find_element(By.ID, field).send_keys(value)
        self.browser.find_element(By.ID, "estimatedWholeLifeValueGBP").send_keys("3,000,000")
        self.set_dates({"startDate": "2027-04-01", "endDate": "2030-03-31"})
        before = self.head()
        self.submit("main form button[type=submit]")
        check("WEB-REG-1 is already registered" in self.text() and self.head() == before, "a reference already registered is refused, and nothing is written")

    def auditor_flows(self):
        """The auditor verifies, downloads the log, and compares a contract between two days."""
        self.set_password(self.invite("aud"))
        self.sign_in("aud", GOOD_PASSWORD)
        self.submit("a[href='/app/audit']")
        self.submit("main form[action='/app/audit'] button")
        check("The ledger verifies" in self.text(), "the auditor runs verify and sees the head")
        self.page("audit")
        status, _ = self.request("GET", "/app/audit/export.ndjson", cookie=self.cookie(), origin=None)
        check(status == 200, "and downloads the log")
        yesterday = time.strftime("%Y-%m-%d", time.gmtime(time.time() - 86400))
        self.browser.find_element(By.ID, "contract").send_keys("LCC-2025-014")
        self.browser.find_element(By.ID, "from").send_keys(Keys.ESCAPE)
        self.browser.execute_script(f"document.getElementById('from').value = '{yesterday}'")
        self.submit("form[action='/app/audit/compare'] button")
        check("What changed from" in self.text() and "One starter left in the first week" in self.text()
              and "delivered NT1 in 2026-27-Q2" in self.text(), "comparing two days shows the correction, with its reason and what it changed")
        self.page("compare")

    def all(self):
        # 0. The first administrator is invited from the command line (whoever can write the
        # ledger's file); then, signed in, invites the supplier from the administration page.
        self.set_password(self.invite("ada"))
        self.sign_in("ada", GOOD_PASSWORD)
        check(self.browser.find_element(By.TAG_NAME, "h1").text == "Set up your second factor", "an administrator must set up a second factor")
        self.open("/app/admin")
        check("/app/sign-in/code" in self.browser.current_url, "and no page opens before it is set up")
        self.page("second-factor")
        key = self.browser.find_element(By.ID, "key").text
        self.browser.find_element(By.ID, "code").send_keys(f"{(totp(key) + 1) % 1000000:06d}")
        self.submit("main form button")
        check("That code is not right" in self.text(), "a wrong code is refused")
        self.browser.find_element(By.ID, "code").send_keys(f"{totp(key):06d}")
        self.submit("main form button")
        check(self.browser.current_url.endswith("/app/admin"), "the code from the key signs the administrator in, on to the page asked for")
        check(self.browser.find_element(By.TAG_NAME, "h1").text == "People and roles", "an administrator opens People and roles")
        self.browser.find_element(By.CSS_SELECTOR, "#invite-account option[value='sam']").click()
        self.submit("form[action='/app/admin/invite'] button")
        link = self.browser.find_element(By.CSS_SELECTOR, "code.link").text
        check(link.startswith(self.base + "/app/invitations/inv_"), "the page makes an invitation link, shown once")
        self.page("admin-invited")
        self.submit("form[action='/app/sign-out'] button")

        # 1. The invitation, a refused password, a good one, signing in by keyboard.
        path = link[len(self.base):]
        self.open(path)
        check("Choose your password" in self.text(), "the invitation link opens the password page")
        self.browser.find_element(By.ID, "password").send_keys("passwordpassword")
        self.browser.find_element(By.ID, "confirm").send_keys("passwordpassword")
        self.submit("main form button")
        summary = self.browser.find_element(By.CSS_SELECTOR, ".error-summary a")
        check(summary.get_attribute("href").endswith("#password") and "most common" in summary.text,
              "a common password is refused; the error summary links to the field")
        self.page("invitation-refused")
        self.browser.find_element(By.ID, "password").send_keys(GOOD_PASSWORD)
        self.browser.find_element(By.ID, "confirm").send_keys(GOOD_PASSWORD)
        self.submit("main form button")
        check("Your password is set" in self.text(), "a good password is set, and the sign-in page says so")
        self.page("sign-in")
        check(self.request("GET", path)[0] == 404, "the link works once")
        self.sign_in("sam", "wrong password here")
        check("The account or password is not right" in self.text(), "a wrong password is refused without saying which is wrong")
        self.sign_in("sam", GOOD_PASSWORD, keyboard=True)

        # 2. The supplier's own contracts.
        check(self.browser.current_url.endswith("/app"), "signed in, the supplier lands on the portfolio")
        rows = self.browser.find_elements(By.CSS_SELECTOR, "table.portfolio tbody tr")
        suppliers = {row.find_elements(By.TAG_NAME, "td")[1].text for row in rows}
        check(rows and suppliers == {"North Roads Ltd"}, f"the supplier sees its own contracts only ({len(rows)}, {suppliers})")
        self.delivered_before = rows[0].find_elements(By.TAG_NAME, "td")[3].text
        self.page("portfolio-supplier")

        # The contract page, as of an earlier day; and another supplier's contract is "not found".
        self.submit("table.portfolio a[href='/app/contracts/LCC-2025-014']")
        check(self.browser.find_element(By.TAG_NAME, "h1").text == "Highway resurfacing, Preston district", "the contract link opens its page")
        sections = [h.text for h in self.browser.find_elements(By.CSS_SELECTOR, "main h2")]
        check(sections == ["State", "Commitments", "Pledged and delivered, by measure", "Delivered, by quarter", "Check of returns", "Evidence files", "Audit trail"],
              f"the contract page has its sections ({sections})")
        check(self.browser.find_element(By.CSS_SELECTOR, "svg[role=img] title").text.startswith("Committed value"), "the chart has a text alternative")
        trail = self.browser.find_elements(By.CSS_SELECTOR, "table.trail tbody tr")
        check(len(trail) >= 8 and "p.okafor" in self.text() and "One starter was employed on another contract" in self.text(),
              f"the audit trail lists who, what and why ({len(trail)} events)")
        self.page("contract")
        self.view_shot("contract")
        # The demo records every event today, so an earlier day shows the contract not yet
        # registered; the trail's link to the page after one event shows it part-way.
        self.open("/app/contracts/LCC-2025-014?as-of=2025-06-30")
        check("was registered later than the end of 30 June 2025" in self.text(), "as of a day before it was registered, the page says so")
        self.open("/app/contracts/LCC-2025-014")
        self.submit("table.trail tbody tr:nth-last-child(4) a")
        check("As it stood after position" in self.text(), "the page after one event has a banner saying so")
        check(len(self.browser.find_elements(By.CSS_SELECTOR, "table.trail tbody tr")) == 4, "and later events are not shown")
        self.page("contract-at")
        self.return_flows()
        self.open("/app/contracts/LCC-2025-060")
        theirs = (self.browser.title, self.text())
        self.open("/app/contracts/NO-SUCH-CONTRACT")
        check(theirs == (self.browser.title, self.text()) and "Page not found" in theirs[1],
              "another supplier's contract gets the same page as a contract that does not exist")
        self.open("/app")

        # 3. Forms without the form token, or from elsewhere.
        cookie = self.cookie()
        status, _ = self.request("POST", "/app/sign-out", cookie=cookie)
        check(status == 403, "a form without the session's form token is refused 403")
        token = self.browser.find_element(By.CSS_SELECTOR, "input[name=formToken]").get_attribute("value")
        status, _ = self.request("POST", "/app/sign-out", cookie=cookie, body={"formToken": token}, origin="http://attacker.example")
        check(status == 403, "a form from another origin is refused 403")
        status, _ = self.request("POST", "/app/sign-out", cookie=cookie, body={"formToken": token}, origin=None)
        check(status == 403, "a form with neither Origin nor Sec-Fetch-Site is refused 403")
        check(self.request("GET", "/app", cookie=cookie)[0] == 200, "and the session is still live after them")

        # 5. Signing out ends the session on the server.
        self.submit("form[action='/app/sign-out'] button")
        check("You have signed out" in self.text(), "sign-out says so")
        status, location = self.request("GET", "/app", cookie=cookie)
        check(status == 303 and location.startswith("/app/sign-in"), "the old cookie is refused after sign-out")

        # 4. A title holding <script>, as text; and 6. revoking a grant ends the session.
        self.set_password(self.invite("olu"))
        self.sign_in("olu", GOOD_PASSWORD)
        row = self.browser.find_element(By.XPATH, "//table[@class='portfolio']//tr[th/a[@href='/app/contracts/LCC-2025-014']]")
        delivered = row.find_elements(By.TAG_NAME, "td")[3].text
        check(delivered != self.delivered_before, f"the officer sees the new delivery on the portfolio ({self.delivered_before} then {delivered})")
        self.open("/app/contracts/LCC-2025-014")
        check("2026-27-Q2 return: NT1 3.5" in self.text() and "One starter left in the first week" in self.text(),
              "and the return and its correction on the contract page")
        self.open("/app?stage=registered")
        check(SCRIPT_TITLE in self.text(), "a title holding <script> shows as text")
        check(self.browser.execute_script("return document.querySelectorAll('script').length") == 0, "and no script element is on the page")
        self.page("portfolio-officer")
        self.open("/app")
        self.view_shot("portfolio")
        # The check of returns: an officer queries a figure from the contract page.
        self.open("/app/contracts/LCC-2025-014")
        self.submit("a[href='/app/contracts/LCC-2025-014/actions/delivery.query']")
        check("2025-26-Q1 NT1" in self.text(), "the query form lists the figures that may be queried")
        self.browser.find_element(By.ID, "quarter").send_keys("2025-26-Q1")
        self.browser.find_element(By.ID, "measure").send_keys("NT1")
        self.browser.find_element(By.ID, "question").send_keys("Which payroll shows the five starters?")
        self.page("query")
        self.submit("main form button[type=submit]")
        check("Recorded: query a delivered figure" in self.text() and "Question: “Which payroll shows the five starters?”" in self.text(),
              "the query is recorded, and the contract's Check of returns shows it")
        self.page("contract-queried")
        self.open("/app/due?by=manager")
        check("Contract manager:" in self.text() and "GreenEdge" in self.text(), "an officer's Returns due page lists every supplier's, by contract manager")
        self.page("due-officer")
        self.officer_flows()
        self.submit("a[href='/app/reports/cabinet']")
        self.page("report-choose")
        self.submit("form[action='/app/reports/cabinet/report'] button")
        check("Social value" in self.browser.title or "social value" in self.text().lower(), f"the Cabinet report opens ({self.browser.title})")
        check(self.browser.execute_script("return document.querySelectorAll('script').length") == 0, "as a document with no script")
        self.page("report")
        run(self.svledger, self.ledger, "access", "revoke", "olu", "--role", "procurement-officer", "--actor", "ada")
        self.open("/app")
        check("/app/sign-in" in self.browser.current_url and "signed out" in self.text(), "a revoked grant ends the session at the next request")
        self.auditor_flows()


def main():
    args = sys.argv[1:]
    timeout = 240
    if "--timeout" in args:
        index = args.index("--timeout")
        timeout = int(args[index + 1])
        del args[index:index + 2]
    if len(args) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    svledger, source, artifacts = os.path.abspath(args[0]), args[1], os.path.abspath(args[2])   # absolute: a file input takes only an absolute path
    os.makedirs(artifacts, exist_ok=True)
    signal.signal(signal.SIGALRM, lambda *_: (_ for _ in ()).throw(Failed(f"the flows took longer than {timeout} s")))
    signal.alarm(timeout)
    work = tempfile.mkdtemp(prefix="svledger-web-")
    server = flows = None
    try:
        ledger = os.path.join(work, "ledger")
        shutil.copytree(source, ledger, ignore=shutil.ignore_patterns("credentials", "lock.mdb"))
        # The demo's people (ada administers, olu is an officer, sam acts for North Roads Ltd),
        # granted here when the ledger does not already hold them.
        held = json.loads(run(svledger, ledger, "access", "list", "--format", "json"))
        holders = {(grant["account"], grant["role"]) for grant in held["grants"]}
        for account, role, extra in [("ada", "administrator", ["--actor", "installer"]), ("olu", "procurement-officer", ["--actor", "ada"]),
                                     ("sam", "supplier", ["--supplier", "North Roads Ltd", "--actor", "ada"])]:
            if not any(a == account for a, _ in holders):
                run(svledger, ledger, "access", "grant", account, "--role", role, *extra)
        run(svledger, ledger, "contract", "register", "--contract", "WEB-SCRIPT-1", "--title", SCRIPT_TITLE, "--department", "Highways",
            "--category", "works", "--value", "£250,000", "--start", "2026-04-01", "--end", "2027-03-31", "--area", "Preston",
            "--policy", "lancashire-2024-28", "--actor", "a.patel", "--role", "Procurement Officer")
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        server = subprocess.Popen([svledger, "serve", "--ledger", ledger, "--listen", f"127.0.0.1:{port}"],
                                  stdout=subprocess.DEVNULL, stderr=open(os.path.join(work, "server.log"), "w"))
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.2)
        flows = Flows(svledger, ledger, artifacts, base)
        flows.all()
        print(f"web flows: every step held; {flows.shots} screenshots in {artifacts}")
        return 0
    except (Failed, WebDriverException) as failure:
        # The server's log first and the reason last: CI shows a run's tail.
        log = os.path.join(work, "server.log")
        if os.path.exists(log):
            print(open(log).read()[-3000:], file=sys.stderr)
        if flows:
            print(f"   (last page: {flows.browser.current_url}; screenshot {flows.shot('failure')})", file=sys.stderr)
        print(f"FAIL: {str(failure).splitlines()[0]}", file=sys.stderr)
        steps = [f"{frame.name}:{frame.lineno}" for frame in traceback.extract_tb(failure.__traceback__) if frame.filename == __file__]
        print(f"   at {' > '.join(steps)}", file=sys.stderr)
        return 1
    finally:
        signal.alarm(0)
        if flows:
            flows.close()
        if server:
            server.terminate()
            server.wait(timeout=20)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
