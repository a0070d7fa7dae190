#include "modules/files/module.h"

#include <ctime>
#include <nlohmann/json.hpp>

#include "base/time.h"
#include "base/utf8.h"
#include "http/form.h"
#include "http/url.h"
#include "web/api.h"
#include "web/errors.h"
#include "web/format.h"

namespace ah::modules::files {

Result<Visibility> visibility(web::Services& s, const http::Request& r, const Owner& owner) {
  for (const web::Module* m : s.modules) {
    const auto* files_owner = dynamic_cast<const FileOwner*>(m);
    if (files_owner && files_owner->owns_files_of(owner.kind))
      return files_owner->file_visibility(s, r, owner);
  }
  return Visibility::hidden;
}

std::string describe_file(const StoredFile& file, const web::Catalog& c, std::string_view lang) {
  std::string kind = "files_kind_pdf";
  if (file.media_type == "image/png") kind = "files_kind_png";
  if (file.media_type == "image/jpeg") kind = "files_kind_jpeg";
  if (file.media_type == "image/webp") kind = "files_kind_webp";
  constexpr std::int64_t kib = 1024, mib = 1024 * 1024;
  std::string size =
      file.size < mib
          ? web::format_integer(std::max<std::int64_t>(1, (file.size + kib / 2) / kib), lang) +
                " kB"
          : web::format_decimal(static_cast<double>(file.size) / mib, 1, lang) + " MB";
  return c.text(lang, kind) + ", " + size;
}

void set_attachment_fields(web::Data& data, int rows, const web::FormState* form) {
  web::Data list{web::Data::type::list};
  bool open = false;
  for (int i = 0; i < rows; ++i) {
    const std::string field = "attachment" + std::to_string(i);
    web::Data row{web::Data::type::object};
    row.set("i", std::to_string(i));
    row.set("n", std::to_string(i + 1));
    std::string message;
    if (form)
      if (auto it = form->messages.find(field); it != form->messages.end()) message = it->second;
    row.set("error", message.empty() ? web::Data{false} : web::Data{message});
    open = open || !message.empty();
    list.push_back(row);
  }
  data.set("attachment_rows", list);
  data.set("files_open", open || (form && form->messages.contains("files")));
}

std::vector<Attachment> checked_attachments(const http::MultipartForm& sent, int rows,
                                            const web::Catalog& c, std::string_view lang,
                                            web::FormState& form) {
  std::vector<Attachment> out;
  for (int i = 0; i < rows; ++i) {
    const std::string field = "attachment" + std::to_string(i);
    const http::UploadedFile* file = sent.file(field);
    if (!file) continue;
    auto checked = check_upload(*file, Accept::images_and_pdf);
    if (!checked) {
      form.messages[field] = describe(checked.error(), c, lang);
      continue;
    }
    std::string title(sent.fields.get(field + "_title"));
    if (title.find_first_not_of(" \t\r\n") == std::string::npos) title = checked->file_name;
    out.push_back({std::move(title), std::move(*checked)});
  }
  if (!form.ok() && !sent.files.empty())
    form.messages["files"] = c.text(lang, "files_choose_again");
  return out;
}

namespace {

// RFC 6266: an ASCII-only filename for old clients (each other character becomes '_'),
// and the exact name as RFC 5987 filename* for everyone else.
std::string content_disposition(std::string_view disposition, std::string_view name) {
  std::string ascii;
  for (std::size_t i = 0; i < name.size();) {
    const std::size_t n = std::max<std::size_t>(1, utf8_sequence_length(name, i));
    const auto c = static_cast<unsigned char>(name[i]);
    ascii.push_back(n == 1 && c >= 0x20 && c < 0x7F && c != '"' && c != '\\' ? name[i] : '_');
    i += n;
  }
  return std::string(disposition) + "; filename=\"" + ascii + "\"; filename*=UTF-8''" +
         http::percent_encode(name);
}

// True when If-None-Match lists `etag` (weak or strong) or is "*".
bool etag_matches(std::string_view if_none_match, std::string_view etag) {
  while (!if_none_match.empty()) {
    const std::size_t comma = if_none_match.find(',');
    std::string_view item = http::trim_whitespace(if_none_match.substr(0, comma));
    if (item.starts_with("W/")) item.remove_prefix(2);
    if (item == etag || item == "*") return true;
    if (comma == std::string_view::npos) break;
    if_none_match.remove_prefix(comma + 1);
  }
  return false;
}

nlohmann::json file_json(const StoredFile& f) {
  return {{"id", f.id},
          {"owner", {{"kind", f.owner.kind}, {"id", f.owner.id}}},
          {"purpose", f.purpose},
          {"title", f.title},
          {"file_name", f.file_name},
          {"media_type", f.media_type},
          {"size", f.size},
          {"sha256", f.sha256},
          {"url", f.url()},
          {"created_at", rfc3339_utc(f.created_at)}};
}

class FilesModule : public web::Module {
 public:
  std::string_view name() const override { return "files"; }
  std::vector<db::Migration> migrations() const override { return files_migrations(); }

