#!/usr/bin/env python3
"""Lists Fluent message keys used in src/ and templates/ that locales/nl lacks (and keys no code uses).
Dynamic keys (format!("status-{}")) are expanded from the known enum values."""
import os, re, sys

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
defined = {}
for lang in ("nl", "en"):
    keys = set()
    for name in os.listdir(os.path.join(root, "locales", lang)):
        for line in open(os.path.join(root, "locales", lang, name), encoding="utf-8"):
            m = re.match(r"^([a-z][a-z0-9-]*) =", line)
            if m:
                keys.add(m.group(1))
    defined[lang] = keys

used = set()
patterns = [r'\bt1?\(\s*"([a-z][a-z0-9-]+)"', r'\.t\(\s*"([a-z][a-z0-9-]+)"', r't_args\(\s*"([a-z][a-z0-9-]+)"',
            r'Conflict\("([a-z0-9-]+)"\)', r'Forbidden\("([a-z0-9-]+)"\)', r'BadRequest\("([a-z0-9-]+)"\)',
            r'"(error-[a-z0-9-]+)"', r'"(mail-[a-z0-9-]+)"']
field_codes = [r'FieldError::new\([^,]+,\s*"([a-z0-9-]+)"', r'\.add\([^,]+,\s*"([a-z0-9-]+)"', r'validation\([^,]+,\s*"([a-z0-9-]+)"',
               r'ValidationError::new\("([a-z0-9-]+)"\)', r'code = "([a-z0-9-]+)"', r'Err\("((?:time|date)-[a-z-]+)"\)']
for base in ("src", "templates"):
    for dirpath, _, files in os.walk(os.path.join(root, base)):
        for f in files:
            text = open(os.path.join(dirpath, f), encoding="utf-8").read()
            for p in patterns:
                used.update(re.findall(p, text))
            for p in field_codes:
                used.update("field-" + c for c in re.findall(p, text))
            used.update("flash-" + m for m in re.findall(r'melding=([a-z-]+)', text))
            for prefix, values in [("status-", "draft published cancelled archived"), ("status-action-", "published cancelled archived"),
                                   ("format-", "cursus werkplaats bijeenkomst"), ("kind-", "bewoner vrijwilliger professional student"),
                                   ("role-", "participant trainer coordinator admin"), ("mail-status-", "pending sending sent failed"),
                                   ("enrolment-status-", "enrolled waitlisted cancelled"),
                                   ("action-", "enrolled waitlisted promoted cancelled left_waitlist"),
                                   ("flash-status-", "published cancelled archived")]:
                if ('"' + prefix + "{") in text or ('"' + prefix + '{}') in text or (prefix + "{status}") in text:
                    used.update(prefix + v for v in values.split())
            for kind in re.findall(r'"(mail-[a-z-]+)"\)?\s*[,)]', text):
                pass
used.update(k + s for k in ("mail-enrolled", "mail-promoted", "mail-cancelled", "mail-course-cancelled", "mail-session-cancelled")
            for s in ("-subject", "-intro"))
used.discard("mail-enrolled"); used.discard("mail-promoted"); used.discard("mail-cancelled")
used.discard("mail-course-cancelled"); used.discard("mail-session-cancelled")
missing = sorted(k for k in used if k not in defined["nl"])
print("missing in nl:", *missing, sep="\n  ")
print("missing in en:", *sorted(defined["nl"] - defined["en"]), sep="\n  ")
unused = sorted(k for k in defined["nl"] if k not in used)
print("defined but not found in code (check by hand):", *unused, sep="\n  ")
sys.exit(1 if missing else 0)
