import ArgumentParser
import DarkroomWorker

/// How long finished jobs and their images are kept (`--retention-days`), and the image directory's strays
/// (`--stray-age`).
struct RetentionOptions: ParsableArguments {
    @Option(help: "Days finished jobs and their images are kept; a sweep every hour deletes older ones.")
    var retentionDays = 7.0

    @Option(
        help: """
            Seconds a temporary file, or an image no job refers to, must age before the sweep (at start and \
            hourly) removes it from the image directory.
            """)
    var strayAge = 3600.0

    func validate() throws {
        guard retentionDays > 0, retentionDays.isFinite else {
            throw ValidationError("--retention-days must be a number of days above 0")
        }
        guard strayAge > 0, strayAge.isFinite else { throw ValidationError("--stray-age must be above 0 seconds") }
    }

    var configuration: Retention.Configuration {
        Retention.Configuration(keepFinishedFor: .seconds(retentionDays * 24 * 3600), strayAge: .seconds(strayAge))
    }
}
