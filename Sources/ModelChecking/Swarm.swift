import Dispatch
import Synchronization

/// Swarm search: many small, independent, diversified random searches instead of one
/// exhaustive search, for state spaces too large to exhaust (Holzmann, Joshi and Groce,
/// "Swarm Verification Techniques", 2011).
///
/// Member `i` runs `walksPerMember` random walks (`SearchStrategy.randomWalk`) with a seed of its
/// own and a walk depth of its own (the full depth, a half or a quarter of it, in turn: short
/// walks cover the shallow states densely, long ones reach deep states). A member is a plain
/// `Checker` run, so its strategy alone reproduces what it found.
///
/// The result does not depend on the number of workers: members are numbered, and the finding
/// reported is the one of the lowest-numbered member that found a violation. Members numbered
/// above a finding are not started (or their result is dropped), those below always finish.
public struct Swarm<System: TransitionSystem>: Sendable {
    public let system: System
    public let configuration: SwarmConfiguration

    public init(_ system: System, configuration: SwarmConfiguration) {
        self.system = system
        self.configuration = configuration
    }

    /// The members, in order: seeds drawn from the swarm's seed, depths in turn.
    public var members: [SwarmMember] {
        var seeder = SplitMix64(seed: configuration.seed)
        return (0..<configuration.members).map { index in
            let depth = max(1, configuration.depth >> (index % 3))
            return SwarmMember(index: index, seed: seeder.next(), walks: configuration.walksPerMember, depth: depth)
        }
    }

    /// Runs the members on `configuration.workers` threads; `progress` is called (from any of
    /// them, one call at a time) after each member finishes, with the number finished so far.
    public func run(progress: (@Sendable (Int) -> Void)? = nil) -> SwarmResult<System> {
        let clock = ContinuousClock()
        let start = clock.now
        let members = self.members
        let slots = SwarmSlots<System>(count: members.count)
        let next = Atomic<Int>(0)
        let system = system
        let configuration = configuration
        let work: @Sendable (Int) -> Void = { _ in
            while configuration.cancellation?.isCancelled != true {
                let index = next.add(1, ordering: .relaxed).oldValue
                guard index < members.count, index < slots.lowestFinding else { break }
                if let timeLimit = configuration.timeLimit, clock.now - start >= timeLimit { break }
                let member = members[index]
                let options = CheckerOptions(
                    strategy: member.strategy, workers: 1, stopOnViolation: true, progressInterval: nil,
                    cancellation: configuration.cancellation, memoryLimit: configuration.memoryLimit)
                let result = Checker(system, options: options).run()
                slots.store(result, at: index, found: result.verdicts.contains { $0.isFailure })
                progress?(slots.finished)
            }
        }
        DispatchQueue.concurrentPerform(iterations: max(1, min(configuration.workers, members.count))) { work($0) }
        return slots.result(members: members, seconds: (clock.now - start).seconds)
    }
}

/// How large a swarm is and how its members search.
public struct SwarmConfiguration: Sendable {
    /// Independent searches.
    public var members: Int
    /// Random walks per member.
    public var walksPerMember: Int
    /// The longest walk (members also use a half and a quarter of it).
    public var depth: Int
    /// Draws every member's seed: the same seed gives the same swarm.
    public var seed: UInt64
    /// Threads running members.
    public var workers: Int
    public var cancellation: CancellationFlag?
    public var memoryLimit: Int?
    /// No member starts after this long; members already running finish.
    public var timeLimit: Duration?

    public init(
        members: Int, walksPerMember: Int, depth: Int, seed: UInt64, workers: Int = CheckerOptions.defaultWorkers,
        cancellation: CancellationFlag? = nil, memoryLimit: Int? = nil, timeLimit: Duration? = nil
    ) {
        self.members = members
        self.walksPerMember = walksPerMember
        self.depth = depth
        self.seed = seed
        self.workers = workers
        self.cancellation = cancellation
        self.memoryLimit = memoryLimit
        self.timeLimit = timeLimit
    }
}

/// One search of a swarm; `strategy` alone reproduces it.
public struct SwarmMember: Sendable, Hashable, CustomStringConvertible {
    public let index: Int
    public let seed: UInt64
    public let walks: Int
    public let depth: Int

    public var strategy: SearchStrategy { .randomWalk(seed: seed, walks: walks, depth: depth) }
    public var description: String { "member \(index) (seed \(seed), \(walks) walks of at most \(depth) steps)" }
}

/// What a swarm found.
public struct SwarmResult<System: TransitionSystem> {
    /// Every member of the swarm, in order.
    public let members: [SwarmMember]
    /// Members whose search ran to its end.
    public let finishedMembers: Int
    /// The lowest-numbered member that found a violation, with its search result.
    public let finding: (member: SwarmMember, result: CheckResult<System>)?
    /// Transitions taken and states visited, summed over the finished members (states seen by
    /// two members count twice).
    public let transitions: Int
    public let visitedStates: Int
    public let seconds: Double
}

/// Results of the members, filled from several threads.
final class SwarmSlots<System: TransitionSystem>: Sendable {
    private struct Slots: Sendable {
        var results: [CheckResult<System>?]
        /// The lowest-numbered member that found a violation (`Int.max`: none yet).
        var lowest = Int.max
        var finished = 0
    }
    private let slots: Mutex<Slots>

    init(count: Int) { slots = Mutex(Slots(results: Array(repeating: nil, count: count))) }

    var lowestFinding: Int { slots.withLock { $0.lowest } }
    var finished: Int { slots.withLock { $0.finished } }

    func store(_ result: CheckResult<System>, at index: Int, found: Bool) {
        slots.withLock { slots in
            guard result.outcome != .interrupted else { return }
            slots.results[index] = result
            slots.finished += 1
            if found { slots.lowest = min(slots.lowest, index) }
        }
    }

    func result(members: [SwarmMember], seconds: Double) -> SwarmResult<System> {
        slots.withLock { slots in
            // Only members up to the finding count: those above it may or may not have run.
            let counted = slots.results.prefix(slots.lowest == Int.max ? slots.results.count : slots.lowest + 1).compactMap { $0 }
            let finding = slots.lowest == Int.max ? nil : (member: members[slots.lowest], result: slots.results[slots.lowest]!)
            return SwarmResult(
                members: members, finishedMembers: counted.count, finding: finding,
                transitions: counted.reduce(0) { $0 + $1.statistics.transitions },
                visitedStates: counted.reduce(0) { $0 + $1.statistics.distinctStates }, seconds: seconds)
        }
    }
}
