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
    /// The contracts remembered at once. A contract not remembered costs one replay of its
    /// stream when next decided (about a millisecond for a hundred events), which under a
    /// server's load is most of a command's cost: at 1,000,000 events and 10,000 contracts
    /// written to in turn, a bound of 256 held a server to 867 commands/s. A state holds every
    /// return the contract has had (some kilobytes), and a server already holds every
    /// contract's projection (``LiveFold``), so this bound is a council's whole portfolio;
    /// past it, the least recently used goes.
    static let contractLimit = 16_384

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

    /// The state of `contract` folded through `tip`, handed over: it leaves the cache, so that
    /// the command deciding on it evolves the only copy in place instead of copying every
    /// return and figure the contract holds (Swift's copy on write). The caller gives it back
    /// with ``remember(contract:state:tip:)``: evolved once committed, or as it was if the
    /// command is refused.
    func takeContract(_ contract: String, at tip: StreamTip) -> ContractState? {
        storage.withLock { storage in
            guard let entry = storage.contracts.value(contract), entry.tip == tip else { return nil }
            storage.contracts.remove(contract)
            return entry.state
        }
    }

    func remember(contract: String, state: ContractState, tip: StreamTip) {
        _ = storage.withLock { storage in
            storage.contracts.insert((tip, state), for: contract)
        }
    }
}
