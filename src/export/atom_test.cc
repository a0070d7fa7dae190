#include "export/atom.h"

#include <gtest/gtest.h>

#include <filesystem>

#include <nlohmann/json.hpp>

#include "export/test_tools.h"

namespace ah::exports {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

// Reads an Atom document with Python's minidom and prints the text of the elements that
// matter, as a reader would see them.
constexpr const char* kReadFeed = R"PY(
import json, sys, xml.dom.minidom
ATOM = "http://www.w3.org/2005/Atom"
doc = xml.dom.minidom.parse(sys.argv[1])
def text(parent, name):
    nodes = [n for n in parent.childNodes if n.nodeType == n.ELEMENT_NODE and n.localName == name]
    return "".join(t.data for t in nodes[0].childNodes) if nodes else None
def links(parent):
    return [{"rel": n.getAttribute("rel"), "href": n.getAttribute("href")}
            for n in parent.childNodes if n.nodeType == n.ELEMENT_NODE and n.localName == "link"]
def author(parent):
    nodes = [n for n in parent.childNodes if n.nodeType == n.ELEMENT_NODE and n.localName == "author"]
    return text(nodes[0], "name") if nodes else None
feed = doc.documentElement
print(json.dumps({
    "ns": feed.namespaceURI, "lang": feed.getAttribute("xml:lang"),
    "id": text(feed, "id"), "title": text(feed, "title"), "updated": text(feed, "updated"),
    "links": links(feed), "author": author(feed),
    "entries": [{"id": text(e, "id"), "title": text(e, "title"), "updated": text(e, "updated"),
                 "links": links(e), "author": author(e), "summary": text(e, "summary")}
                for e in feed.getElementsByTagNameNS(ATOM, "entry")],
}))
)PY";

Feed sample() {
  Feed feed{.id = "https://beteiligung.example/prozesse/7",
            .title = "Radwege <Halle> & Umgebung",
            .updated = 1'795'731'485,
            .self_link = "https://beteiligung.example/prozesse/7/feed.atom?lang=de&x=1",
            .link = "https://beteiligung.example/prozesse/7",
            .author_name = "Stadt Halle (Saale)",
            .lang = "de"};
  feed.entries.push_back({.id = "tag:beteiligung.example,2026:vorschlag/42",
                          .title = "Bänke \"am\" Ufer's <Rand>",
                          .updated = 1'782'900'000,
                          .link = "https://beteiligung.example/vorschlaege/42",
                          .author_name = "Erika M.",
                          .summary = "Zeile 1\nZeile 2\x01\x0B mit ]]> und \xFF Ende\r"});
  feed.entries.push_back({.id = "https://beteiligung.example/vorschlaege/43",
                          .title = "Ohne Autor",
                          .updated = 0,
                          .link = "https://beteiligung.example/vorschlaege/43"});
  return feed;
}

TEST(ToAtom, IsWellFormedXml) {
  auto xml = to_atom(sample());
  ASSERT_TRUE(xml) << xml.error().message;
  const auto problem = testing::xml_problem(*xml);
  AH_REQUIRE_TOOL(problem != testing::kNoXmlParser,
                  "an XML parser (xmllint from Debian libxml2-utils, or python3)");
  EXPECT_EQ(problem, std::nullopt) << *xml;
  EXPECT_TRUE(xml->starts_with("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed "));
}

