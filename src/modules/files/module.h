// Files: cover images and attachments that modules store with FileStore (store.h) after
// check_upload (upload.h), served at GET /dateien/{id}/{name}.
//
// Who may read a file is decided by the module that owns it: a module whose files are
// served here implements FileOwner as well as web::Module, and claims owner kinds:
//
//   class ParticipationModule : public web::Module, public files::FileOwner {
//     bool owns_files_of(std::string_view kind) const override { return kind == "process"; }
//     Result<files::Visibility> file_visibility(web::Services& s, const http::Request& r,
//                                               const files::Owner& owner) const override {
//       ... drafts: restricted for their editors, hidden from everyone else ...
//     }
//   };
//
// A file whose owner kind no module claims is hidden. Responses carry the sniffed
// Content-Type, X-Content-Type-Options: nosniff, Content-Disposition (inline for images,
// attachment for PDFs; RFC 6266 with an ASCII fallback and RFC 5987 filename*),
// Content-Security-Policy "default-src 'none'; sandbox" (so an opened file can run nothing
// and reach nothing), an ETag from the SHA-256 (If-None-Match gives 304), and
// Cache-Control "public, max-age=31536000, immutable" only for files everyone may read
// (a file under an id never changes); others get "private, no-cache".
//
// DSGVO: the metadata of every file a person uploaded is in their data export; erasing
// the account keeps the files with what they belong to and forgets the uploader.
#pragma once

#include <memory>
#include <string_view>

#include "http/multipart.h"
#include "modules/files/store.h"
#include "web/form_state.h"
#include "web/module.h"

namespace ah::modules::files {

enum class Visibility {
  hidden,      // 404, as if it did not exist
  restricted,  // this reader may see it, not everyone (e.g. the editors of a draft)
  everyone,    // public: shared caches may keep it
};

class FileOwner {
 public:
  virtual ~FileOwner() = default;
  virtual bool owns_files_of(std::string_view kind) const = 0;
  virtual Result<Visibility> file_visibility(web::Services& services, const http::Request& request,
                                             const Owner& owner) const = 0;
};

// Asks the module that owns `owner.kind` (among services.modules); hidden if none does.
Result<Visibility> visibility(web::Services& services, const http::Request& request,
                              const Owner& owner);

// "PDF, 1,2 MB" / "PNG-Bild, 350 kB": a file's kind and size for a list of attachments.
std::string describe_file(const StoredFile& file, const web::Catalog& catalog,
                          std::string_view lang);

// A file a person attached to a form, checked, with the link text it will carry.
struct Attachment {
  std::string title;
  CheckedUpload file;
};

// The attachments sent in the file fields attachment0 … attachment{rows-1} (images or
// PDFs), each with an optional link text in attachmentI_title (the file's name when
// blank). A refused file's reason goes to form.messages under its field, in the person's
// language; browsers cannot refill file inputs, so when the form comes back after files
// were chosen, form.messages["files"] says to choose them again.
std::vector<Attachment> checked_attachments(const http::MultipartForm& sent, int rows,
                                            const web::Catalog& catalog, std::string_view lang,
                                            web::FormState& form);
// The fields for {{> _files_attachments}}: `rows` file inputs attachment0 …, each with the
// reason its file was refused (from `form`, if any), folded open when a file needs the
// person's attention.
void set_attachment_fields(web::Data& data, int rows, const web::FormState* form);

}  // namespace ah::modules::files

namespace ah::modules {

std::unique_ptr<web::Module> make_files_module();

}  // namespace ah::modules
