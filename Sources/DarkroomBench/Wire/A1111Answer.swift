/// The part of an A1111 `txt2img` answer the bench checks: the base64 images.
struct A1111Answer: Decodable {
    var images: [String]?
}
