"""Reads the messages an smtp_server.py kept with Python's own `email` parser (an independent
reader): for each, its envelope, decoded headers, plain text and attachments (saved into OUT).

Usage: python3 read_mail.py DIR OUT   — prints a JSON list, one object per message, oldest first.
"""

import email
import email.policy
import glob
import json
import os
import sys

directory, out = sys.argv[1], sys.argv[2]
os.makedirs(out, exist_ok=True)
messages = []
for path in sorted(glob.glob(os.path.join(directory, "*.eml"))):
    with open(path, "rb") as f:
        raw = f.read()
    m = email.message_from_bytes(raw, policy=email.policy.default)
    with open(path[: -len(".eml")] + ".json") as f:
        envelope = json.load(f)
    raw_subject = email.message_from_bytes(raw, policy=email.policy.compat32)["Subject"]
    text = m.get_body(preferencelist=("plain",))
    attachments = []
    for part in m.iter_attachments():
        name = part.get_filename()
        saved = os.path.join(out, f"{os.path.basename(path)[:3]}-{name}")
        with open(saved, "wb") as f:
            f.write(part.get_payload(decode=True))
        attachments.append(
            {"filename": name, "content_type": part.get_content_type(), "saved": saved}
        )
    messages.append(
        {
            "envelope": envelope,
            "from": str(m["From"]),
            "to": [a.addr_spec for a in m["To"].addresses],
            "reply_to": [a.addr_spec for a in m["Reply-To"].addresses] if m["Reply-To"] else [],
            "subject": str(m["Subject"]),
            "raw_subject": str(raw_subject),
            "message_id": str(m["Message-ID"]),
            "date": str(m["Date"]),
            "text": text.get_content() if text is not None else None,
            "attachments": attachments,
        }
    )
print(json.dumps(messages, ensure_ascii=False))
