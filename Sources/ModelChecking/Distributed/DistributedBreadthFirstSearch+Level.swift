extension DistributedBreadthFirstSearch {
    /// One rank's part of a level's expansion: its accepted successors, in order, with their
    /// parents (indices into the rank's block) and successor indices.
    @usableFromInline
    struct Expansion {
        @usableFromInline var states: [System.State] = []
        @usableFromInline var parents: [UInt32] = []
        @usableFromInline var successors: [UInt32] = []
        @usableFromInline var transitions = 0
        @usableFromInline var terminal = 0
        /// Index in the block of the first state without successors.
        @usableFromInline var firstDeadlock: Int?
        @usableFromInline var stop: CheckOutcome?
        /// Words sent to other ranks: fingerprints (with a stop code per batch) and answers.
        @usableFromInline var fingerprintWords = 0
        @usableFromInline var answerWords = 0
        @usableFromInline var batches = 0
        @inlinable init() {}

        @inlinable var children: Range<Int> { states.indices }
    }

    /// Frontier states a rank expands before it sends their successors' fingerprints (8 bytes
    /// each) to their owners: a batch bounds the messages, not the memory (candidates wait for
    /// the owners' answers until the level ends), so it is larger than a threaded search's.
    @inlinable static var batchStates: Int { 1 << 16 }

    /// How far above the mean a rank's share of a level may be before the level is split into
    /// equal blocks again (moving states costs a path and a re-execution each; an uneven level
    /// costs the others' waiting).
    @inlinable static var rebalanceSlack: Double { 0.05 }

    /// A local stop as a number, ordered by severity (0: none); `outcome(stopCode:)` inverts it.
    @inlinable
    static func stopCode(_ outcome: CheckOutcome?) -> UInt64 {
        switch outcome {
        case .interrupted: 3
        case .memoryLimitReached: 2
        case .timeLimitReached: 1
        default: 0
        }
    }

    @inlinable
    static func outcome(stopCode: UInt64) -> CheckOutcome? {
        switch stopCode {
        case 3: .interrupted
        case 2: .memoryLimitReached
        case 1: .timeLimitReached
        default: nil
        }
    }

    /// Phases 2 and 3: expands this rank's block in batches, sending each batch's fingerprints
    /// to their owners; then, as an owner, inserts what every rank sent, sender by sender (the
    /// sequential BFS's order), and answers one bit per fingerprint: new or not.
    @inlinable
    func expand(
        _ level: Level, store: System.Frontier, visited: ShardedFingerprintSet, counters: inout SearchCounters
    ) -> Expansion {
        var expansion = Expansion()
        let batch = Self.batchStates
        let largestBlock = (0..<ranks).map { level.starts[$0 + 1] - level.starts[$0] }.max() ?? 0
        let rounds = (largestBlock + batch - 1) / batch
        // Per candidate, the rank it was sent to.
        var destinations: [UInt32] = []
        // Per round, the fingerprints every rank sent here (each sender's words start with its
        // stop code, so that agreeing on a stop costs no extra collective).
        var received: [ExchangedWords] = []
        var deduplicator = ChunkDeduplicator(table: FingerprintTable(capacity: 1 << 16))
        defer { deduplicator.table.deallocate() }
        var localStop: CheckOutcome?
        let workers = max(1, options.workers)
        var chunks: [SuccessorChunk<System, System.State>] = []
        let threaded = BreadthFirstSearch(system: system, options: options, checks: checks)
        for round in 0..<rounds {
            var outgoing = Array(repeating: [Self.stopCode(localStop)], count: ranks)
            let lower = round * batch
            let upper = min(level.frontier.count, lower + batch)
            // A successor met earlier in the same batch is not sent again (the owner would reject it).
            deduplicator.reset()
            var index = lower
            if workers > 1, lower < upper {
                index = upper
                if let stop = counters.limits.reached(after: upper - lower) {
                    localStop = stop
                } else {
                    // Threads within the rank: the chunks in order are one thread's generation order.
                    let generated = threaded.expandChunks(
                        level.frontier, range: lower..<upper, offset: 0, store: store, workers: workers, into: &chunks)
                    if generated.cancelled { localStop = .interrupted }
                    for chunk in chunks.prefix(generated.chunks) where localStop == nil {
                        expansion.transitions &+= chunk.transitions
                        expansion.terminal &+= chunk.terminal
                        if expansion.firstDeadlock == nil { expansion.firstDeadlock = chunk.firstDeadlock }
                        chunk.drain { state, fingerprint, parent, successor in
                            guard deduplicator.insert(fingerprint) else { return }
                            let destination = owner(fingerprint)
                            destinations.append(UInt32(truncatingIfNeeded: destination))
                            outgoing[destination].append(fingerprint)
                            expansion.states.append(state)
                            expansion.parents.append(parent)
                            expansion.successors.append(successor)
                        }
                    }
                }
            }
            while localStop == nil, index < upper {
                defer { index += 1 }
                if index & 1023 == 1023, let stop = counters.limits.reached(after: 1024) {
                    localStop = stop
                    break
                }
                let state = store.state(of: level.frontier[index])
                guard system.isWithinBoundary(state) else { continue }
                var successor: UInt32 = 0
                system.forEachSuccessor(of: state) { _, next in
                    defer { successor &+= 1 }
                    let fingerprint = next.fingerprint
                    guard deduplicator.insert(fingerprint) else { return }
                    let destination = owner(fingerprint)
                    destinations.append(UInt32(truncatingIfNeeded: destination))
                    outgoing[destination].append(fingerprint)
                    expansion.states.append(next)
                    expansion.parents.append(UInt32(truncatingIfNeeded: index))
                    expansion.successors.append(successor)
                }
                expansion.transitions &+= Int(successor)
                if successor == 0 {
                    expansion.terminal &+= 1
                    if expansion.firstDeadlock == nil { expansion.firstDeadlock = index }
                }
            }
            if localStop != nil {
                // Found during this batch: announce it now.
                for destination in 0..<ranks { outgoing[destination][0] = Self.stopCode(localStop) }
            }
            for destination in 0..<ranks where destination != rank { expansion.fingerprintWords += outgoing[destination].count }
            expansion.batches += 1
            let words = communicator.exchange(outgoing)
            let stop = (0..<ranks).map { words.words[words.offsets[$0]] }.max() ?? 0
            if let outcome = Self.outcome(stopCode: stop) {
                expansion.stop = outcome
                return expansion
            }
            received.append(words)
        }

        // Phase 3, as owner: sender 0's stream first, each in order, is the sequential order.
        var answers = Array(repeating: [UInt64](), count: ranks)
        for source in 0..<ranks {
            let total = received.reduce(0) { $0 + $1.offsets[source + 1] - $1.offsets[source] - 1 }
            var bits = Array(repeating: UInt64(0), count: (total + 63) / 64)
            var position = 0
            for words in received {
                words.words.withUnsafeBufferPointer { all in
                    let fingerprints = UnsafeBufferPointer(rebasing: all[(words.offsets[source] + 1)..<words.offsets[source + 1]])
                    var groupStart = 0
                    while groupStart < fingerprints.count {
                        let groupEnd = min(fingerprints.count, groupStart + 16)
                        visited.touch(UnsafeBufferPointer(rebasing: fingerprints[groupStart..<groupEnd]))
                        for member in groupStart..<groupEnd {
                            if visited.insert(fingerprints[member]) { bits[position >> 6] |= 1 &<< UInt64(position & 63) }
                            position += 1
                        }
                        groupStart = groupEnd
                    }
                }
            }
            answers[source] = bits
        }
        received = []
        for destination in 0..<ranks where destination != rank { expansion.answerWords += answers[destination].count }
        let verdicts = communicator.exchange(answers)

        // Keep the accepted candidates, in order: the answers from each owner are in the order
        // this rank sent.
        var accepted = Array(repeating: false, count: expansion.states.count)
        var answered = Array(repeating: 0, count: ranks)
        verdicts.words.withUnsafeBufferPointer { bits in
            for candidate in accepted.indices {
                let destination = Int(destinations[candidate])
                let position = answered[destination]
                answered[destination] = position + 1
                let word = bits[verdicts.offsets[destination] + position >> 6]
                accepted[candidate] = word &>> UInt64(position & 63) & 1 == 1
            }
        }
        var kept = 0
        for candidate in accepted.indices where accepted[candidate] {
            if kept != candidate {
                expansion.states[kept] = expansion.states[candidate]
                expansion.parents[kept] = expansion.parents[candidate]
                expansion.successors[kept] = expansion.successors[candidate]
            }
            kept += 1
        }
        expansion.states.removeLast(expansion.states.count - kept)
        expansion.parents.removeLast(expansion.parents.count - kept)
        expansion.successors.removeLast(expansion.successors.count - kept)
        return expansion
    }

    /// Phase 4: the next level. Rank `r`'s accepted successors have the positions after those
    /// of the ranks before it (`counts` by rank, cut at `nextCount` by the state limit). Each
    /// rank keeps its own while no rank holds more than `rebalanceSlack` above the mean;
    /// otherwise the level is split into equal blocks and states move to their block's rank as
    /// paths, which it re-executes.
    @inlinable
    func redistribute(
        _ expansion: Expansion, of level: Level, counts: [Int], nextCount: Int, store: System.Frontier,
        initialStates: [System.State], traffic: inout DistributedTraffic
    ) -> Level {
        var next = Level(pathLength: level.paths.length + 1)
        next.count = nextCount
        var natural = [0]
        for r in 0..<ranks { natural.append(min(nextCount, natural[r] + counts[r])) }
        let offset = natural[rank]
        let kept = natural[rank + 1] - offset
        let largest = (0..<ranks).map { natural[$0 + 1] - natural[$0] }.max() ?? 0
        let balanced = Double(largest) <= Double(nextCount) / Double(ranks) * (1 + Self.rebalanceSlack) + 256
        next.starts = balanced ? natural : (0...ranks).map { blockStart($0, of: nextCount) }
        next.start = next.starts[rank]
        let wordsPerPath = (next.paths.length + 1) / 2
        var outgoing = Array(repeating: [UInt64](), count: ranks)
        var local = 0..<0
        for target in 0..<ranks {
            let lower = max(offset, next.starts[target])
            let upper = min(offset + kept, next.starts[target + 1])
            guard lower < upper else { continue }
            let children = (lower - offset)..<(upper - offset)
            if target == rank {
                local = children
                continue
            }
            for child in children {
                var path = Array(level.paths.path(Int(expansion.parents[child])))
                path.append(expansion.successors[child])
                for word in 0..<wordsPerPath {
                    let low = UInt64(path[2 * word])
                    let high = 2 * word + 1 < path.count ? UInt64(path[2 * word + 1]) : 0
                    outgoing[target].append(low | high << 32)
                }
            }
        }
        for target in 0..<ranks where target != rank { traffic.pathWords += outgoing[target].count }
        traffic.statesMoved += outgoing.reduce(0) { $0 + $1.count } / wordsPerPath
        if balanced {
            // Nothing moves (every rank knows it): no exchange.
            for child in local {
                next.frontier.append(store.entry(for: expansion.states[child]))
                next.paths.appendChild(of: Int(expansion.parents[child]), in: level.paths, successor: expansion.successors[child])
            }
            store.compact(&next.frontier)
            return next
        }
        traffic.rebalances += 1
        let received = communicator.exchange(outgoing)
        var replayer = PathReplayer(system: system, initialStates: initialStates)
        var path = Array(repeating: UInt32(0), count: next.paths.length)
        for source in 0..<ranks {
            if source == rank {
                for child in local {
                    next.frontier.append(store.entry(for: expansion.states[child]))
                    next.paths.appendChild(of: Int(expansion.parents[child]), in: level.paths, successor: expansion.successors[child])
                }
                continue
            }
            let words = received.from(source)
            var cursor = words.startIndex
            while cursor < words.endIndex {
                for element in path.indices {
                    let word = words[cursor + element / 2]
                    path[element] = UInt32(truncatingIfNeeded: element % 2 == 0 ? word : word >> 32)
                }
                cursor += wordsPerPath
                guard let state = replayer.state(at: path) else {
                    preconditionFailure("distributed search: a moved state's path did not re-execute (the model is not deterministic)")
                }
                next.frontier.append(store.entry(for: state))
                next.paths.append(path)
            }
        }
        store.compact(&next.frontier)
        return next
    }
}

/// What a distributed search sent to other ranks, in 64-bit words (`ICMC_DISTRIBUTED_STATS=1`
/// prints it): the figures behind docs/architecture.md's estimate of how far it scales.
@usableFromInline
struct DistributedTraffic {
    @usableFromInline var fingerprintWords = 0
    @usableFromInline var answerWords = 0
    @usableFromInline var pathWords = 0
    @usableFromInline var statesMoved = 0
    @usableFromInline var batches = 0
    @usableFromInline var levels = 0
    @usableFromInline var rebalances = 0
    @inlinable init() {}

    @inlinable
    mutating func add(_ expansion: DistributedBreadthFirstSearch<some TransitionSystem>.Expansion) {
        fingerprintWords += expansion.fingerprintWords
        answerWords += expansion.answerWords
        batches += expansion.batches
        levels += 1
    }
}
