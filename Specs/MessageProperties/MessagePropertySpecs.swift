import ICCore
import ICSpec
import ICMessaging

/// One spec per message-execution property P1-P11, each on a workload that exercises it.
///
/// The claims that hold have a `scale` parameter. Scale 1 runs the library's original small
/// workload. Scale 2 runs `MessageWorkloads.concurrent(clients: 2, …)`: three canisters, every
/// client with its calls of the kinds the spec covers in flight at once (at least two concurrent
/// calls of each kind), with the clients declared a symmetry group and symmetry reduction on
/// (plus invisible steps where no property observes context removal); `icmc check NAME --param
/// scale=2 --unreduced` searches the plain space. Scale 3 runs `concurrent(clients: 3, …)` the
/// same way: four canisters.
///
/// The default scale is the spec's bound (`bound`): the smallest scale whose state space has at
/// least a million distinct states (unreduced; `MessagePropertyFigures`), where its reduced
/// search fits `icmc verify`'s time: scale 2 for the claims about both kinds at once (a
/// guaranteed and a best-effort call per client; their claims are also checked per kind,
/// `PerKindSpecs.mixedClaimsPerKind`) and for the guaranteed and small-call claims, scale 3
/// for P9 and P11 (one best-effort call per client). Best-effort request order (P3) at scale 2
/// has C0 make two best-effort calls and the other client one (`othersMakeFirstCallOnly`:
/// with two calls per client the reduced search is 7.7 million states). At its
/// bound a spec must explore at least the reduced count measured there (`Spec.minimumStates`;
/// `--faults` or other reductions drop that floor). The debug-build tests check scale 1
/// (`SpecCatalog.builtInSmall`). Partial-order reduction (`--por`) applies where the properties
/// declare their reads and their monitors their visible steps (all of them; P11's global
/// conservation reads the cycle totals); a step of a clock-free canister is reduced before the
/// clock reaches its bound too (docs/architecture.md, "Partial-order reduction").
public enum MessagePropertySpecs {
    static let environment = "Environment: every fault on (FaultSwitches.adversarial: spontaneous rejects, best-effort drops, early expiry, injected traps, synchronous call failures, stop timeouts)."
    static let mixedBounds = "Bounds (scale=1): clients C0, C1 and server C2; C0 sends one guaranteed call, C1 one best-effort call (timeout 1 s), each with 10 cycles; the server accepts none or all and replies; clock up to 1 s."

    /// The size parameter of the claims that hold: 1 the original workload, 2 and 3 the
    /// concurrent ones; the default is the spec's bound.
    static func scale(default bound: Int) -> SpecParameter {
        SpecParameter(
            "scale", summary: "1: the original workload; 2: three canisters, two or more concurrent calls of each kind; 3: four canisters", range: 1 ... 3,
            default: bound)
    }

    /// The bounds sentence of the concurrent workload at `clients` clients making `kinds` (with
    /// `othersMakeFirstCallOnly`, all but C0 make only the first).
    static func bounds(clients: Int, kinds: [CallKind], acceptance: Bool = true, othersMakeFirstCallOnly: Bool = false) -> String {
        let names = (0 ..< clients).map { "C\($0)" }.joined(separator: ", ")
        func words(_ kind: CallKind) -> String {
            switch kind {
            case .guaranteed: "guaranteed"
            case .smallGuaranteed: "small guaranteed"
            case .bestEffort: "best-effort"
            }
        }
        let calls = kinds.map { "a \(words($0)) call\($0 == .bestEffort ? " (timeout 1 s)" : $0 == .smallGuaranteed ? " (payload 100 bytes)" : "") with 10 cycles" }
        let othersCalls = othersMakeFirstCallOnly ? Array(kinds.prefix(1)) : kinds
        let made = kinds + Array(repeating: othersCalls, count: clients - 1).joined()
        let inFlight = CallKind.allCases.filter(kinds.contains).map { kind in "\(made.count { $0 == kind }) \(words(kind))" }
        let server = acceptance ? "the server accepts none or all of the cycles (a choice) and replies" : "the server accepts all cycles and replies"
        let who = othersMakeFirstCallOnly
            ? "C0 makes, in one execution, \(calls.joined(separator: " and ")), and each other client the first of them, so \(inFlight.joined(separator: " and ")) calls are in flight together, \(kinds.count) of them between C0 and the server"
            : "each client makes, in one execution, \(calls.joined(separator: " and ")), so \(inFlight.joined(separator: " and ")) calls are in flight together"
        return "Bounds (scale=\(clients)): clients \(names) and server C\(clients); \(who); \(server); clock up to 1 s."
    }

