import DarkroomBackends
import Foundation
import Testing

@Suite struct GeneratedImageDigestTests {
    func image(_ bytes: [UInt8]) -> GeneratedImage {
        GeneratedImage(png: Data(bytes), width: 1, height: 1, seed: 0)
    }

    @Test(
        "sha256 is the lowercase hex digest of the PNG bytes",
        arguments: [
            ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
            ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        ]
    )
    func knownDigests(input: String, digest: String) {
        #expect(image(Array(input.utf8)).sha256 == digest)
    }

    @Test("sha256 is 64 lowercase hex characters")
    func shape() {
        let digest = image([0x89, 0x50, 0x4E, 0x47]).sha256
        #expect(digest.count == 64)
        #expect(digest.allSatisfy { "0123456789abcdef".contains($0) })
    }

    @Test("sha256 depends on the bytes only")
    func bytesOnly() {
        let first = GeneratedImage(png: Data([1, 2, 3]), width: 1, height: 1, seed: 0)
        let second = GeneratedImage(png: Data([1, 2, 3]), width: 512, height: 512, seed: 9)
        #expect(first.sha256 == second.sha256)
        #expect(first.sha256 != image([1, 2, 4]).sha256)
    }
}
