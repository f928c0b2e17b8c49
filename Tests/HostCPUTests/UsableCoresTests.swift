import Foundation
import HostCPU
import Testing

/// The cores a process may use: its affinity, limited by the cgroup CPU quota.
@Suite struct UsableCoresTests {
    @Test func quotaLimitsTheAffinity() {
        #expect(UsableCores.limit(cpus: 8, cpuMax: "max 100000\n") == 8)
        #expect(UsableCores.limit(cpus: 8, cpuMax: "150000 100000\n") == 2)
        #expect(UsableCores.limit(cpus: 8, cpuMax: "100000 100000") == 1)
        #expect(UsableCores.limit(cpus: 8, cpuMax: "50000 100000") == 1)
        #expect(UsableCores.limit(cpus: 2, cpuMax: "400000 100000") == 2)
        #expect(UsableCores.limit(cpus: 4, cpuMax: nil) == 4)
        #expect(UsableCores.limit(cpus: 4, cpuMax: "garbage") == 4)
        #expect(UsableCores.limit(cpus: 4, cpuMax: "-1 100000") == 4)
        #expect(UsableCores.limit(cpus: 0, cpuMax: nil) == 1)
    }

    /// The files a quota may sit in: v2 `cpu.max` at the mount's root and along the process's cgroup path, v1
    /// quota/period pairs under the `cpu` controller's mount; nothing for a path this namespace cannot see.
    @Test func quotaFilesFollowTheMembership() {
        let v2 = UsableCores.quotaFiles(membership: "0::/system.slice/incognita.service\n", root: "/cg")
        #expect(v2 == [["/cg/cpu.max"], ["/cg/system.slice/cpu.max"], ["/cg/system.slice/incognita.service/cpu.max"]])
        #expect(UsableCores.quotaFiles(membership: "0::/\n", root: "/cg") == [["/cg/cpu.max"]])
        let v1 = UsableCores.quotaFiles(membership: "4:memory:/docker/ab\n2:cpu,cpuacct:/docker/ab\n0::/\n", root: "/cg")
        #expect(v1 == [
            ["/cg/cpu,cpuacct/cpu.cfs_quota_us", "/cg/cpu,cpuacct/cpu.cfs_period_us"],
            ["/cg/cpu,cpuacct/docker/cpu.cfs_quota_us", "/cg/cpu,cpuacct/docker/cpu.cfs_period_us"],
            ["/cg/cpu,cpuacct/docker/ab/cpu.cfs_quota_us", "/cg/cpu,cpuacct/docker/ab/cpu.cfs_period_us"],
            ["/cg/cpu.max"],
        ])
        #expect(UsableCores.quotaFiles(membership: "1:cpu:/\n", root: "/cg") == [["/cg/cpu/cpu.cfs_quota_us", "/cg/cpu/cpu.cfs_period_us"]])
        #expect(UsableCores.quotaFiles(membership: "0::/../outside\n", root: "/cg") == [["/cg/cpu.max"]])
        #expect(UsableCores.quotaFiles(membership: nil).isEmpty)
        #expect(UsableCores.quotaFiles(membership: "garbage").isEmpty)
        // v1's two files joined read as one cpu.max text, "-1" meaning no quota.
        #expect(UsableCores.limit(cpus: 8, cpuMax: "-1 100000") == 8)
        #expect(UsableCores.limit(cpus: 8, cpuMax: "250000\n 100000\n") == 3)
    }

    /// The smallest quota on the way down counts, in either cgroup version, read from real files.
    @Test func theTightestQuotaAboveTheProcessWins() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("cgroup-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: root) }
        func write(_ path: String, _ text: String) throws {
            try FileManager.default.createDirectory(atPath: (root + path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try text.write(toFile: root + path, atomically: true, encoding: .utf8)
        }
        try write("/cpu.max", "max 100000\n")
        try write("/a/cpu.max", "150000 100000\n")
        try write("/a/b/cpu.max", "max 100000\n")
        try write("/cpu,cpuacct/docker/cpu.cfs_quota_us", "50000\n")
        try write("/cpu,cpuacct/docker/cpu.cfs_period_us", "100000\n")
        try write("/cpu,cpuacct/docker/ab/cpu.cfs_quota_us", "-1\n")
        try write("/cpu,cpuacct/docker/ab/cpu.cfs_period_us", "100000\n")
        #expect(UsableCores.usable(cpus: 8, membership: "0::/a/b\n", root: root) == 2)
        #expect(UsableCores.usable(cpus: 1, membership: "0::/a/b\n", root: root) == 1)
        #expect(UsableCores.usable(cpus: 8, membership: "0::/\n", root: root) == 8)
        #expect(UsableCores.usable(cpus: 8, membership: "0::/elsewhere\n", root: root) == 8)
        #expect(UsableCores.usable(cpus: 8, membership: "3:cpu,cpuacct:/docker/ab\n0::/a\n", root: root) == 1)
        // A quota file without its period file is no quota.
        try FileManager.default.removeItem(atPath: root + "/cpu,cpuacct/docker/cpu.cfs_period_us")
        #expect(UsableCores.usable(cpus: 8, membership: "3:cpu,cpuacct:/docker/ab\n", root: root) == 8)
    }

    /// This process: at least one core, never more than the machine has, and exactly what `taskset` / the
    /// kernel report as allowed (/proc/self/status) when no quota applies.
    @Test func thisProcess() throws {
        #expect(UsableCores.count >= 1 && UsableCores.count <= ProcessInfo.processInfo.processorCount)
        #if os(Linux)
        let status = try String(contentsOfFile: "/proc/self/status", encoding: .utf8)
        let list = try #require(status.split(separator: "\n").first { $0.hasPrefix("Cpus_allowed_list:") })
        var allowed = 0
        for range in list.split(separator: ":")[1].split(separator: ",") {
            let ends = range.split(separator: "-").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
            allowed += ends.count == 2 ? ends[1] - ends[0] + 1 : 1
        }
        // Every quota above this process, read independently of the code under test.
        var expected = allowed
        for path in ["/sys/fs/cgroup/cpu.max", "/sys/fs/cgroup/cpu,cpuacct/cpu.cfs_quota_us", "/sys/fs/cgroup/cpu/cpu.cfs_quota_us"] {
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { continue }
            let fields = text.split(whereSeparator: \.isWhitespace)
            let period = path.hasSuffix("cpu.max") ? fields.last.flatMap { Double($0) }
                : (try? String(contentsOfFile: path.replacingOccurrences(of: "quota", with: "period"), encoding: .utf8)).flatMap { Double($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
            if let quota = fields.first.flatMap({ Double($0) }), quota > 0, let period, period > 0 {
                expected = min(expected, Int((quota / period).rounded(.up)))
            }
        }
        if !((try? String(contentsOfFile: "/proc/self/cgroup", encoding: .utf8)) ?? "").contains("::/\n") {
            // A cgroup below the root may carry its own quota: only bound the answer then.
            #expect(UsableCores.count <= expected)
        } else {
            #expect(UsableCores.count == max(1, expected))
        }
        #endif
    }
}
