// Konsultationen (issue 7): an organisation or a working group puts a draft decree or
// standard out to the organisations it concerns; they comment paragraph by paragraph,
// propose wordings and file one Stellungnahme each; after the deadline the author answers
// every point and publishes the Abwägungstabelle (page, XLSX, PDF) and a synopsis.
//
// Files: store.h (storage and the rules), sections.h (the text cut into addressable
// sections with stable anchors), access.h (who may read, author, speak for whom),
// pages.cc (reading and feedback pages), abwaegung.cc (answers, table, exports),
// api.cc (JSON API, OpenAPI, Atom feeds), module.cc (wiring, DSGVO, demo).
#pragma once

#include <memory>

#include "web/module.h"

namespace ah::modules {

std::unique_ptr<web::Module> make_consultations_module();

}  // namespace ah::modules
