import HTTPTypes

/// The server's own problem kinds, beside the error contract's (which keep their category's
/// status, ``Problem/status(_:kind:)``): each with its status and category, declared once.
/// docs/errors.md lists them, and a test holds the two together.
public enum ServerKind: String, CaseIterable, Sendable {
    case authenticationRequired = "authentication-required"
    case invalidAuthorization = "invalid-authorization"
    case forbiddenForRole = "forbidden-for-role"
    case noSuchRoute = "no-such-route"
    case methodNotAllowed = "method-not-allowed"
    case bodyTooLarge = "body-too-large"
    case notAcceptable = "not-acceptable"
    case unsupportedMediaType = "unsupported-media-type"
    case missingParameter = "missing-parameter"
    case unknownParameter = "unknown-parameter"
    case invalidQuery = "invalid-query"
    case invalidPath = "invalid-path"
    case invalidStreamId = "invalid-stream-id"
    case invalidIfMatch = "invalid-if-match"
    case invalidIdempotencyKey = "invalid-idempotency-key"
    case actorInBody = "actor-in-body"
    case conflictingParameters = "conflicting-parameters"
    case ifMatchUnsupported = "if-match-unsupported"
    case idempotencyKeyReused = "idempotency-key-reused"
    case expectedHeadMismatch = "expected-head-mismatch"
    case malformedRequest = "malformed-request"
    case malformedBody = "malformed-body"
    case unsupportedTransferEncoding = "unsupported-transfer-encoding"
    case busy
    case readOnlyFollower = "read-only-follower"
    case clientClosed = "client-closed"

    public var status: HTTPResponse.Status {
        switch self {
        case .authenticationRequired, .invalidAuthorization: .unauthorized
        case .forbiddenForRole: .forbidden
        case .noSuchRoute: .notFound
        case .methodNotAllowed: .methodNotAllowed
        case .bodyTooLarge: .contentTooLarge
        case .notAcceptable: .notAcceptable
        case .unsupportedMediaType: .unsupportedMediaType
        case .missingParameter, .unknownParameter, .invalidQuery, .invalidPath, .invalidStreamId, .invalidIfMatch, .invalidIdempotencyKey, .actorInBody,
            .malformedRequest, .malformedBody, .unsupportedTransferEncoding:
            .badRequest
        case .conflictingParameters, .ifMatchUnsupported, .idempotencyKeyReused, .expectedHeadMismatch: .unprocessableContent
        case .busy, .readOnlyFollower: .serviceUnavailable
        case .clientClosed: HTTPResponse.Status(code: 499, reasonPhrase: "Client Closed Request")
        }
    }

    /// The category the problem states: the error contract's (`usage`, `input`, `refused`) or
    /// the server's own (`access`, `http`).
    public var category: String {
        switch self {
        case .authenticationRequired, .invalidAuthorization, .forbiddenForRole: "access"
        case .noSuchRoute, .methodNotAllowed, .bodyTooLarge, .notAcceptable, .unsupportedMediaType, .malformedRequest, .malformedBody,
            .unsupportedTransferEncoding, .busy, .readOnlyFollower, .clientClosed:
            "http"
        case .missingParameter, .unknownParameter, .invalidQuery, .invalidPath, .invalidStreamId, .invalidIfMatch, .invalidIdempotencyKey, .actorInBody:
            "usage"
        case .conflictingParameters, .ifMatchUnsupported: "input"
        case .idempotencyKeyReused, .expectedHeadMismatch: "refused"
        }
    }
}

extension Problem {
    /// A problem of one of the server's own kinds, with the status and category it declares.
    init(_ kind: ServerKind, _ detail: String, headers: HTTPFields = [:]) {
        self.init(kind.status, kind: kind.rawValue, category: kind.category, detail, headers: headers)
    }
}
