// send_mail: how a module tells a person something by email.
//
// A notice (a membership confirmed, a proposal answered) is a consequence of the request
// that caused it, never a condition: when the relay is down, the mail is logged as lost
// and the request still succeeds. Mails that are the point of a request (a verification
// link) are sent the same way; the person can ask for another.
#pragma once

#include "mail/message.h"
#include "web/module.h"

namespace ah::web {

void send_mail(Services& services, const mail::Message& message);

}  // namespace ah::web