TEST(ToAtom, ReadsBackAsWritten) {
  auto python = testing::python_with("xml.dom.minidom");
  AH_REQUIRE_TOOL(python, "python3");
  auto xml = to_atom(sample());
  ASSERT_TRUE(xml);
  const fs::path dir = testing::fresh_directory();
  testing::write_file(dir / "feed.atom", *xml);
  auto result = testing::run({*python, "-c", kReadFeed, (dir / "feed.atom").string()});
  fs::remove_all(dir);
  ASSERT_TRUE(result && result->status == 0) << *xml;
  const json feed = json::parse(result->output);

  EXPECT_EQ(feed["ns"], "http://www.w3.org/2005/Atom");
  EXPECT_EQ(feed["lang"], "de");
  EXPECT_EQ(feed["id"], "https://beteiligung.example/prozesse/7");
  EXPECT_EQ(feed["title"], "Radwege <Halle> & Umgebung");
  EXPECT_EQ(feed["updated"], "2026-11-26T22:18:05.000Z");  // RFC 3339, UTC
  EXPECT_EQ(feed["author"], "Stadt Halle (Saale)");
  EXPECT_EQ(
      feed["links"],
      json::parse(
          R"([{"rel": "self", "href": "https://beteiligung.example/prozesse/7/feed.atom?lang=de&x=1"},
                            {"rel": "alternate", "href": "https://beteiligung.example/prozesse/7"}])"));
  ASSERT_EQ(feed["entries"].size(), 2u);
  const json& first = feed["entries"][0];
  EXPECT_EQ(first["id"], "tag:beteiligung.example,2026:vorschlag/42");
  EXPECT_EQ(first["title"], "Bänke \"am\" Ufer's <Rand>");
  EXPECT_EQ(first["updated"], "2026-07-01T10:00:00.000Z");
  EXPECT_EQ(first["author"], "Erika M.");
  EXPECT_EQ(first["links"][0]["href"], "https://beteiligung.example/vorschlaege/42");
  // Control characters XML forbids are gone, invalid UTF-8 is U+FFFD, CR survives.
  EXPECT_EQ(first["summary"], "Zeile 1\nZeile 2 mit ]]> und \uFFFD Ende\r");
  const json& second = feed["entries"][1];
  EXPECT_EQ(second["author"], nullptr);  // the feed's author stands for it
  EXPECT_EQ(second["summary"], nullptr);
  EXPECT_EQ(second["updated"], "1970-01-01T00:00:00.000Z");
}

TEST(ToAtom, AFeedWithoutEntriesIsValid) {
  Feed feed = sample();
  feed.entries.clear();
  auto xml = to_atom(feed);
  ASSERT_TRUE(xml);
  EXPECT_EQ(xml->find("<entry>"), xml->npos);
}

TEST(ToAtom, RefusesWhatRfc4287Requires) {
  auto refused = [](auto change) {
    Feed feed = sample();
    change(feed);
    auto xml = to_atom(feed);
    return xml ? std::string("accepted") : xml.error().message;
  };
  EXPECT_EQ(refused([](Feed& f) { f.id = "/prozesse/7"; }),
            "The feed's id must be an absolute IRI (such as https://… or tag:…), not "
            "'/prozesse/7'");
  EXPECT_EQ(refused([](Feed& f) { f.title = " "; }), "The feed's title must not be empty");
  EXPECT_EQ(refused([](Feed& f) { f.self_link = ""; }),
            "The feed's self link must be an absolute IRI (such as https://… or tag:…), not ''");
  EXPECT_EQ(refused([](Feed& f) { f.link = "prozesse 7"; }),
            "The feed's link must be an absolute IRI (such as https://… or tag:…), not "
            "'prozesse 7'");
  EXPECT_EQ(refused([](Feed& f) { f.author_name = ""; }), "The feed's author must not be empty");
  EXPECT_EQ(refused([](Feed& f) { f.entries[1].id = "43"; }),
            "Entry 2: the id must be an absolute IRI (such as https://… or tag:…), not '43'");
  EXPECT_EQ(refused([](Feed& f) { f.entries[0].title = ""; }),
            "Entry 1: the title must not be empty");
  EXPECT_EQ(refused([](Feed& f) { f.entries[0].link = ""; }),
            "Entry 1: the link must be an absolute IRI (such as https://… or tag:…), not ''");
  EXPECT_EQ(refused([](Feed& f) { f.id = "1http://x"; }).substr(0, 14), "The feed's id ");
  EXPECT_EQ(refused([](Feed& f) { f.link = ""; }), "accepted");  // optional
}

}  // namespace
}  // namespace ah::exports
