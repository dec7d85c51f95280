import ICCore
import ModelChecking
import Testing
@testable import ICMessaging

/// A server that answers C1 and rejects everyone else: it tells two identical clients apart.
struct PickyServer: CanisterProgram {
    struct State: CanisterState { var handled = 0 }
    typealias Continuation = Int
    var name: String { "worker" }
    var initialState: State { State() }

    func handleCall(_ call: IncomingCall, in execution: inout Execution<State, Int>) throws {
        execution.state.handled += 1
        if call.caller == .canister(1) { try execution.reply([1]) } else { try execution.reject("not you") }
    }

    func handleResponse(_ response: Response, to continuation: Int, in execution: inout Execution<State, Int>) throws {}
}

/// Symmetry reduction on small IC models: the reduced search visits exactly one state per class
/// of reachable states, representatives are fingerprinted honestly, and the audit and the
/// declaration checks refuse what is not symmetric.
@Suite struct SymmetryTests {
    /// C0 serves; C1 and C2 are identical clients, each with one `go` (two calls to C0).
    func clients(server: some CanisterProgram, faults: FaultSwitches = .benign, balance: Cycles = 100) -> SystemConfiguration {
        let plans = [Client.Plan(callee: A, kind: .bestEffort, cycles: 2)]
        return SystemConfiguration(
            canisters: [CanisterSetup(server), CanisterSetup(Client(plans: plans)),
                        CanisterSetup(Client(plans: plans), balance: balance)],
            ingress: [IngressMessage(to: B, "go"), IngressMessage(to: C, "go")], faults: faults, limits: MessagingLimits(maxTime: 2))
    }

    /// C0 fans out to two identical workers C1, C2 (calls numbered C0#0, C0#1 in a fixed order).
    func fanOut(recording: HistoryObservation) -> ICSystem {
        let plans = [Client.Plan(callee: B, kind: .bestEffort, cycles: 3), Client.Plan(callee: C, kind: .bestEffort, cycles: 3)]
        let configuration = SystemConfiguration(
            canisters: [CanisterSetup(Client(plans: plans)), CanisterSetup(Worker()), CanisterSetup(Worker())],
            ingress: [IngressMessage(to: A, "go")], faults: FaultSwitches(dropBestEffort: true), limits: MessagingLimits(maxTime: 1))
        return ICSystem(configuration: configuration, properties: ICProperties.guaranteed, recording: recording)
    }

    /// Every reachable state (the models are small; more than 20,000 states fails the test).
    func reachable(_ system: ICSystem, map: (ICState) -> ICState = { $0 }) -> Set<ICState> {
        var seen: Set<ICState> = []
        var frontier = system.initialStates.map(map)
        while let state = frontier.popLast() {
            guard seen.count < 20_000 else {
                Issue.record("more than 20,000 states: not a small model")
                return seen
            }
            guard seen.insert(state).inserted else { continue }
            frontier += system.successors(of: state).map { map($0.state) }
        }
        return seen
    }

