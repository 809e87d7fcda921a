import Access
import Dispatch
import EventStore
import HTTPTypes
import Hummingbird
import LedgerValues
import Ledger
import SocialValue
import Synchronization

/// A finished answer, kept so that a retry with the same `Idempotency-Key` gets it again.
struct StoredAnswer: Sendable {
    let status: HTTPResponse.Status
    let headers: HTTPFields
    let body: [UInt8]

    init(_ response: (status: HTTPResponse.Status, headers: HTTPFields, body: [UInt8])) {
        status = response.status
        headers = response.headers
        body = response.body
    }

    init(_ problem: Problem) {
        var headers = problem.headers
        headers[.contentType] = "application/problem+json"
        self.init((problem.status, headers, problem.json.canonicalBytes))
    }

    func response(replayed: Bool = false) -> Response {
        var headers = headers
        if replayed { headers[HTTPField.Name("Idempotent-Replayed")!] = "true" }
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }
}

/// The first answer to each `Idempotency-Key`, per account, with a digest of the request it
/// answered. Held in memory, the most recent ``limit`` keys: a retry after a restart of the
/// server is decided again (see the README's Server section).
final class IdempotencyStore: Sendable {
    static let limit = 10_000

    private struct Entry {
        let request: String
        let answer: StoredAnswer
    }

    private struct Storage {
        var entries: [String: Entry] = [:]
        var order: [String] = []
    }

    private let storage = Mutex(Storage())

    func answer(key: String, request: String) throws(Problem) -> StoredAnswer? {
        guard let entry = storage.withLock({ $0.entries[key] }) else { return nil }
        guard entry.request == request else {
            throw Problem(
                .unprocessableContent, kind: "idempotency-key-reused", category: ErrorCategory.refused.rawValue,
                "this Idempotency-Key was used for a different request; use a new key for a new command")
        }
        return entry.answer
    }

    func remember(key: String, request: String, answer: StoredAnswer) {
        storage.withLock { storage in
            if storage.entries.updateValue(Entry(request: request, answer: answer), forKey: key) == nil { storage.order.append(key) }
            if storage.order.count > Self.limit {
                let dropped = storage.order.count - Self.limit
                for old in storage.order.prefix(dropped) { storage.entries[old] = nil }
                storage.order.removeFirst(dropped)
            }
        }
    }
}

/// The one writer: commands are decided and committed one after another, in arrival order,
/// on a thread of their own, and each request is answered only once its commit is durable.
final class CommandWriter: Sendable {
    private let queue = DispatchQueue(label: "svledger.writer")

    func run<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            queue.async { continuation.resume(returning: work()) }
        }
    }
}

extension LedgerServer {
    /// `POST /commands`: one command in the JSON form of `svledger apply` (Schemas/commands/),
    /// without `actor`: the actor and role recorded are the authenticated identity's, and a
    /// body that names an actor is refused (400 `actor-in-body`), never silently overridden.
    func command(_ request: Request, _ context: ServerContext) async throws -> Response {
        let identity = try permit(.command, context)
        if let type = request.headers[.contentType], !type.lowercased().hasPrefix("application/json") {
            throw Problem(.unsupportedMediaType, kind: "unsupported-media-type", category: "http", "send the command as application/json, not \(DisplayText.quoted(type))")
        }
        if let length = request.headers[.contentLength].flatMap({ Int($0) }), length > settings.bodyLimit {
            throw Problem(.contentTooLarge, kind: "body-too-large", category: "http", "the body is \(length) bytes; a command may be at most \(settings.bodyLimit)")
        }
        let key = try Self.idempotencyKey(request)
        let ifMatch = try Self.ifMatch(request)
        var request = request
        let buffer: ByteBuffer
        do {
            buffer = try await request.collectBody(upTo: settings.bodyLimit)
        } catch let error as HTTPError where error.status == .contentTooLarge {
            throw Problem(.contentTooLarge, kind: "body-too-large", category: "http", "a command may be at most \(settings.bodyLimit) bytes")
        }
        let bytes = Array(buffer.readableBytesView)
        let json = try Self.commandJSON(bytes, identity: identity)
        let today = today()
        let scopedKey = key.map { identity.account + "\u{0}" + $0 }
        let requestDigest = AccessToken.sha256(json.canonicalText + "\u{0}" + (ifMatch.map(String.init) ?? ""))
        let answer = await writer.run { () -> StoredAnswer in
            do {
                if let scopedKey, let first = try self.idempotency.answer(key: scopedKey, request: requestDigest) {
                    return StoredAnswer((first.status, first.headers.replacing(HTTPField.Name("Idempotent-Replayed")!, "true"), first.body))
                }
            } catch {
                return StoredAnswer(Problem.from(error))
            }
            let answer: StoredAnswer
            do {
                answer = StoredAnswer(try self.record(json, identity: identity, ifMatch: ifMatch, today: today))
            } catch {
                let problem = Problem.from(error)
                // A fault of the server's own is not an answer to keep: a retry tries again.
                if problem.status.code >= 500 { return StoredAnswer(problem) }
                answer = StoredAnswer(problem)
            }
            if let scopedKey { self.idempotency.remember(key: scopedKey, request: requestDigest, answer: answer) }
            return answer
        }
        if answer.status.code >= 500 { context.logger.error("command failed", metadata: ["status": .stringConvertible(answer.status.code)]) }
        return answer.response()
    }

