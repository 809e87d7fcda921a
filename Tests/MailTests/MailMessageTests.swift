import Foundation
import Testing
@testable import Mail

/// The message a reminder sends: text from the ledger never breaks a header out, anything
/// beyond ASCII is an encoded word, and no body line can end the message early.
@Suite("mail messages")
struct MailMessageTests {
    static func message(subject: String = "Return due", body: String = "Dear supplier,\n.\nThanks", cc: [String] = []) -> MailMessage {
        MailMessage(
            from: "social.value@council.example", to: ["returns@supplier.example"], cc: cc, subject: subject, body: body,
            date: Date(timeIntervalSince1970: 1_765_000_000), messageID: "id-1@svledger")
    }

    @Test("headers, a base64 body, and the lone dot that ends DATA")
    func shape() {
        let data = Self.message(cc: ["manager@council.example"]).dataSection
        let lines = data.components(separatedBy: "\r\n")
        #expect(lines.contains("From: social.value@council.example") && lines.contains("To: returns@supplier.example"))
        #expect(lines.contains("Cc: manager@council.example") && lines.contains("Date: Sat, 06 Dec 2025 05:46:40 +0000"))
        #expect(lines.contains("Content-Transfer-Encoding: base64") && lines.contains("Message-ID: <id-1@svledger>"))
        #expect(data.hasSuffix("\r\n.\r\n"))
        let body = lines.drop { !$0.isEmpty }.dropFirst().prefix { $0 != "." }.joined()
        #expect(String(data: Data(base64Encoded: body)!, encoding: .utf8) == "Dear supplier,\n.\nThanks", "a line holding only a dot stays inside the body")
        #expect(Self.message(cc: []).recipients == ["returns@supplier.example"])
    }

    @Test("a line break in ledger text cannot add a header; non-ASCII is RFC 2047")
    func headerInjection() {
        let data = Self.message(subject: "Due\r\nBcc: everyone@example.com").dataSection
        #expect(!data.contains("\r\nBcc:"), "the injected header is flattened into the subject")
        let encoded = Self.message(subject: "Return due: Café £4,000 works").dataSection
        let subject = encoded.components(separatedBy: "\r\n").first { $0.hasPrefix("Subject: ") }!
        #expect(subject.hasPrefix("Subject: =?UTF-8?B?") && subject.hasSuffix("?="))
        #expect(encoded.components(separatedBy: "\r\n").allSatisfy { $0.utf8.count <= 78 }, "no line over 78 octets")
    }
}
