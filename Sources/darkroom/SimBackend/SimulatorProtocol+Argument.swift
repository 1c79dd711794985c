import ArgumentParser
import DarkroomSimulator

/// `--protocol a1111|comfyui`.
extension SimulatorProtocol: ExpressibleByArgument {}
