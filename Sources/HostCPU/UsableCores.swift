import CCPUID
import Foundation

/// How many cores this process can keep busy at once: the CPUs its affinity mask allows (taskset, a
/// container's cpuset), fewer when the cgroup's CPU quota (cgroup v2 `cpu.max`, e.g. `docker --cpus 1.5`)
/// grants less — rounded up, since a quota of 1.5 cores still lets two threads run half the time each.
/// Never below 1. Not the machine's CPU count, which a container or a pinned process cannot use.
public enum UsableCores {
    /// Read once, at first use.
    public static let count: Int = {
        let affinity = Int(ccpuid_affinity_count())
        let cpus = affinity > 0 ? affinity : ProcessInfo.processInfo.activeProcessorCount
        let text = try? String(contentsOfFile: "/sys/fs/cgroup/cpu.max", encoding: .utf8)
        return limit(cpus: cpus, cpuMax: text)
    }()

    /// `cpus` limited by a cgroup v2 `cpu.max` text ("max 100000" or "QUOTA PERIOD" in microseconds);
    /// nil or unreadable text leaves `cpus`.
    public static func limit(cpus: Int, cpuMax text: String?) -> Int {
        let fields = text?.split(whereSeparator: \.isWhitespace) ?? []
        guard fields.count == 2, let quota = Double(fields[0]), let period = Double(fields[1]), quota > 0, period > 0 else {
            return max(1, cpus)
        }
        return max(1, min(cpus, Int((quota / period).rounded(.up))))
    }
}