  // Bytes of removed files go once no row names them (a day's grace, see FileStore::sweep).
  std::vector<web::PeriodicJob> periodic_jobs(web::Services& s) override {
    return {{"delete unused file bytes", std::chrono::hours(6), [&s] {
               return FileStore(s.db, s.data_dir).sweep(std::time(nullptr));
             }}};
  }

  void register_routes(http::Router& router, web::Services& s) override {
    router.add(http::Method::get, "/dateien/{id}/{name}",
               [&s](http::Request& r) { return serve(s, r); });
  }

  Result<nlohmann::json> export_personal_data(web::Services& s,
                                              std::int64_t account_id) const override {
    AH_TRY(mine, FileStore(s.db, s.data_dir).uploaded_by(account_id));
    nlohmann::json out = nlohmann::json::array();
    for (const auto& f : mine) out.push_back(file_json(f));
    return nlohmann::json{{"uploaded", out}};
  }

 private:
  // GET /dateien/{id}/{name}
  static http::Response serve(web::Services& s, http::Request& r) {
    auto id = web::parse_id(r.param("id"));
    if (!id) return web::error_response(s.view, r, 404);
    FileStore store(s.db, s.data_dir);
    auto file = store.find(*id);
    if (!file) return web::error_response(s.view, r, file.error());
    auto seen = visibility(s, r, file->owner);
    if (!seen) return web::error_response(s.view, r, seen.error());
    if (*seen == Visibility::hidden) return web::error_response(s.view, r, 404);
    // The name in the URL is for people and for saving; one URL per file.
    if (r.param("name") != file->file_name) return http::Response::redirect(file->url(), 301);
    http::Response response;
    const std::string etag = "\"" + file->sha256 + "\"";
    response.headers.set("ETag", etag);
    response.headers.set("Cache-Control", *seen == Visibility::everyone
                                              ? "public, max-age=31536000, immutable"
                                              : "private, no-cache");
    response.headers.set("X-Content-Type-Options", "nosniff");
    response.headers.set("Content-Security-Policy", "default-src 'none'; sandbox");
    if (etag_matches(r.headers.get("If-None-Match"), etag)) {
      response.status = 304;
      return response;
    }
    auto bytes = store.read(*file);
    if (!bytes) {
      Error missing = bytes.error();
      missing.code = ErrorCode::internal;  // a row without bytes is the operator's problem
      missing.detail = "bytes of file " + std::to_string(file->id) + " missing: " + file->sha256;
      return web::error_response(s.view, r, missing);
    }
    response.body = std::move(*bytes);
    response.headers.set("Content-Type", file->media_type);
    response.headers.set(
        "Content-Disposition",
        content_disposition(file->is_image() ? "inline" : "attachment", file->file_name));
    return response;
  }
};

}  // namespace

}  // namespace ah::modules::files

namespace ah::modules {

std::unique_ptr<web::Module> make_files_module() { return std::make_unique<files::FilesModule>(); }

}  // namespace ah::modules
