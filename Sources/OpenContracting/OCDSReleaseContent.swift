/// The sections one event fills in a release, before the release's own fields are added.
/// Each event writes only what it says: the merge of a contract's releases builds the whole.
struct OCDSReleaseContent {
    var parties: [OCDSParty] = []
    var buyer: OCDSValue?
    var planning: OCDSValue?
    var tender: OCDSValue?
    var awards: [OCDSValue] = []
    var contracts: [OCDSValue] = []
    /// The processes this one is related to: a call-off's framework.
    var relatedProcesses: [OCDSValue] = []
}

/// The release tag each contract event takes (docs/open-contracting.md): the stage of the
/// contracting process the event belongs to.
enum OCDSReleaseTag {
    static func tag(forEventType type: String) -> String? {
        switch type {
        case "ContractRegistered", "ThresholdAssessed", "ExemptionRequested", "ExemptionDecided": "planning"
        case "WeightingDecided", "BidsEvaluated": "tender"
        case "ContractAwarded": "award"
        case "AwardCorrected": "awardUpdate"
        case "PledgeRecorded": "contract"
        // The releaseTag codelist's own words for what follows: an amendment to the contract's
        // commitments, its ending, and an update to a return already published.
        case "CommitmentsRefreshed": "contractAmendment"
        case "ContractClosed": "contractTermination"
        case "DeliveryReported": "implementation"
        case "DeliveryCorrected": "implementationUpdate"
        // The Procurement Act's KPIs: the contract details notice (UK7) carries them, the
        // contract performance notice (UK9) each assessment.
        case "KPIsAgreed": "contract"
        case "KPIAssessed": "implementation"
        default: nil
        }
    }
}
