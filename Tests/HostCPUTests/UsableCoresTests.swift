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
        let quota = try? String(contentsOfFile: "/sys/fs/cgroup/cpu.max", encoding: .utf8)
        #expect(UsableCores.count == UsableCores.limit(cpus: allowed, cpuMax: quota))
        #endif
    }
}
