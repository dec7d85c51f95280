/// Watches the limits a search must stop at (cancellation, time, memory) and says which one
/// was reached. Searches call `reached(after:)` with the states handled since the last call;
/// the resident memory (a small file read) is read once per `memoryCheckInterval` states.
@usableFromInline
struct SearchLimits {
    @usableFromInline let cancellation: CancellationFlag?
    @usableFromInline let memoryLimit: Int?
    @usableFromInline let deadline: ContinuousClock.Instant?
    @usableFromInline var sinceMemoryCheck = 0
    @inlinable static var memoryCheckInterval: Int { 4096 }

    @inlinable
    init(_ options: CheckerOptions, start: ContinuousClock.Instant) {
        cancellation = options.cancellation
        memoryLimit = options.memoryLimit
        deadline = options.timeLimit.map { start + $0 }
    }

    /// The outcome to stop with after `states` more states, or `nil` to go on.
    @inlinable
    mutating func reached(after states: Int) -> CheckOutcome? {
        if cancellation?.isCancelled == true { return .interrupted }
        if let deadline, ContinuousClock.now >= deadline { return .timeLimitReached }
        guard let memoryLimit else { return nil }
        sinceMemoryCheck += states
        guard sinceMemoryCheck >= Self.memoryCheckInterval else { return nil }
        sinceMemoryCheck = 0
        return currentMemoryBytes() >= memoryLimit ? .memoryLimitReached : nil
    }
}
