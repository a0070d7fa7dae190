// poster::render: the printable A4 poster of a participation process — "vom Aushang zum
// Klick". A town hall pins it to its notice board; a passer-by reads title and dates, and
// scans the QR code or types the short URL to take part.
//
//   poster::PosterContent c;
//   c.language = "de";
//   c.organisation = "Gemeinde Musterstadt";
//   c.title = "Wie soll unser Marktplatz aussehen?";
//   c.phase = "Ideen sammeln: 1. Dezember 2026 bis 31. Januar 2027";
//   c.body = plain_text_of_the_description;   // Markdown already stripped by the caller
//   c.call_to_action = "Machen Sie mit!";
//   c.url_label = "Scannen Sie den Code oder besuchen Sie:";
//   c.short_url = "beteiligung.example/b/K7Q2";
//   c.qr_url = "https://beteiligung.example/b/K7Q2";
//   c.fonts = poster::shipped_fonts(services.share_dir);
//   AH_TRY(pdf, poster::render(c));            // the PDF file's bytes
//
// The library writes no text of its own: every word on the poster comes from the caller,
// who takes it from the catalogues in the poster's language. `language` only goes into the
// PDF metadata (/Lang), so screen readers and search pick the right language.
//
// Layout (A4 portrait, 20 mm margins, black on white): organisation, title (bold, up to
// three lines), phase line, body text filling the space left, and at the bottom the call to
// action beside the QR code, then the label and the short URL in large bold type. Text
// that does not fit its box is wrapped, and what still does not fit is cut at a word with
// "…" — nothing ever runs off the page. Blank lines in `body` separate paragraphs; other
// line breaks and runs of white space become one space (the caller sends plain text). The
// short URL is never cut (a cut URL leads nowhere): it shrinks to fit one line, and one too
// long even at the smallest size is refused.
//
// The QR code encodes `qr_url` in byte mode with error correction level M and a quiet zone
// of four modules, drawn as vector rectangles, 64 mm wide without the quiet zone. Its
// version is capped at 10 (57 modules, so each is over 1 mm and phones read the code from a
// few metres), which holds 213 bytes; a longer URL is refused — give the poster a short URL,
// which is what it is for.
//
// Metadata: title, author (the organisation), creator "augenhoehe" and /Lang.
//
// Fonts: TrueType files given by the caller, embedded in the PDF with UTF-8 text, so German
// (ä ö ü ß „“ – € …) prints correctly and the PDF needs nothing from outside. The server
// ships DejaVu Sans and DejaVu Sans Bold (Debian's fonts-dejavu-core, free licence, copied
// to SHARE_DIR/fonts/ at build time by cmake/share.cmake). The Fira Sans of the web pages
// comes only as WOFF2 in @kern-ux/native, which libhpdf cannot read.
//
// Errors: invalid_input (message for the person who edits the process) for an empty title,
// short URL or QR URL, text that is not UTF-8, a URL with spaces or control characters, a QR
// URL too long for a readable code, or a short URL too long to print; internal for a font
// that cannot be read or any other libhpdf failure (detail names the libhpdf error code).
// Thread-safe: every call has its own libhpdf document.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "base/error.h"

namespace ah::poster {

// TrueType (.ttf) files; regular for body text, bold for title, call to action and URL.
struct Fonts {
  std::filesystem::path regular;
  std::filesystem::path bold;
};

// The fonts the server ships: SHARE_DIR/fonts/DejaVuSans.ttf and DejaVuSans-Bold.ttf.
Fonts shipped_fonts(const std::filesystem::path& share_dir);

// A plain printable A4 document: a bold title, then sections of a heading, a line of small
// print (meta) and plain-text paragraphs (blank lines separate them), wrapped to the
// margins and continued on further pages; `empty_note` stands where there are no sections.
// Used for the Beschlussregister of a working group. Same fonts, metadata and errors as
// render (invalid_input for text that is not UTF-8 or an empty title).
struct DocumentSection {
  std::string heading, meta, body;
};
struct Document {
  std::string language;  // BCP 47 tag, PDF metadata
  std::string title;
  std::vector<DocumentSection> sections;
  std::string empty_note;
  Fonts fonts;
};
Result<std::string> render_document(const Document& document);

struct PosterContent {
  std::string language;        // BCP 47 tag of the texts, e.g. "de" or "en"; PDF metadata
  std::string organisation;    // e.g. "Gemeinde Musterstadt"; also the PDF's author
  std::string title;           // required; also the PDF's title
  std::string phase;           // e.g. "Ideen sammeln: 1. Dezember 2026 bis 31. Januar 2027"
  std::string body;            // plain text, may be long; cut with "…" where space ends
  std::string call_to_action;  // e.g. "Machen Sie mit!"
  std::string url_label;       // printed above the short URL, e.g. "Oder besuchen Sie:"
  std::string short_url;       // required; printed in large type as given
  std::string qr_url;          // required; what the QR code encodes (absolute URL)
  Fonts fonts;
};

// The poster as the bytes of a one-page PDF file (application/pdf).
Result<std::string> render(const PosterContent& content);

}  // namespace ah::poster
