import EventStore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LedgerValues
import Testing

/// A return sent with its evidence files over HTTP, and the files read back as downloads.
@Suite("evidence files over HTTP", .timeLimit(.minutes(2)))
struct EvidenceRouteTests {
    static let boundary = "svledger-test-boundary"
    static let pdf = Array("%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n".utf8)

    /// A command in part `command` and each file in a part named `file`.
    static func multipart(_ command: String, files: [(filename: String, bytes: [UInt8])]) -> ByteBuffer {
        var body = ByteBuffer()
        body.writeString("--\(boundary)\r\nContent-Disposition: form-data; name=\"command\"\r\nContent-Type: application/json\r\n\r\n\(command)\r\n")
        for file in files {
            body.writeString("--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"\(file.filename)\"\r\nContent-Type: application/octet-stream\r\n\r\n")
            body.writeBytes(file.bytes)
            body.writeString("\r\n")
        }
        body.writeString("--\(boundary)--\r\n")
        return body
    }

    static func report(quarter: String, files: String) -> String {
        #"{"command": "delivery.report", "contract": "LCC-2025-014", "quarter": "\#(quarter)", "attributionConfirmed": true, "lines": [{"measure": "NT1", "quantity": "1", "evidence": "HR-9", "evidenceFiles": [\#(files)]}]}"#
    }

