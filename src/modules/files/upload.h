// Checking an uploaded file before anything is stored: what it is (sniff.h), whether that
// is what it claims to be, whether it is allowed here, and whether it is within the limits.
//
//   auto checked = files::check_upload(*form.file("cover"), files::Accept::images);
//   if (!checked) form.messages["cover"] = files::describe(checked.error(), catalog, lang);
//   else files::FileStore(db, data_dir).add({...}, *checked, now);
//
// A file "claims" a type through its name's extension and through the Content-Type its
// part was sent with (application/octet-stream and an absent type claim nothing). A claim
// the bytes do not bear out is refused, naming the claim ("Die Datei „plan.png“ ist kein
// PNG-Bild."), even if the bytes are another allowed type: a person who picked the wrong
// file learns it at once. An extension we do not know (".html", ".svg", ".exe") is a claim
// of something we never accept.
//
// Limits: images at most kMaxImageBytes and kMaxImageSide pixels on either side (a small
// file can decode to gigabytes); PDFs at most kMaxPdfBytes.
#pragma once

#include <cstddef>
#include <cstdint>
#include <expected>
#include <string>

#include "http/multipart.h"
#include "modules/files/sniff.h"
#include "web/i18n.h"

namespace ah::modules::files {

inline constexpr std::size_t kMaxImageBytes = 5 * 1024 * 1024;
inline constexpr std::size_t kMaxPdfBytes = 20 * 1024 * 1024;
inline constexpr std::int64_t kMaxImageSide = 8000;

enum class Accept { images, images_and_pdf };

// A file that passed check_upload: its bytes, what they are, and a name safe to show.
struct CheckedUpload {
  std::string data;
  Sniffed sniffed;
  std::string file_name;  // display_file_name() of what was sent
};

struct Refusal {
  std::string key;        // catalogue key (files_error_…); the text has {file} and {limit}
  std::string file_name;  // as shown to the person
  std::string limit;      // e.g. "5 MB" or "8000 × 8000", for the key's {limit}
};

std::expected<CheckedUpload, Refusal> check_upload(const http::UploadedFile& file, Accept accept);

// The refusal in the person's language.
std::string describe(const Refusal& refusal, const web::Catalog& catalog, std::string_view lang);

// A file name fit to show and to send back in Content-Disposition: the last component of
// what the client sent (some send a whole Windows path), without control characters,
// leading dots and surrounding spaces, at most 120 bytes of UTF-8 (the extension kept),
// with the canonical extension of `type` appended when it has none; "datei.EXT" when
// nothing is left.
std::string display_file_name(std::string_view sent, MediaType type);

}  // namespace ah::modules::files
