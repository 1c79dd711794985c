import HTTPTypes

/// The samplers and schedulers the simulated WebUI offers (A1111 1.10's k-diffusion list, plus Forge Neo's
/// Res Multistep), and A1111's rules for resolving a request's sampler name.
package enum A1111Samplers {
    package struct Sampler: Sendable {
        package var name: String
        package var aliases: [String]
        package var options: [String: String] = [:]
    }

    package struct Scheduler: Sendable {
        package var name: String
        package var label: String
        package var aliases: [String]? = nil
        package var defaultRho: Double = -1
        package var needsInnerModel = false
    }

    package static let samplers: [Sampler] = [
        .init(name: "DPM++ 2M", aliases: ["k_dpmpp_2m"], options: ["scheduler": "karras"]),
        .init(name: "DPM++ SDE", aliases: ["k_dpmpp_sde"], options: ["scheduler": "karras", "second_order": "True"]),
        .init(
            name: "DPM++ 2M SDE", aliases: ["k_dpmpp_2m_sde"],
            options: ["scheduler": "exponential", "brownian_noise": "True"]),
        .init(name: "Euler a", aliases: ["k_euler_a", "k_euler_ancestral"], options: ["uses_ensd": "True"]),
        .init(name: "Euler", aliases: ["k_euler"]),
        .init(name: "LMS", aliases: ["k_lms"]),
        .init(name: "Heun", aliases: ["k_heun"], options: ["second_order": "True"]),
        .init(
            name: "DPM2", aliases: ["k_dpm_2"], options: ["discard_next_to_last_sigma": "True", "second_order": "True"]),
        .init(name: "DDIM", aliases: ["ddim"]),
        .init(name: "UniPC", aliases: ["unipc"]),
        .init(name: "LCM", aliases: ["k_lcm"]),
        .init(name: "Res Multistep", aliases: ["res_multistep"]),
    ]

    package static let schedulers: [Scheduler] = [
        .init(name: "automatic", label: "Automatic"),
        .init(name: "uniform", label: "Uniform", needsInnerModel: true),
        .init(name: "karras", label: "Karras", defaultRho: 7),
        .init(name: "exponential", label: "Exponential"),
        .init(name: "polyexponential", label: "Polyexponential", defaultRho: 1),
        .init(name: "sgm_uniform", label: "SGM Uniform", aliases: ["SGMUniform"], needsInnerModel: true),
        .init(name: "kl_optimal", label: "KL Optimal"),
        .init(name: "align_your_steps", label: "Align Your Steps"),
        .init(name: "simple", label: "Simple", needsInnerModel: true),
        .init(name: "normal", label: "Normal", needsInnerModel: true),
        .init(name: "ddim", label: "DDIM", needsInnerModel: true),
        .init(name: "beta", label: "Beta", needsInnerModel: true),
        .init(name: "linear_quadratic", label: "Linear Quadratic"),
    ]

    /// A1111's `get_sampler_and_scheduler` followed by `validate_sampler_name`: a trailing scheduler
    /// name ("DPM++ 2M Karras") selects that scheduler; the rest must be a sampler's name or alias
    /// (case-sensitive), or the request fails with 400 "Sampler not found".
    ///
    /// - Returns: the sampler's name and the scheduler's label.
    package static func resolve(sampler requested: String, scheduler requestedScheduler: String?) throws(A1111Error)
        -> (sampler: String, scheduler: String)
    {
        var scheduler = schedulers.first { matches($0, requestedScheduler) } ?? schedulers[0]
        var name = requested
        for candidate in schedulers {
            let suffix = ([candidate.label, candidate.name] + (candidate.aliases ?? [])).first {
                name.hasSuffix(" " + $0)
            }
            if let suffix {
                scheduler = candidate
                name = String(name.dropLast(suffix.count + 1))
                break
            }
        }
        guard let sampler = samplers.first(where: { $0.name == name || $0.aliases.contains(name) }) else {
            throw .http(status: .badRequest, detail: "Sampler not found")
        }
        return (sampler.name, scheduler.label)
    }

    private static func matches(_ scheduler: Scheduler, _ name: String?) -> Bool {
        guard let name else { return false }
        return scheduler.name == name || scheduler.label == name || (scheduler.aliases ?? []).contains(name)
    }
}
