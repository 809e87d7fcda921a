import LedgerValues
import SocialValue

/// `svledger policy list --format json` (Schemas/read/policy-list.schema.json): the adopted
/// policy versions, oldest first per policy, and the names of the shipped ones.
public enum PolicyListDocument {
    public static func json(adopted: [Policy], shipped: [String], head: LedgerHead) -> JSONValue {
        [
            "head": head.json,
            "adopted": .array(adopted.map { p in
                ["policyId": .string(p.id), "version": .string(p.version), "effectiveDate": .string(p.effectiveDate.description), "title": .string(p.title), "council": .string(p.council)]
            }),
            "shipped": .array(shipped.map { .string($0) }),
        ]
    }
}

/// `svledger catalog list --format json` (Schemas/read/catalog-list.schema.json).
public enum CatalogListDocument {
    public static func json(published: [Catalog], shipped: [String], head: LedgerHead) -> JSONValue {
        [
            "head": head.json,
            "published": .array(published.map { c in
                ["catalogId": .string(c.id), "version": .string(c.version), "effectiveDate": .string(c.effectiveDate.description), "title": .string(c.title), "measureCount": ReadJSON.integer(c.measures.count)]
            }),
            "shipped": .array(shipped.map { .string($0) }),
        ]
    }
}
