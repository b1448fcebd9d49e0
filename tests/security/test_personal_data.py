"""Personal numbers typed into free text (issue 12, item 2): kept as typed in the record or section, masked
in the timeline, the audit diff, the pages (until an entitled reader reveals them, audited), error messages,
the report gate and the log."""

from __future__ import annotations

import datetime as dt
import json
import logging

import pytest
from django.urls import reverse

from fazhi.core.errors import CoreErrorCode, FazhiError
from fazhi.core.logfilter import PersonalDataLogFilter
from fazhi.core.models import AuditEvent
from fazhi.core.personaldata import PersonalDataKind, personal_data_mask, personal_data_spans
from fazhi.core.services import person_create
from fazhi.registers.models import RecordEvent
from fazhi.registers.services import record_create, record_transition
from fazhi.reports.models import SectionEvent
from fazhi.reports.privacy import personal_data_find
from fazhi.reports.services import report_open, section_assign, section_return, section_save, section_submit

ID = "11010519491231002X"  # valid GB 11643 check digit
ID_MASKED = "110105********002X"
MOBILE, MOBILE_MASKED = "13812345678", "138****5678"


def _luhn_complete(first: str) -> str:
    for d in "0123456789":
        digits = [int(c) for c in reversed(first + d)]
        total = sum(x if i % 2 == 0 else (x * 2 - 9 if x > 4 else x * 2) for i, x in enumerate(digits))
        if total % 10 == 0:
            return first + d
    raise AssertionError("unreachable")


CARD = _luhn_complete("622202020011223")  # 16 digits
TEXT = f"当事人张某，身份证号{ID}，电话{MOBILE}"


def _history_json(queryset, *fields) -> str:
    return json.dumps(list(queryset.values(*fields)), ensure_ascii=False, default=str)


# ------------------------------------------------------------------------------------------------ detector

def test_the_detector_finds_each_kind_with_its_span():
    text = f"甲{ID}乙{MOBILE}丙0411-82345678丁{CARD}戊110105491231002"
    found = personal_data_spans(text)
    assert [f.kind for f in found] == [PersonalDataKind.ID_NUMBER, PersonalDataKind.MOBILE,
                                       PersonalDataKind.LANDLINE, PersonalDataKind.BANK_CARD,
                                       PersonalDataKind.ID_NUMBER]
    assert all(text[f.start:f.end] == f.value for f in found)
    assert personal_data_mask(text) == (f"甲{ID_MASKED}乙{MOBILE_MASKED}丙0411-****5678丁"
                                        f"{CARD[:4]}{'*' * 8}{CARD[-4:]}戊110105******002")


@pytest.mark.parametrize("text", [
    "挽回经济损失110105194912310021元",  # 18 digits, wrong check digit
    "编号213812345678",  # a mobile-like run inside a longer run of digits
    "金额1381234567元",  # 10 digits
    "案号（2024）辽0403民初1234号",
])
def test_the_detector_leaves_other_numbers_alone(text):
    assert personal_data_spans(text) == [] and personal_data_mask(text) == text


# ---------------------------------------------------------------------------------------- history on write

def test_record_text_and_transition_note_are_masked_in_timeline_and_audit(personas):
    record = record_create(acting_user=personas.mediator, register="people_mediation", org_unit=personas.town,
                           external_id="TJ-PII", opened_on=dt.date(2024, 5, 6),
                           payload={"organization_type": "traffic", "dispute_type": "traffic", "summary": TEXT})
    record = record_transition(acting_user=personas.mediator, record=record, transition="start",
                               note=f"已联系，手机{MOBILE}，身份证{ID}")
    assert record.payload["summary"] == TEXT  # the record keeps what was typed
    events = _history_json(RecordEvent.objects.filter(record=record), "data", "note")
    audits = _history_json(AuditEvent.objects.filter(object_type="registers.record", object_id=str(record.pk)),
                           "diff")
    for stored in (events, audits):
        assert ID not in stored and MOBILE not in stored
        assert ID_MASKED in stored and MOBILE_MASKED in stored
    assert RecordEvent.objects.get(record=record, kind="transition").note == f"已联系，手机{MOBILE_MASKED}，身份证{ID_MASKED}"


def test_section_text_and_comments_are_masked_in_timeline_and_audit(personas):
    report = report_open(acting_user=personas.district_admin, org_unit=personas.district, year=2024)
    assignment = section_assign(acting_user=personas.district_admin, report=report, section="disputes",
                                org_unit=personas.town)
    section_save(acting_user=personas.town_clerk, assignment=assignment, text=f"调解工作。{TEXT}")
    section_submit(acting_user=personas.town_clerk, assignment=assignment)
    section_return(acting_user=personas.district_admin, assignment=assignment, comment=f"请删去{ID}和{MOBILE}")
    assignment.refresh_from_db()
    assert ID in assignment.text and MOBILE in assignment.text
    comments = _history_json(SectionEvent.objects.filter(assignment=assignment), "comment")
    audits = _history_json(AuditEvent.objects.filter(object_type="reports.sectionassignment",
                                                      object_id=str(assignment.pk)), "diff")
    for stored in (comments, audits):
        assert ID not in stored and MOBILE not in stored
    assert ID_MASKED in audits and ID_MASKED in comments


