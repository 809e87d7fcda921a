import Foundation
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
    /// The largest command sent with its evidence files (multipart): one file of the largest
    /// size svledger keeps (25 MiB), or several smaller, and the form around them.
    public var evidenceBodyLimit = 26 * 1024 * 1024 + 64 * 1024
    /// Commands that arrive while a commit is under way are committed together in the next
    /// one; `false` commits each request on its own (the peer a benchmark compares against).
    public var groupCommit: Bool

    /// How many `Idempotency-Key` answers are kept in memory (the fast path, and the one place
    /// that can tell a retry from a key reused for another request); older keys are found in
    /// the log's correlation index.
    public var rememberedKeys: Int

    /// What one client may hold of the server, and for how long (README, "Server": limits).
    public var limits: Limits

    /// Witnesses asked to cosign each checkpoint the ledger signs, and how many of them make
    /// it witnessed (`svledger serve --witness`, `--witness-quorum`).
    /// Serve a follower's ledger (`svledger follow` writes it): every read, and no write (503
    /// `read-only-follower`, pointing at ``primary`` when it is known).
    public var readOnly = false
    /// The primary's base URL, for a follower's answers to writes (`Location`).
    public var primary: String?
    public var witnesses: [WitnessEndpoint] = []
    public var witnessQuorum = 0

    /// Bounds on connections and work, each with a default and a `svledger serve` option.
    public struct Limits: Sendable, Equatable {
        /// A connection with no request under way for this long is closed (keep-alive included).
        public var idleTimeout: Duration = .seconds(30)
        /// A new connection must have sent its first request's head within this.
        public var headerTimeout: Duration = .seconds(10)
        /// A request's body must have arrived whole within this of its head.
        public var bodyTimeout: Duration = .seconds(30)
        /// Connections open at once; past it new ones wait in the listen backlog.
        public var maxConnections = 512
        /// Reads that fold or scan the ledger (figures, reports, audit, log, verify, export)
        /// running at once, and waiting beyond those; past both, 503 with `Retry-After`.
        public var concurrentReads = max(4, 2 * ProcessInfo.processInfo.activeProcessorCount)
        public var queuedReads = 256
        /// On SIGTERM, requests still under way after this are cancelled and the server stops.
        public var drain: Duration = .seconds(5)

        public init() {}
    }

    public static let defaultBodyLimit = 1 << 20

    public init(
        host: String = "127.0.0.1", port: Int = 8080, tls: TLSFiles? = nil, allowRemoteHTTP: Bool = false, bodyLimit: Int = defaultBodyLimit,
        groupCommit: Bool = true, rememberedKeys: Int = 10_000, limits: Limits = Limits()
    ) {
        self.host = host
        self.port = port
        self.tls = tls
        self.allowRemoteHTTP = allowRemoteHTTP
        self.bodyLimit = bodyLimit
        self.groupCommit = groupCommit
        self.rememberedKeys = rememberedKeys
        self.limits = limits
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

    /// Whether `host` is a loopback address, reachable only from this machine: it is resolved
    /// first (a name such as `127.evil.invalid` is whatever DNS says it is), and every address
    /// it stands for must be loopback (127.0.0.0/8, ::1, or 127.x written as IPv4-mapped IPv6).
    /// - Throws: a usage error when the name does not resolve.
    public static func isLoopback(_ host: String) throws -> Bool {
        let addresses = try resolve(host)
        return !addresses.isEmpty && addresses.allSatisfy(isLoopback(address:))
    }

    /// An address's bytes (4 for IPv4, 16 for IPv6) is loopback.
    static func isLoopback(address bytes: [UInt8]) -> Bool {
        switch bytes.count {
        case 4: return bytes[0] == 127
        case 16:
            if bytes[..<15].allSatisfy({ $0 == 0 }) && bytes[15] == 1 { return true }
            // ::ffff:127.x.y.z
            return bytes[..<10].allSatisfy({ $0 == 0 }) && bytes[10] == 0xFF && bytes[11] == 0xFF && bytes[12] == 127
        default: return false
        }
    }

    /// The addresses `host` stands for: itself when it is a literal, else what the resolver gives.
    static func resolve(_ host: String) throws -> [[UInt8]] {
        var v4 = in_addr()
        if inet_pton(AF_INET, host, &v4) == 1 { return [withUnsafeBytes(of: &v4) { Array($0) }] }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, host, &v6) == 1 { return [withUnsafeBytes(of: &v6) { Array($0) }] }
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var found: UnsafeMutablePointer<addrinfo>?
        let code = getaddrinfo(host, nil, &hints, &found)
        guard code == 0, let first = found else {
            throw PlainError(.usage, kind: "invalid-listen-address", "--listen names \(DisplayText.quoted(host)), which does not resolve to an address here")
        }
        defer { freeaddrinfo(first) }
        var addresses: [[UInt8]] = []
        var entry: UnsafeMutablePointer<addrinfo>? = first
        while let current = entry {
            switch current.pointee.ai_family {
            case AF_INET:
                current.pointee.ai_addr.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { address in
                    var raw = address.pointee.sin_addr
                    addresses.append(withUnsafeBytes(of: &raw) { Array($0) })
                }
            case AF_INET6:
                current.pointee.ai_addr.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { address in
                    var raw = address.pointee.sin6_addr
                    addresses.append(withUnsafeBytes(of: &raw) { Array($0) })
                }
            default: break
            }
            entry = current.pointee.ai_next
        }
        return addresses
    }

    /// Refuses plain HTTP beyond loopback unless asked for, and a certificate without its key.
    public func check() throws {
        if tls == nil, !allowRemoteHTTP, try !Self.isLoopback(host) {
            throw PlainError(
                .usage, kind: "remote-http-refused",
                "plain HTTP on \(host) would send bearer tokens in clear: give --tls-cert and --tls-key, listen on loopback (127.0.0.1) behind a proxy, or pass --allow-remote-http")
        }
        if bodyLimit < 1 { throw PlainError(.usage, kind: "invalid-value", "the body limit must be at least 1 byte") }
        if tls != nil || allowRemoteHTTP { _ = try Self.resolve(host) }
    }
}
