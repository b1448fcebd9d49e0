"""Writing the report together: assignments, deadlines, submit/return/accept, merge, gate, uploads."""

import datetime as dt
import io
import zipfile

import pytest
from django.urls import reverse
from docx import Document as WordDocument

from fazhi.core import access
from fazhi.core.models import AuditEvent
from fazhi.reports.errors import ReportWorkflowError
from fazhi.reports.models import SectionEventKind, SectionStatus
from fazhi.reports.services import (
    ReportErrorCode,
    SectionError,
    report_advance,
    report_generate,
    report_open,
    section_accept,
    section_assign,
    section_comment,
    section_return,
    section_save,
    section_submit,
    section_upload,
    section_withdraw,
)
from tests.reports.support import contribute, sections_complete

TOWN_TEXT = "哈达镇把每月十五日定为调解日。\n镇司法所对村调委会逐一开展业务指导。"


@pytest.fixture
def report(personas):
    return report_open(acting_user=personas.district_admin, org_unit=personas.district, year=2024)


@pytest.fixture
def assignment(personas, report):
    return section_assign(acting_user=personas.district_admin, report=report, section="disputes",
                          org_unit=personas.town)


def _docx(*paragraphs: str) -> bytes:
    document = WordDocument()
    for text in paragraphs:
        document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_the_default_deadline_is_the_first_of_march(assignment):
    assert assignment.deadline == dt.date(2025, 3, 1) and assignment.status == SectionStatus.ASSIGNED


def test_only_the_office_assigns_and_only_inside_its_report(personas, report):
    for user in (personas.leader, personas.town_clerk, personas.mediator, personas.outsider):
        with pytest.raises(access.AccessDenied):
            section_assign(acting_user=user, report=report, section="disputes", org_unit=personas.town)
    with pytest.raises(SectionError) as err:
        section_assign(acting_user=personas.district_admin, report=report, section="disputes",
                       org_unit=personas.other_street)
    assert err.value.code == ReportErrorCode.OUTSIDE_REPORT
    with pytest.raises(SectionError) as err:
        section_assign(acting_user=personas.district_admin, report=report, section="nope", org_unit=personas.town)
    assert err.value.code == ReportErrorCode.UNKNOWN_SECTION


def test_the_same_unit_cannot_hold_a_section_twice(personas, report, assignment):
    with pytest.raises(SectionError) as err:
        section_assign(acting_user=personas.district_admin, report=report, section="disputes",
                       org_unit=personas.town)
    assert err.value.code == ReportErrorCode.DUPLICATE
    section_withdraw(acting_user=personas.district_admin, assignment=assignment)
    again = section_assign(acting_user=personas.district_admin, report=report, section="disputes",
                           org_unit=personas.town)
    assert again.status == SectionStatus.ASSIGNED


def test_the_town_writes_submits_and_the_office_accepts_with_a_timeline_and_audit(personas, assignment):
    before = AuditEvent.objects.count()
    section_save(acting_user=personas.town_clerk, assignment=assignment, text=TOWN_TEXT)
    section_submit(acting_user=personas.town_clerk, assignment=assignment)
    assert assignment.status == SectionStatus.SUBMITTED and assignment.submitted_at is not None
    section_accept(acting_user=personas.district_admin, assignment=assignment)
    assert assignment.status == SectionStatus.ACCEPTED
    kinds = [e.kind for e in assignment.events.all()]
    assert kinds == [SectionEventKind.ASSIGNED, SectionEventKind.SAVED, SectionEventKind.SUBMITTED,
                     SectionEventKind.ACCEPTED]
    assert AuditEvent.objects.count() == before + 3  # one audit row per write


def test_people_outside_the_unit_cannot_write_it(personas, assignment):
    for user in (personas.other_mediator, personas.outsider, personas.leader, personas.review_officer):
        with pytest.raises(access.AccessDenied):
            section_save(acting_user=user, assignment=assignment, text="x")
        with pytest.raises(access.AccessDenied):
            section_submit(acting_user=user, assignment=assignment)
    with pytest.raises(access.AccessDenied):  # the town writes, the office decides
        section_accept(acting_user=personas.town_clerk, assignment=assignment)


