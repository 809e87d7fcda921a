import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LedgerValues
@testable import Server
import TestSupport
import Testing

/// The officers' forms that write most: registering a contract, the pledge from an uploaded
/// table (a `multipart/form-data` post, whose form token is checked as any other's), and what a
/// supplier's session may not open. The flows in a real browser are tools/web_flows.py.
@Suite("the web app: registering, the pledge upload, and what a supplier cannot open")
struct WebFormPagesTests {
    /// A session for `account`: its invitation taken, signed in; the cookie and the form token.
    static func signIn(_ client: any TestClientProtocol, _ fixture: ServerFixture, _ account: String) async throws -> (cookie: String, token: String) {
        let credentials = try #require(fixture.server.credentials)
        let secret = try credentials.invite(account: account, expiresAt: Timestamp(millisecondsSinceEpoch: Timestamp.now().millisecondsSinceEpoch + 3_600_000))
        let password = ["password": WebAppTests.password, "confirm": WebAppTests.password]
        _ = try await client.execute(
            uri: "/app/invitations/" + secret, method: .post, headers: WebAppTests.form(password, origin: WebAppTests.origin), body: WebAppTests.body(password))
        let fields = ["account": account, "password": WebAppTests.password]
        let answer = try await client.execute(uri: "/app/sign-in", method: .post, headers: WebAppTests.form(fields, origin: WebAppTests.origin), body: WebAppTests.body(fields))
        let cookie = String(try #require(answer.headers[.setCookie]).split(separator: ";")[0])
        let page = try await client.execute(uri: "/app/account", method: .get, headers: WebAppTests.form([:], origin: nil, cookie: cookie))
        return (cookie, try #require(hidden("formToken", in: page.text)))
    }

    /// The value of a hidden input of a page.
    static func hidden(_ name: String, in page: String) -> String? {
        guard let start = page.range(of: "name=\"\(name)\" value=\"") else { return nil }
        return String(page[start.upperBound...].prefix { $0 != "\"" })
    }

    static func multipart(_ fields: [String: String], file: (name: String, filename: String, bytes: [UInt8]), boundary: String) -> ByteBuffer {
        var body = ByteBuffer()
        for (name, value) in fields.sorted(by: { $0.key < $1.key }) {
            body.writeString("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n")
        }
        body.writeString("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(file.name)\"; filename=\"\(file.filename)\"\r\nContent-Type: text/plain\r\n\r\n")
        body.writeBytes(file.bytes)
        body.writeString("\r\n--\(boundary)--\r\n")
        return body
    }

    @Test("a multipart form's fields and file are read; a body that is not one is not a form")
    func multipartForms() throws {
        let boundary = "----svledger-test"
        let body = Self.multipart(["formToken": "t", "catalog": "portal-003"], file: ("table", "pledge.tsv", Array("a\tb\n£1".utf8)), boundary: boundary)
        let form = try #require(WebForm(multipart: Array(buffer: body), boundary: boundary))
        #expect(form["formToken"] == "t" && form["catalog"] == "portal-003")
        #expect(form.files["table"] == WebForm.File(filename: "pledge.tsv", bytes: Array("a\tb\n£1".utf8)))
        #expect(WebForm.multipartBoundary("multipart/form-data; boundary=\"x y\"") == "x y")
        #expect(WebForm.multipartBoundary("application/x-www-form-urlencoded") == nil)
        #expect(WebForm(multipart: Array("not a multipart body".utf8), boundary: boundary) == nil)
    }

    @Test("an officer registers a contract from the page; its pledge table is checked before anything is written, and recorded only with the form token and the recomputed values chosen")
    func registerThenPledge() async throws {
        let fixture = try ServerFixture()
        let table = try [UInt8](Data(contentsOf: URL(fileURLWithPath: TransferRouteTests.seed003)))
        try await fixture.test { client in
            let (cookie, token) = try await Self.signIn(client, fixture, "a.patel")
            let register = [
                "formToken": token, "contract": "WEB-1", "title": "Regeneration", "buyerDepartment": "Growth", "category": "works",
                "estimatedWholeLifeValueGBP": "20,000,000", "startDate": "2025-04-01", "endDate": "2029-03-31", "areasServed": "Preston, Chorley",
                "policyId": "lancashire-2024-28", "existingSupplier": "Regen Partners",
            ]
            let registered = try await client.execute(
                uri: "/app/register", method: .post, headers: WebAppTests.form(register, origin: WebAppTests.origin, cookie: cookie), body: WebAppTests.body(register))
            #expect(registered.status == .seeOther && registered.headers[.location]?.hasPrefix("/app/contracts/WEB-1?notice=") == true, "\(registered.text.prefix(400))")
            let again = try await client.execute(
                uri: "/app/register", method: .post, headers: WebAppTests.form(register, origin: WebAppTests.origin, cookie: cookie), body: WebAppTests.body(register))
            #expect(again.status == .conflict && again.text.contains("WEB-1 is already registered"))

            let boundary = "----svledger-pledge"
            var headers = HTTPFields()
            headers[.contentType] = "multipart/form-data; boundary=\(boundary)"
            headers[.origin] = WebAppTests.origin
            headers[.cookie] = cookie
            let before = try fixture.ledger.store.head()
            let file = (name: "table", filename: "seed-003.txt", bytes: table)
            let forged = try await client.execute(
                uri: "/app/contracts/WEB-1/pledge", method: .post, headers: headers,
                body: Self.multipart(["formToken": "forged", "catalog": "portal-003"], file: file, boundary: boundary))
            #expect(forged.status == .forbidden)
            let none = try await client.execute(
                uri: "/app/contracts/WEB-1/pledge", method: .post, headers: headers,
                body: Self.multipart(["formToken": token, "catalog": "portal-003"], file: (name: "table", filename: "", bytes: []), boundary: boundary))
            // A browser sends the file field with no name and nothing in it when no file was chosen.
            #expect(none.status == .unprocessableContent && none.text.contains("Choose the supplier&#39;s pledge table"), "\(none.status)")
            let checked = try await client.execute(
                uri: "/app/contracts/WEB-1/pledge", method: .post, headers: headers,
                body: Self.multipart(["formToken": token, "catalog": "portal-003"], file: file, boundary: boundary))
            #expect(checked.status == .ok)
            #expect(checked.text.contains("value-disagrees, blocks the record") && checked.text.contains("£2,822,946.49"))
            #expect(try fixture.ledger.store.head() == before, "a check writes nothing")

            let sent = try #require(Self.hidden("table", in: checked.text))
            #expect(Data(base64Encoded: sent).map { [UInt8]($0) } == table, "the table shown is the table recorded")
            var record = ["formToken": token, "catalog": try #require(Self.hidden("catalog", in: checked.text)), "table": sent, "filename": "seed-003.txt"]
            let blocked = try await client.execute(
                uri: "/app/contracts/WEB-1/pledge", method: .post, headers: WebAppTests.form(record, origin: WebAppTests.origin, cookie: cookie),
                body: WebAppTests.body(record))
            #expect(blocked.status == .unprocessableContent && blocked.text.contains("cannot be recorded with the choices made"))
            #expect(try fixture.ledger.store.head() == before, "a blocked record writes nothing")
            record["useComputed"] = "yes"
            let recorded = try await client.execute(
                uri: "/app/contracts/WEB-1/pledge", method: .post, headers: WebAppTests.form(record, origin: WebAppTests.origin, cookie: cookie),
                body: WebAppTests.body(record))
            #expect(recorded.status == .seeOther, "\(recorded.text.prefix(400))")
            #expect(try fixture.ledger.store.head().position == before.position + 1)
            let state = try fixture.ledger.contractState("WEB-1").state
            #expect(state.pledge?.lines.count == 21 && state.pledge?.supplier == "Regen Partners")
            #expect(state.registration?.areasServed == ["Preston", "Chorley"], "the areas typed with commas are the list the command takes")
        }
    }

    @Test("a supplier's session opens no council decision: registering, decisions and reviews are not found, the pledge is not its role's")
    func supplierOpensNoDecision() async throws {
        let fixture = try ServerFixture()
        try await fixture.test { client in
            let (cookie, _) = try await Self.signIn(client, fixture, "b.jones")
            for path in ["/app/register", "/app/contracts/LCC-2025-014/review", "/app/contracts/LCC-2025-014/actions/contract.close"] {
                let page = try await client.execute(uri: path, method: .get, headers: WebAppTests.form([:], origin: nil, cookie: cookie))
                #expect(page.status == .notFound, "\(path): \(page.status)")
                #expect(!page.text.contains("LCC-2025-014"), "\(path) names no contract")
            }
            let pledge = try await client.execute(uri: "/app/contracts/LCC-2025-014/pledge", method: .get, headers: WebAppTests.form([:], origin: nil, cookie: cookie))
            #expect(pledge.status == .forbidden && !pledge.text.contains("LCC-2025-014"))
        }
    }
}
