import ModelChecking
import Testing

/// A counterexample whose last state is discovered long after the first segments of
/// predecessor links were spilled to disk (64Ki entries a segment): its links are read back from
/// the spill file, and the trace is still the shortest one.
@Test(arguments: [1, 2])
func traceIsRebuiltFromSpilledLinks(workers: Int) throws {
    let size = 400  // 160,000 states; the far corner is among the last discovered
    let system = Grid(
        width: size, height: size,
        props: [.always("notInTheFarCorner") { $0.x < size - 1 || $0.y < size - 1 }])
    let result = Checker(system, options: CheckerOptions(workers: workers, progressInterval: nil)).run()
    let trace = try #require(result.verdict(named: "notInTheFarCorner")?.status.trace)
    #expect(trace.length == 2 * (size - 1))
    #expect(trace.finalState == Grid.State(x: size - 1, y: size - 1))
    #expect(result.statistics.distinctStates > 2 * 65_536)
    #expect(result.warnings.isEmpty, "\(result.warnings)")
}
