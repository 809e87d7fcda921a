import SocialValue

/// An organisation a release names: the buyer (the council), its department that runs the
/// procurement, a tenderer or the supplier. Its OCDS id is
/// made from its name, so that every release names the same organisation the same way and
/// the merge folds them into one party.
struct OCDSParty {
    let id: String
    let name: String
    let roles: [String]
    /// Its registered identifiers and address, when the ledger holds them.
    var details: OrganisationDetails?

    static func buyer(_ name: String, details: OrganisationDetails? = nil) -> OCDSParty {
        OCDSParty(id: "buyer-" + OCDSIdentifier.slug(name), name: name, roles: ["buyer"], details: details)
    }

    static func organisation(_ name: String, roles: [String], details: OrganisationDetails? = nil) -> OCDSParty {
        OCDSParty(id: "org-" + OCDSIdentifier.slug(name), name: name, roles: roles, details: details)
    }

    /// `parties[]` entry: the first identifier as `identifier`, the rest as
    /// `additionalIdentifiers`, and the address.
    var party: OCDSValue {
        let identifiers = (details?.identifiers ?? []).map { OCDSValue.object(("scheme", .string($0.scheme)), ("id", .string($0.id))) }
        let address = details?.address.map { address in OCDSValue.object(members: address.fields.map { ($0.key, $0.value.map(OCDSValue.string)) }) }
        return .object(
            ("id", .string(id)), ("name", .string(name)), ("identifier", identifiers.first),
            ("additionalIdentifiers", identifiers.count > 1 ? .array(Array(identifiers.dropFirst())) : nil),
            ("address", address), ("roles", .array(roles.map(OCDSValue.string))))
    }

    /// `OrganizationReference`, as `buyer`, `suppliers[]` and `tenderers[]` take it.
    var reference: OCDSValue { .object(("id", .string(id)), ("name", .string(name))) }
}

enum OCDSIdentifier {
    /// Lower-case ASCII letters and digits, every other run of characters one hyphen:
    /// "North Roads Ltd" → "north-roads-ltd". Never empty.
    static func slug(_ text: String) -> String {
        var slug = ""
        var pendingHyphen = false
        for character in text.lowercased() {
            if character.isASCII, character.isLetter || character.isNumber {
                if pendingHyphen, !slug.isEmpty { slug.append("-") }
                pendingHyphen = false
                slug.append(character)
            } else {
                pendingHyphen = true
            }
        }
        return slug.isEmpty ? "unnamed" : slug
    }
}
