/// Breadth-first shortest paths over an implicit graph of `nodeCount` nodes.
///
/// Reused for every search of a check: per-node arrays are allocated once (16 B per node)
/// and invalidated in O(1) by bumping a generation stamp.
struct PathFinder {
    /// A path: `nodes[0]` is a source; `edges[i]` leads from `nodes[i]` to `nodes[i + 1]`.
    struct Path {
        var nodes: [Int]
        var edges: [Int]
    }

    private var seen: [UInt32]
    private var parentNode: [UInt32]
    private var parentEdge: [Int]
    /// Marks a source in `parentEdge` (edge numbers may be negative for pseudo-edges).
    private static var sourceMark: Int { .min }
    private var generation: UInt32 = 0
    private var queue: [UInt32] = []

    init(nodeCount: Int) {
        seen = Array(repeating: 0, count: nodeCount)
        parentNode = Array(repeating: 0, count: nodeCount)
        parentEdge = Array(repeating: Self.sourceMark, count: nodeCount)
    }

    /// The shortest path from one of `sources` (earlier sources win ties) to a node satisfying
    /// `isTarget`. A source that is a target gives an empty path only if `allowEmpty`;
    /// otherwise at least one edge is taken, even back into a source (to close cycles).
    /// `neighbors(node, &out)` appends each out-edge `(edge, next)` of `node`, in a fixed order.
    mutating func shortestPath(
        from sources: [Int],
        allowEmpty: Bool,
        neighbors: (Int, inout [(edge: Int, node: Int)]) -> Void,
        isTarget: (Int) -> Bool
    ) -> Path? {
        if allowEmpty, let source = sources.first(where: isTarget) {
            return Path(nodes: [source], edges: [])
        }
        generation += 1
        let stamp = generation
        queue.removeAll(keepingCapacity: true)
        for source in sources where seen[source] != stamp {
            seen[source] = stamp
            parentEdge[source] = Self.sourceMark
            queue.append(UInt32(source))
        }
        var head = 0
        var found: (node: Int, edge: Int, last: Int)?
        var out: [(edge: Int, node: Int)] = []
        while head < queue.count, found == nil {
            let node = Int(queue[head])
            head += 1
            out.removeAll(keepingCapacity: true)
            neighbors(node, &out)
            for (edge, next) in out {
                if isTarget(next) {
                    found = (node, edge, next)
                    break
                } else if seen[next] != stamp {
                    seen[next] = stamp
                    parentNode[next] = UInt32(node)
                    parentEdge[next] = edge
                    queue.append(UInt32(next))
                }
            }
        }
        guard let found else { return nil }
        var nodes = [found.last, found.node]
        var edges = [found.edge]
        var node = found.node
        while parentEdge[node] != Self.sourceMark {
            edges.append(parentEdge[node])
            node = Int(parentNode[node])
            nodes.append(node)
        }
        return Path(nodes: nodes.reversed(), edges: edges.reversed())
    }
}
