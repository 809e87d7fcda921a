import EventStore
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import LedgerValues
import Transparency

/// Why the primary could not be read: not reached (status 0), or its HTTP answer.
public struct PrimaryUnavailable: Error, Sendable, CustomStringConvertible {
    public let status: Int
    public let reason: String
    /// The problem's `kind`, when the primary answered with one (RFC 9457).
    public var problemKind: String?

    init(status: Int, reason: String, problemKind: String? = nil) {
        self.status = status
        self.reason = reason
        self.problemKind = problemKind
    }

    public var description: String { status == 0 ? "the primary was not reached: \(reason)" : "the primary answered \(status): \(reason)" }
    /// A refusal that trying again will not change: a bad token, a role that may not read the
    /// log, a request the primary does not take. Not reached, a 5xx, 408 and 429 are worth
    /// trying again.
    public var isPermanent: Bool { (400...499).contains(status) && status != 408 && status != 429 }
}

/// The primary's own HTTP API, as a follower reads it: `GET /log` pages, the evidence files the
/// events cite, `GET /checkpoint` and `GET /proofs/consistency`. Every read carries the
/// follower's token (an auditor's: it reads the whole log and its files, and writes nothing).
public struct PrimaryClient: Sendable {
    public let url: URL
    let token: String
    let timeout: TimeInterval

    public init(url: URL, token: String, timeout: TimeInterval = 30) {
        self.url = url
        self.token = token
        self.timeout = timeout
    }

    /// The primary's head, from its `GET /healthz`.
    public func head() async throws -> LedgerHead {
        let body = try await get("/healthz", query: [])
        guard case .object(let members)? = try? JSONValue(parsing: Array(body)), case .object(let head)? = members["head"],
            case .integer(let position)? = head["position"], position >= 0, case .string(let hex)? = head["hash"], let hash = ChainHash(hex: hex)
        else { throw PrimaryUnavailable(status: 200, reason: "GET /healthz gave no head") }
        return LedgerHead(position: UInt64(position), hash: hash)
    }

    /// The most events one `GET /log` gives.
    public static let pageLimit = 10_000

    /// The events from `position` on, at most `limit`, each with the hash it was stored with.
    public func events(from position: UInt64, limit: Int) async throws -> [ReplicatedEvent] {
        let body = [UInt8](try await get("/log", query: [("from", String(position)), ("limit", String(limit))]))
        var events: [ReplicatedEvent] = []
        var lineStart = body.startIndex
        for index in body.indices where body[index] == UInt8(ascii: "\n") {
            if index > lineStart { events.append(try Self.replicated(body[lineStart..<index], position: position + UInt64(events.count))) }
            lineStart = index + 1
        }
        if lineStart < body.endIndex { events.append(try Self.replicated(body[lineStart...], position: position + UInt64(events.count))) }
        return events
    }

    /// One line of `GET /log`: the exported envelope, whose `hash` is taken out; the rest,
    /// encoded canonically, is the event's stored bytes (Schemas/README.md §2 and §3).
    static func replicated(_ line: ArraySlice<UInt8>, position: UInt64) throws -> ReplicatedEvent {
        let value: JSONValue
        do {
            value = try JSONValue(parsing: Array(line))
        } catch {
            throw ReplicationStopped(position: position, problem: "the primary sent a line that is not JSON: \(error)")
        }
        guard case .object(var members) = value, case .string(let hex)? = members["hash"], let hash = ChainHash(hex: hex) else {
            throw ReplicationStopped(position: position, problem: "the primary sent an event without a 64-digit hex hash")
        }
        members["hash"] = nil
        return ReplicatedEvent(canonical: JSONValue.object(members).canonicalBytes, hash: hash)
    }

