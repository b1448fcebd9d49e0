"""Text stored before input was checked (issue 12, item 7) may still hold U+0000–U+001F: rendering strips them,
so pages, report generation and download keep working, and `fazhi audit text` lists where they are."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from fazhi.registers.models import Record
from fazhi.registers.registry import register_definition
from fazhi.reports.models import SectionAssignment, SectionStatus
from fazhi.reports.services import report_generate, report_open, section_assign
from tests.registers.driving import create_sample

DIRTY = "调解\x01案件\x0b共\x1f十件"


@pytest.fixture
def dirty_section(personas):
    """An accepted section whose stored text holds control characters (written as an old version would have)."""
    report = report_open(acting_user=personas.district_admin, org_unit=personas.district, year=2024)
    assignment = section_assign(acting_user=personas.district_admin, report=report, section="disputes",
                                org_unit=personas.town)
    SectionAssignment.objects.filter(pk=assignment.pk).update(text=DIRTY, status=SectionStatus.ACCEPTED)
    return assignment


@pytest.fixture
def dirty_record(personas):
    record = create_sample(register_definition("people_mediation"), user=personas.mediator, unit=personas.town,
                           opened_on=dt.date(2024, 3, 4))
    Record.objects.filter(pk=record.pk).update(payload={**record.payload, "summary": "双方\x03当事人\x02"})
    return record


def test_report_generation_and_download_strip_stored_control_characters(client, personas, dirty_section, mediation):
    mediation(personas.town, dt.date(2024, 3, 4), outcome="success")
    run = report_generate(acting_user=personas.district_admin, org_unit=personas.district, year=2024)
    assert run.pk
    client.force_login(personas.district_admin)
    query = f"?unit={personas.district.pk}&period=2024"
    download = client.get(reverse("web:report_download", args=["docx"]) + query)
    assert download.status_code == 200
    from docx import Document

    text = "\n".join(p.text for p in Document(io.BytesIO(download.content)).paragraphs)
    assert "调解案件共十件" in text


def test_pages_show_stored_text_without_control_characters(client, personas, dirty_section, dirty_record):
    client.force_login(personas.district_admin)
    page = client.get(reverse("web:record", args=[dirty_record.pk])).content.decode()
    assert "双方当事人" in page and "\x03" not in page and "\x02" not in page
    page = client.get(reverse("web:section", args=[dirty_section.pk])).content.decode()
    assert "调解案件共十件" in page and "\x01" not in page


def test_audit_text_lists_the_stored_fields_and_exits_1(personas, dirty_section, dirty_record):
    out = io.StringIO()
    with pytest.raises(CommandError) as failed:
        call_command("audit", "text", stdout=out)
    assert failed.value.returncode == 1
    listed = out.getvalue()
    assert f"reports.sectionassignment #{dirty_section.pk} text" in listed
    assert f"registers.record #{dirty_record.pk} payload.summary" in listed
    assert "U+0001" in listed and "第1行第3个字符" in listed
    assert "双方" not in listed and "调解" not in listed  # where, never what: the text may be personal


def test_audit_text_is_clean_on_clean_data(personas):
    out = io.StringIO()
    call_command("audit", "text", stdout=out)
    assert "没有发现" in out.getvalue()
