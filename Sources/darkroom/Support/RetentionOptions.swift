import ArgumentParser
import DarkroomWorker

/// How long finished jobs and their images are kept: `--retention-days`.
struct RetentionOptions: ParsableArguments {
    @Option(help: "Days finished jobs and their images are kept; a sweep every hour deletes older ones.")
    var retentionDays = 7.0

    func validate() throws {
        guard retentionDays > 0, retentionDays.isFinite else {
            throw ValidationError("--retention-days must be a number of days above 0")
        }
    }

    var configuration: Retention.Configuration {
        Retention.Configuration(keepFinishedFor: .seconds(retentionDays * 24 * 3600))
    }
}
