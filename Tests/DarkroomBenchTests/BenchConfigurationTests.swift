import DarkroomBench
import Foundation
import Testing

@Suite struct BenchConfigurationTests {
    private let target = URL(string: "http://127.0.0.1:8080")!

    @Test("the defaults are the seed's Locust test and are valid")
    func defaults() throws {
        let configuration = BenchConfiguration(target: target)
        try configuration.validate()
        #expect(
            configuration.load
                == .closedLoop(RampSchedule(users: 200, startUsers: 50, spawnRate: 10), think: .seconds(1)))
        #expect(configuration.request.width == 1024 && configuration.request.height == 1024)
        #expect(configuration.request.steps == 8 && configuration.request.loraStrength == 1.0)
        #expect(configuration.timeout == .seconds(60))
        #expect(configuration.plannedWindow == MeasurementWindow(start: .seconds(30), end: .seconds(120)))
    }

    @Test("without --measure-last a short run is measured whole")
    func shortRunMeasuredWhole() {
        let configuration = BenchConfiguration(target: target, duration: .seconds(10))
        #expect(configuration.plannedWindow == MeasurementWindow(start: .zero, end: .seconds(10)))
    }

    /// One broken setting each, with the flag the error must name.
    private static let broken: [(flag: String, configuration: BenchConfiguration)] = {
        let target = URL(string: "http://127.0.0.1:8080")!
        func with(_ change: (inout BenchConfiguration) -> Void) -> BenchConfiguration {
            var configuration = BenchConfiguration(target: target)
            change(&configuration)
            return configuration
        }
        func ramp(_ users: Int, _ startUsers: Int, _ spawnRate: Double) -> LoadModel {
            .closedLoop(RampSchedule(users: users, startUsers: startUsers, spawnRate: spawnRate), think: .zero)
        }
        return [
            ("--measure-last", with { $0.measureLast = .seconds(121) }),
            ("--duration", with { $0.duration = .zero }),
            ("--timeout", with { $0.timeout = .zero }),
            ("--limit", with { $0.limitPerSecond = 0 }),
            ("--users", with { $0.load = ramp(0, 0, 1) }),
            ("--start-users", with { $0.load = ramp(2, 3, 1) }),
            ("--spawn-rate", with { $0.load = ramp(3, 2, 0) }),
            (
                "--think",
                with { $0.load = .closedLoop(RampSchedule(users: 1, startUsers: 1, spawnRate: 1), think: .seconds(-1)) }
            ),
            ("--rate", with { $0.load = .openLoop(arrivalsPerSecond: 0) }),
            ("--target", with { $0.target = URL(string: "ftp://example.com")! }),
            ("--width", with { $0.request.width = 0 }),
        ]
    }()

    @Test("rejects settings that cannot run, naming the flag", arguments: broken)
    func rejects(flag: String, configuration: BenchConfiguration) {
        #expect {
            try configuration.validate()
        } throws: { error in
            (error as? BenchConfigurationError)?.description.contains(flag) == true
        }
    }
}