    /// Decides and records one command on the writer's thread; only a committed command is answered 201.
    func record(_ json: JSONValue, identity: AccessState.Identity, ifMatch: UInt64?, today: CalendarDate) throws -> (status: HTTPResponse.Status, headers: HTTPFields, body: [UInt8]) {
        let command = try LedgerCommand.parse(json, today: today, builtin: BuiltinReference.document)
        var expected: [String: UInt64] = [:]
        var stream: String?
        switch command {
        case .contract(let contractCommand):
            stream = ContractEvent.stream(contract: contractCommand.contract)
            if identity.role == .supplier {
                switch contractCommand.action {
                case .reportDelivery, .correctDelivery: break
                default: throw Problem.forbidden("a Supplier records delivery returns and corrections only")
                }
                // An id that cannot be a contract's is left to the domain's own refusal (invalid-identifier).
                if (try? Self.existingReference(contractCommand.contract)) != nil, try !supplierOwns(contractCommand.contract, identity) {
                    throw Problem.contractNotFound(contractCommand.contract)
                }
            }
            if let ifMatch, let stream { expected[stream] = ifMatch }
        case .adoptPolicy, .publishCatalog:
            if identity.role == .supplier { throw Problem.forbidden("a Supplier records delivery returns and corrections only") }
            if ifMatch != nil { throw Problem.badRequest("if-match-unsupported", "If-Match applies to contract commands, whose stream version GET /contracts/{contract} gives as its ETag") }
        }
        let outcome = try ledger.execute([command], today: today, expectedVersions: expected)
        metrics.commit(commands: 1)
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        if let stream, let last = outcome.recorded.last(where: { $0.streamId == stream }) { headers[.eTag] = "\"\(last.streamVersion)\"" }
        let document: JSONValue = ["head": outcome.head.json, "events": .array(outcome.recorded.map(\.exportedEnvelope))]
        return (.created, headers, document.canonicalBytes)
    }

    /// The body as a command's JSON object, with the authenticated actor put in.
    static func commandJSON(_ bytes: [UInt8], identity: AccessState.Identity) throws -> JSONValue {
        guard !bytes.isEmpty else { throw PlainError(.input, kind: "empty-input", "the body is empty; send one command as a JSON object") }
        guard case .object(var members) = try JSONValue(parsing: bytes) else {
            throw PlainError(.input, kind: "invalid-json", "the body must be one command, a JSON object")
        }
        if members["actor"] != nil {
            throw Problem.badRequest(
                "actor-in-body",
                "leave out \"actor\": the actor and role recorded are those of the bearer token (\(identity.account), \(identity.role.rawValue))")
        }
        members["actor"] = ["id": .string(identity.account), "role": .string(identity.role.rawValue)]
        return .object(members)
    }

    /// `Idempotency-Key`: 1 to 200 printable ASCII characters.
    static func idempotencyKey(_ request: Request) throws(Problem) -> String? {
        guard let key = request.headers[HTTPField.Name("Idempotency-Key")!] else { return nil }
        guard (1...200).contains(key.utf8.count), key.utf8.allSatisfy({ (0x21...0x7E).contains($0) }) else {
            throw Problem.badRequest("invalid-idempotency-key", "Idempotency-Key is 1 to 200 printable ASCII characters without spaces")
        }
        return key
    }

    /// `If-Match: "VERSION"` (the ETag of `GET /contracts/{contract}`; 0 for a contract not yet registered).
    static func ifMatch(_ request: Request) throws(Problem) -> UInt64? {
        guard let text = request.headers[.ifMatch] else { return nil }
        var tag = Substring(text.trimmingCharacters(in: " \t"))
        if tag.hasPrefix("W/") { tag = tag.dropFirst(2) }
        if tag.hasPrefix("\""), tag.hasSuffix("\""), tag.count >= 2 { tag = tag.dropFirst().dropLast() }
        guard let version = UInt64(tag), tag.utf8.count <= 16 else {
            throw Problem.badRequest("invalid-if-match", "If-Match takes one ETag of GET /contracts/{contract}, such as \"7\", got \(DisplayText.quoted(text))")
        }
        return version
    }
}

extension HTTPFields {
    fileprivate func replacing(_ name: HTTPField.Name, _ value: String) -> HTTPFields {
        var copy = self
        copy[name] = value
        return copy
    }
}

extension String {
    fileprivate func trimmingCharacters(in set: String) -> String {
        var text = Substring(self)
        while let first = text.first, set.contains(first) { text = text.dropFirst() }
        while let last = text.last, set.contains(last) { text = text.dropLast() }
        return String(text)
    }
}
