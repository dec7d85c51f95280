import ArgumentParser
import ICSpec

/// A spec name the catalogue does not have, with the closest names: the one wording of this
/// mistake in every command (check, verify, list, replay, simulate, bench spec), so that a typo
/// is answered the same way wherever it is made.
struct UnknownSpecError: Error, CustomStringConvertible {
    let names: [String]
    let suggestions: [String]

    init(_ names: [String], in catalog: SpecCatalog) {
        self.names = names
        var near: [String] = []
        for name in names {
            var close = catalog.names(near: name)
            if close.isEmpty {
                // A name cut short or with a different ending ("B1-reentry"): the names sharing a long prefix.
                let query = Array(name.lowercased())
                close = catalog.names.filter { candidate in
                    let shared = zip(query, candidate.lowercased()).prefix { $0 == $1 }.count
                    return shared >= max(3, query.count / 2)
                }
            }
            near += close.filter { !near.contains($0) }
        }
        suggestions = Array(near.prefix(5))
    }

    var description: String {
        let quoted = names.map { "'\($0)'" }.joined(separator: ", ")
        let hint = suggestions.isEmpty ? "`icmc list` shows every name" : "did you mean \(suggestions.joined(separator: ", "))? (`icmc list` shows every name)"
        return "unknown spec\(names.count == 1 ? "" : "s") \(quoted); \(hint)"
    }
}

extension SpecCatalog {
    /// The entry called `name`, or `UnknownSpecError` with suggestions.
    func requireEntry(named name: String) throws(UnknownSpecError) -> Entry {
        guard let entry = entry(named: name) else { throw UnknownSpecError([name], in: self) }
        return entry
    }

    /// Throws `UnknownSpecError` for the names the catalogue does not have.
    func requireNames(_ names: [String]) throws(UnknownSpecError) {
        let unknown = names.filter { entry(named: $0) == nil }
        if !unknown.isEmpty { throw UnknownSpecError(unknown, in: self) }
    }
}
