/// The built-in specification library: every spec, in a stable order.
public enum SpecLibrary {
    /// All specs. Each category file contributes its list.
    public static var all: [Spec] {
        MessagePropertySpecs.all + PerKindSpecs.all + ScalableMessagingSpecs.all + BugPatternSpecs.all + ApplicationSpecs.all
    }

    /// The spec called `name`, or `nil`.
    public static func spec(named name: String) -> Spec? {
        all.first { $0.name == name }
    }

    /// Spec names close to `name` (case-insensitive substring or small edit distance), for
    /// "unknown spec" messages.
    public static func names(near name: String, limit: Int = 5) -> [String] {
        let query = name.lowercased()
        let scored = all.map(\.name).map { candidate -> (String, Int) in
            let lower = candidate.lowercased()
            if lower.contains(query) || (query.count >= 2 && query.contains(lower)) { return (candidate, 0) }
            return (candidate, editDistance(query, lower))
        }
        let threshold = max(3, query.count / 2)
        return scored.filter { $0.1 <= threshold }.sorted { ($0.1, $0.0) < ($1.1, $1.0) }.prefix(limit).map(\.0)
    }

    static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0 ... b.count)
        for i in 1 ... a.count {
            var current = [i] + Array(repeating: 0, count: b.count)
            for j in 1 ... b.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            previous = current
        }
        return previous[b.count]
    }
}
