/// Which fields of a release the import maps, and the walk that reports every other one.
///
/// Paths are normalized: an array index becomes `[]`, except for `lots`, `awards` and
/// `contracts`, where only the first element maps to a svledger contract (`[0]`) and any
/// further one is reported whole, since svledger has one lot, one award and one contract.
enum OCDSFieldCoverage {
    /// Fields read into commands; their whole subtree is taken.
    static let mapped: Set<String> = [
        "ocid", "id", "date", "tag", "initiationType", "language", "planning.rationale", "relatedProcesses",
        "buyer",
        "parties[].id", "parties[].name", "parties[].roles", "parties[].identifier", "parties[].additionalIdentifiers", "parties[].address",
        "tender.id", "tender.title", "tender.mainProcurementCategory", "tender.value", "tender.contractPeriod",
        "tender.deliveryAddresses", "tender.deliveryLocations", "tender.items[].deliveryAddresses", "tender.items[].deliveryLocations", "tender.status",
        "tender.lots[0].id", "tender.lots[0].awardCriteria.criteria[]",
        "awards[0].id", "awards[0].date", "awards[0].value", "awards[0].suppliers", "awards[0].status",
        "contracts[0].id", "contracts[0].awardID", "contracts[0].period", "contracts[0].value", "contracts[0].status",
        "contracts[0].agreedMetrics[].id", "contracts[0].agreedMetrics[].title", "contracts[0].agreedMetrics[].description",
        "contracts[0].agreedMetrics[].observations[].id", "contracts[0].agreedMetrics[].observations[].measure",
        "contracts[0].agreedMetrics[].observations[].unit", "contracts[0].agreedMetrics[].observations[].value",
        "contracts[0].agreedMetrics[].observations[].notes",
        "contracts[0].implementation.metrics[].id", "contracts[0].implementation.metrics[].title",
        "contracts[0].implementation.metrics[].description",
        "contracts[0].implementation.metrics[].observations[].id", "contracts[0].implementation.metrics[].observations[].period",
        "contracts[0].implementation.metrics[].observations[].measure", "contracts[0].implementation.metrics[].observations[].unit",
        "contracts[0].implementation.metrics[].observations[].value", "contracts[0].implementation.metrics[].observations[].notes",
    ]

    /// Fields svledger works out by its own rules from what it maps, so the published ones are
    /// not taken: the threshold assessment (from the policy), the weighting's description, and a
    /// published KPI rating (svledger records no KPIs, and rates delivery by its reconciliation).
    static let recomputed: Set<String> = [
        "tender.sustainability", "tender.hasSustainability", "tender.lots[0].awardCriteria.weightingDescription",
        "contracts[0].implementation.metrics[].observations[].measureClassification",
        // An early termination: svledger knows it from the day closed against the term's end.
        "contracts[0].terminationRationaleClassifications",
    ]

    static let singleElementArrays: Set<String> = ["lots", "awards", "contracts"]

    /// Containers on the way to a mapped or recomputed field.
    static let containers: Set<String> = {
        var result = Set<String>()
        for path in mapped.union(recomputed) {
            var prefix = ""
            for part in path.split(separator: ".").dropLast() {
                prefix += (prefix.isEmpty ? "" : ".") + part
                result.insert(prefix)
            }
        }
        return result
    }()

    /// Every field of `release` the import neither maps nor recomputes, and every recomputed
    /// one, each with its path in the file and its normalized path.
    static func unmapped(_ release: OCDSValue, at path: String) -> [(kind: OCDSImportFinding.Kind, path: String, normalized: String)] {
        var found: [(OCDSImportFinding.Kind, String, String)] = []
        walk(release, path: path, normalized: "", into: &found)
        return found.map { (kind: $0.0, path: $0.1, normalized: $0.2) }
    }

    private static func walk(
        _ value: OCDSValue, path: String, normalized: String, into found: inout [(OCDSImportFinding.Kind, String, String)]
    ) {
        switch value {
        case .object(let members):
            for member in members {
                let childNormalized = normalized.isEmpty ? member.key : "\(normalized).\(member.key)"
                visit(member.value, path: "\(path).\(member.key)", normalized: childNormalized, key: member.key, into: &found)
            }
        default:
            break
        }
    }

    private static func visit(
        _ value: OCDSValue, path: String, normalized: String, key: String, into found: inout [(OCDSImportFinding.Kind, String, String)]
    ) {
        if mapped.contains(normalized) {
            if normalized.hasSuffix("awardCriteria.criteria[]"), !OCDSWeighting.isSocialValue(value) {
                found.append((.notMapped, path, normalized + " (not the social value criterion)"))
            }
            return
        }
        if recomputed.contains(normalized) {
            found.append((.recomputed, path, normalized))
            return
        }
        if case .array(let elements) = value {
            let known = mapped.union(containers)
            guard known.contains(normalized + "[]") || known.contains(normalized + "[0]") else {
                found.append((.notMapped, path, normalized))
                return
            }
            for (index, element) in elements.enumerated() {
                let single = singleElementArrays.contains(key)
                let elementNormalized = normalized + (single ? "[\(index)]" : "[]")
                if single, index > 0 {
                    found.append((.notMapped, "\(path)[\(index)]", "\(normalized)[\(index)]"))
                    continue
                }
                if mapped.contains(elementNormalized) {
                    if elementNormalized.hasSuffix("awardCriteria.criteria[]"), !OCDSWeighting.isSocialValue(element) {
                        found.append((.notMapped, "\(path)[\(index)]", elementNormalized + " (not the social value criterion)"))
                    }
                    continue
                }
                walk(element, path: "\(path)[\(index)]", normalized: elementNormalized, into: &found)
            }
            return
        }
        if containers.contains(normalized), value.members != nil {
            walk(value, path: path, normalized: normalized, into: &found)
            return
        }
        found.append((.notMapped, path, normalized))
    }
}
