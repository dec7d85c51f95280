extension DistributedBreadthFirstSearch {
    /// The successors of `frontier[range]` generated chunk by chunk on `workers` threads (the
    /// threaded search's chunks), each chunk's in generation order, so that reading the chunks
    /// in order gives the order of a one-thread rank: the merge that follows (deduplication,
    /// owners, answers) then takes the same decisions, and counts, verdicts and traces do not
    /// depend on the number of threads. Returns whether the search was cancelled.
    @inlinable
    func generate(
        _ frontier: [System.Frontier.Entry], range: Range<Int>, store: System.Frontier, workers: Int,
        into chunks: inout [DiskBreadthFirstSearch<System>.ChunkSuccessors]
    ) -> (chunks: Int, cancelled: Bool) {
        let chunkSize = BreadthFirstSearch<System>.chunkSize
        let chunkCount = (range.count + chunkSize - 1) / chunkSize
        while chunks.count < chunkCount { chunks.append(.init()) }
        let system = self.system
        let entries = UncheckedSendable(frontier)
        let outputs = chunks
        let threaded = BreadthFirstSearch(system: system, options: options, checks: checks)
        let cancelled = threaded.forEachChunk(chunkCount, workers: workers) { chunk in
            let out = outputs[chunk]
            // Filled as locals (class properties would cost an exclusivity check each).
            var states: [System.State] = []
            var fingerprints: [UInt64] = []
            var parents: [UInt32] = []
            var indices: [UInt32] = []
            swap(&states, &out.states)
            swap(&fingerprints, &out.fingerprints)
            swap(&parents, &out.parents)
            swap(&indices, &out.indices)
            states.removeAll(keepingCapacity: true)
            fingerprints.removeAll(keepingCapacity: true)
            parents.removeAll(keepingCapacity: true)
            indices.removeAll(keepingCapacity: true)
            var transitions = 0
            var terminal = 0
            var firstDeadlock: Int?
            let lower = range.lowerBound + chunk * chunkSize
            for index in lower..<min(range.upperBound, lower + chunkSize) {
                let state = store.state(of: entries.value[index])
                guard system.isWithinBoundary(state) else { continue }
                var successor: UInt32 = 0
                system.forEachSuccessor(of: state) { _, next in
                    states.append(next)
                    fingerprints.append(next.fingerprint)
                    parents.append(UInt32(truncatingIfNeeded: index))
                    indices.append(successor)
                    successor &+= 1
                }
                transitions &+= Int(successor)
                if successor == 0 {
                    terminal &+= 1
                    if firstDeadlock == nil { firstDeadlock = index }
                }
            }
            swap(&states, &out.states)
            swap(&fingerprints, &out.fingerprints)
            swap(&parents, &out.parents)
            swap(&indices, &out.indices)
            out.transitions = transitions
            out.terminal = terminal
            out.firstDeadlock = firstDeadlock
        }
        return (chunkCount, cancelled)
    }
}
