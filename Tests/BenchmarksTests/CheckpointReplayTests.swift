import Foundation
import ModelChecking
import Testing
@testable import Benchmarks

/// Frontier storage whose entries are indices into a table of states, as the IC model's are
/// (indices into component tables): a checkpoint cannot save such entries as bytes, so it keeps
/// successor indices and recovery re-executes the frontier's paths.
final class TableFrontier<State: Sendable>: FrontierStorage, @unchecked Sendable {
    // @unchecked: the table is guarded by `lock`.
    private var states: [State] = []
    private let lock = NSLock()

    func entry(for state: State) -> Int32 {
        lock.lock()
        defer { lock.unlock() }
        states.append(state)
        return Int32(states.count - 1)
    }

    func state(of entry: Int32) -> State {
        lock.lock()
        defer { lock.unlock() }
        return states[Int(entry)]
    }
}

/// `Base` with its frontier in a `TableFrontier` and extra properties.
struct Tabled<Base: TransitionSystem>: TransitionSystem {
    typealias State = Base.State
    typealias Action = Base.Action
    let base: Base
    let extra: [Property<State>]

    var name: String { "tabled \(base.name)" }
    var initialStates: [State] { base.initialStates }
    func forEachSuccessor(of state: State, _ body: (Action, State) -> Void) { base.forEachSuccessor(of: state, body) }
    var properties: [Property<State>] { base.properties + extra }
    func isWithinBoundary(_ state: State) -> Bool { base.isWithinBoundary(state) }
    var reportsDeadlocks: Bool { base.reportsDeadlocks }
    func traceState(of state: State) -> DescribedState<State> { DescribedState(state) }
    func makeFrontier() -> TableFrontier<State> { TableFrontier() }
}

/// Checkpoints of a model whose frontier entries are not its states (the IC model's case):
/// recovery rebuilds the frontier and the decided checks' states by re-execution and gives
/// the uninterrupted search's counts, verdicts and shortest traces, whichever number of
/// workers wrote or recovers it.
@Suite("Checkpoints that rebuild the frontier by re-execution")
struct CheckpointReplayTests {
    /// IC-Ring with a violation, plus two checks decided early (so the checkpoint holds
    /// decided checks whose states must be rebuilt too).
    static func model() throws -> Tabled<ICRing> {
        Tabled(
            base: try ICRing(n: 3, k: 2, w: 2, rejectRefund: 1),
            extra: [
                .sometimes("fingerprint-multiple-of-7") { $0.fingerprint % 7 == 0 },
                .always("fingerprint-not-5-mod-61") { $0.fingerprint % 61 != 5 },
            ])
    }

    @Test(arguments: [false, true])
    func recoveryGivesTheUninterruptedSearch(stopOnViolation: Bool) throws {
        let model = try Self.model()
        let reference = Checker(model, options: CheckerOptions(workers: 1, stopOnViolation: stopOnViolation, progressInterval: nil)).run()
        let decidedEarly = reference.verdicts.compactMap { $0.status.trace?.length }
        #expect(decidedEarly.count >= 2)
        #expect(reference.statistics.maxDepth > 6)
        for writers in [1, 2] {
            let directory = scratchDirectory("checkpoint-replay")
            defer { try? FileManager.default.removeItem(atPath: directory) }
            let written = Checker(
                model,
                options: storageOptions(
                    .init(checkpoint: CheckpointOptions(directory: directory, everyLevels: 3)), workers: writers,
                    stopOnViolation: stopOnViolation)
            ).run()
            expectSameSearch(written, reference)
            #expect(FileManager.default.fileExists(atPath: directory + "/icmc.checkpoint"))
            for workers in [1, 2] {
                let recovering = storageOptions(.init(recoverDirectory: directory), workers: workers, stopOnViolation: stopOnViolation)
                #expect(Checker(model, options: recovering).storageProblem() == nil)
                expectSameSearch(Checker(model, options: recovering).run(), reference)
            }
        }
    }

    @Test func corruptOrForeignCheckpointsAreRefused() throws {
        let directory = scratchDirectory("checkpoint-replay-bad")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let model = try Self.model()
        _ = Checker(model, options: storageOptions(.init(checkpoint: CheckpointOptions(directory: directory, everyLevels: 4)), workers: 1)).run()
        let recovering = storageOptions(.init(recoverDirectory: directory), workers: 1)
        #expect(Checker(model, options: recovering).storageProblem() == nil)
        // The packed model's checkpoint is another search (its frontier is saved as bytes).
        #expect(Checker(model.base, options: recovering).storageProblem()?.contains("another search") == true)
        let path = directory + "/icmc.checkpoint"
        var bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        bytes[bytes.count - 24] ^= 0x01  // in the successor indices
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let problem = Checker(model, options: recovering).storageProblem()
        #expect(problem?.contains("corrupt") == true)
        #expect(problem?.contains("\n") == false)
    }
}
