/// Every metric name and label key Darkroom emits, written as `/metrics` shows them.
///
/// Counters end in `_total`, durations in `_seconds`, gauges are nouns. Labels are bounded sets:
/// never a job id, a prompt or error text.
public enum MetricNames {
    public static let jobsSubmitted = "darkroom_jobs_submitted_total"
    public static let jobsFinished = "darkroom_jobs_finished_total"
    public static let jobRetries = "darkroom_job_retries_total"
    public static let leasesRescued = "darkroom_leases_rescued_total"
    /// Submits refused at admission, by `reason` (`deadline_unmeetable`, `queue_full`): demand the queue did not
    /// take, which an autoscaler must see too.
    public static let jobsRejected = "darkroom_jobs_rejected_total"
    /// Seconds slots spent on attempts, by how the attempt ended (`outcome`: `succeeded`, `failed`, `canceled`,
    /// `expired`, `handed_back`): work that produced nothing anyone received is visible.
    public static let gpuSeconds = "darkroom_gpu_seconds_total"
    /// Jobs ended `expired` by a deadline sweep (queued ones never started, running ones stopped).
    public static let jobsExpired = "darkroom_jobs_expired_total"
    /// Seconds slots spent on a tenant's attempts, whatever their outcome, by `tenant`.
    public static let tenantGPUSeconds = "darkroom_tenant_gpu_seconds_total"
    /// A tenant's jobs that ended on a worker, by `tenant` and `state` (`succeeded`, `failed`, `canceled`,
    /// `expired`).
    public static let tenantJobs = "darkroom_tenant_jobs_total"
    public static let queueDepth = "darkroom_queue_depth"
    public static let runningJobs = "darkroom_running_jobs"
    public static let slots = "darkroom_slots"
    public static let busySlots = "darkroom_busy_slots"
    /// Worker processes an autoscaler should run (``WorkerDemand``), reported by gateways.
    public static let desiredWorkers = "darkroom_desired_workers"
    public static let jobDuration = "darkroom_job_duration_seconds"
    public static let queueWait = "darkroom_queue_wait_seconds"
    /// The image directory's files and bytes, measured after each retention sweep (hourly).
    public static let imageFiles = "darkroom_image_files"
    public static let imageBytes = "darkroom_image_bytes"
    /// Files the retention sweep removed from the image directory that no job would ever read, by `kind`:
    /// `temporary` (a write that never finished) or `orphan` (an image no job refers to).
    public static let strayFilesRemoved = "darkroom_stray_files_removed_total"
    /// Every store operation, by `operation` (`enqueue`, `claim`, `complete`, `stats`, …), failures included.
    public static let storeOperationDuration = "darkroom_store_operation_duration_seconds"
    /// One slot's claim query, by outcome (`claimed` or `empty`): what the store costs per job handed out.
    public static let claimDuration = "darkroom_claim_duration_seconds"
    /// Webhook delivery attempts, by `outcome`: `delivered`, `retry` (to be tried again) or `failed` (given up).
    public static let webhookDeliveries = "darkroom_webhook_deliveries_total"
    public static let httpRequests = "darkroom_http_requests_total"
    public static let httpRequestDuration = "darkroom_http_request_duration_seconds"
    /// 0 closed, 1 half-open, 2 open (``BreakerState/gaugeValue``), per backend.
    public static let backendBreakerState = "darkroom_backend_breaker_state"
    /// A backend's slots, and how many hold a job now, per backend (the farm totals are `darkroom_slots`,
    /// `darkroom_busy_slots`).
    public static let backendSlots = "darkroom_backend_slots"
    public static let backendBusySlots = "darkroom_backend_busy_slots"
    /// Breaker openings, per backend.
    public static let backendBreakerOpened = "darkroom_backend_breaker_opened_total"
    /// 1 when the backend's last health check reached it, else 0.
    public static let backendUp = "darkroom_backend_up"
    public static let backendGPUMemoryUsed = "darkroom_backend_gpu_memory_used_bytes"
    public static let backendGPUMemoryTotal = "darkroom_backend_gpu_memory_total_bytes"
    /// Attempts that failed through the backend's fault (connection, timeout, 5xx, OOM), per backend and code.
    public static let backendFailures = "darkroom_backend_failures_total"

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
        public static let operation = "operation"
        public static let reason = "reason"
        /// A tenant's name, for the first ``tenantLabelLimit`` tenants a process sees; the rest share `other`.
        public static let tenant = "tenant"
    }

    /// How many tenants get a `tenant` label of their own in one process.
    public static let tenantLabelLimit = 50
}
