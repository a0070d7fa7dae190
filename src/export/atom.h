// Atom feeds (RFC 4287), so that anyone can follow a participation process in a feed reader
// without an account.
//
//   exports::Feed feed{.id = "https://beteiligung.example/prozesse/7",
//                      .title = "Radverkehrskonzept Halle",
//                      .updated = newest_change,
//                      .self_link = "https://beteiligung.example/prozesse/7/feed.atom",
//                      .link = "https://beteiligung.example/prozesse/7",
//                      .author_name = "Stadt Halle (Saale)", .lang = "de"};
//   feed.entries.push_back({.id = "https://beteiligung.example/vorschlaege/42", ...});
//   AH_TRY(xml, exports::to_atom(feed));  // serve as application/atom+xml
//
// Ids are permanent IRIs: the canonical URL of the thing, or a tag: URI (RFC 4151) such as
// "tag:beteiligung.example,2026:vorschlag/42". Times are written in UTC, as RFC 3339 asks.
// All text is plain text: it is escaped for XML, characters XML 1.0 forbids (control
// characters) are dropped and invalid UTF-8 becomes U+FFFD, so the feed always parses.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "base/error.h"

namespace ah::exports {

struct FeedEntry {
  std::string id;  // permanent IRI, see above
  std::string title;
  std::int64_t updated = 0;  // unix seconds of the last significant change
  std::string link;          // the entry's page (rel="alternate"); required, as there is no
                             // <content>
  std::string author_name;   // the display name; "" leaves the feed's author in charge
  std::string summary;       // plain text; "" for none
};

struct Feed {
  std::string id;  // permanent IRI, see above
  std::string title;
  std::int64_t updated = 0;  // unix seconds; normally the newest entry's
  std::string self_link;     // where this feed is served (rel="self")
  std::string link;          // the page the feed belongs to (rel="alternate"); "" for none
  std::string author_name;   // who publishes it, e.g. the municipality; required by RFC 4287
  std::string lang;          // xml:lang, e.g. "de"; "" for none
  std::vector<FeedEntry> entries;
};

// The feed as an XML document; invalid_input when something RFC 4287 requires is missing
// (an id, title, link, author) or an id or link is not an absolute IRI.
Result<std::string> to_atom(const Feed& feed);

}  // namespace ah::exports
