/// What a command leaves for the end of the process to reclaim, instead of freeing it.
///
/// A read of the whole portfolio holds millions of small objects (every contract's projections
/// and figures). Freeing them one by one when the command is done took a third of a second of
/// `report cabinet` at 1M events, just before the process ended and the system took the memory
/// back whole. Only for what a command holds until it ends: the server never calls this.
enum LeftToExit {
    static func keep<Value>(_ value: Value) {
        _ = Unmanaged.passRetained(Kept(value))
    }

    private final class Kept<Value> {
        let value: Value
        init(_ value: Value) { self.value = value }
    }
}
