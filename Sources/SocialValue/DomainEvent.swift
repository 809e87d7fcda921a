import LedgerValues

/// An event the domain decided on: its type and payload, before the store gives it an
/// envelope.
public struct DomainEvent: Sendable, Equatable {
    public let type: String
    public let payload: JSONValue

    public init(type: String, payload: JSONValue) {
        self.type = type
        self.payload = payload
    }
}
