// Members: who belongs to which organisation. A person asks to join an organisation; an
// admin of that organisation confirms or declines; admins manage members and other
// admins. The operator names an organisation's first admin on the command line
// (augenhoehe user create --org AGS --role admin, or user grant). The facts live in
// authz (memberships.h), where every module's permission checks read them.
//
// Pages: /organisationen/{ags}/mitglieder (members, requests, the person's own status)
// and /konto/organisationen (the person's memberships).
#pragma once

#include <memory>

#include "web/module.h"

namespace ah::modules {

std::unique_ptr<web::Module> make_members_module();

}  // namespace ah::modules