    /// The bytes of an evidence file a contract cites; `nil` only when the primary says an
    /// administrator erased them (`evidence-erased`). Any other answer is a failure: a file the
    /// primary should have and does not give is never taken for erased.
    public func evidence(contract: String, sha256: String) async throws -> [UInt8]? {
        do {
            return Array(try await get("/contracts/\(Self.pathSegment(contract))/evidence/\(sha256)", query: []))
        } catch let failure as PrimaryUnavailable where failure.problemKind == "evidence-erased" {
            return nil
        }
    }

    /// The primary's last signed checkpoint; `nil` when it signs none (404).
    public func checkpoint() async throws -> SignedCheckpoint? {
        let body: Data
        do {
            body = try await get("/checkpoint", query: [])
        } catch let failure as PrimaryUnavailable where failure.status == 404 {
            return nil
        }
        return try SignedCheckpoint(parsing: String(decoding: body, as: UTF8.self))
    }

    /// The consistency proof between two sizes of the primary's tree.
    public func consistencyProof(from: UInt64, to: UInt64) async throws -> [TreeHash] {
        let body = try await get("/proofs/consistency", query: [("from", String(from)), ("to", String(to))])
        guard case .object(let members) = try JSONValue(parsing: Array(body)), case .array(let hashes)? = members["proof"] else {
            throw PrimaryUnavailable(status: 200, reason: "a consistency proof without a proof array")
        }
        return try hashes.map { hash in
            guard case .string(let text) = hash, let tree = TreeHash(base64: text) else {
                throw PrimaryUnavailable(status: 200, reason: "a consistency proof whose hashes are not base64 SHA-256")
            }
            return tree
        }
    }

    func get(_ path: String, query: [(String, String)]) async throws -> Data {
        var components = URLComponents(url: url, resolvingAgainstBaseURL: false)!
        components.path = (components.path.hasSuffix("/") ? String(components.path.dropLast()) : components.path) + path
        if !query.isEmpty { components.queryItems = query.map { URLQueryItem(name: $0.0, value: $0.1) } }
        var request = URLRequest(url: components.url!, timeoutInterval: timeout)
        request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization")
        let data: Data
        let response: URLResponse
        do {
            (data, response) = try await Self.session.data(for: request)
        } catch {
            throw PrimaryUnavailable(status: 0, reason: "\(components.url!.absoluteString): \(error.localizedDescription)")
        }
        let status = (response as? HTTPURLResponse)?.statusCode ?? 0
        guard status == 200 else {
            throw PrimaryUnavailable(status: status, reason: Self.problemTitle(data) ?? "GET \(path)", problemKind: Self.problemKind(data))
        }
        return data
    }

    /// A session that follows no redirect: Foundation would send the token on to wherever a
    /// `Location` points, another host or plain HTTP included. A primary answers 3xx only when
    /// something in between is misconfigured, and that is said, not followed.
    static let session = URLSession(configuration: .ephemeral, delegate: RefuseRedirects(), delegateQueue: nil)

    /// The `detail` (or `title`) of an RFC 9457 problem answer.
    static func problemTitle(_ data: Data) -> String? {
        guard case .object(let members)? = try? JSONValue(parsing: Array(data)) else { return nil }
        if case .string(let detail)? = members["detail"] { return detail }
        if case .string(let title)? = members["title"] { return title }
        return nil
    }

    static func problemKind(_ data: Data) -> String? {
        guard case .object(let members)? = try? JSONValue(parsing: Array(data)), case .string(let kind)? = members["kind"] else { return nil }
        return kind
    }

    static func pathSegment(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(CharacterSet(charactersIn: "/"))) ?? text
    }
}

/// Answers every redirect with "do not follow": the 3xx itself is then the answer.
final class RefuseRedirects: NSObject, URLSessionTaskDelegate, Sendable {
    func urlSession(
        _ session: URLSession, task: URLSessionTask, willPerformHTTPRedirection response: HTTPURLResponse, newRequest request: URLRequest,
        completionHandler: @escaping @Sendable (URLRequest?) -> Void
    ) {
        completionHandler(nil)
    }
}
