import Foundation
import LedgerValues
import NIOSSL
import PostgresNIO

/// Where the hub's PostgreSQL is, from a libpq-style URL:
/// `postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE`, or for a Unix socket
/// `postgres://USER@/DATABASE?host=/run/postgresql`. A password not in the URL is read from
/// `$PGPASSWORD`. TLS is required unless the URL says `sslmode=disable` (a database on the
/// same machine or network).
public struct HubSettings: Sendable {
    public let configuration: PostgresConnection.Configuration
    /// The URL without its password, to say where the hub writes.
    public let shown: String

    public init(url text: String, environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        guard let components = URLComponents(string: text), ["postgres", "postgresql"].contains(components.scheme ?? ""),
            let user = components.user, !user.isEmpty
        else {
            throw PlainError(.usage, kind: "invalid-postgres-url", "--postgres takes postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE, got \(DisplayText.quoted(Self.withoutPassword(text)))")
        }
        let database = String(components.path.drop { $0 == "/" })
        guard !database.isEmpty else { throw PlainError(.usage, kind: "invalid-postgres-url", "--postgres names no database (…/DATABASE)") }
        let query = Dictionary((components.queryItems ?? []).map { ($0.name, $0.value ?? "") }, uniquingKeysWith: { $1 })
        let password = components.password?.removingPercentEncoding ?? environment["PGPASSWORD"]
        if let socket = query["host"], socket.hasPrefix("/") {
            let path = socket.hasSuffix(".s.PGSQL.\(components.port ?? 5432)") ? socket : "\(socket)/.s.PGSQL.\(components.port ?? 5432)"
            configuration = PostgresConnection.Configuration(unixSocketPath: path, username: user, password: password, database: database)
        } else {
            guard let host = components.host, !host.isEmpty else { throw PlainError(.usage, kind: "invalid-postgres-url", "--postgres names no host") }
            let tls: PostgresConnection.Configuration.TLS =
                query["sslmode"] == "disable" ? .disable : .require(try NIOSSLContext(configuration: .makeClientConfiguration()))
            configuration = PostgresConnection.Configuration(
                host: host, port: components.port ?? 5432, username: user, password: password, database: database, tls: tls)
        }
        shown = Self.withoutPassword(text)
    }

    static func withoutPassword(_ text: String) -> String {
        guard var components = URLComponents(string: text), components.password != nil else { return text }
        components.password = "…"
        return components.string ?? text
    }
}
