import EventStore
import LedgerValues
import Projections
import SocialValue
import Synchronization

/// What a long-lived process remembers between commands, so that deciding one command does
/// not replay the contract's whole stream and every policy and catalog each time.
///
/// Each entry carries the tip (last version and its position) of the streams it was folded
/// from, and is used only while the ledger, read in the command's own snapshot, still ends
/// there. Another writer (another process, a restored copy) therefore causes a replay, never
/// a decision on stale state. Entries are added only for state that is committed.
final class DecisionCache: Sendable {
    /// The contracts being worked on at any one time. A contract's state holds every return
    /// it has had (tens of kilobytes after a few years), and a contract not remembered costs one
    /// replay of its stream, so the bound is kept modest. Past it, the least recently used goes.
    static let contractLimit = 256

    private struct Storage {
        var reference: (tips: [String: StreamTip], data: ReferenceData)?
        var contracts = RecentlyUsed<String, (tip: StreamTip, state: ContractState)>(limit: DecisionCache.contractLimit)
    }

    private let storage = Mutex(Storage())

    /// The reference data folded from streams ending at exactly `tips`, if remembered.
    func reference(matching tips: [String: StreamTip]) -> ReferenceData? {
        storage.withLock { $0.reference?.tips == tips ? $0.reference?.data : nil }
    }

    func remember(reference data: ReferenceData, tips: [String: StreamTip]) {
        storage.withLock { $0.reference = (tips, data) }
    }

    /// The state of `contract` folded through `tip`, if remembered.
    func contract(_ contract: String, at tip: StreamTip) -> ContractState? {
        storage.withLock { storage in
            guard let entry = storage.contracts.value(contract), entry.tip == tip else { return nil }
            return entry.state
        }
    }

    func remember(contract: String, state: ContractState, tip: StreamTip) {
        _ = storage.withLock { storage in
            storage.contracts.insert((tip, state), for: contract)
        }
    }
}