def test_an_empty_text_cannot_be_submitted(personas, assignment):
    with pytest.raises(SectionError) as err:
        section_submit(acting_user=personas.town_clerk, assignment=assignment)
    assert err.value.code == ReportErrorCode.EMPTY_TEXT


def test_returned_with_a_comment_the_town_writes_again(personas, assignment):
    section_save(acting_user=personas.town_clerk, assignment=assignment, text=TOWN_TEXT)
    section_submit(acting_user=personas.town_clerk, assignment=assignment)
    with pytest.raises(SectionError) as err:  # submitted: only the office may change it now
        section_save(acting_user=personas.town_clerk, assignment=assignment, text="改")
    assert err.value.code == ReportErrorCode.NOT_ALLOWED
    with pytest.raises(SectionError) as err:
        section_return(acting_user=personas.district_admin, assignment=assignment, comment="  ")
    assert err.value.code == ReportErrorCode.COMMENT_REQUIRED
    section_return(acting_user=personas.district_admin, assignment=assignment, comment="请补充调解日的成效")
    assert assignment.status == SectionStatus.RETURNED
    section_save(acting_user=personas.town_clerk, assignment=assignment, text=TOWN_TEXT + "\n全年调解日接待群众。")
    section_submit(acting_user=personas.town_clerk, assignment=assignment)
    section_comment(acting_user=personas.town_clerk, assignment=assignment, comment="已按意见补充")
    assert [e.comment for e in assignment.events.all() if e.comment] == ["请补充调解日的成效", "已按意见补充"]


def test_the_office_edits_a_submitted_text_and_the_edit_is_recorded(personas, assignment):
    section_save(acting_user=personas.town_clerk, assignment=assignment, text=TOWN_TEXT)
    section_submit(acting_user=personas.town_clerk, assignment=assignment)
    section_save(acting_user=personas.district_admin, assignment=assignment, text="哈达镇把每月十五日定为调解日。")
    event = assignment.events.last()
    assert event.kind == SectionEventKind.EDITED
    audit = AuditEvent.objects.filter(action="report.section.edited").get()
    assert audit.diff["text"] == [TOWN_TEXT, "哈达镇把每月十五日定为调解日。"]


def test_late_means_after_the_deadline(personas, report):
    late = section_assign(acting_user=personas.district_admin, report=report, section="publicity",
                          org_unit=personas.town, deadline=dt.date(2020, 3, 1))
    assert late.late is True  # not submitted, deadline passed
    future = section_assign(acting_user=personas.district_admin, report=report, section="disputes",
                            org_unit=personas.town, deadline=dt.date.today() + dt.timedelta(days=30))
    assert future.late is False
    section_save(acting_user=personas.town_clerk, assignment=late, text="迟交的内容")
    section_submit(acting_user=personas.town_clerk, assignment=late)
    assert late.late is True  # submitted after the deadline


def test_accepted_text_is_merged_into_its_section_and_the_gate_needs_every_part(personas, mediation, report):
    mediation(personas.town, dt.date(2024, 4, 1), outcome="success")
    pending = section_assign(acting_user=personas.district_admin, report=report, section="publicity",
                             org_unit=personas.street)
    run = report_generate(acting_user=personas.district_admin, org_unit=personas.district, year=2024)
    assert run.gate["passed"] is False
    assert any("存在的不足和原因" in m for m in run.gate["sections"])  # a mandated part without text
    assert any("新屯街道" in m and "待报送" in m for m in run.gate["sections"])  # an unsettled assignment
    contribute(personas.district_admin, report=report, section="disputes", unit=personas.town, text=TOWN_TEXT,
               writer=personas.town_clerk)
    sections_complete(personas.district_admin, unit=personas.district, year=2024)
    section_withdraw(acting_user=personas.district_admin, assignment=pending, comment="本年度不单列")
    run = report_generate(acting_user=personas.district_admin, org_unit=personas.district, year=2024)
    assert run.gate["passed"] is True, run.gate
    disputes = run.text.index("依法有效化解社会矛盾纠纷")
    assert disputes < run.text.index("哈达镇把每月十五日定为调解日。") < run.text.index("二、存在的不足和原因")
    assert "镇司法所对村调委会逐一开展业务指导。" in run.text  # one paragraph per line
    merged = AuditEvent.objects.filter(action="report.generate").last().diff["assignments"][1]
    assert len(merged) == 4


