extension Job {
    /// The order in which queued jobs are claimed: higher priority first, then older first, then by id.
    public static func isClaimedBefore(_ lhs: Job, _ rhs: Job) -> Bool {
        if lhs.priority != rhs.priority { return lhs.priority > rhs.priority }
        if lhs.createdAt != rhs.createdAt { return lhs.createdAt < rhs.createdAt }
        return lhs.id < rhs.id
    }
}