    @Test("a supplier sends a return with a PDF; the file is listed, and read back only as a download, byte for byte")
    func sendAndRead() async throws {
        let fixture = try ServerFixture()
        let sha256 = EvidenceIntakeHex.hex(EventStore.evidenceDigest(Self.pdf))
        try await fixture.test { client in
            let headers = fixture.headers("north", [("Content-Type", "multipart/form-data; boundary=\(Self.boundary)")])
            let sent = try await client.execute(
                uri: "/commands", method: .post, headers: headers,
                body: Self.multipart(Self.report(quarter: "2025-26-Q3", files: #"{"name": "starters-q3.pdf"}"#), files: [("starters-q3.pdf", Self.pdf)]))
            #expect(sent.status == .created, "\(sent.text)")
            let listed = try await client.execute(uri: "/contracts/LCC-2025-014/evidence", method: .get, headers: fixture.headers("auditor"))
            let file = listed.json?["files"]?.arrayValue?.first
            #expect(file?["file"]?["sha256"] == .string(sha256))
            #expect(file?["file"]?["mediaType"] == .string("application/pdf") && file?["status"] == .string("kept"))
            let read = try await client.execute(uri: "/contracts/LCC-2025-014/evidence/\(sha256)", method: .get, headers: fixture.headers("north"))
            #expect(read.status == .ok)
            #expect(Array(read.body.readableBytesView) == Self.pdf)
            #expect(read.headers[.contentType] == "application/pdf")
            #expect(read.headers[.contentDisposition] == #"attachment; filename="starters-q3.pdf"; filename*=UTF-8''starters-q3.pdf"#)
            #expect(read.headers[HTTPField.Name("X-Content-Type-Options")!] == "nosniff")
            // Another supplier, and a Cabinet Member, do not read it.
            #expect(try await client.execute(uri: "/contracts/LCC-2025-014/evidence/\(sha256)", method: .get, headers: fixture.headers("bridge")).status == .notFound)
            #expect(try await client.execute(uri: "/contracts/LCC-2025-014/evidence/\(sha256)", method: .get, headers: fixture.headers("cabinet")).status == .forbidden)
        }
    }

    @Test("an administrator erases a file with a reason through its route: the list says erased, and the file is gone")
    func erasure() async throws {
        let fixture = try ServerFixture()
        let sha256 = EvidenceIntakeHex.hex(EventStore.evidenceDigest(Self.pdf))
        try await fixture.test { client in
            let multipart = fixture.headers("north", [("Content-Type", "multipart/form-data; boundary=\(Self.boundary)")])
            let sent = try await client.execute(
                uri: "/commands", method: .post, headers: multipart,
                body: Self.multipart(Self.report(quarter: "2025-26-Q3", files: #"{"name": "payslip.pdf"}"#), files: [("payslip.pdf", Self.pdf)]))
            #expect(sent.status == .created)
            let uri = "/contracts/LCC-2025-014/evidence/\(sha256)/erasure"
            let json = [("Content-Type", "application/json")]
            let noReason = try await client.execute(uri: uri, method: .post, headers: fixture.headers("admin", json), body: ByteBuffer(string: "{}"))
            #expect(noReason.status == .unprocessableContent && noReason.json?["kind"] == .string("reason-required"))
            let erased = try await client.execute(
                uri: uri, method: .post, headers: fixture.headers("admin", json), body: ByteBuffer(string: #"{"reason": "Retention period ended"}"#))
            #expect(erased.status == .created, "\(erased.text)")
            let listed = try await client.execute(uri: "/contracts/LCC-2025-014/evidence", method: .get, headers: fixture.headers("admin"))
            #expect(listed.json?["files"]?.arrayValue?.first?["status"] == .string("erased"))
            let gone = try await client.execute(uri: "/contracts/LCC-2025-014/evidence/\(sha256)", method: .get, headers: fixture.headers("auditor"))
            #expect(gone.status == .notFound && gone.json?["kind"] == .string("evidence-erased"))
        }
    }

    @Test("a file whose bytes are not what the line's SHA-256 says, a renamed ZIP, a name with a directory and a file never named are each refused, and nothing is written")
    func refused() async throws {
        let fixture = try ServerFixture()
        let before = try fixture.ledger.store.head()
        let declared = EvidenceIntakeHex.hex(EventStore.evidenceDigest(Self.pdf))
        var changed = Self.pdf
        changed[5] = UInt8(ascii: "9")
        let zip: [UInt8] = [0x50, 0x4B, 0x05, 0x06] + [UInt8](repeating: 0, count: 18)
        let cases: [(String, [(filename: String, bytes: [UInt8])], String)] = [
            (#"{"name": "q3.pdf", "sha256": "\#(declared)", "size": \#(Self.pdf.count), "mediaType": "application/pdf"}"#, [("q3.pdf", changed)], "evidence-file"),
            (#"{"name": "timesheet.xlsx"}"#, [("timesheet.xlsx", zip)], "evidence-file"),
            (#"{"name": "../q3.pdf"}"#, [("../q3.pdf", Self.pdf)], "evidence-file"),
            (#"{"name": "q3.pdf"}"#, [("other.pdf", Self.pdf)], "evidence-file"),
        ]
        try await fixture.test { client in
            let headers = fixture.headers("north", [("Content-Type", "multipart/form-data; boundary=\(Self.boundary)")])
            for (files, sent, kind) in cases {
                let answer = try await client.execute(
                    uri: "/commands", method: .post, headers: headers, body: Self.multipart(Self.report(quarter: "2025-26-Q3", files: files), files: sent))
                #expect(answer.status == .unprocessableContent, "\(files): \(answer.text)")
                #expect(answer.json?["kind"] == .string(kind), "\(answer.text)")
            }
            // Over the limit for a command with files: 413, and the body is not read.
            var big = Self.pdf
            big += [UInt8](repeating: 0x20, count: 27 * 1024 * 1024)
            let tooBig = try await client.execute(
                uri: "/commands", method: .post, headers: headers, body: Self.multipart(Self.report(quarter: "2025-26-Q3", files: #"{"name": "big.pdf"}"#), files: [("big.pdf", big)]))
            #expect(tooBig.status == .contentTooLarge)
        }
        #expect(try fixture.ledger.store.head() == before)
    }
}

/// The hex of a digest, as the ledger writes it.
enum EvidenceIntakeHex {
    static func hex(_ bytes: [UInt8]) -> String { bytes.map { String(format: "%02x", $0) }.joined() }
}
