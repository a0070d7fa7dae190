#include "modules/files/store.h"

#include <fcntl.h>
#include <openssl/evp.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <ctime>
#include <cstring>

#include "base/files.h"
#include "http/url.h"

namespace ah::modules::files {

namespace fs = std::filesystem;

std::vector<db::Migration> files_migrations() {
  return {
      // One row per use of a file; the bytes are shared by hash (see store.h). Lists are
      // per owner; the export and erasure look up by uploader.
      {6000, "files",
       "CREATE TABLE files ("
       " id {{id}},"
       " owner_kind TEXT NOT NULL,"
       " owner_id BIGINT NOT NULL,"
       " purpose TEXT NOT NULL,"
       " title TEXT NOT NULL,"
       " sha256 TEXT NOT NULL CHECK (length(sha256) = 64),"
       " size BIGINT NOT NULL CHECK (size > 0),"
       " media_type TEXT NOT NULL,"
       " file_name TEXT NOT NULL,"
       " width BIGINT NOT NULL DEFAULT 0,"
       " height BIGINT NOT NULL DEFAULT 0,"
       " uploaded_by BIGINT REFERENCES accounts (id) ON DELETE SET NULL,"
       " created_at BIGINT NOT NULL);"
       "CREATE INDEX files_by_owner ON files (owner_kind, owner_id, purpose, id);"
       "CREATE INDEX files_by_uploader ON files (uploaded_by);"},
  };
}

std::string sha256_hex(std::string_view data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  EVP_Digest(data.data(), data.size(), digest, &n, EVP_sha256(), nullptr);
  static constexpr char hex[] = "0123456789abcdef";
  std::string out;
  for (unsigned i = 0; i < n; ++i) {
    out.push_back(hex[digest[i] >> 4]);
    out.push_back(hex[digest[i] & 15]);
  }
  return out;
}

std::string StoredFile::url() const {
  return "/dateien/" + std::to_string(id) + "/" + http::percent_encode(file_name);
}

namespace {

bool is_hex_digest(std::string_view text) {
  return text.size() == 64 && text.find_first_not_of("0123456789abcdef") == std::string_view::npos;
}

Error disk_error(std::string_view what, const fs::path& path) {
  Error e =
      Error{ErrorCode::unavailable, "The file could not be stored. Please try again later.", ""};
  e.detail = std::string(what) + " " + path.string() + ": " + std::strerror(errno);
  return e;
}

Status fsync_path(const fs::path& path, int flags) {
  const int fd = ::open(path.c_str(), flags | O_CLOEXEC);
  if (fd < 0) return std::unexpected(disk_error("open", path));
  const bool ok = ::fsync(fd) == 0;
  ::close(fd);
  if (!ok) return std::unexpected(disk_error("fsync", path));
  return {};
}

}  // namespace

fs::path BlobStore::path(std::string_view sha256) const {
  return root_ / std::string(sha256.substr(0, 2)) / std::string(sha256);
}

Result<std::string> BlobStore::put(std::string_view data) const {
  std::string hash = sha256_hex(data);
  const fs::path target = path(hash);
  std::error_code ec;
  // Same name, same bytes: a complete file of the right size is the one we would write.
  // Its time is refreshed so that FileStore::sweep spares it until its new row exists.
  if (auto size = fs::file_size(target, ec); !ec && size == data.size()) {
    fs::last_write_time(target, fs::file_time_type::clock::now(), ec);
    return hash;
  }
  const fs::path tmp_dir = root_ / "tmp";
  fs::create_directories(tmp_dir, ec);
  fs::create_directories(target.parent_path(), ec);
  if (ec) return std::unexpected(disk_error("mkdir", target.parent_path()));
  std::string tmp = (tmp_dir / (hash + ".XXXXXX")).string();
  const int fd = ::mkstemp(tmp.data());
  if (fd < 0) return std::unexpected(disk_error("mkstemp", tmp));
  ::fchmod(fd, 0640);
  std::size_t written = 0;
  while (written < data.size()) {
    const ssize_t n = ::write(fd, data.data() + written, data.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    written += static_cast<std::size_t>(n);
  }
  const bool ok = written == data.size() && ::fsync(fd) == 0;
  const Error failure = disk_error(ok ? "close" : "write", tmp);
  if (::close(fd) != 0 || !ok) {
    ::unlink(tmp.c_str());
    return std::unexpected(failure);
  }
  if (::rename(tmp.c_str(), target.c_str()) != 0) {
    Error e = disk_error("rename", target);
    ::unlink(tmp.c_str());
    return std::unexpected(e);
  }
  AH_TRY_STATUS(fsync_path(target.parent_path(), O_RDONLY | O_DIRECTORY));
  return hash;
}

Result<std::string> BlobStore::get(std::string_view sha256) const {
  if (!is_hex_digest(sha256)) return fail(ErrorCode::not_found, "no such file");
  auto bytes = read_file(path(sha256));
  if (!bytes) return fail(ErrorCode::not_found, "The file's content is missing.");
  return std::move(*bytes);
}

Result<std::int64_t> FileStore::add(const NewFile& file, const CheckedUpload& upload,
                                    std::int64_t now) {
  AH_TRY(hash, put_bytes(upload));
  return add_row(file, upload, hash, now);
}

Result<std::int64_t> FileStore::add_row(const NewFile& file, const CheckedUpload& upload,
                                        std::string_view sha256, std::int64_t now) {
  return db_.transaction([&](db::Connection& tx) { return add_row(tx, file, upload, sha256, now); });
}

Result<std::int64_t> FileStore::add_row(db::Connection& tx, const NewFile& file,
                                        const CheckedUpload& upload, std::string_view sha256,
                                        std::int64_t now) {
  AH_TRY(rs,
         tx.query("INSERT INTO files (owner_kind, owner_id, purpose, title, sha256, size,"
                   " media_type, file_name, width, height, uploaded_by, created_at)"
                   " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id",
                   {db::Value{file.owner.kind}, db::Value{file.owner.id}, db::Value{file.purpose},
                    db::Value{file.title}, db::Value{std::string(sha256)},
                    db::Value{static_cast<std::int64_t>(upload.data.size())},
                    db::Value{std::string(media_type_name(upload.sniffed.type))},
                    db::Value{upload.file_name}, db::Value{upload.sniffed.width},
                    db::Value{upload.sniffed.height},
                    file.uploaded_by ? db::Value{*file.uploaded_by} : db::Value{nullptr},
                    db::Value{now}}));
  return rs.rows.at(0).int64(0);
}

Result<std::vector<StoredFile>> FileStore::select(std::string_view where,
                                                  std::vector<db::Value> params) const {
  std::string sql =
      "SELECT id, owner_kind, owner_id, purpose, title, sha256, size, media_type, file_name,"
      " width, height, uploaded_by, created_at FROM files WHERE ";
  sql += where;
  AH_TRY(rs, db_.query(sql, params));
  std::vector<StoredFile> out;
  for (const auto& row : rs.rows) {
    StoredFile f;
    f.id = row.int64(0);
    f.owner = {row.text(1), row.int64(2)};
    f.purpose = row.text(3);
    f.title = row.text(4);
    f.sha256 = row.text(5);
    f.size = row.int64(6);
    f.media_type = row.text(7);
    f.file_name = row.text(8);
    f.width = row.int64(9);
    f.height = row.int64(10);
    if (!row.is_null(11)) f.uploaded_by = row.int64(11);
    f.created_at = row.int64(12);
    out.push_back(std::move(f));
  }
  return out;
}

Result<StoredFile> FileStore::find(std::int64_t id) const {
  AH_TRY(found, select("id = $1", {db::Value{id}}));
  if (found.empty()) return fail(ErrorCode::not_found, "no such file");
  return std::move(found.front());
}

Result<std::vector<StoredFile>> FileStore::list(const Owner& owner) const {
  return select("owner_kind = $1 AND owner_id = $2 ORDER BY purpose, id",
                {db::Value{owner.kind}, db::Value{owner.id}});
}

Result<std::map<std::int64_t, std::vector<StoredFile>>> FileStore::list_for(
    std::string_view kind, std::span<const std::int64_t> ids) const {
  std::map<std::int64_t, std::vector<StoredFile>> out;
  if (ids.empty()) return out;
  // The placeholders are numbered by count; the ids travel as bound values.
  std::string where = "owner_kind = $1 AND owner_id IN (";
  std::vector<db::Value> params{db::Value{std::string(kind)}};
  for (std::int64_t id : ids) {
    where += (params.size() > 1 ? ", $" : "$") + std::to_string(params.size() + 1);
    params.emplace_back(id);
  }
  where += ") ORDER BY owner_id, purpose, id";
  AH_TRY(found, select(where, std::move(params)));
  for (auto& f : found) out[f.owner.id].push_back(std::move(f));
  return out;
}

Result<std::vector<StoredFile>> FileStore::uploaded_by(std::int64_t account) const {
  return select("uploaded_by = $1 ORDER BY id", {db::Value{account}});
}

Status FileStore::remove(const Owner& owner, std::int64_t id) {
  AH_TRY(rs, db_.query("DELETE FROM files WHERE id = $1 AND owner_kind = $2 AND owner_id = $3",
                       {db::Value{id}, db::Value{owner.kind}, db::Value{owner.id}}));
  if (rs.affected_rows == 0) return fail(ErrorCode::not_found, "no such file");
  return {};
}

Result<std::int64_t> FileStore::sweep(std::int64_t now, std::int64_t grace) {
  const fs::path root = blobs_.path(std::string(64, '0')).parent_path().parent_path();
  std::error_code ec;
  if (!fs::exists(root, ec)) return 0;
  // Time of the file system clock that corresponds to `now - grace`.
  const auto cutoff = fs::file_time_type::clock::now() -
                      std::chrono::seconds(std::time(nullptr) - now + grace);
  std::int64_t deleted = 0;
  for (auto it = fs::recursive_directory_iterator(root, ec); !ec && it != fs::end(it);
       it.increment(ec)) {
    if (it->path().parent_path().filename() == "tmp") continue;
    const std::string name = it->path().filename().string();
    if (!it->is_regular_file(ec) || !is_hex_digest(name)) continue;
    if (auto written = fs::last_write_time(it->path(), ec); ec || written > cutoff) continue;
    AH_TRY(used, db_.query("SELECT 1 FROM files WHERE sha256 = $1 LIMIT 1", {db::Value{name}}));
    if (!used.rows.empty()) continue;
    if (fs::remove(it->path(), ec)) ++deleted;
  }
  if (ec) return fail(ErrorCode::unavailable, "cannot sweep " + root.string(), ec.message());
  return deleted;
}

}  // namespace ah::modules::files
