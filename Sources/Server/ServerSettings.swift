import LedgerValues

/// How `svledger serve` listens: the address, TLS, and what it refuses to do.
public struct ServerSettings: Sendable {
    /// A certificate chain and its private key, both PEM files.
    public struct TLSFiles: Sendable {
        public let certificate: String
        public let key: String

        public init(certificate: String, key: String) {
            self.certificate = certificate
            self.key = key
        }
    }

    public var host: String
    /// 0 asks the system for a free port (tests); the port bound is logged and reported.
    public var port: Int
    public var tls: TLSFiles?
    /// Plain HTTP on an address other than loopback, which sends tokens in clear.
    public var allowRemoteHTTP: Bool
    /// The largest request body accepted; a larger one is answered 413 and not read.
    public var bodyLimit: Int
    /// Commands that arrive while a commit is under way are committed together in the next
    /// one; `false` commits each request on its own (the peer a benchmark compares against).
    public var groupCommit: Bool

    /// How many `Idempotency-Key` answers are kept in memory (the fast path, and the one place
    /// that can tell a retry from a key reused for another request); older keys are found in
    /// the log's correlation index.
    public var rememberedKeys: Int

    public static let defaultBodyLimit = 1 << 20

    public init(
        host: String = "127.0.0.1", port: Int = 8080, tls: TLSFiles? = nil, allowRemoteHTTP: Bool = false, bodyLimit: Int = defaultBodyLimit,
        groupCommit: Bool = true, rememberedKeys: Int = 10_000
    ) {
        self.host = host
        self.port = port
        self.tls = tls
        self.allowRemoteHTTP = allowRemoteHTTP
        self.bodyLimit = bodyLimit
        self.groupCommit = groupCommit
        self.rememberedKeys = rememberedKeys
    }

    /// `HOST:PORT`, `[IPV6]:PORT` or `:PORT` (loopback), with a port from 0 to 65535.
    public static func listen(_ text: String) throws -> (host: String, port: Int) {
        let usage = PlainError(.usage, kind: "invalid-listen-address", "--listen takes HOST:PORT (127.0.0.1:8080, [::1]:8080, 0.0.0.0:8443), got \(DisplayText.quoted(text))")
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]), (0...65535).contains(port) else { throw usage }
        var host = String(text[..<colon])
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        if host.isEmpty { host = "127.0.0.1" }
        guard !host.contains(where: { $0 == " " || $0 == "/" }) else { throw usage }
        return (host, port)
    }

    /// Whether `host` is a loopback address, reachable only from this machine.
    public static func isLoopback(_ host: String) -> Bool {
        host == "localhost" || host == "::1" || host.hasPrefix("127.")
    }

    /// Refuses plain HTTP beyond loopback unless asked for, and a certificate without its key.
    public func check() throws {
        if tls == nil, !allowRemoteHTTP, !Self.isLoopback(host) {
            throw PlainError(
                .usage, kind: "remote-http-refused",
                "plain HTTP on \(host) would send bearer tokens in clear: give --tls-cert and --tls-key, listen on loopback (127.0.0.1) behind a proxy, or pass --allow-remote-http")
        }
        if bodyLimit < 1 { throw PlainError(.usage, kind: "invalid-value", "the body limit must be at least 1 byte") }
    }
}
