import Foundation
import ICCore
import ICMessaging
import ModelChecking
import ReferenceExecutor

/// Differential testing of the two implementations of the IC semantics: random walks over the
/// model (`ICSystem`), each step performed by the reference executor (`ICExecutor`) and the two
/// observable states compared after every step.
///
/// Each model runs in a widened environment so that every action kind can occur: every fault
/// switch on, every controller action allowed on every canister, the clock at least 2 s.
/// Replay only ever sees counterexamples; this sees the steps no counterexample contains.
public struct DifferentialTester: Sendable {
    /// The models walked, one per run in turn (run `r` walks `models[r % models.count]`, with fair
    /// load shedding in every second round: `model(ofRun:)`).
    public let models: [ICModel]
    /// Deliberate model bugs (tests: the differential must find them).
    let mutations: Set<SemanticsMutation>

    /// - Parameter models: the specs' models; their environment is widened here.
    public init(models: [ICModel]) {
        self.init(models: models, mutations: [])
    }

    init(models: [ICModel], mutations: Set<SemanticsMutation>) {
        self.models = models.map(Self.widened)
        self.mutations = mutations
    }

    /// Every fault, every controller action on every canister (at most 3 in a run), clock ≥ 2 s,
    /// at least 2 system tasks per canister.
    static func widened(_ model: ICModel) -> ICModel {
        var widened = model
        let all = Set(model.configuration.canisterIds)
        widened.configuration.faults = .adversarial
        widened.configuration.controller = ControllerActions(
            stop: all, start: all, upgrade: all, uninstall: all, install: all, reinstall: all, maxActions: max(3, model.configuration.controller.maxActions))
        widened.configuration.limits.maxTime = max(2, model.configuration.limits.maxTime)
        // System tasks run only where a program exports a heartbeat or sets its timer.
        for index in widened.configuration.canisters.indices {
            widened.configuration.canisters[index].maxSystemTasks = max(2, model.configuration.canisters[index].maxSystemTasks)
        }
        return widened
    }

    /// Every action kind, in `ICAction` declaration order.
    public static let actionKinds = [
        "ingress", "deliverRequest", "rejectRequest", "deliverResponse", "discardResponse", "starveContext", "removeContext",
        "systemReject", "expireCall", "dropRequest", "dropResponse", "stopCanister", "completeStop", "stopRequestTimeout",
        "startCanister", "upgradeCanister", "uninstallCanister", "installCanister", "reinstallCanister", "tick", "heartbeat", "globalTimer", "rejectIngress",
        "managementCall", "stopCallTimeout",
    ]

    /// Runs `runs` walks of at most `steps` steps each (a walk ends early where no step is
    /// enabled), with seeds derived from `seed`. A walk stops at its first divergence, whose
    /// trace (the model's states up to it) is saved in `tracesDirectory`.
    public func run(
        seed: UInt64, runs: Int, steps: Int, tracesDirectory: URL?, deadline: Date? = nil,
        progress: ((_ run: Int, _ partial: DifferentialReport) -> Void)? = nil
    ) -> DifferentialReport {
        var report = DifferentialReport(actionKinds: Self.actionKinds)
        for run in 0..<runs {
            if let deadline, Date() >= deadline {
                report.stoppedByTimeLimit = true
                break
            }
            walk(run: run, seed: seed, steps: steps, tracesDirectory: tracesDirectory, into: &report)
            report.runs += 1
            progress?(run, report)
        }
        return report
    }

    /// The model of run `run`: the specs in turn, every second round with fair load shedding
    /// (`LoadShedding.fair`) instead of the spec's own rule.
    func model(ofRun run: Int) -> ICModel {
        var model = models[run % models.count]
        if (run / models.count) % 2 == 1 { model.configuration.loadShedding = .fair }
        return model
    }

