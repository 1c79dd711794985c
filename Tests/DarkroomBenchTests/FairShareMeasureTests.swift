import DarkroomBench
import Foundation
import Testing

/// The fairness scenario's verdict, from job start and finish times.
struct FairShareMeasureTests {
    private let t0 = Date(timeIntervalSince1970: 1_000_000)

    /// `count` back-to-back one-second runs on one GPU from `start` seconds.
    private func runs(_ count: Int, from start: Double) -> [ClosedRange<Date>] {
        (0..<count).map { t0.addingTimeInterval(start + Double($0))...t0.addingTimeInterval(start + Double($0) + 1) }
    }

    @Test("shares in the weights' proportion are exact, with Jain's index 1")
    func exactShares() throws {
        // Two GPUs: one runs the light tenant's jobs, one the heavy tenant's, and the heavy one has its own GPU
        // for twice as many jobs in the window, through a second GPU of its own.
        let light = runs(10, from: 0)
        let measure = try #require(
            FairShareMeasure([
                .init(name: "light", weight: 1, runs: light),
                .init(name: "heavy", weight: 2, runs: runs(10, from: 0) + runs(10, from: 0)),
            ]))
        // From the first start to the last start of a tenant: here both tenants' last jobs start together.
        #expect(measure.window == light[0].lowerBound...light[9].lowerBound)
        #expect(measure.shares.map(\.gpuSeconds) == [9, 18])
        #expect(abs(measure.shares[0].share - 1.0 / 3) < 1e-12)
        #expect(abs(measure.worstError) < 1e-12)
        #expect(abs(measure.jainIndex - 1) < 1e-12)
    }

    @Test("the window closes when the first tenant's last job starts: the share left after it is not counted")
    func windowClosesAtFirstExhaustion() throws {
        // Equal weights, equal service until 5 s; then the short tenant is done and the other runs alone.
        let short = runs(5, from: 0)
        let measure = try #require(
            FairShareMeasure([
                .init(name: "short", weight: 1, runs: short),
                .init(name: "long", weight: 1, runs: runs(20, from: 0)),
            ]))
        #expect(measure.window.upperBound == short[4].lowerBound)
        #expect(measure.shares.map(\.gpuSeconds) == [4, 4])
        #expect(abs(measure.worstError) < 1e-12)
    }

    @Test("an unfair split shows its error and a lower Jain's index; a tenant that ran nothing has no window")
    func unfairSplit() throws {
        let measure = try #require(
            FairShareMeasure([
                .init(name: "a", weight: 1, runs: runs(10, from: 0) + runs(10, from: 0) + runs(10, from: 0)),
                .init(name: "b", weight: 1, runs: runs(10, from: 0)),
            ]))
        #expect(abs(measure.shares[0].share - 0.75) < 1e-12)
        #expect(abs(measure.worstError - 0.5) < 1e-12)
        #expect(measure.jainIndex < 0.81 && measure.jainIndex > 0.79)
        #expect(
            FairShareMeasure([
                .init(name: "a", weight: 1, runs: runs(3, from: 0)), .init(name: "b", weight: 1, runs: []),
            ]) == nil)
    }
}
