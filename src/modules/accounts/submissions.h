// Double submits create one record. A form that creates something (a proposal, a comment,
// a process) carries a one-time key in the hidden field "once"; the first POST with the key
// creates the record and stores where it lives, and every later POST with the same key — a
// double click, a reload after a slow answer, the same form sent from a second tab — is sent
// there instead of creating a copy.
//
//   Submissions once(db);
//   AH_TRY(earlier, once.claim(account, key, now));          // after validation passed
//   if (earlier) return http::Response::redirect(*earlier);
//   auto created = store.create(...);
//   if (!created) { once.release(account, key); return error; }
//   once.complete(account, key, "/vorschlaege/" + id);
//
// Keys belong to an account (a key seen from someone else is simply another key), are
// random (Submissions::new_key) and are forgotten after a day (purge). A form without a key
// (API clients, pages cached from before) is not protected and works as before.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "base/error.h"
#include "db/database.h"

namespace ah::modules::accounts {

class Submissions {
 public:
  explicit Submissions(db::Database& db) : db_(db) {}

  // A fresh key for a form: 128 random bits, URL-safe base64.
  static std::string new_key();

  // nullopt: the key is new (or empty: not protected) and now claimed for this submission.
  // A location: an earlier submission with the key created what lives there.
  // conflict: an earlier submission with the key is still being saved.
  Result<std::optional<std::string>> claim(std::int64_t account, std::string_view key,
                                           std::int64_t now);
  // The claimed submission created what lives at `location`.
  Status complete(std::int64_t account, std::string_view key, const std::string& location);
  // The claimed submission failed; the key may be used again (e.g. after fixing input).
  Status release(std::int64_t account, std::string_view key);
  // Forgets keys older than `before`; how many.
  Result<std::int64_t> purge(std::int64_t before);

  // claim, then `create` (returning the new record's location) and complete, or release
  // when it failed: the location made now or by the earlier submission with the key.
  // conflict (message: a catalogue key) while that earlier submission is still being saved.
  template <class Create>
  Result<std::string> once(std::int64_t account, std::string_view key, std::int64_t now,
                           Create create);

 private:
  db::Database& db_;
};

template <class Create>
Result<std::string> Submissions::once(std::int64_t account, std::string_view key, std::int64_t now,
                                      Create create) {
  AH_TRY(earlier, claim(account, key, now));
  if (earlier) return *earlier;
  Result<std::string> location = create();
  if (!location) {
    (void)release(account, key);  // the first error is the one to report
    return location;
  }
  // Not remembering the location only weakens the protection of this one form.
  (void)complete(account, key, *location);
  return location;
}

}  // namespace ah::modules::accounts
