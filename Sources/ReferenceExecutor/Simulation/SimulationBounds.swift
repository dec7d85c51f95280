import Foundation
import ModelChecking

/// What bounds a simulation besides its runs and steps: how much of each run is kept, how long
/// a saved trace may be, and when the whole simulation stops. A simulation asked for a billion
/// steps must neither record a billion states nor outlive its time or memory budget.
public struct SimulationBounds: Sendable, Equatable {
    /// Actions kept per run (the last ones), shown with a violation; the run itself records no
    /// states: a violation's trace is rebuilt by re-executing its run from its seed.
    public var keepLast: Int
    /// The longest violation trace rebuilt and saved; a violation found later is reported with
    /// its last actions and the seed that reproduces it, without a trace file.
    public var maxTraceSteps: Int
    /// Stop the simulation (between steps) after this long.
    public var timeLimit: Duration?
    /// Stop the simulation once the process's resident memory reaches this many bytes.
    public var memoryLimit: Int?

    public init(keepLast: Int = 20, maxTraceSteps: Int = 10_000, timeLimit: Duration? = nil, memoryLimit: Int? = nil) {
        self.keepLast = keepLast
        self.maxTraceSteps = maxTraceSteps
        self.timeLimit = timeLimit
        self.memoryLimit = memoryLimit
    }
}

/// Watches a simulation's time and memory limits; memory is read every `memoryInterval` steps.
final class SimulationWatch: @unchecked Sendable {
    private let deadline: ContinuousClock.Instant?
    private let memoryLimit: Int?
    private var sinceMemoryCheck = 0
    private static let memoryInterval = 1024
    /// The limit reached ("time limit", "memory limit"), once one is.
    private(set) var reached: String?

    init(_ bounds: SimulationBounds) {
        deadline = bounds.timeLimit.map { ContinuousClock.now + $0 }
        memoryLimit = bounds.memoryLimit
    }

    /// Whether a limit has been reached, after one more step.
    func exceeded() -> Bool {
        if reached != nil { return true }
        sinceMemoryCheck += 1
        guard sinceMemoryCheck >= Self.memoryInterval else { return false }
        sinceMemoryCheck = 0
        if let deadline, ContinuousClock.now >= deadline { reached = "time limit" }
        if reached == nil, let memoryLimit, currentMemoryBytes() >= memoryLimit { reached = "memory limit" }
        return reached != nil
    }

    /// Checks the limits now (between runs), whatever the step count.
    func exceededNow() -> Bool {
        sinceMemoryCheck = Self.memoryInterval
        return exceeded()
    }
}
