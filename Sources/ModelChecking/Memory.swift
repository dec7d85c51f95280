import Foundation

/// Peak resident memory of this process in bytes: `VmHWM` from /proc/self/status on Linux,
/// `getrusage` max RSS elsewhere (or if /proc is unavailable).
public func peakMemoryBytes() -> Int {
    #if os(Linux)
    if let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) {
        for line in status.split(separator: "\n") where line.hasPrefix("VmHWM:") {
            let digits = line.dropFirst("VmHWM:".count).filter(\.isNumber)
            if let kilobytes = Int(digits) { return kilobytes * 1024 }
        }
    }
    #endif
    var usage = rusage()
    #if os(Linux)
    guard getrusage(RUSAGE_SELF.rawValue, &usage) == 0 else { return 0 }
    return Int(usage.ru_maxrss) * 1024  // kilobytes on Linux
    #else
    guard getrusage(RUSAGE_SELF, &usage) == 0 else { return 0 }
    return Int(usage.ru_maxrss)  // bytes on Darwin
    #endif
}

/// Resident memory of this process now, in bytes (`/proc/self/statm` on Linux; the peak
/// elsewhere, which only makes a limit trip earlier).
public func currentMemoryBytes() -> Int {
    #if os(Linux)
    if let statm = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) {
        let fields = statm.split(separator: " ")
        if fields.count > 1, let pages = Int(fields[1]) { return pages * Int(sysconf(Int32(_SC_PAGESIZE))) }
    }
    #endif
    return peakMemoryBytes()
}
