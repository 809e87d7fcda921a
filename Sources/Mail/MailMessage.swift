import Foundation

/// A plain-text message (RFC 5322), as the relay is given it after `DATA`. Header text that
/// comes from the ledger (a contract's title, a supplier's name) cannot break a header out:
/// line breaks become spaces, and anything beyond ASCII is an RFC 2047 encoded word. The body
/// travels as base64, so no line of it can end the message early or exceed SMTP's limit.
public struct MailMessage: Sendable, Equatable {
    public let from: String
    public let to: [String]
    public let cc: [String]
    public let subject: String
    public let body: String
    /// RFC 5322's Date, e.g. "Sun, 06 Dec 2026 10:00:00 +0000".
    public let date: String
    public let messageID: String

    public init(from: String, to: [String], cc: [String] = [], subject: String, body: String, date: Date, messageID: String) {
        self.from = from
        self.to = to
        self.cc = cc
        self.subject = subject
        self.body = body
        self.date = Self.rfc5322(date)
        self.messageID = messageID
    }

    /// Every address the relay delivers to.
    public var recipients: [String] { to + cc }

    /// The headers and body, each line ending CRLF, then the lone `.` that ends `DATA`.
    public var dataSection: String {
        var headers = [
            "From: \(Self.header(from))", "To: \(to.map(Self.header).joined(separator: ", "))",
        ]
        if !cc.isEmpty { headers.append("Cc: \(cc.map(Self.header).joined(separator: ", "))") }
        headers += [
            "Subject: \(Self.encodedWord(subject))", "Date: \(date)", "Message-ID: <\(Self.header(messageID))>", "MIME-Version: 1.0",
            "Content-Type: text/plain; charset=utf-8", "Content-Transfer-Encoding: base64", "Auto-Submitted: auto-generated",
        ]
        let encoded = Data(body.utf8).base64EncodedString(options: [.lineLength76Characters, .endLineWithCarriageReturn, .endLineWithLineFeed])
        return headers.joined(separator: "\r\n") + "\r\n\r\n" + encoded + "\r\n.\r\n"
    }

    static func header(_ text: String) -> String {
        String(text.map { $0 == "\r" || $0 == "\n" || $0 == "\r\n" ? " " : $0 })
    }

    /// ASCII as it is; anything else as `=?UTF-8?B?…?=` words of at most 75 characters.
    static func encodedWord(_ text: String) -> String {
        let flat = header(text)
        guard !flat.unicodeScalars.allSatisfy({ $0.isASCII && $0.value >= 0x20 }) else { return flat }
        var words: [String] = [], chunk = ""
        for character in flat {
            // 45 bytes of UTF-8 make 60 of base64: with the 12 of the wrapper, under 75.
            if chunk.utf8.count + String(character).utf8.count > 45 {
                words.append(chunk)
                chunk = ""
            }
            chunk.append(character)
        }
        words.append(chunk)
        return words.map { "=?UTF-8?B?\(Data($0.utf8).base64EncodedString())?=" }.joined(separator: "\r\n ")
    }

    static func rfc5322(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss '+0000'"
        return formatter.string(from: date)
    }
}
