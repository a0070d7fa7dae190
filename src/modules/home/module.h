// The home module: the start page "/". The smallest complete module, and the pattern the
// others copy: a Module subclass that registers routes and renders templates.
#pragma once

#include <memory>

#include "web/module.h"

namespace ah::modules {

std::unique_ptr<web::Module> make_home_module();

}  // namespace ah::modules
