import Foundation

/// The CPUs this process may use: the affinity mask (taskset, SLURM's cgroup cpuset), capped
/// by a cgroup CPU quota (cpu.max, or cpu.cfs_quota_us / cpu.cfs_period_us) and by
/// SLURM_CPUS_PER_TASK when set. `--jobs` defaults to it; the provenance records it and why.
public enum Allocation {
    public struct CPUs: Sendable, Equatable {
        public var count: Int
        /// What decided the count, e.g. "affinity 2" or "cgroup quota 1.5 → 2".
        public var source: String
    }

    public static func cpus(environment: [String: String] = ProcessInfo.processInfo.environment) -> CPUs {
        var count = affinityCount() ?? ProcessInfo.processInfo.activeProcessorCount
        var source = "affinity mask \(count)"
        if let q = cgroupQuota(), q > 0, Int(q.rounded(.up)) < count {
            count = max(1, Int(q.rounded(.up)))
            source += ", cgroup quota \(String(format: "%.2f", q)) CPUs"
        }
        if let s = environment["SLURM_CPUS_PER_TASK"].flatMap(Int.init), s >= 1, s < count {
            count = s
            source += ", SLURM_CPUS_PER_TASK \(s)"
        }
        return CPUs(count: max(1, count), source: source)
    }

    /// Bits set in the affinity mask (`Cpus_allowed` of /proc/self/status, what
    /// sched_getaffinity returns; Glibc's module does not export sched_getaffinity).
    static func affinityCount() -> Int? {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("Cpus_allowed:") }) else { return nil }
        let hex = line.dropFirst("Cpus_allowed:".count).filter { $0.isHexDigit }
        let n = hex.reduce(0) { $0 + (Int(String($1), radix: 16) ?? 0).nonzeroBitCount }
        return n > 0 ? n : nil
    }

    /// CPUs allowed by the cgroup's quota (nil: no quota).
    static func cgroupQuota() -> Double? {
        func read(_ p: String) -> String? { try? String(contentsOfFile: p, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines) }
        if let v2 = read("/sys/fs/cgroup/cpu.max") {
            let parts = v2.split(separator: " ")
            if parts.count == 2, let q = Double(parts[0]), let p = Double(parts[1]), p > 0 { return q / p }
            return nil
        }
        if let q = read("/sys/fs/cgroup/cpu/cpu.cfs_quota_us").flatMap(Double.init), q > 0,
           let p = read("/sys/fs/cgroup/cpu/cpu.cfs_period_us").flatMap(Double.init), p > 0 {
            return q / p
        }
        return nil
    }
}
