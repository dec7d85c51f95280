import ICCore
import ICMessaging
import ModelChecking
import Specs
import Testing

/// The monitors of P3, P5–P11, I4 and the responses-unordered witness, and P2's state form,
/// against the ghost-history definitions they replace: on
/// every run, a monitored property is false exactly from the first state at which the history's
/// form was false (the search stops there, so verdicts and shortest counterexamples agree).
/// Each system is searched with the whole history and the monitors, over (state, "the history
/// form was false somewhere on the way here") pairs.
@Suite struct MonitorEquivalenceTests {
    /// The monitored properties, each with its history oracle.
    static let pairs: [(monitored: ICProperty, oracle: ICProperty)] = [
        (ICProperties.p3RequestOrder, HistoryOracles.p3RequestOrder),
        (ICProperties.p6AtMostOnceExecution, HistoryOracles.p6AtMostOnceExecution),
        (ICProperties.p7SingleResponse, HistoryOracles.p7SingleResponse),
        (ICProperties.p8GuaranteedResponse, HistoryOracles.p8GuaranteedResponse),
        (ICProperties.p9BestEffortResponse, HistoryOracles.p9BestEffortResponse),
        (ICProperties.p10GuaranteedCycles, HistoryOracles.p10(kinds: [.guaranteed, .smallGuaranteed])),
        (ICProperties.p10AllKindsCycles, HistoryOracles.p10(kinds: CallKind.allCases)),
        (ICProperties.p11BestEffortCycles, HistoryOracles.p11BestEffortCycles),
        (ICProperties.i4ReferencesExist, HistoryOracles.i4ReferencesExist),
        (MessageProperties.p2CallbackPerCallEveryClient, HistoryOracles.p2CallbackPerCall),
        // The mixed workload's server is C2.
        (MessageProperties.p5TrapRollback(server: 2), HistoryOracles.p5TrapRollback(server: 2)),
        (responsesInOrder, HistoryOracles.responsesInOrder),
    ]

    /// The responses-unordered witness negated, judged by its monitor: false from the first
    /// delivery out of order.
    static let responsesInOrder = ICProperty(
        name: "responses-in-order", statement: "", observes: .none, monitors: ICProperties.responsesOutOfOrder.monitors
    ) { !ICProperties.responsesOutOfOrder.holds($0) }

    struct Node: Hashable {
        let state: ICState
        let oracleFalse: [Bool]
    }

    /// Searches `configuration` (with `mutations`) and returns the states seen, the first
    /// disagreement per property, and which oracles were ever false.
    static func compare(
        _ configuration: SystemConfiguration, mutations: Set<SemanticsMutation> = [], merging: Bool = false, limit: Int = 12_000,
        judging judged: Set<String>? = nil
    ) -> (states: Int, disagreements: [String: String], falsified: Set<String>) {
        let pairs = judged.map { names in Self.pairs.filter { names.contains($0.monitored.name) } } ?? Self.pairs
        let system = ICSystem(
            configuration: configuration, properties: pairs.map(\.monitored) + pairs.map(\.oracle), mutations: mutations,
            recording: .all, mergingInvisibleSteps: merging)
        var seen = Set<Node>()
        var frontier: [Node] = []
        var disagreements: [String: String] = [:]
        var falsified = Set<String>()
        func visit(_ state: ICState, _ inherited: [Bool], via action: ICAction?) {
            var flags = inherited
            for (index, pair) in pairs.enumerated() {
                flags[index] = flags[index] || !pair.oracle.holds(state)
                if flags[index] { falsified.insert(pair.monitored.name) }
                if flags[index] == pair.monitored.holds(state), disagreements[pair.monitored.name] == nil {
                    disagreements[pair.monitored.name] = "history says \(flags[index] ? "false" : "true") after \(action.map { "\($0)" } ?? "the start")"
                }
            }
            let node = Node(state: state, oracleFalse: flags)
            guard seen.count < limit, seen.insert(node).inserted else { return }
            frontier.append(node)
        }
        for state in system.initialStates { visit(state, Array(repeating: false, count: pairs.count), via: nil) }
        while let node = frontier.popLast() {
            system.forEachSuccessor(of: node.state) { action, next in visit(next, node.oracleFalse, via: action) }
        }
        return (seen.count, disagreements, falsified)
    }

    @Test(arguments: [CycleRefunds.replica, .specification])
    func mixedWorkloadAgrees(refunds: CycleRefunds) {
        let result = Self.compare(MessageWorkloads.mixed(cycleRefunds: refunds))
        #expect(result.disagreements.isEmpty, "\(result.disagreements)")
        // P10 for best-effort calls is the one claim the IC does not make.
        #expect(result.falsified == ["P10-all-kinds-cycles"])
        #expect(result.states > 1_000)
    }

    @Test func smallGuaranteedAndBestEffortPairsAgree() {
        var small = MessageWorkloads.twoCalls(kind: .smallGuaranteed, faults: .adversarial)
        small.limits.smallQuotaOut = 2
        small.limits.smallQuotaIn = 2
        for configuration in [small, MessageWorkloads.twoCalls(kind: .bestEffort, faults: .adversarial, secondClient: true)] {
            // P5's pair watches C2, the mixed workload's server.
            let judged = Set(Self.pairs.map(\.monitored.name)).subtracting(["P5-trap-rollback"])
            let result = Self.compare(configuration, merging: true, judging: judged)
            #expect(result.disagreements.isEmpty, "\(result.disagreements)")
            // Two calls of one pair: the later response may come first.
            #expect(result.falsified.contains("responses-in-order"), "\(result.falsified)")
        }
    }

    /// The broken semantics: the monitors of the properties a mutation breaks turn false where
    /// their history forms do. (The monitors rely on the IC's structure, e.g. one answer per
    /// call, so properties a mutation is not aimed at are not compared under it.)
    @Test(arguments: [SemanticsMutation.executeRequestTwice, .sysUnknownOnGuaranteed, .refundNotReturned, .keepTrappedState])
    func mutatedSemanticsAgree(mutation: SemanticsMutation) {
        let broken: Set<String> = switch mutation {
        case .executeRequestTwice: ["P3-request-order", "P6-at-most-once-execution"]
        case .sysUnknownOnGuaranteed: ["P8-guaranteed-response", "I4-references-exist"]
        case .keepTrappedState: ["P5-trap-rollback"]
        default: ["P10-guaranteed-cycles", "P10-all-kinds-cycles", "P11-best-effort-cycles"]
        }
        let result = Self.compare(MessageWorkloads.mixed(cycleRefunds: .specification), mutations: [mutation], judging: broken)
        #expect(result.disagreements.isEmpty, "\(result.disagreements)")
        #expect(result.falsified.isSuperset(of: broken.subtracting(["P11-best-effort-cycles"])), "\(result.falsified)")
    }
}

