#include "export/atom.h"

#include <chrono>

#include "base/time.h"
#include "export/internal/text.h"

namespace ah::exports {

namespace {

using internal::xml_escape;

// An absolute IRI starts with a scheme (RFC 3987): a letter, then letters, digits, + - .,
// then a colon. No white space anywhere.
bool absolute_iri(std::string_view iri) {
  const auto colon = iri.find(':');
  if (colon == 0 || colon == iri.npos || colon + 1 == iri.size()) return false;
  for (std::size_t i = 0; i < colon; ++i) {
    const char c = iri[i];
    const bool letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    const bool digit = c >= '0' && c <= '9';
    if (!letter && (i == 0 || !(digit || c == '+' || c == '-' || c == '.'))) return false;
  }
  return iri.find_first_of(" \t\r\n<>\"") == iri.npos;
}

Status require_iri(std::string_view what, std::string_view iri) {
  if (!absolute_iri(iri))
    return fail(ErrorCode::invalid_input,
                std::string(what) + " must be an absolute IRI (such as https://… or tag:…), not '" +
                    internal::valid_utf8_or_replaced(iri) + "'");
  return {};
}

Status require_text(std::string_view what, std::string_view text) {
  if (text.find_first_not_of(" \t\r\n") == text.npos)
    return fail(ErrorCode::invalid_input, std::string(what) + " must not be empty");
  return {};
}

std::string rfc3339(std::int64_t unix_seconds) {
  return iso8601_utc(std::chrono::system_clock::time_point(std::chrono::seconds(unix_seconds)));
}

void element(std::string& out, std::string_view indent, std::string_view name,
             std::string_view text) {
  out += indent;
  out += '<';
  out += name;
  out += '>';
  out += xml_escape(text);
  out += "</";
  out += name;
  out += ">\n";
}

void link(std::string& out, std::string_view indent, std::string_view rel, std::string_view type,
          std::string_view href) {
  out += std::string(indent) + "<link rel=\"" + std::string(rel) + "\" type=\"" +
         std::string(type) + "\" href=\"" + xml_escape(href) + "\"/>\n";
}

void author(std::string& out, std::string_view indent, std::string_view name) {
  out += std::string(indent) + "<author><name>" + xml_escape(name) + "</name></author>\n";
}

}  // namespace

Result<std::string> to_atom(const Feed& feed) {
  AH_TRY_STATUS(require_iri("The feed's id", feed.id));
  AH_TRY_STATUS(require_text("The feed's title", feed.title));
  AH_TRY_STATUS(require_iri("The feed's self link", feed.self_link));
  if (!feed.link.empty()) AH_TRY_STATUS(require_iri("The feed's link", feed.link));
  AH_TRY_STATUS(require_text("The feed's author", feed.author_name));
  for (std::size_t i = 0; i < feed.entries.size(); ++i) {
    const FeedEntry& entry = feed.entries[i];
    const std::string which = "Entry " + std::to_string(i + 1) + ": ";
    AH_TRY_STATUS(require_iri(which + "the id", entry.id));
    AH_TRY_STATUS(require_text(which + "the title", entry.title));
    AH_TRY_STATUS(require_iri(which + "the link", entry.link));
  }

  std::string out = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n";
  out += "<feed xmlns=\"http://www.w3.org/2005/Atom\"";
  if (!feed.lang.empty()) out += " xml:lang=\"" + xml_escape(feed.lang) + "\"";
  out += ">\n";
  element(out, "  ", "id", feed.id);
  element(out, "  ", "title", feed.title);
  element(out, "  ", "updated", rfc3339(feed.updated));
  link(out, "  ", "self", "application/atom+xml", feed.self_link);
  if (!feed.link.empty()) link(out, "  ", "alternate", "text/html", feed.link);
  author(out, "  ", feed.author_name);
  for (const FeedEntry& entry : feed.entries) {
    out += "  <entry>\n";
    element(out, "    ", "id", entry.id);
    element(out, "    ", "title", entry.title);
    element(out, "    ", "updated", rfc3339(entry.updated));
    link(out, "    ", "alternate", "text/html", entry.link);
    if (!entry.author_name.empty()) author(out, "    ", entry.author_name);
    if (!entry.summary.empty()) element(out, "    ", "summary", entry.summary);
    out += "  </entry>\n";
  }
  out += "</feed>\n";
  return out;
}

}  // namespace ah::exports
