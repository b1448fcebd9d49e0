"""Finds personal data in report text before it is approved or published (DESIGN §9: the public
version never contains personal data). A department's contributed text is free text, so it is the
place where a 身份证号 or a mobile number can slip in. The detector is fazhi.core.personaldata, shared
with the timeline, audit and log masking."""

from __future__ import annotations

from fazhi.core.personaldata import KIND_NAMES, PersonalDataKind, personal_data_mask, personal_data_spans


def personal_data_find(text: str) -> list[str]:
    """Chinese descriptions of what was found, each with the start of its line, e.g.
    ["身份证号 110101********4514（“张某，身份证号110101********4514…”）"]; the number, and any other
    personal number quoted from the line, is shown masked only."""
    found = []
    for line in text.splitlines():
        # Landlines are not a finding: a report rightly gives its offices' public numbers.
        spans = [s for s in personal_data_spans(line) if s.kind != PersonalDataKind.LANDLINE]
        if not spans:
            continue
        quoted = personal_data_mask(line)[:20]
        for s in spans:
            found.append(f"{KIND_NAMES[s.kind]} {s.masked}（“{quoted}…”）")
    return found