    /// A claim that holds: at scale 1 checked on `original` (whose server is `originalServer`,
    /// described by `originalBounds`), at scale 2 on `MessageWorkloads.concurrent` with two
    /// clients making `kinds`, the clients as a symmetry group and symmetry (and, where no
    /// property observes context removal, invisible-steps) reduction. `bound` is the default
    /// scale; `sharedWorkload` names the workload for joint checks (`largeSharedWorkload` at
    /// scales 2 and 3, where the concurrent workload may be shared with other specs than the
    /// original one).
    static func scaledEntry(
        name: String, summary: String, claim: String, callKinds: [CallKind], original: SystemConfiguration,
        originalServer: CanisterId, originalBounds: String, workload kinds: [CallKind], acceptance: Bool = true, bound: Int = 1,
        sharedWorkload: String? = nil, largeSharedWorkload: String? = nil, note: String = "", othersMakeFirstCallOnly: Bool = false,
        adjust: @escaping @Sendable (inout SystemConfiguration, Int) -> Void = { _, _ in },
        properties: @escaping @Sendable (_ server: CanisterId) -> [ICProperty]
    ) -> SpecCatalog.Entry {
        SpecCatalog.Entry(name: name, parameters: [scale(default: bound)]) { values in
            let size = values["scale"] ?? bound
            let large = size >= 2
            let clients = max(size, 2)
            var configuration = original
            if large {
                configuration = MessageWorkloads.concurrent(
                    clients: clients, kinds: kinds, serverChoosesAcceptance: acceptance, othersMakeFirstCallOnly: othersMakeFirstCallOnly)
                adjust(&configuration, clients)
            }
            let checked = properties(large ? CanisterId(clients) : originalServer)
            let bounds =
                large ? Self.bounds(clients: clients, kinds: kinds, acceptance: acceptance, othersMakeFirstCallOnly: othersMakeFirstCallOnly) : originalBounds
            let figures = large ? MessagePropertyFigures.sentence(for: name, scale: size) : ""
            let scaling = large ? "" : "At scale=2 (`--param scale=2`\(bound == 2 ? ", the default" : "")): three canisters with two or more concurrent calls of each kind; at scale=3\(bound == 3 ? " (the default)" : ""), four canisters."
            var spec = Spec(
                name: name, summary: summary,
                details: [claim, environment, bounds, note, figures, scaling, "Expected: holds."].filter { !$0.isEmpty }.joined(separator: " "),
                category: .messageProperty, callKinds: callKinds, configuration: configuration, properties: checked, expectation: .holds)
            if large {
                spec.symmetryGroups = MessageWorkloads.clientGroup(clients: clients, othersMakeFirstCallOnly: othersMakeFirstCallOnly)
                spec.reductions = spec.symmetryGroups.isEmpty ? [] : [.symmetry]
                if !checked.contains(where: \.observesContextRemoval) { spec.reductions.insert(.invisibleSteps) }
            }
            spec.workload = (large ? largeSharedWorkload ?? sharedWorkload : sharedWorkload).map { "\($0), scale \(size)" }
            if size == bound, large { spec.minimumStates = MessagePropertyFigures.measured[name]?[size]?.reduced }
            return spec
        }
    }

