import Foundation
import NIOCore
import NIOPosix
import NIOSSL

/// A small SMTP client (RFC 5321) for the council's relay: plain, STARTTLS (RFC 3207) or
/// implicit TLS, with AUTH PLAIN (RFC 4954) once the connection is encrypted. One message per
/// connection: reminders are few, and a fresh connection per message means a relay that drops
/// one does not take the others with it.
public struct SMTPClient: Sendable {
    public enum Security: String, Sendable, CaseIterable {
        /// No encryption: a relay on the same host or network only (and the tests').
        case none
        /// Plain first, then `STARTTLS`, refusing to go on if the relay does not offer it.
        case startTLS = "starttls"
        /// TLS from the first byte (port 465).
        case tls
    }

    public struct Credentials: Sendable {
        public let username: String
        public let password: String

        public init(username: String, password: String) {
            self.username = username
            self.password = password
        }
    }

    public let host: String
    public let port: Int
    public let security: Security
    public let credentials: Credentials?
    /// PEM certificates to trust in place of the system's (a council's own CA; the tests' own).
    public let trustedCertificates: String?
    /// How long one conversation may take, from connecting to the relay's last answer.
    public let timeout: TimeAmount

    public init(
        host: String, port: Int, security: Security, credentials: Credentials? = nil, trustedCertificates: String? = nil, timeout: TimeAmount = .seconds(30)
    ) {
        self.host = host
        self.port = port
        self.security = security
        self.credentials = credentials
        self.trustedCertificates = trustedCertificates
        self.timeout = timeout
    }

    /// Sends `message`; returns the relay's last answer to the message (its queue id, often).
    /// - Throws: ``SMTPError`` naming the step that failed and the relay's answer.
    @discardableResult
    public func send(_ message: MailMessage) async throws -> String {
        try await withThrowingTaskGroup(of: String.self) { group in
            group.addTask { try await self.converse(message) }
            group.addTask {
                try await Task.sleep(nanoseconds: UInt64(self.timeout.nanoseconds))
                throw SMTPError(step: "the conversation", detail: "no answer within \(self.timeout.nanoseconds / 1_000_000_000) s")
            }
            defer { group.cancelAll() }
            return try await group.next()!
        }
    }