    private func walk(run: Int, seed: UInt64, steps: Int, tracesDirectory: URL?, into report: inout DifferentialReport) {
        let model = model(ofRun: run)
        let system = ICSystem(configuration: model.configuration, properties: [], mutations: mutations, name: model.name)
        var seeder = SplitMix64(seed: seed ^ (UInt64(run) &* 0x9E37_79B9_7F4A_7C15))
        var random = Xoshiro256(seed: seeder.next())
        var state = system.initialStates[0]
        var executor = ICExecutor(configuration: model.configuration)
        var trace = RecordedRun(initialState: ObservableState(state))
        if let difference = ObservableState(state).differences(from: executor.observableState).first {
            report.record(Divergence(run: run, spec: model.name, step: 0, action: "initial state", field: difference.field,
                                     message: "the initial states differ"), trace: nil)
            return
        }
        for step in 1...max(steps, 1) {
            let successors = system.successors(of: state)
            guard !successors.isEmpty else { return }
            let (action, next) = successors[random.next(below: successors.count)]
            report.steps += 1
            report.actionsCovered[action.name, default: 0] += 1
            let expected = ObservableState(next)
            trace.steps.append((action, expected))
            do {
                try executor.perform(action)
            } catch {
                let path = save(trace, model: model, run: run, in: tracesDirectory, why: "\(error)")
                report.record(Divergence(run: run, spec: model.name, step: step, action: action.description, field: "enabled",
                                         message: "\(error)", trace: path), trace: path)
                return
            }
            let actual = executor.observableState
            if expected != actual, let difference = expected.differences(from: actual).first {
                let message = "\(difference.field) differs: model \(difference.mine), executor \(difference.theirs)"
                let path = save(trace, model: model, run: run, in: tracesDirectory, why: message)
                report.record(Divergence(run: run, spec: model.name, step: step, action: action.description,
                                         field: difference.field, message: message, trace: path), trace: path)
                return
            }
            state = next
        }
    }

    /// Saves the model's trace up to the divergent step in the ITF layout `icmc replay` reads
    /// (the spec's first property is named, so replay runs it and reports the same divergence).
    private func save(_ run: RecordedRun, model: ICModel, run number: Int, in directory: URL?, why: String) -> String? {
        guard let directory else { return nil }
        let property = model.propertyNames.first ?? "none"
        let environment = TraceEnvironment(
            faults: model.configuration.faults, controller: model.configuration.controller, maxTime: model.configuration.limits.maxTime,
            loadShedding: model.configuration.loadShedding == .fair ? .fair : nil)
        let file = run.traceFile(
            spec: model.name, parameters: model.parameters, property: property, source: "icmc-differential",
            environment: environment, description: "differential run \(number) of \(model.name): \(why)")
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            let url = directory.appendingPathComponent("differential-\(model.name)-run\(number).json")
            try file.jsonData().write(to: url)
            return url.path
        } catch {
            FileHandle.standardError.write(Data("warning: could not save the differential trace: \(error)\n".utf8))
            return nil
        }
    }
}

/// One step where the model and the executor disagree.
public struct Divergence: Sendable, Hashable, Encodable {
    public let run: Int
    public let spec: String
    /// The step number within the run (1 = the first action; 0 = the initial state).
    public let step: Int
    public let action: String
    /// The first observable-state field that differs (`canisters`, `history`, …), or `enabled`
    /// when the executor refused the model's step.
    public let field: String
    public let message: String
    /// The saved trace (the model's states up to and including the divergent step).
    public var trace: String?
}

/// What `icmc differential` reports; JSON keys `runs`, `steps`, `divergences`, `actionsCovered`.
public struct DifferentialReport: Sendable, Encodable {
    public var runs = 0
    public var steps = 0
    public var divergences: [Divergence] = []
    /// Every action kind with how many sampled steps had it (0 for a kind never sampled).
    public var actionsCovered: [String: Int]
    /// Whether `--time-limit` ended the runs early.
    public var stoppedByTimeLimit = false

    init(actionKinds: [String]) {
        actionsCovered = Dictionary(uniqueKeysWithValues: actionKinds.map { ($0, 0) })
    }

    mutating func record(_ divergence: Divergence, trace: String?) {
        var divergence = divergence
        divergence.trace = trace
        divergences.append(divergence)
    }

    /// Action kinds never sampled.
    public var uncovered: [String] { actionsCovered.filter { $0.value == 0 }.map(\.key).sorted() }

    private enum CodingKeys: String, CodingKey { case runs, steps, divergences, actionsCovered }

    /// Human-readable summary.
    public var rendered: String {
        var lines = ["differential: \(runs) runs, \(steps) steps, \(divergences.count) divergences"
            + (stoppedByTimeLimit ? " (stopped by the time limit)" : "")]
        let kinds = actionsCovered.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }
        lines.append("actions covered: " + kinds.joined(separator: ", "))
        if !uncovered.isEmpty { lines.append("never sampled: \(uncovered.joined(separator: ", "))") }
        for d in divergences.prefix(20) {
            lines.append("run \(d.run) (\(d.spec)) step \(d.step), \(d.action): \(d.field): \(d.message.prefix(300))")
            if let trace = d.trace { lines.append("  trace: \(trace)") }
        }
        if divergences.count > 20 { lines.append("… and \(divergences.count - 20) more") }
        return lines.joined(separator: "\n")
    }
}