    /// The calls of a mixed-workload claim at scales 2 and 3.
    enum LargeWorkload {
        /// A guaranteed and a best-effort call per client, checked at scale 2 by default: 1.5–2.6
        /// million states with symmetry and invisible steps (more than 15 million without
        /// invisible steps, even with partial-order reduction and canonical call ids).
        case mixed
        /// Two guaranteed calls per client, the workload P3-request-order-guaranteed runs too;
        /// checked at scale 2 by default.
        case guaranteedPair
        /// One best-effort call per client; checked at scale 3 by default (three concurrent
        /// best-effort calls: at scale 2, two calls give too small a space). Only for claims
        /// that allow invisible steps: without them the scale-3 search is millions of states.
        case bestEffort
    }

    /// A claim that holds on the mixed workload (scale 1: `MessageWorkloads.mixed`); at scales 2
    /// and 3 on the concurrent workload `large` names, which a claim about one call kind shares
    /// with the other claims about that kind.
    static func mixedEntry(
        name: String, summary: String, claim: String, callKinds: [CallKind], note: String = "", cycleRefunds: CycleRefunds = .replica,
        large: LargeWorkload = .mixed, properties: @escaping @Sendable (_ server: CanisterId) -> [ICProperty]
    ) -> SpecCatalog.Entry {
        let (kinds, bound, shared): ([CallKind], Int, String?) =
            switch large {
            case .mixed: (mixed, 2, nil)
            case .guaranteedPair: (guaranteedPair, 2, guaranteedWorkload)
            case .bestEffort: ([.bestEffort], 3, "best-effort calls, \(cycleRefunds) refunds")
            }
        return scaledEntry(
            name: name, summary: summary, claim: claim, callKinds: callKinds,
            original: MessageWorkloads.mixed(cycleRefunds: cycleRefunds), originalServer: 2, originalBounds: mixedBounds,
            workload: kinds, bound: bound, sharedWorkload: "mixed, \(cycleRefunds) refunds", largeSharedWorkload: shared, note: note,
            adjust: { configuration, _ in configuration.cycleRefunds = cycleRefunds }, properties: properties)
    }

    /// A claim about both call kinds, checked on the mixed workload (at scale 2 by default:
    /// three canisters, a guaranteed and a best-effort call per client) and again per kind at
    /// that kind's bound (`PerKindSpecs.mixedClaimsPerKind`).
    struct MixedClaim: Sendable {
        let name: String
        let summary: String
        let claim: String
        let properties: @Sendable (_ server: CanisterId) -> [ICProperty]
    }

    static let mixedClaims: [MixedClaim] = [
        MixedClaim(
            name: "P1-atomic-execution",
            summary: "Executions of one canister never interleave: each server reply gets its own counter value.",
            claim: "Claim (P1): a canister runs one message execution at a time, atomically. The server increments a counter and replies with it; if two executions interleaved on the read-modify-write, two replies would carry the same value."
        ) { server in [ICProperties.p1AtomicExecution, MessageProperties.p1AtomicExecution(server: server)] },
        MixedClaim(
            name: "P2-one-callback-per-call",
            summary: "Each call's callback runs at most once, after the call was made.",
            claim: "Claim (P2): the code after `await` is one execution per call, run after the call. No client ever runs more callbacks than it made calls, or than responses were delivered to it."
        ) { _ in [ICProperties.p2CallbacksHaveContexts, MessageProperties.p2CallbackPerCallEveryClient] },
        MixedClaim(
            name: "P5-trap-rollback",
            summary: "A trapped execution leaves no state change behind.",
            claim: "Claim (P5): a trap discards the state changes of that execution only. The server's counter counts exactly the executions that produced a response; injected traps may hit any execution."
        ) { server in [MessageProperties.p5TrapRollback(server: server)] },
        MixedClaim(
            name: "P6-at-most-once-execution",
            summary: "No request is ever executed twice, whatever the faults.",
            claim: "Claim (P6): delivery is not guaranteed, but each request is executed at most once."
        ) { _ in [ICProperties.p6AtMostOnceExecution] },
        MixedClaim(
            name: "P7-single-response",
            summary: "Every call gets at most one response: its callback never runs twice.",
            claim: "Claim (P7, safety part): each call receives a single response, from the callee or synthesised by the system (reject, expiry, drop); a late real response after SYS_UNKNOWN is discarded."
        ) { _ in [ICProperties.p7SingleResponse] },
    ]

