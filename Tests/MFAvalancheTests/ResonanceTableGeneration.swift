import Foundation
import Testing
@testable import MFAvalanche

/// Regenerates reference-data/mf-avalanche-resonance-norms.csv (disabled unless
/// MFAVALANCHE_WRITE_RESONANCE_TABLE is set; ≈ 2–3 minutes of both cores):
///
///     MFAVALANCHE_WRITE_RESONANCE_TABLE=1 swift test --filter MFAvalancheTests.ResonanceTableGeneration
@Suite("mf-avalanche: regenerate the p̃ table")
struct ResonanceTableGeneration {
    @Test("write reference-data/mf-avalanche-resonance-norms.csv",
          .enabled(if: ProcessInfo.processInfo.environment["MFAVALANCHE_WRITE_RESONANCE_TABLE"] != nil))
    func regenerate() throws {
        let start = Date()
        let table = try ResonanceNormTable.Committed.generate(jobs: 2)
        try table.write(to: ResonanceNormTable.defaultURL)
        print("wrote \(ResonanceNormTable.defaultURL.path): \(table.sampleCount) samples in \(Date().timeIntervalSince(start)) s")
        let reread = try ResonanceNormTable.load()
        #expect(reread == table)
    }
}