def test_personal_data_in_a_contribution_blocks_approval(personas, mediation, report):
    mediation(personas.town, dt.date(2024, 4, 1), outcome="success")
    sections_complete(personas.district_admin, unit=personas.district, year=2024)
    contribute(personas.district_admin, report=report, section="disputes", unit=personas.town,
               text="调解员张某（身份证号11010519491231002X，电话13912345678）调处纠纷。", writer=personas.town_clerk)
    run = report_generate(acting_user=personas.district_admin, org_unit=personas.district, year=2024)
    assert run.gate["passed"] is False
    assert any("身份证号" in m for m in run.gate["personal"]) and any("手机号码" in m for m in run.gate["personal"])
    assert all("11010519491231002X" not in m for m in run.gate["personal"])  # the message masks the number
    report = report_advance(acting_user=personas.district_admin, report=run.report)
    with pytest.raises(ReportWorkflowError) as err:
        report_advance(acting_user=personas.leader, report=report)  # the leader approves (审定)
    assert err.value.code == ReportErrorCode.GATE_FAILED


def test_a_number_that_is_not_a_valid_id_is_not_personal_data():
    from fazhi.reports.privacy import personal_data_find

    assert personal_data_find("挽回经济损失110105194912310021元；案号（2024）辽0403民初1234号") == []
    assert personal_data_find("身份证号11010519491231002X") != []


def test_approved_reports_freeze_their_sections(personas, mediation, report, assignment):
    mediation(personas.town, dt.date(2024, 4, 1), outcome="success")
    section_withdraw(acting_user=personas.district_admin, assignment=assignment)
    sections_complete(personas.district_admin, unit=personas.district, year=2024)
    report_generate(acting_user=personas.district_admin, org_unit=personas.district, year=2024)
    report = report_advance(acting_user=personas.district_admin, report=report)
    report = report_advance(acting_user=personas.leader, report=report)  # 审定 by the leader
    accepted = report.assignments.filter(status=SectionStatus.ACCEPTED).first()
    with pytest.raises(SectionError) as err:
        section_save(acting_user=personas.district_admin, assignment=accepted, text="改")
    assert err.value.code == ReportErrorCode.REPORT_CLOSED
    with pytest.raises(SectionError):
        section_assign(acting_user=personas.district_admin, report=report, section="publicity",
                       org_unit=personas.town)


def test_upload_of_a_word_file_replaces_the_text(personas, assignment):
    section_upload(acting_user=personas.town_clerk, assignment=assignment, name="哈达镇.docx",
                   data=_docx("第一段。", "", "第二段。"))
    assert assignment.text == "第一段。\n第二段。"
    assert assignment.events.last().kind == SectionEventKind.UPLOADED


def test_upload_of_gbk_text(personas, assignment):
    section_upload(acting_user=personas.town_clerk, assignment=assignment, name="a.txt",
                   data="调解日。\r\n".encode("gb18030"))
    assert assignment.text == "调解日。"


@pytest.mark.parametrize("name, data, says", [
    ("a.docx", b"not a zip at all", "不是有效的Word"),
    ("a.doc", b"\xd0\xcf\x11\xe0", "格式不支持"),
    ("a.txt", b"", "没有文字"),
    ("a.txt", b"\xff\xfe\x00\xd8" * 3, "编码"),
    ("big.txt", b"a" * (2 * 1024 * 1024 + 1), "超过2MB"),
])
def test_bad_uploads_are_refused_naming_the_file_and_change_nothing(personas, assignment, name, data, says):
    section_save(acting_user=personas.town_clerk, assignment=assignment, text="原有内容")
    with pytest.raises(SectionError) as err:
        section_upload(acting_user=personas.town_clerk, assignment=assignment, name=name, data=data)
    assert err.value.code == ReportErrorCode.UPLOAD_REJECTED and says in err.value.message and name in err.value.message
    assignment.refresh_from_db()
    assert assignment.text == "原有内容"