    /// The mixed-workload entry of the claim named `name` (one of `mixedClaims`).
    static func mixedClaimEntry(_ name: String) -> SpecCatalog.Entry {
        let claim = mixedClaims.first { $0.name == name }!
        return mixedEntry(
            name: claim.name, summary: claim.summary, claim: claim.claim, callKinds: [.guaranteed, .bestEffort], properties: claim.properties)
    }

    static let mixed: [CallKind] = [.guaranteed, .bestEffort]
    /// Two guaranteed calls per client (with cycles, the server choosing to accept them or not):
    /// the scale-2 workload of the guaranteed-call claims, one joint search.
    static let guaranteedPair: [CallKind] = [.guaranteed, .guaranteed]
    static let guaranteedWorkload = "guaranteed calls"

    public static var entries: [SpecCatalog.Entry] {
        [
            mixedClaimEntry("P1-atomic-execution"),
            SpecCatalog.Entry(Spec(
                name: "P2-await-splits-execution",
                summary: "Code after an await is a separate execution: the caller is seen between the call and its callback.",
                details: "Claim refuted (P2): the naive belief that a method runs to completion across its awaits. The client's `call` method performs a call and ends; its callback is a later, separate execution, and other executions may run in between. The property 'every call the client made has been processed' fails right after the client's first execution. No faults; one client C0, one server C1, one guaranteed call (the shortest counterexample needs no more). Expected: violated (method-atomic-across-await), shortest trace of 1 step.",
                category: .messageProperty, callKinds: [.guaranteed],
                configuration: MessageWorkloads.single,
                properties: [MessageProperties.naiveAtomicAcrossAwait(client: 0)],
                expectation: .violated(property: "method-atomic-across-await")
            )),
            mixedClaimEntry("P2-one-callback-per-call"),
            scaledEntry(
                name: "P3-request-order",
                summary: "Requests from one canister to another start executing in the order they were sent.",
                claim: "Claim (P3): for each caller-callee pair, delivered requests execute in sending order (drops and rejects may remove some); drops and early expiry interleave with delivery. (Guaranteed and small guaranteed calls: P3-request-order-guaranteed, P3-request-order-small.)",
                callKinds: [.bestEffort], original: MessageWorkloads.twoCalls(kind: .bestEffort, faults: .adversarial), originalServer: 1,
                originalBounds: "Bounds (scale=1): C0 sends two best-effort calls (timeout 1 s) to server C1 in one execution; clock up to 1 s.",
                workload: [.bestEffort, .bestEffort], acceptance: false, bound: 2, othersMakeFirstCallOnly: true
            ) { _ in [ICProperties.p3RequestOrder] },
            SpecCatalog.Entry(Spec(
                name: "P4-responses-unordered",
                summary: "Responses may come back in any order: callbacks do not run in send order.",
                details: "Claim refuted (P4): the belief that callbacks run in the order their calls were sent. C0 sends two guaranteed calls to C1 in one execution; C1 replies to both in order, yet the responses are unordered and the second callback may run first. No faults; the shortest counterexample needs no more canisters. Expected: violated (responses-in-send-order).",
                category: .messageProperty, callKinds: [.guaranteed],
                configuration: MessageWorkloads.twoCalls(kind: .guaranteed, faults: .benign),
                properties: [MessageProperties.naiveResponseOrder(client: 0)],
                expectation: .violated(property: "responses-in-send-order")
            )),
            mixedClaimEntry("P5-trap-rollback"),
            mixedClaimEntry("P6-at-most-once-execution"),
            mixedClaimEntry("P7-single-response"),
            mixedEntry(
                name: "P8-guaranteed-response",
                summary: "Guaranteed-response calls: the caller sees the callee's own response, never SYS_UNKNOWN.",
                claim: "Claim (P8): for guaranteed and small guaranteed calls, if the callee responded, that response reaches the caller, and a reject is never SYS_UNKNOWN.",
                callKinds: [.guaranteed],
                note: "At scale 1 the best-effort call is there to show it does not leak SYS_UNKNOWN into guaranteed calls.",
                large: .guaranteedPair
            ) { _ in [ICProperties.p8GuaranteedResponse] },
            mixedEntry(
                name: "P9-best-effort-response",
                summary: "Best-effort calls: the caller sees the callee's response or SYS_UNKNOWN, nothing else.",
                claim: "Claim (P9): the system may answer a best-effort call with SYS_UNKNOWN even if the callee replied (the reply is then dropped), but with no other made-up response; guaranteed calls never see SYS_UNKNOWN.",
                callKinds: [.bestEffort], large: .bestEffort
            ) { _ in [ICProperties.p9BestEffortResponse] },
            mixedEntry(
                name: "P10-cycles-conserved-guaranteed",
                summary: "Guaranteed calls: cycles accepted by the callee plus the refund equal the cycles attached.",
                claim: "Claim (P10): for guaranteed-response calls with cycles, once the caller has its response, accepted + refunded = attached.",
                callKinds: [.guaranteed], large: .guaranteedPair
            ) { _ in [ICProperties.p10GuaranteedCycles] },
            SpecCatalog.Entry(Spec(
                name: "P10-cycles-conserved-best-effort",
                summary: "Per-call cycle conservation does NOT hold for best-effort calls (that is P11).",
                details: "Claim refuted: P10's per-call conservation applied to best-effort calls too. A best-effort call that expires or whose response is dropped gets SYS_UNKNOWN with refund 0, so accepted + refunded < attached. \(environment) Bounds: client C1 sends one best-effort call with 10 cycles to server C2 (C0 idle); clock up to 1 s; the shortest counterexample needs no more. Expected: violated (P10-all-kinds-cycles).",
                category: .messageProperty, callKinds: [.bestEffort],
                configuration: MessageWorkloads.mixed(kinds: [.bestEffort]),
                properties: [ICProperties.p10AllKindsCycles],
                expectation: .violated(property: "P10-all-kinds-cycles")
            )),
            mixedEntry(
                name: "P11-best-effort-cycles",
                summary: "Best-effort calls lose cycles only with SYS_UNKNOWN, and the loss is accounted for.",
                claim: "Claim (P11): a best-effort call conserves cycles unless the caller gets SYS_UNKNOWN, which refunds nothing; globally, balances + cycles in flight + cycles held by contexts + lost cycles always equal the initial total. Cycle refunds: specification (CycleRefunds.specification: dropped cycles are lost, as in the spec's 'Dropping expired messages'). The replica's variant: P11-best-effort-cycles-replica.",
                callKinds: [.bestEffort], cycleRefunds: .specification, large: .bestEffort
            ) { _ in [ICProperties.p11BestEffortCycles, ICProperties.cyclesConservedWithSink] },
            mixedEntry(
                name: "P11-best-effort-cycles-replica",
                summary: "Best-effort calls under today's replica: the callback still sees refund 0 with SYS_UNKNOWN, but no cycle is lost.",
                claim: "Claim (P11 as the replica implements it): a best-effort call conserves cycles at its callback unless the caller gets SYS_UNKNOWN (refund 0 there too); the cycles of dropped messages come back to the caller's balance as an anonymous refund without a callback, so nothing is lost: balances + cycles in flight + cycles held by contexts equal the initial total without the lost-cycles sink. Cycle refunds: replica (CycleRefunds.replica, the default; dfinity/ic RefundPool). The spec's variant: P11-best-effort-cycles.",
                callKinds: [.bestEffort], large: .bestEffort
            ) { _ in [ICProperties.p11BestEffortCycles, ICProperties.cyclesConservedWithSink, ICProperties.cyclesConservedWithoutSink] },
        ]
    }
}
