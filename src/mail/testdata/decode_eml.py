"""Parses an .eml file with Python's email package and prints what a mail client would show,
as JSON, so mail tests check our output against an independent MIME implementation.

Usage: decode_eml.py FILE
Prints {"defects": [...], "headers": {name: decoded value}, "content_type", "charset",
"transfer_encoding", "body": decoded text, "date_ok": bool}.
"""

import email
import email.policy
import email.utils
import json
import sys


def main():
    with open(sys.argv[1], "rb") as f:
        message = email.message_from_binary_file(f, policy=email.policy.default)
    defects = [type(d).__name__ for d in message.defects]
    headers = {}
    for name in message.keys():
        value = message[name]
        defects += [type(d).__name__ for d in getattr(value, "defects", ())]
        headers[name] = str(value)
    try:
        date_ok = email.utils.parsedate_to_datetime(message["Date"]) is not None
    except (TypeError, ValueError):
        date_ok = False
    print(json.dumps({
        "defects": defects,
        "headers": headers,
        "content_type": message.get_content_type(),
        "charset": message.get_content_charset(),
        "transfer_encoding": message["Content-Transfer-Encoding"],
        "body": message.get_content(),
        "date_ok": date_ok,
    }))


if __name__ == "__main__":
    main()
