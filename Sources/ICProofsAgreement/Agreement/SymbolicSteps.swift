import Foundation
import ICCore
import ICMessaging
import ICProofs
import ModelChecking
import SMT

/// The other direction of the agreement (symbolic → explicit): from a concrete state `s` the
/// explicit model reached, every post-state a symbolic rule chain allows from `α(s)` must be
/// `α` of a successor the explicit model produces. Z3 is asked for a chain step (any rule
/// parameters within the configuration's calls and canisters) whose post-state differs from `α`
/// of every explicit successor; a model is a step the encoding allows and the model does not
/// take: the rule is too permissive (or the explicit model too strict).
///
/// Only the system's own steps are compared (`systemChains`, and `managementChains` for the
/// management canister's): their explicit counterpart is one action that runs no canister code. Rules whose symbolic form abstracts canister behaviour
/// (executions, callbacks, any call issued at any time) or a configuration bound (the clock's
/// limit, the controller's script, rejects for abstracted reasons such as freezing) are
/// over-approximations by design, so this direction does not apply to them.
extension AgreementChecker {
    /// A symbolic step with no explicit counterpart.
    public struct Excess: Sendable, CustomStringConvertible {
        /// The rule chain that allows the step.
        public let chain: [String]
        /// The actions of the explicit run to the pre-state.
        public let path: [String]
        /// The chain's parameters in Z3's model, e.g. `systemReject.x=0`.
        public let parameters: [String]

        public var description: String {
            "[\(chain.joined(separator: ", "))] with \(parameters.joined(separator: " ")) after \(path.isEmpty ? "(initial state)" : path.joined(separator: "; "))"
        }
    }

    /// What the symbolic → explicit check found.
    public struct SymbolicStepReport: Sendable, CustomStringConvertible {
        /// Distinct pre-states examined.
        public var states = 0
        /// (state, chain) queries asked.
        public var queries = 0
        /// Per chain, the states where it allowed some step (every one matched by an explicit step).
        public var enabled: [String: Int] = [:]
        public var excesses: [Excess] = []
        public var unknown = 0
        public var seconds = 0.0

        public var description: String {
            var lines = ["\(states) states, \(queries) symbolic steps asked in \(String(format: "%.1f", seconds)) s, \(excesses.count) without an explicit counterpart, \(unknown) unknown"]
            lines.append("chains enabled: " + enabled.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " "))
            lines += excesses.prefix(5).map { "EXCESS " + $0.description }
            return lines.joined(separator: "\n")
        }
    }

    /// The chains of the system's own steps for `configuration`: spontaneous rejects, expiry,
    /// and best-effort drops with the rules of its `cycleRefunds` (the other rule of each pair
    /// is the other configuration's); rejects only under `faults.spontaneousRejects`, expiry
    /// and drops only under `faults.earlyExpiry` and `faults.dropBestEffort` (the symbolic rules
    /// know neither deadlines nor switches).
    public static func systemChains(for configuration: SystemConfiguration) -> [[String]] {
        let refunds = configuration.cycleRefunds == .replica
        let faults = configuration.faults
        var chains: [[String]] = faults.spontaneousRejects ? [["systemReject"]] : []
        guard faults.earlyExpiry, faults.dropBestEffort else { return chains }
        chains += [
            ["expireCall"],
            [refunds ? "refundDroppedRequest" : "dropRequest"],
            [refunds ? "refundDroppedResponse" : "dropResponse", "expireCall"],
            [refunds ? "refundLateResponse" : "dropLateResponse"],
        ]
        return chains
    }

    /// The chains of the management canister's steps from `state` (none without a management
    /// canister): each method's rule for a request at the head of a queue to it (`startCall`
    /// followed by one `answerHeldStop` per stop call held for its target, for each number of
    /// held calls a target has in `state`), `managementReject`, and — when a held stop call may
    /// time out at any moment (stop timeouts on, no stop timer) — `answerHeldStop` alone. Not
    /// `installCodeTrap` (a trapping hook is canister behaviour) nor the stop completing
    /// (`stopComplete` abstracts ingress contexts away).
    public static func managementChains(for configuration: SystemConfiguration, in state: ICState) -> [[String]] {
        guard configuration.hasManagementCanister else { return [] }
        let heldCounts = Set(state.canisterIds.map { state.queue(from: .management, to: $0).count }).sorted()
        var chains: [[String]] = [["depositCycles"], ["managementReject"], ["holdStopCall"], ["stopCallStopped"],
                                  ["installCode"], ["installCodeRejected"]]
        chains += heldCounts.map { ["startCall"] + Array(repeating: "answerHeldStop", count: $0) }
        if configuration.faults.stopTimeouts, configuration.limits.stopTimeout == nil || configuration.limits.maxTime == 0 {
            chains.append(["answerHeldStop"])
        }
        return chains
    }

    /// Random walks with a fixed seed over `system`; at every state reached (each once), each
    /// of `chains` (by default `systemChains` and `managementChains`) is asked for a step no
    /// explicit successor matches.
    public func checkSymbolicSteps(
        system: ICSystem, chains: [[String]]? = nil, walks: Int, depth: Int, seed: UInt64
    ) throws -> SymbolicStepReport {
        let start = Date()
        var session = try Session(checker: self)
        var rng = Xoshiro256(seed: seed)
        var report = SymbolicStepReport()
        var seen = Set<ICState>()
        for _ in 0..<walks {
            var state = system.initialStates[0]
            var ghost = AbstractionGhost(configuration: system.configuration)
            var path: [String] = []
            for _ in 0...depth {
                let successors = system.successors(of: state)
                if seen.insert(state).inserted {
                    report.states += 1
                    let configuration = system.configuration
                    let stateChains = chains ?? (Self.systemChains(for: configuration) + Self.managementChains(for: configuration, in: state))
                    try session.checkSymbolicSteps(
                        from: state, ghost: ghost, successors: successors, chains: stateChains, path: path, into: &report)
                }
                guard !successors.isEmpty else { break }
                let (action, next) = successors[rng.next(below: successors.count)]
                ghost = ghost.after(action, pre: state, post: next)
                path.append(action.description)
                state = next
            }
        }
        report.seconds = Date().timeIntervalSince(start)
        return report
    }
}