# ------------------------------------------------------------------------------------------------- display

def test_a_town_clerk_without_the_role_sees_record_text_masked_and_cannot_reveal(client, personas):
    record = record_create(acting_user=personas.mediator, register="people_mediation", org_unit=personas.town,
                           external_id="TJ-PII", opened_on=dt.date(2024, 5, 6),
                           payload={"organization_type": "traffic", "dispute_type": "traffic", "summary": TEXT})
    client.force_login(personas.town_clerk)
    for page in (client.get(reverse("web:record", args=[record.pk])),
                 client.post(reverse("web:record", args=[record.pk]), {"reveal": "1"})):
        body = page.content.decode()
        assert page.status_code == 200
        assert ID_MASKED in body and MOBILE_MASKED in body and ID not in body and MOBILE not in body
    assert not AuditEvent.objects.filter(action="personal_data.view").exists()


def test_a_legal_aid_officer_sees_it_masked_until_an_audited_reveal(client, personas):
    applicant = person_create(acting_user=None, org_unit=personas.justice_bureau, name="甲")
    record = record_create(acting_user=personas.legal_aid_staff, register="legal_aid",
                           org_unit=personas.justice_bureau, external_id="FY-PII", opened_on=dt.date(2024, 5, 6),
                           payload={"applied_on": "2024-05-06", "applicant": applicant.pk, "case_type": "civil",
                                    "service_type": "aid_case", "source": "application",
                                    "law_firm": f"联系人{MOBILE}，身份证{ID}"})
    client.force_login(personas.legal_aid_staff)
    url = reverse("web:record", args=[record.pk])
    body = client.get(url).content.decode()
    assert ID not in body and MOBILE not in body and ID_MASKED in body and 'name="reveal"' in body
    assert not AuditEvent.objects.filter(action="personal_data.view").exists()
    body = client.post(url, {"reveal": "1"}).content.decode()
    assert ID in body and MOBILE in body
    view = AuditEvent.objects.get(action="personal_data.view", object_id=str(record.pk))
    assert view.actor == personas.legal_aid_staff and "law_firm" in view.diff["fields"]


def test_the_section_page_shows_submitted_text_masked(client, personas):
    report = report_open(acting_user=personas.district_admin, org_unit=personas.district, year=2024)
    assignment = section_assign(acting_user=personas.district_admin, report=report, section="disputes",
                                org_unit=personas.town)
    section_save(acting_user=personas.town_clerk, assignment=assignment, text=f"调解工作。{TEXT}")
    section_submit(acting_user=personas.town_clerk, assignment=assignment)
    client.force_login(personas.town_clerk)  # no longer holds the pen: the text is shown, not edited
    body = client.get(reverse("web:section", args=[assignment.pk])).content.decode()
    assert ID not in body and MOBILE not in body and ID_MASKED in body
    api = client.get(reverse("api:section", args=[assignment.pk]))  # the API answers with the masked text too
    assert api.status_code == 200
    assert ID not in api.content.decode() and ID_MASKED in api.json()["text"]


# ------------------------------------------------------------------------------------ errors, gate, logs

def test_the_report_gate_shows_at_most_the_masked_form():
    found = personal_data_find(f"第一行\n张某身份证号{ID}，手机号码{MOBILE}，已结案")
    joined = "".join(found)
    assert len(found) == 2 and ID not in joined and MOBILE not in joined
    assert ID_MASKED in joined and MOBILE_MASKED in joined
    # never a run of 11 digits of the number
    assert "11010519491" not in joined and "1381234" not in joined


def test_an_error_message_quoting_input_masks_the_number():
    err = FazhiError(CoreErrorCode.ID_NUMBER_MALFORMED, f"“{ID}”不是有效的值")
    assert ID not in err.message and ID not in str(err) and ID_MASKED in err.message


def test_the_log_filter_masks_messages_and_arguments():
    installed = [f for h in logging.getLogger().handlers for f in h.filters] + logging.getLogger().filters
    assert any(isinstance(f, PersonalDataLogFilter) for f in installed)
    assert any(isinstance(f, PersonalDataLogFilter) for f in logging.getLogger("django.request").filters)
    record = logging.LogRecord("django.request", logging.WARNING, __file__, 1,
                               "Not Found: %s", (f"/records/?q={ID}&phone={MOBILE}",), None)
    assert PersonalDataLogFilter().filter(record) is True
    line = logging.Formatter("%(message)s").format(record)
    assert ID not in line and MOBILE not in line and ID_MASKED in line and MOBILE_MASKED in line