    @Test(arguments: [HistoryObservation.none, .all])
    func reducedSearchVisitsOneStatePerClass(recording: HistoryObservation) throws {
        for system in [fanOut(recording: recording),
                       ICSystem(configuration: clients(server: Worker()), properties: ICProperties.guaranteed, recording: recording)] {
            let groups = try SymmetryGroups(validating: [[B, C]], configuration: system.configuration, properties: system.icProperties)
            let reduction = SymmetryReduction(groups: groups, configuration: system.configuration)
            let plain = reachable(system)
            let reduced = reachable(system) { reduction.canonical($0).state }
            let classes = Set(plain.map { reduction.canonical($0).state })
            #expect(reduced.count == classes.count && reduced.isSubset(of: classes), "\(reduced.count) reduced, \(classes.count) classes")
            #expect(reduced.count < plain.count, "\(plain.count) → \(reduced.count)")
            // Every representative is a renaming of a reachable state with the same verdicts.
            for state in plain.prefix(3_000) {
                let image = reduction.canonical(state).state
                for property in system.icProperties { #expect(property.holds(state) == property.holds(image)) }
            }
            #expect(FingerprintAudit.inconsistencies(in: Array(reduced)).isEmpty)
            #expect(SymmetryAudit.problems(system: system, reduction: reduction, maxStates: 3_000).isEmpty)
        }
    }

    /// A failed upgrade is part of the state a property can read (`ICView.failedUpgrades(of:)`):
    /// renaming moves it with its canister, and the representative tells a member that failed an
    /// upgrade from one that did not (before, the renamed history dropped it, merging them).
    @Test func failedUpgradesMoveWithTheirCanister() throws {
        let system = fanOut(recording: .all)
        let groups = try SymmetryGroups(validating: [[B, C]], configuration: system.configuration, properties: system.icProperties)
        let reduction = SymmetryReduction(groups: groups, configuration: system.configuration)
        let initial = try #require(system.initialStates.first)
        var failedAtB = initial, failedAtC = initial, failedAtBoth = initial
        failedAtB.history.failedUpgrades[B] = 1
        failedAtC.history.failedUpgrades[C] = 1
        failedAtBoth.history.failedUpgrades = [B: 2, C: 1]
        #expect(reduction.swapping(B, C, canisters: 3).stateAfter(failedAtB) == failedAtC)
        #expect(reduction.swapping(B, C, canisters: 3).stateAfter(failedAtBoth).history.failedUpgrades == [B: 1, C: 2])
        let (b, c) = (reduction.canonical(failedAtB).state, reduction.canonical(failedAtC).state)
        #expect(b == c)
        #expect(b != reduction.canonical(initial).state)
        #expect(b.history.failedUpgrades.values.sorted() == [1])
        #expect(reduction.canonical(failedAtBoth).state.history.failedUpgrades.values.sorted() == [1, 2])
    }

    @Test func auditFindsAServerThatTellsMembersApart() throws {
        let configuration = clients(server: PickyServer(), faults: .benign)
        let system = ICSystem(configuration: configuration, properties: ICProperties.guaranteed)
        // The configuration looks symmetric; only running the programs shows it is not.
        let groups = try SymmetryGroups(validating: [[B, C]], configuration: configuration, properties: system.icProperties)
        let problems = SymmetryAudit.problems(system: system, reduction: SymmetryReduction(groups: groups, configuration: configuration))
        #expect(!problems.isEmpty)
        #expect(problems.contains { $0.contains("successors") })
    }

    @Test func declarationsAreChecked() throws {
        let symmetric = clients(server: Worker())
        #expect(throws: SymmetryGroups.Problem.self) {
            try SymmetryGroups(validating: [[B, C]], configuration: clients(server: Worker(), balance: 50), properties: [])
        }
        #expect(throws: SymmetryGroups.Problem.self) {
            try SymmetryGroups(validating: [[A, B]], configuration: symmetric, properties: [])
        }
        #expect(throws: SymmetryGroups.Problem.self) { try SymmetryGroups(validating: [[B]], configuration: symmetric, properties: []) }
        let undeclared = ICProperty(name: "undeclared", statement: "reads anything") { _ in true }
        #expect(throws: SymmetryGroups.Problem.self) {
            try SymmetryGroups(validating: [[B, C]], configuration: symmetric, properties: [undeclared])
        }
        let namesC1 = ICProperty(name: "c1-only", statement: "C1 never rejects", mentions: .only([B])) { _ in true }
        do {
            _ = try SymmetryGroups(validating: [[B, C]], configuration: symmetric, properties: [namesC1])
            Issue.record("a property naming one member was accepted")
        } catch {
            #expect(error.description.contains("c1-only") && error.description.contains("single member"))
        }
        let namesServer = ICProperty(name: "server", statement: "C0 counts", mentions: .only([A])) { _ in true }
        #expect(try SymmetryGroups(validating: [[C, B]], configuration: symmetric, properties: [namesServer]).groups == [[B, C]])
        #expect(SymmetryGroups.derived(configuration: symmetric, properties: [namesServer]).groups == [[B, C]])
        #expect(SymmetryGroups.derived(configuration: symmetric, properties: [namesC1]).groups.isEmpty)
        #expect(SymmetryGroups.derived(configuration: symmetric, properties: [undeclared]).groups.isEmpty)
    }

    @Test func renamingMapsActionsAndStatesAlike() throws {
        let system = fanOut(recording: .all)
        let groups = try SymmetryGroups(validating: [[B, C]], configuration: system.configuration, properties: system.icProperties)
        let reduction = SymmetryReduction(groups: groups, configuration: system.configuration)
        var checked = 0
        for state in reachable(system).prefix(2_000) {
            let swap = reduction.swapping(B, C, canisters: 3)
            let image = swap.stateAfter(state)
            #expect(swap.stateAfter(image) == state)
            // A step and its renamed step lead to renamed states.
            for (action, next) in system.successors(of: state).prefix(3) {
                let renamed = try #require(system.successor(of: image, via: swap.actionAfter(action)))
                #expect(reduction.canonical(renamed).state == reduction.canonical(next).state)
                checked += 1
            }
        }
        #expect(checked > 100)
    }
}
