import ICCore
import ICSpec
import ICMessaging

/// Message-execution properties on the call kinds the main workloads leave out.
///
/// Small guaranteed-response calls (the scalable-messaging proposal) are guaranteed-response calls
/// with a 1 kB payload and quotas, so the guaranteed-response promises (P3, P6, P7, P8, P10) must
/// carry over unchanged. Their workload is `MessageWorkloads.concurrent` with two small calls
/// per client, each with cycles that the server accepts or not, all within the quotas, so that
/// they are in flight together (quota refusals are the subject of the S5 and Q specs). Request
/// order (P3) is also checked on guaranteed calls.
enum PerKindSpecs {
    /// Two small calls per client: at scale 2 (the default), four in flight together.
    static let small: [CallKind] = [.smallGuaranteed, .smallGuaranteed]
    static let bounds = "Bounds (scale=1): client C0 sends two small guaranteed calls (payload 100 bytes, 0 cycles) to server C1 in one execution; quotas of two small messages out per canister and two in per callee, no shared pool; clock up to 1 s."
    static let quotas = "Quotas: as many small calls out per canister as a client makes, and as many in per client at the server, no shared pool."

    /// The scale-1 workload: two small calls from one client, within the quotas.
    static var configuration: SystemConfiguration {
        var configuration = MessageWorkloads.twoCalls(kind: .smallGuaranteed, faults: .adversarial)
        configuration.limits.smallQuotaOut = 2
        configuration.limits.smallQuotaIn = 2
        return configuration
    }

    /// Quotas that admit every call of the workload: each client's calls out, all of them in.
    @Sendable static func withinQuotas(_ configuration: inout SystemConfiguration, clients: Int) {
        configuration.limits.smallQuotaOut = small.count
        configuration.limits.smallQuotaIn = small.count * clients
    }

    static func entry(_ name: String, _ summary: String, _ claim: String, _ property: ICProperty) -> SpecCatalog.Entry {
        MessagePropertySpecs.scaledEntry(
            name: name, summary: summary, claim: claim, callKinds: [.smallGuaranteed], original: configuration, originalServer: 1,
            originalBounds: bounds, workload: small, bound: 2, sharedWorkload: "small guaranteed calls", note: quotas,
            adjust: withinQuotas
        ) { _ in [property] }
    }

    static let guaranteedPairBounds = "Bounds (scale=1): client C0 sends two guaranteed calls to server C1 in one execution; clock up to 1 s."
    static let oneBestEffortBounds = "Bounds (scale=1): client C1 sends one best-effort call (timeout 1 s) with 10 cycles to server C2 (C0 idle); the server accepts none or all and replies; clock up to 1 s."

    /// The mixed workload's claims (`MessagePropertySpecs.mixedClaims`) for one call kind at a
    /// time, at that kind's bound, each in its kind's joint search: two guaranteed calls per
    /// client at scale 2 (with P3-request-order-guaranteed, P8 and P10) and one best-effort call
    /// per client at scale 3 (with P9 and P11-best-effort-cycles-replica).
    static var mixedClaimsPerKind: [SpecCatalog.Entry] {
        MessagePropertySpecs.mixedClaims.flatMap { claim in
            [
                MessagePropertySpecs.scaledEntry(
                    name: "\(claim.name)-guaranteed", summary: "\(claim.summary) (Guaranteed-response calls.)",
                    claim: "\(claim.claim) Checked here on guaranteed-response calls alone (both kinds at once: \(claim.name)).",
                    callKinds: [.guaranteed], original: MessageWorkloads.twoCalls(kind: .guaranteed, faults: .adversarial), originalServer: 1,
                    originalBounds: guaranteedPairBounds, workload: MessagePropertySpecs.guaranteedPair, bound: 2,
                    sharedWorkload: MessagePropertySpecs.guaranteedWorkload, properties: claim.properties),
                MessagePropertySpecs.scaledEntry(
                    name: "\(claim.name)-best-effort", summary: "\(claim.summary) (Best-effort calls.)",
                    claim: "\(claim.claim) Checked here on best-effort calls alone (both kinds at once: \(claim.name)).",
                    callKinds: [.bestEffort], original: MessageWorkloads.mixed(kinds: [.bestEffort]), originalServer: 2,
                    originalBounds: oneBestEffortBounds, workload: [.bestEffort], bound: 3, sharedWorkload: "one best-effort call",
                    largeSharedWorkload: "best-effort calls, \(CycleRefunds.replica) refunds", properties: claim.properties),
            ]
        }
    }

    static var entries: [SpecCatalog.Entry] {
        [
            MessagePropertySpecs.scaledEntry(
                name: "P3-request-order-guaranteed", summary: "Guaranteed calls keep per-pair request order.",
                claim: "Claim (P3) for guaranteed-response calls: requests from one canister to another start in send order.",
                callKinds: [.guaranteed], original: MessageWorkloads.twoCalls(kind: .guaranteed, faults: .adversarial), originalServer: 1,
                originalBounds: guaranteedPairBounds, workload: MessagePropertySpecs.guaranteedPair, bound: 2,
                sharedWorkload: MessagePropertySpecs.guaranteedWorkload
            ) { _ in [ICProperties.p3RequestOrder] },
            entry("P3-request-order-small", "Small guaranteed calls keep per-pair request order.",
                  "Claim (P3) for small guaranteed calls: requests from one canister to another start in send order.",
                  ICProperties.p3RequestOrder),
            entry("P6-at-most-once-small", "A small guaranteed request is never executed twice.",
                  "Claim (P6) for small guaranteed calls: at most one call context per request.",
                  ICProperties.p6AtMostOnceExecution),
            entry("P7-single-response-small", "A small guaranteed call gets at most one response.",
                  "Claim (P7) for small guaranteed calls: the callback runs at most once.",
                  ICProperties.p7SingleResponse),
            entry("P8-guaranteed-response-small", "Small guaranteed calls: the callee's own response, never SYS_UNKNOWN.",
                  "Claim (P8) for small guaranteed calls: if the callee responded, the caller sees that response; a reject is never SYS_UNKNOWN.",
                  ICProperties.p8GuaranteedResponse),
            entry("P10-cycles-conserved-small", "Small guaranteed calls: accepted plus refunded equals attached.",
                  "Claim (P10) for small guaranteed calls: once the caller has its response, accepted + refunded = attached.",
                  ICProperties.p10GuaranteedCycles),
        ]
    }
}