def test_a_zip_bomb_is_refused_before_it_is_opened(personas, assignment):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", b"<" + b" " * (21 * 1024 * 1024))
    with pytest.raises(SectionError) as err:
        section_upload(acting_user=personas.town_clerk, assignment=assignment, name="bomb.docx",
                       data=buffer.getvalue())
    assert err.value.code == ReportErrorCode.UPLOAD_REJECTED and "解压后超过20MB" in err.value.message


def test_pages_for_the_town_and_the_office(client, personas, assignment):
    client.force_login(personas.town_clerk)
    assert "2024年东洲区 · 哈达镇" in client.get(reverse("web:home")).content.decode()  # on the dashboard
    listing = client.get(reverse("web:sections")).content.decode()
    assert "依法有效化解社会矛盾纠纷" in listing and "哈达镇" in listing
    page = client.get(reverse("web:section", args=[assignment.pk])).content.decode()
    assert "报送期限" in page or "2025-03-01" in page
    client.post(reverse("web:section_action", args=[assignment.pk, "save"]), {"text": TOWN_TEXT})
    response = client.post(reverse("web:section_action", args=[assignment.pk, "submit"]), follow=True)
    assert "已报送" in response.content.decode()
    client.force_login(personas.district_admin)
    report_page = client.get(reverse("web:report") + f"?unit={personas.district.pk}&period=2024").content.decode()
    assert "哈达镇" in report_page and "已报送" in report_page
    response = client.post(reverse("web:section_action", args=[assignment.pk, "return"]), {"comment": ""},
                           follow=True)
    assert "退回时请写明修改意见" in response.content.decode()
    client.post(reverse("web:section_action", args=[assignment.pk, "accept"]))
    assignment.refresh_from_db()
    assert assignment.status == SectionStatus.ACCEPTED


def test_the_office_assigns_from_the_report_page(client, personas):
    client.force_login(personas.district_admin)
    response = client.post(reverse("web:section_assign"), {
        "unit": personas.district.pk, "period": "2024", "section": "shortcomings", "org_unit": personas.street.pk,
        "deadline": "2025-02-20"}, follow=True)
    assert "已分配给新屯街道" in response.content.decode()
    response = client.post(reverse("web:section_assign"), {
        "unit": personas.district.pk, "period": "2024", "section": "shortcomings", "org_unit": personas.street.pk,
        "deadline": "二月"}, follow=True)
    assert "报送期限格式" in response.content.decode()


def test_outsiders_get_404_for_an_assignment(client, personas, assignment):
    for user in (personas.outsider, personas.other_mediator):
        client.force_login(user)
        assert client.get(reverse("web:section", args=[assignment.pk])).status_code == 404
        assert client.post(reverse("web:section_action", args=[assignment.pk, "save"]),
                           {"text": "x"}).status_code == 404


def test_the_section_page_shows_the_figures_and_texts_accepted_so_far(client, personas, mediation, report):
    mediation(personas.town, dt.date(2024, 4, 1), outcome="success")
    report_generate(acting_user=personas.district_admin, org_unit=personas.district, year=2024)  # freezes a snapshot
    contribute(personas.district_admin, report=report, section="disputes", unit=personas.town, text=TOWN_TEXT,
               writer=personas.town_clerk)
    street = section_assign(acting_user=personas.district_admin, report=report, section="disputes",
                            org_unit=personas.street)
    client.force_login(personas.district_admin)
    page = client.get(reverse("web:section", args=[street.pk])).content.decode()
    assert "<mark>1件</mark>" in page and "哈达镇把每月十五日定为调解日。" in page
