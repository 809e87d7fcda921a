import LedgerValues
import SocialValue
import Testing

/// A supplier's or buyer's registered identifiers and address: read from a command, checked,
/// and written into the event only when given, so that every earlier event keeps its bytes.
@Suite("Organisation identifiers and addresses")
struct OrganisationDetailsTests {
    static let today = CalendarDate("2026-01-01")!

    static func award(_ details: String?) throws -> ContractAction {
        let extra = details.map { #", "supplierDetails": \#($0)"# } ?? ""
        let text = #"{"command": "contract.award", "actor": {"id": "a", "role": "r"}, "contract": "C-1", "supplier": "North Roads Ltd", "valueGBP": "100"\#(extra)}"#
        guard case .contract(let command) = try LedgerCommand.parse(try JSONValue(parsing: text), today: today) else { throw InputError(path: "", problem: "not a contract command") }
        return command.action
    }

    @Test("identifiers and an address are read as given, the first identifier the main one")
    func read() throws {
        let action = try Self.award(#"{"identifiers": [{"scheme": "GB-COH", "id": "01234567"}, {"scheme": "GB-PPON", "id": "PDQR-1234-ABCD"}], "address": {"locality": "Preston", "postalCode": "PR1 8XJ"}}"#)
        guard case .award(_, _, _, let details) = action else { Issue.record("not an award"); return }
        #expect(details?.identifiers == [.init(scheme: "GB-COH", id: "01234567"), .init(scheme: "GB-PPON", id: "PDQR-1234-ABCD")])
        #expect(details?.address == .init(locality: "Preston", postalCode: "PR1 8XJ"))
        guard case .award(_, _, _, let none) = try Self.award(nil) else { Issue.record("not an award"); return }
        #expect(none == nil)
    }

    @Test("a scheme that is not an org-id.guide code, an id with a space, a blank address line and empty details are refused, by path", arguments: [
        (#"{"identifiers": [{"scheme": "gb-coh", "id": "1"}]}"#, "supplierDetails.identifiers[0].scheme"),
        (#"{"identifiers": [{"scheme": "Companies House", "id": "1"}]}"#, "supplierDetails.identifiers[0].scheme"),
        (#"{"identifiers": [{"scheme": "GB-COH", "id": "0123 4567"}]}"#, "supplierDetails.identifiers[0].id"),
        (#"{"address": {"locality": "  "}}"#, "supplierDetails.address.locality"),
        (#"{"address": {"town": "Preston"}}"#, "supplierDetails.address"),
        (#"{}"#, "supplierDetails.identifiers"),
    ])
    func refused(_ details: String, _ path: String) throws {
        do {
            _ = try Self.award(details)
            Issue.record("\(details) was read")
        } catch let error as InputError {
            #expect(error.path.hasPrefix(path), "\(error)")
        }
    }
}
