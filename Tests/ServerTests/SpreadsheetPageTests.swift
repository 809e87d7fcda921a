import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LedgerValues
import Spreadsheets
import Testing

/// Returns from spreadsheets in the web app: the template downloaded, a filled one checked
/// (findings, nothing written) and recorded; rows of another contract never reach it.
@Suite("spreadsheet returns in the web app", .timeLimit(.minutes(2)))
struct SpreadsheetPageTests {
    static let boundary = "svledger-sheet-boundary"

    static func upload(_ fields: [String: String], file: (String, [UInt8])) -> ByteBuffer {
        var body = ByteBuffer()
        for (name, value) in fields {
            body.writeString("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n")
        }
        body.writeString("--\(boundary)\r\nContent-Disposition: form-data; name=\"sheet\"; filename=\"\(file.0)\"\r\nContent-Type: application/octet-stream\r\n\r\n")
        body.writeBytes(file.1)
        body.writeString("\r\n--\(boundary)--\r\n")
        return body
    }

    @Test("the supplier downloads its template, checks a filled one, and records it; another contract's rows are findings")
    func downloadCheckRecord() async throws {
        let fixture = try ServerFixture()
        try await fixture.test { client in
            let (cookie, token) = try await WebFormPagesTests.signIn(client, fixture, "p.okafor")
            let get = WebAppTests.form([:], origin: nil, cookie: cookie)
            let page = try await client.execute(uri: "/app/contracts/LCC-2025-014/spreadsheet", method: .get, headers: get)
            #expect(page.status == .ok && page.text.contains("Return from a spreadsheet"))
            let template = try await client.execute(uri: "/app/contracts/LCC-2025-014/spreadsheet/template?quarter=2025-26-Q3&format=xlsx", method: .get, headers: get)
            #expect(template.status == .ok && template.headers[.contentDisposition]?.hasPrefix("attachment;") == true)
            let sheet = try XLSXReader.read(Array(template.body.readableBytesView))
            #expect(sheet.rows[0].first?.text == "contract" && sheet.rows.last?[2].text == "TOTAL")

            var headers = WebAppTests.form([:], origin: WebAppTests.origin, cookie: cookie)
            headers[.contentType] = "multipart/form-data; boundary=\(Self.boundary)"
            let filled = Array("contract,quarter,measure,quantity,evidence\nLCC-2025-014,2025-26-Q3,NT1,2,HR-Q3\nLCC-2025-020,2025-26-Q3,NT1,9,X\n".utf8)
            let before = try fixture.ledger.store.head()
            let checked = try await client.execute(
                uri: "/app/contracts/LCC-2025-014/spreadsheet", method: .post, headers: headers,
                body: Self.upload(["formToken": token, "check": "yes", "attribution": "yes"], file: ("return.csv", filled)))
            #expect(checked.status == .unprocessableContent && checked.text.contains("another-contract"), "\(checked.text.prefix(600))")
            #expect(try fixture.ledger.store.head() == before, "a check writes nothing")

            let own = Array("contract,quarter,measure,quantity,evidence\nLCC-2025-014,2025-26-Q3,NT1,2,HR-Q3\n".utf8)
            let recorded = try await client.execute(
                uri: "/app/contracts/LCC-2025-014/spreadsheet", method: .post, headers: headers,
                body: Self.upload(["formToken": token, "attribution": "yes"], file: ("return.csv", own)))
            #expect(recorded.status == .seeOther, "\(recorded.text)")
            #expect(try fixture.ledger.store.head().position == before.position + 1)
        }
    }
}
