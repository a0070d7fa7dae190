// Stored files: their bytes on disk, content-addressed, and a row in `files` for each use.
//
//   FileStore files(db, data_dir);
//   AH_TRY(id, files.add({.owner = {"process", 7}, .purpose = "cover", .title = alt,
//                         .uploaded_by = account}, checked_upload, now));
//   AH_TRY(list, files.list({"process", 7}));
//   AH_TRY(bytes, files.read(list.front()));
//
// Bytes live in DATA_DIR/files/ab/abcdef… (the SHA-256 in hex, first two digits as folder),
// so a file uploaded twice is stored once and a stored file never changes. A new file is
// written to DATA_DIR/files/tmp/, flushed to disk (fsync) and renamed into place, then its
// folder is flushed: a crash leaves either no file or the whole file, never half of one.
// Rows are written after the bytes, so a row never names missing bytes; a crash in
// between leaves an unreferenced file, which is harmless. Nothing deletes stored bytes yet.
//
// A row says what the file belongs to — an owner (kind and id: "process" 7) and a purpose
// ("cover", "attachment") with a title (the alt text of an image, the link text of an
// attachment) — and who uploaded it. uploaded_by becomes NULL when that account is erased:
// the file stays with what it belongs to, like a comment (DSGVO, see docs/ARCHITECTURE.md).
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "base/error.h"
#include "db/database.h"
#include "db/migrate.h"
#include "modules/files/upload.h"

namespace ah::modules::files {

// Migrations 6000–6099.
std::vector<db::Migration> files_migrations();

// What a file belongs to, e.g. {"process", 7}. The kind names the module that decides who
// may read it (FileOwner in module.h).
struct Owner {
  std::string kind;
  std::int64_t id = 0;
};

struct StoredFile {
  std::int64_t id = 0;
  Owner owner;
  std::string purpose, title;
  std::string sha256;                  // hex
  std::int64_t size = 0;               // bytes
  std::string media_type;              // sniffed, e.g. "image/png"
  std::string file_name;               // display_file_name() of the upload
  std::int64_t width = 0, height = 0;  // pixels; 0 for PDFs
  std::optional<std::int64_t> uploaded_by;
  std::int64_t created_at = 0;

  bool is_image() const { return media_type.starts_with("image/"); }
  // "/dateien/ID/NAME" with the name percent-encoded.
  std::string url() const;
};

struct NewFile {
  Owner owner;
  std::string purpose, title;
  std::optional<std::int64_t> uploaded_by;
};

// The content-addressed folder of bytes (DATA_DIR/files).
class BlobStore {
 public:
  explicit BlobStore(std::filesystem::path root) : root_(std::move(root)) {}
  // Stores `data` unless the same bytes are there already; returns their SHA-256 in hex.
  // unavailable (with the path in the detail) when the disk refuses.
  Result<std::string> put(std::string_view data) const;
  // not_found when there are no bytes for `sha256`.
  Result<std::string> get(std::string_view sha256) const;
  std::filesystem::path path(std::string_view sha256) const;

 private:
  std::filesystem::path root_;
};

// Hex SHA-256 of `data`.
std::string sha256_hex(std::string_view data);

class FileStore {
 public:
  FileStore(db::Database& db, const std::filesystem::path& data_dir)
      : db_(db), blobs_(data_dir / "files") {}

  // Writes the bytes (BlobStore::put), then the row; returns the row's id.
  Result<std::int64_t> add(const NewFile& file, const CheckedUpload& upload, std::int64_t now);
  // Writes the bytes only: for callers that add rows later (add_row), e.g. once what the
  // file belongs to exists.
  Result<std::string> put_bytes(const CheckedUpload& upload) { return blobs_.put(upload.data); }
  // The row for bytes already stored with put_bytes (their hash `sha256`).
  Result<std::int64_t> add_row(const NewFile& file, const CheckedUpload& upload,
                               std::string_view sha256, std::int64_t now);
  // The same inside a caller's transaction (the row lands with what it belongs to).
  static Result<std::int64_t> add_row(db::Connection& tx, const NewFile& file,
                                      const CheckedUpload& upload, std::string_view sha256,
                                      std::int64_t now);
  Result<StoredFile> find(std::int64_t id) const;  // not_found
  // The files of `owner`, by purpose and then in upload order.
  Result<std::vector<StoredFile>> list(const Owner& owner) const;
  // The files of each owner of `kind` among `ids` (in one query, for lists), by owner id;
  // an owner without files has no entry.
  Result<std::map<std::int64_t, std::vector<StoredFile>>> list_for(
      std::string_view kind, std::span<const std::int64_t> ids) const;
  // Every file `account` uploaded (for the data export), oldest first.
  Result<std::vector<StoredFile>> uploaded_by(std::int64_t account) const;
  Result<std::string> read(const StoredFile& file) const { return blobs_.get(file.sha256); }
  // Takes file `id` away from `owner` (not_found if it is not theirs). The bytes stay until
  // sweep() finds that no row names them: other rows may share them.
  Status remove(const Owner& owner, std::int64_t id);
  // Deletes the stored bytes that no row names and that were neither written nor reused
  // within `grace` seconds before `now` — put_bytes() refreshes their time, so bytes waiting
  // for their add_row() survive. Returns how many it deleted. Run by the files module daily.
  Result<std::int64_t> sweep(std::int64_t now, std::int64_t grace = 86400);

 private:
  Result<std::vector<StoredFile>> select(std::string_view where,
                                         std::vector<db::Value> params) const;
  db::Database& db_;
  BlobStore blobs_;
};

}  // namespace ah::modules::files
