/// Who performed an action, and in which role (e.g. "Head of Procurement").
public struct ActorIdentity: Hashable, Sendable {
    public let id: String
    public let role: String
    public init(id: String, role: String) {
        self.id = id
        self.role = role
    }
}
