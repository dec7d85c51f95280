import ModelChecking

/// Paths where two JSON values differ, deepest first-found, e.g. `canisters[1].balance`.
enum JSONDiff {
    static func paths(_ left: JSONValue, _ right: JSONValue, at path: String = "", limit: Int = 8) -> [String] {
        var result: [String] = []
        collect(left, right, path, &result, limit)
        return result
    }

    private static func collect(_ left: JSONValue, _ right: JSONValue, _ path: String, _ result: inout [String], _ limit: Int) {
        guard result.count < limit, left != right else { return }
        switch (left, right) {
        case (.object(let a), .object(let b)):
            for key in Set(a.keys).union(b.keys).sorted() {
                collect(a[key] ?? .null, b[key] ?? .null, path.isEmpty ? key : "\(path).\(key)", &result, limit)
            }
        case (.array(let a), .array(let b)) where a.count == b.count:
            for index in a.indices { collect(a[index], b[index], "\(path)[\(index)]", &result, limit) }
        default:
            result.append(path.isEmpty ? "(whole value)" : path)
        }
    }
}