extension AgreementChecker.Session {
    /// The chain applied to `pre`: its guards (with the universal guard at every call id and
    /// every parameter within the configuration's calls and canisters) and its post-state.
    func chainStep(_ chain: [String], index: Int, pre: SymbolicState, callCount: Int, canisterCount: Int)
        throws -> (guards: [Term], post: SymbolicState, params: [(name: String, term: Term)])
    {
        var current = pre
        var parts: [Term] = []
        var params: [(name: String, term: Term)] = []
        let ids = (0..<callCount).map { ctx.int($0) }
        for (i, name) in chain.enumerated() {
            guard let rule = rulesByName[name] else { throw SMTError.notAValue("no rule named \(name)") }
            let inst = try rule.instantiate(pre: current, post: current, tag: "s\(index).\(i).\(name).")
            guard let g = inst.guards, let effects = inst.effects else { throw SMTError.notAValue("rule \(name) has no functional form") }
            parts.append(g)
            if let ug = inst.universalGuard { parts += try ids.map { try ug($0) } }
            for (param, term) in inst.params {
                let bound = param == "x" ? callCount : ["canister", "caller", "callee"].contains(param) ? canisterCount : nil
                if let bound { parts += [try term >= 0, try term < bound] }
                params.append(("\(name).\(param)", term))
            }
            current = SymbolicState(ctx, vars: effects)
        }
        // A start answers every stop call held for its target in the same step, not some: the
        // chain (`startCall` and its `answerHeldStop`s) must leave none held for a target that
        // is not stopping (as the explicit model never does).
        parts += try ids.map { d in
            try (current.at(.held, d) == 1) ==> (current.at(.status, current.at(.target, d)) == StatusCode.stopping)
        }
        return (parts, current, params)
    }

    /// Whether `terms` hold together (in a scope of their own).
    func satisfiable(_ terms: [Term]) throws -> SatResult {
        solver.push()
        defer { try? solver.pop() }
        try solver.assert(try and(terms, in: ctx))
        return try solver.check(timeout: checker.timeout)
    }

    /// Asks each chain for a step from `α(state)` that matches no explicit successor.
    mutating func checkSymbolicSteps(
        from state: ICState, ghost: AbstractionGhost, successors: [(action: ICAction, state: ICState)], chains: [[String]],
        path: [String], into report: inout AgreementChecker.SymbolicStepReport
    ) throws {
        // One call index for the state and all its successors, so that equal abstract values mean
        // equal calls; the chains checked issue no call, so their steps keep the state's ids.
        let index = ConcreteAbstraction.callIndex([state] + successors.map(\.state))
        let pre = try ConcreteAbstraction.abstract(state, ghost: ghost, index: index).terms(ctx)
        let posts = try Set(successors.map { ConcreteAbstraction.abstract($0.state, ghost: ghost.after($0.action, pre: state, post: $0.state), index: index) })
            .map { try $0.terms(ctx) }
        for (position, chain) in chains.enumerated() {
            report.queries += 1
            let step = try chainStep(chain, index: position, pre: pre, callCount: index.count, canisterCount: state.canisterCount)
            let differs = try posts.map { post in
                try !and(Field.allCases.map { try step.post[$0] == post[$0] }, in: ctx)
            }
            switch try satisfiable(step.guards + differs) {
            case .unsat:
                // Enabled at all? (Coverage: a chain never enabled compares nothing.)
                if case .sat = try satisfiable(step.guards) { report.enabled[chain.joined(separator: "+"), default: 0] += 1 }
            case .sat(let model):
                let parameters = step.params.map { name, term in "\(name)=\((try? model.int(term)).map(String.init) ?? "?")" }
                report.excesses.append(AgreementChecker.Excess(chain: chain, path: path, parameters: parameters))
            case .unknown:
                report.unknown += 1
            }
        }
    }
}
