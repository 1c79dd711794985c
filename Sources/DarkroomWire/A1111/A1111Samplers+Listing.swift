extension A1111Samplers {
    /// `GET /sdapi/v1/samplers`.
    package static let samplerListing: JSONValue = .array(
        samplers.map { sampler in
            var options = JSONObject()
            for key in sampler.options.keys.sorted() { options[key] = .string(sampler.options[key] ?? "") }
            return ["name": .string(sampler.name), "aliases": .strings(sampler.aliases), "options": .object(options)]
        })

    /// `GET /sdapi/v1/schedulers`.
    package static let schedulerListing: JSONValue = .array(
        schedulers.map { scheduler in
            [
                "name": .string(scheduler.name), "label": .string(scheduler.label),
                "aliases": scheduler.aliases.map(JSONValue.strings) ?? .null,
                "default_rho": .double(scheduler.defaultRho), "need_inner_model": .bool(scheduler.needsInnerModel),
            ]
        })
}
