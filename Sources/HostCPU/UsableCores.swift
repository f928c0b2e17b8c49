import CCPUID
import Foundation

/// How many cores this process can keep busy at once: the CPUs its affinity mask allows (taskset, a
/// container's cpuset), fewer when a CPU quota on its cgroup or any cgroup above it grants less (cgroup v2
/// `cpu.max`, cgroup v1 `cpu.cfs_quota_us` / `cpu.cfs_period_us`; e.g. `docker --cpus 1.5`, a systemd unit's
/// `CPUQuota=`) — rounded up, since a quota of 1.5 cores still lets two threads run half the time each.
/// Never below 1. Not the machine's CPU count, which a container or a pinned process cannot use.
public enum UsableCores {
    /// Read once, at first use.
    public static let count: Int = {
        let affinity = Int(ccpuid_affinity_count())
        let cpus = affinity > 0 ? affinity : ProcessInfo.processInfo.activeProcessorCount
        let membership = try? String(contentsOfFile: "/proc/self/cgroup", encoding: .utf8)
        return usable(cpus: cpus, membership: membership)
    }()

    /// `cpus` limited by every quota found under `root` for a process with this `/proc/self/cgroup` text.
    public static func usable(cpus: Int, membership: String?, root: String = "/sys/fs/cgroup") -> Int {
        quotaFiles(membership: membership, root: root).reduce(max(1, cpus)) { cores, files in
            let texts = files.compactMap { try? String(contentsOfFile: $0, encoding: .utf8) }
            return limit(cpus: cores, cpuMax: texts.count == files.count ? texts.joined(separator: " ") : nil)
        }
    }

    /// `cpus` limited by a quota text in cgroup v2 `cpu.max` form ("max 100000" or "QUOTA PERIOD" in
    /// microseconds; cgroup v1's quota and period files joined by a space read the same, "-1" meaning none);
    /// nil or unreadable text leaves `cpus`.
    public static func limit(cpus: Int, cpuMax text: String?) -> Int {
        let fields = text?.split(whereSeparator: \.isWhitespace) ?? []
        guard fields.count == 2, let quota = Double(fields[0]), let period = Double(fields[1]), quota > 0, period > 0 else {
            return max(1, cpus)
        }
        return max(1, min(cpus, Int((quota / period).rounded(.up))))
    }

    /// The files that may hold a quota on this process, from its `/proc/self/cgroup` text: for cgroup v2
    /// (`0::/path`) `cpu.max` of its cgroup and of every cgroup above it; for a cgroup v1 `cpu` controller the
    /// quota and period files of its cgroup and those above. The root of each mount comes first: inside a
    /// container the mount shows the container's own cgroup there while the membership still names the
    /// host's path. Each entry is one file (v2) or a quota file and its period file (v1); files that do not
    /// exist simply read as no quota.
    public static func quotaFiles(membership text: String?, root: String = "/sys/fs/cgroup") -> [[String]] {
        var files: [[String]] = []
        for line in (text ?? "").split(separator: "\n") {
            let parts = line.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false)
            guard parts.count == 3 else { continue }
            let controllers = parts[1].split(separator: ",")
            let directories = ancestors(of: String(parts[2]))
            if parts[0] == "0" && parts[1].isEmpty {
                files += directories.map { ["\(root)\($0)/cpu.max"] }
            } else if controllers.contains("cpu") {
                // Mounted as "cpu,cpuacct" (the usual name, with "cpu" a link to it) or as "cpu" alone.
                let mount = controllers.count > 1 ? "\(root)/\(controllers.joined(separator: ","))" : "\(root)/cpu"
                files += directories.map { ["\(mount)\($0)/cpu.cfs_quota_us", "\(mount)\($0)/cpu.cfs_period_us"] }
            }
        }
        return files
    }

    /// "" (the mount's root) and every directory from the top down to `path`; only the root for a path that
    /// is not absolute or climbs with "..", which this namespace cannot see.
    static func ancestors(of path: String) -> [String] {
        let components = path.split(separator: "/")
        guard path.hasPrefix("/"), !components.contains(where: { $0 == ".." || $0 == "." }) else { return [""] }
        var directories = [""]
        var current = ""
        for component in components {
            current += "/\(component)"
            directories.append(current)
        }
        return directories
    }
}
