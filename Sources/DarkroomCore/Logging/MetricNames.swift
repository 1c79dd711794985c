/// Every metric name and label key Darkroom emits, written as `/metrics` shows them.
///
/// Counters end in `_total`, durations in `_seconds`, gauges are nouns. Labels are bounded sets:
/// never a job id, a prompt or error text.
public enum MetricNames {
    public static let jobsSubmitted = "darkroom_jobs_submitted_total"
    public static let jobsFinished = "darkroom_jobs_finished_total"
    public static let jobRetries = "darkroom_job_retries_total"
    public static let leasesRescued = "darkroom_leases_rescued_total"
    public static let queueDepth = "darkroom_queue_depth"
    public static let runningJobs = "darkroom_running_jobs"
    public static let slots = "darkroom_slots"
    public static let busySlots = "darkroom_busy_slots"
    public static let jobDuration = "darkroom_job_duration_seconds"
    public static let queueWait = "darkroom_queue_wait_seconds"
    public static let httpRequests = "darkroom_http_requests_total"
    public static let httpRequestDuration = "darkroom_http_request_duration_seconds"

    /// Label keys.
    public enum Label {
        public static let priority = "priority"
        public static let state = "state"
        public static let code = "code"
        public static let backend = "backend"
        public static let route = "route"
        public static let method = "method"
        public static let status = "status"
        public static let outcome = "outcome"
    }
}
