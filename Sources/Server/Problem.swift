import Foundation
import Hummingbird
import Ledger
import LedgerValues
import SocialValue

/// An error answer in RFC 9457's `application/problem+json`: `type` (a URI naming the kind),
/// `title`, `status`, `detail`, and two members of svledger's error contract (docs/errors.md),
/// `kind` (the stable kebab-case name, a rule's name for a refusal) and `category`.
public struct Problem: HTTPResponseError, Sendable, CustomStringConvertible {
    public let status: HTTPResponse.Status
    public let kind: String
    /// The error contract's category (`refused`, `input`, …), or the server's own (`access`, `http`).
    public let category: String
    public let detail: String
    public var headers: HTTPFields
    /// The input fields it concerns, as JSON pointers into the request body: the error's own
    /// structure (an input error's path, the fields a refusal's wording names), never read
    /// out of its text.
    public var fields: [String] = []

    public init(_ status: HTTPResponse.Status, kind: String, category: String, _ detail: String, headers: HTTPFields = [:]) {
        self.status = status
        self.kind = kind
        self.category = category
        self.detail = detail
        self.headers = headers
    }

    public var description: String { "\(status.code) \(kind): \(detail)" }

    /// The same problem, said of this case.
    func with(detail: String) -> Problem { Problem(status, kind: kind, category: category, detail, headers: headers) }

    public static let typeBase = "https://svledger.example/problems/"

    /// 401: no token, or one that does not hold (unknown, revoked, expired, its role revoked).
    static func unauthenticated(_ detail: String, kind: String = "authentication-required") -> Problem {
        var headers = HTTPFields()
        headers[.wwwAuthenticate] = kind == "authentication-required" ? "Bearer realm=\"svledger\"" : "Bearer realm=\"svledger\", error=\"invalid_token\""
        return Problem(.unauthorized, kind: kind, category: "access", detail, headers: headers)
    }

    /// 403: the role may not do this at all (a supplier is told 404 for another's contract instead).
    static func forbidden(_ detail: String) -> Problem { Problem(.forbiddenForRole, detail) }

    /// 404 for a contract a supplier may not see, worded as for one that does not exist.
    static func contractNotFound(_ reference: String) -> Problem {
        Problem(.notFound, kind: "contract-not-found", category: ErrorCategory.notFound.rawValue, "no contract \(DisplayText.excerpt(reference))")
    }

    /// The problem an error thrown while answering stands for. Nothing a client sends is
    /// answered 5xx: input, refusals, conflicts and missing things are 4xx; only the ledger's
    /// own failures (integrity, storage) and faults in svledger are 5xx.
    public static func from(_ error: any Error) -> Problem {
        switch error {
        case let problem as Problem:
            return problem
        case let error as any CategorizedError:
            var problem = Problem(status(error.category, kind: error.kind), kind: error.kind, category: error.category.rawValue, error.description)
            problem.fields = fieldPaths(of: error).map(pointer)
            return problem
        case let error as HTTPError:
            switch error.status {
            case .contentTooLarge:
                return Problem(.bodyTooLarge, "the request body is larger than the server accepts")
            case .notFound:
                return Problem(.noSuchRoute, "no such route (the README's Server section lists them)")
            default:
                return Problem(error.status, kind: "http-\(error.status.code)", category: "http", error.body ?? error.status.reasonPhrase)
            }
        default:
            return Problem(.internalServerError, kind: "internal", category: ErrorCategory.internal.rawValue, "an internal error; it is logged")
        }
    }

    /// The status of an error of the contract's `category`: bytes that do not read (malformed
    /// JSON, not UTF-8, empty) are 400; well-formed input with a wrong value is 422, as is a
    /// refusal by a rule.
    public static func status(_ category: ErrorCategory, kind: String) -> HTTPResponse.Status {
        switch category {
        case .input: ["invalid-json", "not-utf8", "empty-input", "input-too-long"].contains(kind) ? .badRequest : .unprocessableContent
        case .usage: .badRequest
        case .refused: .unprocessableContent
        case .notFound: .notFound
        case .conflict: .conflict
        case .storage: kind == "storage-full" ? HTTPResponse.Status(code: 507, reasonPhrase: "Insufficient Storage") : .serviceUnavailable
        case .integrity, .internal: .internalServerError
        }
    }

    var title: String {
        switch (status.code, category) {
        case (401, _): "Authentication required"
        case (403, _): "Forbidden for this role"
        case (_, "refused"): "Refused by a rule"
        case (_, "input"): "Invalid input"
        case (_, "usage"): "Invalid request"
        case (_, "notFound"): "Not found"
        case (_, "conflict"): "Conflict"
        default: status.reasonPhrase
        }
    }

    public var json: JSONValue {
        var members: JSONObject = [
            "type": .string(Self.typeBase + kind), "title": .string(title), "status": .integer(Int64(status.code)),
            "detail": .string(detail), "kind": .string(kind), "category": .string(category),
        ]
        if !fields.isEmpty { members["fields"] = .array(fields.map(JSONValue.string)) }
        return .object(members)
    }

    /// The JSON paths an error names as fields, in order, each once.
    static func fieldPaths(of error: any Error) -> [String] {
        let paths: [String]
        switch error {
        case let input as InputError: paths = (input.path.isEmpty ? [] : [input.path]) + input.wording.fields
        case let refusal as DomainError: paths = refusal.wording.fields
        case let failure as CommandFailure: paths = failure.error.wording.fields
        default: paths = []
        }
        var seen = Set<String>()
        return paths.filter { seen.insert($0).inserted }
    }

    /// `lines[0].quantity` as the JSON pointer `/lines/0/quantity` (RFC 6901: `~` and `/` escaped).
    static func pointer(_ path: String) -> String {
        var tokens: [String] = []
        var current = ""
        for character in path {
            switch character {
            case ".", "[":
                if !current.isEmpty { tokens.append(current) }
                current = ""
            case "]":
                tokens.append(current)
                current = ""
            default:
                current.append(character)
            }
        }
        if !current.isEmpty { tokens.append(current) }
        return tokens.map { "/" + $0.replacingOccurrences(of: "~", with: "~0").replacingOccurrences(of: "/", with: "~1") }.joined()
    }

    /// As Hummingbird's `HTTPResponseError`: the problem+json answer.
    public func response(from request: Request, context: some RequestContext) throws -> Response { response() }

    public func response() -> Response {
        var headers = headers
        headers[.contentType] = "application/problem+json"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: json.canonicalBytes)))
    }
}