    private func tlsHandler() throws -> NIOSSLClientHandler {
        var configuration = TLSConfiguration.makeClientConfiguration()
        if let trustedCertificates { configuration.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(trustedCertificates)) }
        return try NIOSSLClientHandler(context: try NIOSSLContext(configuration: configuration), serverHostname: host)
    }

    private func converse(_ message: MailMessage) async throws -> String {
        // Made where it is added (a handler is not Sendable): the configuration is checked first.
        if security == .tls { _ = try tlsHandler() }
        let implicitTLS = security == .tls
        let channel: NIOAsyncChannel<ByteBuffer, ByteBuffer>
        do {
            channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .connectTimeout(.seconds(10))
                .connect(host: host, port: port) { channel in
                    channel.eventLoop.makeCompletedFuture {
                        if implicitTLS { try channel.pipeline.syncOperations.addHandler(try self.tlsHandler()) }
                        return try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                    }
                }
        } catch {
            throw SMTPError(step: "connecting to \(host):\(port)", detail: "\(error)")
        }
        return try await channel.executeThenClose { inbound, outbound in
            var replies = ReplyReader(inbound.makeAsyncIterator())
            func command(_ line: String, expect codes: Set<Int>, step: String) async throws -> Reply {
                try await outbound.write(ByteBuffer(string: line + "\r\n"))
                let reply = try await replies.next(step: step)
                guard codes.contains(reply.code) else { throw SMTPError(step: step, detail: reply.text) }
                return reply
            }
            let greeting = try await replies.next(step: "the greeting")
            guard greeting.code == 220 else { throw SMTPError(step: "the greeting", detail: greeting.text) }
            var hello = try await command("EHLO svledger", expect: [250], step: "EHLO")
            if security == .startTLS {
                guard hello.lines.contains(where: { $0.uppercased().hasPrefix("STARTTLS") }) else {
                    throw SMTPError(step: "STARTTLS", detail: "the relay does not offer STARTTLS, so the credentials and the message would go in clear")
                }
                _ = try await command("STARTTLS", expect: [220], step: "STARTTLS")
                // Anything the relay sent after its 220 came in clear, and would be taken for an
                // answer inside TLS: a man in the middle's injection (CVE-2011-0411's kind).
                guard replies.pending.isEmpty else { throw SMTPError(step: "STARTTLS", detail: "the relay sent more after agreeing to STARTTLS; refused as an injection") }
                try await channel.channel.pipeline.addHandler(try tlsHandler(), position: .first)
                hello = try await command("EHLO svledger", expect: [250], step: "EHLO after STARTTLS")
            }
            if let credentials {
                guard security != .none else { throw SMTPError(step: "AUTH", detail: "credentials are sent only over TLS (starttls or tls)") }
                let plain = "\u{0}\(credentials.username)\u{0}\(credentials.password)"
                _ = try await command("AUTH PLAIN " + Data(plain.utf8).base64EncodedString(), expect: [235], step: "AUTH")
            }
            _ = try await command("MAIL FROM:<\(message.from)>", expect: [250], step: "MAIL FROM")
            for recipient in message.recipients { _ = try await command("RCPT TO:<\(recipient)>", expect: [250, 251], step: "RCPT TO \(recipient)") }
            _ = try await command("DATA", expect: [354], step: "DATA")
            try await outbound.write(ByteBuffer(string: message.dataSection))
            let accepted = try await replies.next(step: "the message")
            guard accepted.code == 250 else { throw SMTPError(step: "the message", detail: accepted.text) }
            try? await outbound.write(ByteBuffer(string: "QUIT\r\n"))
            return accepted.text
        }
    }
}

/// What went wrong, and at which step of the conversation.
public struct SMTPError: Error, Sendable, CustomStringConvertible {
    public let step: String
    public let detail: String
    public var description: String { "SMTP \(step): \(detail)" }
}

/// One reply: its code and its lines (a multi-line reply's continuation lines included).
struct Reply {
    let code: Int
    let lines: [String]
    var text: String { lines.map { "\(code) \($0)" }.joined(separator: " / ") }
}

/// Reads replies from the relay: lines of `CODE-text` up to the last, `CODE text`.
struct ReplyReader {
    var iterator: NIOAsyncChannelInboundStream<ByteBuffer>.AsyncIterator
    var pending: [UInt8] = []

    init(_ iterator: NIOAsyncChannelInboundStream<ByteBuffer>.AsyncIterator) { self.iterator = iterator }

    mutating func line(step: String) async throws -> String {
        while true {
            if let end = pending.firstIndex(of: UInt8(ascii: "\n")) {
                var bytes = Array(pending[..<end])
                pending.removeSubrange(...end)
                if bytes.last == UInt8(ascii: "\r") { bytes.removeLast() }
                return String(decoding: bytes, as: UTF8.self)
            }
            guard pending.count < 64 * 1024 else { throw SMTPError(step: step, detail: "a reply line over 64 KiB") }
            guard var buffer = try await iterator.next() else { throw SMTPError(step: step, detail: "the relay closed the connection") }
            pending += buffer.readBytes(length: buffer.readableBytes) ?? []
        }
    }

    mutating func next(step: String) async throws -> Reply {
        var lines: [String] = []
        while true {
            let line = try await line(step: step)
            guard line.count >= 3, let code = Int(line.prefix(3)) else { throw SMTPError(step: step, detail: "not an SMTP reply: \(line.prefix(80))") }
            lines.append(String(line.dropFirst(4)))
            if line.count == 3 || line[line.index(line.startIndex, offsetBy: 3)] != "-" { return Reply(code: code, lines: lines) }
        }
    }
}
