"""Finds personal data in report text before it is approved or published (DESIGN §9: the public
version never contains personal data). A department's contributed text is free text, so it is the
place where a 身份证号 or a mobile number can slip in."""

from __future__ import annotations

import re

from fazhi.core.identity import IdentityError, id_number_normalize

# Not part of a longer digit run, so that amounts and serial numbers are not mistaken for them.
_ID_CANDIDATE = re.compile(r"(?<![0-9])[1-9]\d{16}[0-9Xx](?![0-9A-Za-z])")
_MOBILE = re.compile(r"(?<![0-9])1[3-9]\d{9}(?![0-9])")


def personal_data_find(text: str) -> list[str]:
    """Chinese descriptions of what was found, each with the start of its line, e.g.
    ["身份证号（“张某，身份证号2101…”）"]; the number itself is masked."""
    found = []
    for line in text.splitlines():
        for m in _ID_CANDIDATE.finditer(line):
            try:
                id_number_normalize(m.group(0))
            except IdentityError:
                continue  # not a valid 身份证号 (check digit or birth date wrong): a number like any other
            found.append(f"身份证号 {m.group(0)[:4]}…（“{line[:20]}…”）")
        for m in _MOBILE.finditer(line):
            found.append(f"手机号码 {m.group(0)[:3]}…（“{line[:20]}…”）")
    return found
